import type { Bilingual } from "../contractTypes";
import type { TemplateClause } from "./types";

// The clause texts the five templates share. A template takes these and replaces the clauses
// the law words differently for its type (subject, risk, ownership, payment's lead sentence).
// Placeholders: `{{path}}`, filled by renderContract from the fields (docs/CONTRACTS.md).

/** The parties' particulars under their role names (`{{role.*}}`, which may change with the contract's kind). */
export function partiesBlock(first: "supplier" | "demander"): Bilingual {
  const order = first === "supplier" ? (["supplier", "demander"] as const) : (["demander", "supplier"] as const);
  const block = (language: "zh" | "en") =>
    order
      .map((side) =>
        language === "zh"
          ? `{{role.${side}}}：{{parties.${side}.name}}\n统一社会信用代码：{{parties.${side}.creditCode}}\n住所：{{parties.${side}.address}}\n法定代表人：{{parties.${side}.representative}}`
          : `{{role.${side}}}: {{parties.${side}.name}}\nUnified social credit code: {{parties.${side}.creditCode}}\nAddress: {{parties.${side}.address}}\nLegal representative: {{parties.${side}.representative}}`,
      )
      .join("\n\n");
  return { zh: block("zh"), en: block("en") };
}

export const projectNameClause: TemplateClause = {
  id: "projectName",
  heading: { zh: "项目名称", en: "Project name" },
  body: {
    zh: "本合同项目名称：{{projectName}}。\n技术领域：{{technicalField}}。",
    en: "The project of this contract is: {{projectName}}.\nTechnical field: {{technicalField}}.",
  },
};

/** The subject clause, with a type's lead sentence. */
export function subjectClause(lead: Bilingual): TemplateClause {
  return {
    id: "subject",
    heading: { zh: "标的的内容、范围和要求", en: "Subject matter: content, scope and requirements" },
    body: {
      zh: `${lead.zh}\n（一）内容：{{subject.content}}\n（二）范围：{{subject.scope}}\n（三）要求：{{subject.requirements}}`,
      en: `${lead.en}\n(1) Content: {{subject.content}}\n(2) Scope: {{subject.scope}}\n(3) Requirements: {{subject.requirements}}`,
    },
  };
}

export const performanceClause: TemplateClause = {
  id: "performance",
  heading: {
    zh: "履行的计划、进度、期限、地点、地域和方式",
    en: "Plan, schedule, period, place, territory and manner of performance",
  },
  body: {
    zh: "（一）履行计划：{{performance.plan}}\n（二）履行进度：{{performance.schedule}}\n（三）履行期限：自{{performance.startsOn}}起至{{performance.endsOn}}止。\n（四）履行地点：{{performance.place}}\n（五）履行地域：{{performance.territory}}\n（六）履行方式：{{performance.manner}}",
    en: "(1) Plan: {{performance.plan}}\n(2) Schedule: {{performance.schedule}}\n(3) Period: from {{performance.startsOn}} to {{performance.endsOn}} inclusive.\n(4) Place: {{performance.place}}\n(5) Territory: {{performance.territory}}\n(6) Manner: {{performance.manner}}",
  },
};

export const confidentialityClause: TemplateClause = {
  id: "confidentiality",
  heading: { zh: "技术信息和资料的保密", en: "Confidentiality of technical information and materials" },
  body: {
    zh: "双方对履行本合同中知悉的对方技术信息和资料负有保密义务。\n（一）保密范围：{{confidentiality.scope}}\n（二）保密期限：{{confidentiality.periodYears}}年，自本合同生效之日起算，本合同终止或者解除后继续有效。\n（三）保密义务：{{confidentiality.obligations}}",
    en: "Each party keeps confidential the other's technical information and materials it learns in performing this contract.\n(1) Scope: {{confidentiality.scope}}\n(2) Period: {{confidentiality.periodYears}} years from the day this contract takes effect, surviving its termination or rescission.\n(3) Obligations: {{confidentiality.obligations}}",
  },
};

/** The risk clause, with a type's statutory reminder (empty where the law says nothing special). */
export function riskClause(reminder: Bilingual): TemplateClause {
  return {
    id: "risk",
    heading: { zh: "风险责任的承担", en: "Assumption of risk" },
    body: {
      zh: `${reminder.zh}风险责任的承担：{{risk.allocation}}`,
      en: `${reminder.en}Risk is assumed as follows: {{risk.allocation}}`,
    },
  };
}

/** The ownership clause, with a type's statutory reminder. */
export function ownershipClause(reminder: Bilingual): TemplateClause {
  return {
    id: "ownership",
    heading: { zh: "技术成果的归属和收益的分配办法", en: "Ownership of results and sharing of benefits" },
    body: {
      zh: `${reminder.zh}（一）技术成果的归属：{{ownership.results}}\n（二）收益的分配办法：{{ownership.benefitSharing}}`,
      en: `${reminder.en}(1) Ownership of results: {{ownership.results}}\n(2) Sharing of benefits: {{ownership.benefitSharing}}`,
    },
  };
}

export const acceptanceClause: TemplateClause = {
  id: "acceptance",
  heading: { zh: "验收标准和方法", en: "Acceptance standard and method" },
  body: {
    zh: "（一）验收标准：{{acceptance.standard}}\n（二）验收方法：{{acceptance.method}}\n验收合格的，由接受方出具验收证明；接受方对交付提出异议的，按本合同约定的争议解决方式处理。",
    en: "(1) Standard: {{acceptance.standard}}\n(2) Method: {{acceptance.method}}\nOn acceptance the receiving party issues a certificate of acceptance; an objection to a delivery is settled as this contract provides for disputes.",
  },
};

/** The payment clause, with what the type calls the money. */
export function paymentClause(money: Bilingual): TemplateClause {
  return {
    id: "payment",
    heading: {
      zh: "价款、报酬或者使用费及其支付方式",
      en: "Price, remuneration or royalties and manner of payment",
    },
    body: {
      zh: `${money.zh}及其支付方式如下：\n{{payment.terms}}\n以上款项存入平台的资金监管账户，按资金监管节点锁定和释放；每一节点的金额和期限以本条为准。`,
      en: `The ${money.en} and its manner of payment are as follows:\n{{payment.terms}}\nThese amounts are deposited in the platform's escrow account and locked and released milestone by milestone; each milestone's amount and deadline are those of this clause.`,
    },
  };
}

export const breachClause: TemplateClause = {
  id: "breach",
  heading: { zh: "违约金或者损失赔偿的计算方法", en: "Damages for breach and how they are computed" },
  body: {
    zh: "（一）违约责任：{{breach.liability}}\n（二）损失赔偿额的计算方法：{{breach.computation}}\n（三）逾期付款违约金：{{breach.latePayment}}",
    en: "(1) Liability for breach: {{breach.liability}}\n(2) Computation of damages: {{breach.computation}}\n(3) Damages for late payment: {{breach.latePayment}}",
  },
};

export const disputesClause: TemplateClause = {
  id: "disputes",
  heading: { zh: "解决争议的方法", en: "Settlement of disputes" },
  body: {
    zh: "因本合同引起的或者与本合同有关的争议，双方应当协商解决，平台可以组织调解。自一方书面提出协商之日起{{disputes.negotiationDays}}日内协商不成的，{{disputes.resolution}}。",
    en: "A dispute arising from or relating to this contract is first negotiated by the parties, and the platform may organise mediation. If it is not settled within {{disputes.negotiationDays}} days of one party's written request to negotiate, {{disputes.resolution}}.",
  },
};

export const interpretationClause: TemplateClause = {
  id: "interpretation",
  heading: { zh: "名词和术语的解释", en: "Interpretation of terms" },
  body: {
    zh: "本合同中下列名词和术语的含义如下：\n{{interpretation.terms}}",
    en: "In this contract the following terms have these meanings:\n{{interpretation.terms}}",
  },
};

export const patentClause: TemplateClause = {
  id: "patent",
  heading: { zh: "专利的基本情况", en: "Particulars of the patent" },
  body: {
    zh: "本合同转让或者许可的权利：{{patent.right}}。\n（一）发明创造名称：{{patent.inventionName}}\n（二）专利申请人：{{patent.applicant}}\n（三）专利权人：{{patent.holder}}\n（四）申请日：{{patent.applicationDate}}\n（五）申请号：{{patent.applicationNumber}}\n（六）专利号：{{patent.patentNumber}}\n（七）授权公告日：{{patent.grantDate}}\n（八）专利权的有效期限至：{{patent.validUntil}}",
    en: "The right transferred or licensed by this contract: {{patent.right}}.\n(1) Title of the invention: {{patent.inventionName}}\n(2) Applicant: {{patent.applicant}}\n(3) Patentee: {{patent.holder}}\n(4) Filing date: {{patent.applicationDate}}\n(5) Application number: {{patent.applicationNumber}}\n(6) Patent number: {{patent.patentNumber}}\n(7) Date of grant: {{patent.grantDate}}\n(8) The patent is valid until: {{patent.validUntil}}",
  },
};

export const closing: Bilingual = {
  zh: "本合同以本文本为准，自双方以各自签名密钥对本文本的摘要（SHA-256）作出电子签名之日起生效；签名记录为本合同的存证。",
  en: "This text is the contract. It takes effect when both parties have signed the SHA-256 digest of this text with their own signing keys; the signatures are recorded as the contract's evidence.",
};
