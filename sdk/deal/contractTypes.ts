/**
 * The five technology contracts of the Civil Code (SPEC 6.7.1): development (技术开发,
 * commissioned or cooperative), transfer (技术转让), licence (技术许可), consulting (技术咨询)
 * and service (技术服务).
 *
 * @example
 * CONTRACT_TYPES.includes("licence") // true
 */
export const CONTRACT_TYPES = ["development", "transfer", "licence", "consulting", "service"] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

/** The two languages every template is written in. */
export const CONTRACT_LANGUAGES = ["zh", "en"] as const;
export type ContractLanguage = (typeof CONTRACT_LANGUAGES)[number];

export interface Bilingual {
  zh: string;
  en: string;
}

/** Each contract type's name, as the Civil Code and the registration form write it. */
export const CONTRACT_TYPE_NAMES: Record<ContractType, Bilingual> = {
  development: { zh: "技术开发合同", en: "Technology Development Contract" },
  transfer: { zh: "技术转让合同", en: "Technology Transfer Contract" },
  licence: { zh: "技术许可合同", en: "Technology Licence Contract" },
  consulting: { zh: "技术咨询合同", en: "Technology Consulting Contract" },
  service: { zh: "技术服务合同", en: "Technology Service Contract" },
};

/**
 * The clauses of a technology contract, in order, as clause ids of the templates. Civil Code
 * art. 845 para. 1 names some and ends "等条款"; this is the fuller list of the former Contract
 * Law art. 324 that SPEC 6.7.2 asks for, which holds every clause art. 845 names: project name; subject (content, scope, requirements); performance (plan, schedule, period,
 * place, territory, manner); confidentiality of technical information and materials; assumption
 * of risk; ownership of results and sharing of benefits; acceptance standard and method; price,
 * remuneration or royalties and the manner of payment; damages for breach and how computed;
 * settlement of disputes; interpretation of terms.
 *
 * @example
 * ART_845_CLAUSES.length // 11
 */
export const ART_845_CLAUSES = [
  "projectName",
  "subject",
  "performance",
  "confidentiality",
  "risk",
  "ownership",
  "acceptance",
  "payment",
  "breach",
  "disputes",
  "interpretation",
] as const;
export type Art845Clause = (typeof ART_845_CLAUSES)[number];

/** The patent particulars of art. 845 para. 3, a clause of the transfer and licence templates. */
export const PATENT_CLAUSE = "patent";
/** The licence's kind, territory and period, a clause of the licence template. */
export const LICENCE_CLAUSE = "licenceScope";
export type ContractClause = Art845Clause | typeof PATENT_CLAUSE | typeof LICENCE_CLAUSE;

/** Contract types whose subject may be a patent, so whose template carries the patent particulars. */
export const PATENT_CONTRACT_TYPES: readonly ContractType[] = ["transfer", "licence"];

/**
 * The clauses each type's template must carry: all of art. 845, plus the patent particulars for
 * transfer and licence, plus the licence scope for a licence.
 *
 * @example
 * requiredClauses("licence") // [...ART_845_CLAUSES, "patent", "licenceScope"]
 */
export function requiredClauses(type: ContractType): ContractClause[] {
  const clauses: ContractClause[] = [...ART_845_CLAUSES];
  if (PATENT_CONTRACT_TYPES.includes(type)) clauses.push(PATENT_CLAUSE);
  if (type === "licence") clauses.push(LICENCE_CLAUSE);
  return clauses;
}

/**
 * The fields (placeholders) each clause's text must show, so that no clause of the law is a
 * heading without its content: a template test checks every template in both languages.
 */
export const CLAUSE_PLACEHOLDERS: Record<ContractClause, readonly string[]> = {
  projectName: ["projectName"],
  subject: ["subject.content", "subject.scope", "subject.requirements"],
  performance: [
    "performance.plan",
    "performance.schedule",
    "performance.startsOn",
    "performance.endsOn",
    "performance.place",
    "performance.territory",
    "performance.manner",
  ],
  confidentiality: ["confidentiality.scope", "confidentiality.periodYears", "confidentiality.obligations"],
  risk: ["risk.allocation"],
  ownership: ["ownership.results", "ownership.benefitSharing"],
  acceptance: ["acceptance.standard", "acceptance.method"],
  payment: ["payment.terms"],
  breach: ["breach.liability", "breach.computation", "breach.latePayment"],
  disputes: ["disputes.negotiationDays", "disputes.resolution"],
  interpretation: ["interpretation.terms"],
  patent: [
    "patent.right",
    "patent.inventionName",
    "patent.applicant",
    "patent.holder",
    "patent.applicationDate",
    "patent.applicationNumber",
    "patent.patentNumber",
    "patent.grantDate",
    "patent.validUntil",
  ],
  licenceScope: ["licence.kind", "licence.territory", "licence.startsOn", "licence.endsOn", "licence.sublicensing"],
};

/**
 * The kinds of licence: exclusive (独占: only the licensee, not even the licensor, works the
 * technology in the territory), sole (排他: the licensee and the licensor, nobody else) and
 * ordinary (普通: the licensor may license others too).
 */
export const LICENCE_KINDS = ["exclusive", "sole", "ordinary"] as const;
export type LicenceKind = (typeof LICENCE_KINDS)[number];
export const LICENCE_KIND_NAMES: Record<LicenceKind, Bilingual> = {
  exclusive: { zh: "独占实施许可", en: "exclusive licence" },
  sole: { zh: "排他实施许可", en: "sole licence" },
  ordinary: { zh: "普通实施许可", en: "ordinary (non-exclusive) licence" },
};

/**
 * The manners of payment of Civil Code art. 846: lump sum (一次总算、一次总付), instalments
 * (一次总算、分期支付; each becomes an escrow milestone), royalty (提成支付, a rate on sales or
 * profit, with an upfront fee 入门费).
 */
export const PAYMENT_MODES = ["lumpSum", "instalments", "royalty"] as const;
export type PaymentMode = (typeof PAYMENT_MODES)[number];
export const PAYMENT_MODE_NAMES: Record<PaymentMode, Bilingual> = {
  lumpSum: { zh: "一次总算、一次总付", en: "lump sum, paid at once" },
  instalments: { zh: "一次总算、分期支付", en: "lump sum, paid in instalments" },
  royalty: { zh: "提成支付附加预付入门费", en: "royalties with an upfront fee" },
};

/** What a transfer or licence conveys: a patent, a patent application, or a technical secret (know-how). */
export const TECHNOLOGY_RIGHTS = ["patent", "patentApplication", "technicalSecret"] as const;
export type TechnologyRight = (typeof TECHNOLOGY_RIGHTS)[number];
export const TECHNOLOGY_RIGHT_NAMES: Record<TechnologyRight, Bilingual> = {
  patent: { zh: "专利权", en: "patent" },
  patentApplication: { zh: "专利申请权", en: "patent application" },
  technicalSecret: { zh: "技术秘密", en: "technical secret (know-how)" },
};

/** Development contracts are commissioned (委托开发) or cooperative (合作开发), art. 851. */
export const DEVELOPMENT_KINDS = ["commissioned", "cooperative"] as const;
export const DEVELOPMENT_KIND_NAMES: Record<(typeof DEVELOPMENT_KINDS)[number], Bilingual> = {
  commissioned: { zh: "委托开发", en: "commissioned development" },
  cooperative: { zh: "合作开发", en: "cooperative development" },
};

/** What a consulting contract delivers (art. 878 para. 1). */
export const CONSULTING_KINDS = ["feasibility", "forecast", "investigation", "analysis"] as const;
export const CONSULTING_KIND_NAMES: Record<(typeof CONSULTING_KINDS)[number], Bilingual> = {
  feasibility: { zh: "可行性论证", en: "feasibility study" },
  forecast: { zh: "技术预测", en: "technology forecast" },
  investigation: { zh: "专题技术调查", en: "special technical investigation" },
  analysis: { zh: "分析评价报告", en: "analysis and evaluation report" },
};
