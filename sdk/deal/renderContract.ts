import { InvalidArgumentError } from "../errors";
import { fileDigest } from "../evidence/fileDigest";
import {
  CONSULTING_KIND_NAMES,
  CONTRACT_LANGUAGES,
  CONTRACT_TYPES,
  DEVELOPMENT_KIND_NAMES,
  LICENCE_KIND_NAMES,
  TECHNOLOGY_RIGHT_NAMES,
  type ContractLanguage,
  type ContractType,
} from "./contractTypes";
import {
  CONTRACT_FIELD_SCHEMAS,
  type ContractFields,
  type ContractFieldsOf,
  type ContractText,
  type Payment,
} from "./contractFields";
import { formatDecimal, formatMinorUnitsGrouped, multiplyDecimals, parseDecimal } from "./decimal";
import { CONTRACT_TEMPLATES, type ContractTemplate } from "./templates";

/** A rendered contract: plain text (what the parties sign the digest of) and the same as HTML. */
export interface RenderedContract {
  text: string;
  html: string;
}

/**
 * Checks `fields` against the type's schema and returns them parsed; throws
 * {@link InvalidArgumentError} listing every problem.
 *
 * @example
 * const fields = parseContractFields("licence", body.fields);
 */
export function parseContractFields<T extends ContractType>(type: T, fields: unknown): ContractFieldsOf<T> {
  if (!CONTRACT_TYPES.includes(type)) {
    throw new InvalidArgumentError(`type must be one of ${CONTRACT_TYPES.join(", ")}`, {
      details: `got ${JSON.stringify(type)}`,
    });
  }
  const parsed = CONTRACT_FIELD_SCHEMAS[type].safeParse(fields);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${["fields", ...issue.path].join(".")}: ${issue.message}`);
    throw new InvalidArgumentError(`the ${type} contract's fields are incomplete or wrong: ${problems[0]}`, {
      details: problems.join("; "),
    });
  }
  return parsed.data as ContractFieldsOf<T>;
}

const NOT_STATED = { zh: "未约定", en: "not stated" };
const NOT_APPLICABLE = { zh: "不适用", en: "not applicable" };

/** The text of a field in `language`, falling back to the other language where the parties wrote one only. */
export function contractText(text: ContractText, language: ContractLanguage): string {
  if (typeof text === "string") return text;
  return (language === "zh" ? (text.zh ?? text.en) : (text.en ?? text.zh))!;
}

function isContractText(value: unknown): value is ContractText {
  if (typeof value === "string") return true;
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key === "zh" || key === "en");
}

/** Every leaf of the fields as text, under its dotted path (`performance.place`). */
function flatten(value: unknown, language: ContractLanguage, path: string, into: Map<string, string>) {
  if (value === undefined) return;
  if (isContractText(value)) into.set(path, contractText(value, language));
  else if (typeof value === "number" || typeof value === "boolean") into.set(path, String(value));
  else if (Array.isArray(value)) value.forEach((item, index) => flatten(item, language, `${path}.${index}`, into));
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) flatten(child, language, path ? `${path}.${key}` : key, into);
  }
}

/** Money as the contract writes it: `人民币 1,234.56 元`, `CNY 1,234.56`. */
export function contractMoney(minor: number, currency: string, language: ContractLanguage): string {
  const amount = formatMinorUnitsGrouped(minor);
  if (language === "zh") return currency === "CNY" ? `人民币${amount}元` : `${currency} ${amount}`;
  return `${currency} ${amount}`;
}

function percent(rate: string): string {
  return `${formatDecimal(multiplyDecimals(parseDecimal(rate), { units: 100n, scale: 0 }))}%`;
}

const PERIOD_NAMES = {
  monthly: { zh: "月", en: "month" },
  quarterly: { zh: "季度", en: "quarter" },
  yearly: { zh: "年度", en: "year" },
};

/** The payment clause's terms (art. 846), one line per instalment. */
function paymentTerms(payment: Payment, language: ContractLanguage): string {
  const money = (minor: number) => contractMoney(minor, payment.currency, language);
  const zh = language === "zh";
  if (payment.mode === "lumpSum") {
    return zh
      ? `一次总算、一次总付：合同总价款为${money(payment.total)}，支付条件：${contractText(payment.condition, language)}；相应交付的期限为${payment.deliverBy}。`
      : `Lump sum, paid at once: the total price is ${money(payment.total)}, payable on this condition: ${contractText(payment.condition, language)}; the delivery it pays is due by ${payment.deliverBy}.`;
  }
  if (payment.mode === "instalments") {
    const lines = payment.instalments.map((instalment, index) =>
      zh
        ? `第${index + 1}期（${contractText(instalment.title, language)}）：${money(instalment.amount)}，支付条件：${contractText(instalment.condition, language)}；相应交付的期限为${instalment.deliverBy}。`
        : `Instalment ${index + 1} (${contractText(instalment.title, language)}): ${money(instalment.amount)}, payable on this condition: ${contractText(instalment.condition, language)}; the delivery it pays is due by ${instalment.deliverBy}.`,
    );
    const lead = zh
      ? `一次总算、分期支付：合同总价款为${money(payment.total)}，分${payment.instalments.length}期支付，每期为一个资金监管节点：`
      : `Lump sum, paid in ${payment.instalments.length} instalments, each an escrow milestone; the total price is ${money(payment.total)}:`;
    return [lead, ...lines].join("\n");
  }
  const base = payment.base === "sales" ? { zh: "产品销售额", en: "sales" } : { zh: "利润", en: "profit" };
  const period = PERIOD_NAMES[payment.reportingPeriod];
  const upfront =
    payment.upfrontFee > 0
      ? zh
        ? `入门费${money(payment.upfrontFee)}，相应交付的期限为${payment.upfrontDeliverBy}；`
        : `an upfront fee of ${money(payment.upfrontFee)}, the delivery it pays due by ${payment.upfrontDeliverBy}; `
      : zh
        ? "不收取入门费；"
        : "no upfront fee; ";
  return zh
    ? `提成支付附加预付入门费：${upfront}提成以${base.zh}为基数，提成比例为${percent(payment.rate)}，按${period.zh}结算，付款方于每一${period.zh}结束后${payment.payWithinDays}日内提交提成报告并支付提成；提成报告作为存证记录。`
    : `Royalties with an upfront fee: ${upfront}royalties of ${percent(payment.rate)} of ${base.en}, settled each ${period.en}; within ${payment.payWithinDays} days of the end of each ${period.en} the paying party submits a royalty statement and pays; each statement is recorded as evidence.`;
}

/** The kind of a type that comes in kinds (development), which picks the template's role names and kind texts. */
function kindOf(fields: ContractFields): string | undefined {
  return fields.type === "development" ? fields.development.kind : undefined;
}

/** Every placeholder's text: the fields' own leaves, then what the renderer words from them. */
function placeholderValues(
  fields: ContractFields,
  language: ContractLanguage,
  template: ContractTemplate,
): Map<string, string> {
  const values = new Map<string, string>();
  flatten(fields, language, "", values);
  const pick = (text: { zh: string; en: string }) => text[language];

  const kind = kindOf(fields);
  const variant = kind === undefined ? undefined : template.kinds?.[kind];
  const roles = variant?.roles ?? template.roles;
  values.set("role.supplier", pick(roles.supplier));
  values.set("role.demander", pick(roles.demander));
  for (const [name, text] of Object.entries(variant?.texts ?? {})) values.set(`kind.${name}`, pick(text));

  values.set("payment.terms", paymentTerms(fields.payment, language));
  const forum = contractText(fields.disputes.forum, language);
  values.set(
    "disputes.resolution",
    fields.disputes.resolution === "arbitration"
      ? language === "zh"
        ? `任何一方可以提交${forum}，按照其届时有效的仲裁规则仲裁，仲裁裁决是终局的`
        : `either party may refer it to ${forum} for arbitration under its rules then in force, and the award is final`
      : language === "zh"
        ? `任何一方可以向${forum}提起诉讼`
        : `either party may bring proceedings before ${forum}`,
  );
  values.set(
    "interpretation.terms",
    fields.interpretation.terms.length === 0
      ? language === "zh"
        ? "（无）本合同所用名词和术语按其通常含义理解。"
        : "(none) Terms in this contract have their ordinary meaning."
      : fields.interpretation.terms
          .map(({ term, meaning }, index) =>
            language === "zh"
              ? `${index + 1}. “${contractText(term, language)}”：${contractText(meaning, language)}`
              : `${index + 1}. "${contractText(term, language)}": ${contractText(meaning, language)}`,
          )
          .join("\n"),
  );
  const late = fields.breach.latePaymentRatePerDay;
  values.set(
    "breach.latePayment",
    late === undefined
      ? pick(NOT_STATED)
      : language === "zh"
        ? `每逾期一日，按逾期金额的${percent(late)}计付`
        : `${percent(late)} of the overdue amount for each day late`,
  );
  if (fields.type === "development")
    values.set("development.kind", pick(DEVELOPMENT_KIND_NAMES[fields.development.kind]));
  if (fields.type === "consulting") values.set("consulting.kind", pick(CONSULTING_KIND_NAMES[fields.consulting.kind]));
  if (fields.type === "transfer" || fields.type === "licence") {
    values.set("patent.right", pick(TECHNOLOGY_RIGHT_NAMES[fields.right]));
    if (fields.right === "technicalSecret" && !fields.patent) {
      for (const key of [
        "inventionName",
        "applicant",
        "holder",
        "applicationDate",
        "applicationNumber",
        "patentNumber",
        "grantDate",
        "validUntil",
      ]) {
        values.set(`patent.${key}`, pick(NOT_APPLICABLE));
      }
    }
  }
  if (fields.type === "licence") {
    values.set("licence.kind", pick(LICENCE_KIND_NAMES[fields.licence.kind]));
    values.set(
      "licence.sublicensing",
      fields.licence.sublicensing
        ? language === "zh"
          ? "可以，须经许可人书面同意"
          : "yes, with the licensor's written consent"
        : language === "zh"
          ? "不可以"
          : "no",
    );
  }
  return values;
}

/** Placeholders that may stay unfilled: optional particulars, shown as "not stated". */
const OPTIONAL_PLACEHOLDERS =
  /^(parties\.(supplier|demander)\.(creditCode|address|representative)|performance\.territory|patent\.(holder|patentNumber|grantDate))$/;

function fill(template: string, values: Map<string, string>, language: ContractLanguage): string {
  return template.replace(/\{\{([a-zA-Z0-9.]+)\}\}/g, (_, path: string) => {
    const value = values.get(path);
    if (value !== undefined) return value;
    if (OPTIONAL_PLACEHOLDERS.test(path)) return NOT_STATED[language];
    throw new InvalidArgumentError(`the template needs the field ${path}, which the contract's fields lack`);
  });
}

const ZH_DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (clause numbers up to 99). */
function chineseNumber(n: number): string {
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  if (tens === 0) return ZH_DIGITS[ones];
  return `${tens === 1 ? "" : ZH_DIGITS[tens]}十${ones ? ZH_DIGITS[ones] : ""}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * Renders a contract from its type's template and the parties' fields, in Chinese or English:
 * the same inputs give the same bytes (no clock, no locale: text joined with `\n`, NFC), so
 * either party, the gateway or a court re-renders the text whose digest was signed. The HTML is
 * the same text, escaped, for display; the digest is of `text`.
 *
 * @example
 * const { text, html } = renderContract("licence", "zh", fields);
 * const digest = contractDigest(text);
 */
export function renderContract(type: ContractType, language: ContractLanguage, fields: unknown): RenderedContract {
  if (!CONTRACT_LANGUAGES.includes(language)) {
    throw new InvalidArgumentError(`language must be one of ${CONTRACT_LANGUAGES.join(", ")}`, {
      details: `got ${JSON.stringify(language)}`,
    });
  }
  const parsed = parseContractFields(type, fields) as ContractFields;
  const template = CONTRACT_TEMPLATES[type];
  const values = placeholderValues(parsed, language, template);
  const render = (text: string) => fill(text, values, language).normalize("NFC");

  const title = render(template.title[language]);
  const preamble = render(template.preamble[language]);
  const clauses = template.clauses.map((clause, index) => ({
    heading:
      language === "zh"
        ? `第${chineseNumber(index + 1)}条　${render(clause.heading.zh)}`
        : `Article ${index + 1}. ${render(clause.heading.en)}`,
    body: render(clause.body[language]),
  }));
  const closing = render(template.closing[language]);
  const footer =
    language === "zh" ? `模板：${type} 第${template.version}版` : `Template: ${type}, version ${template.version}`;

  const text =
    [title, preamble, ...clauses.map((clause) => `${clause.heading}\n${clause.body}`), closing, footer].join("\n\n") +
    "\n";
  const paragraphs = (body: string) =>
    body
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join("\n");
  const html = [
    "<!DOCTYPE html>",
    `<html lang="${language === "zh" ? "zh-CN" : "en"}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    "<body>",
    `<h1>${escapeHtml(title)}</h1>`,
    `<section class="preamble">\n${paragraphs(preamble)}\n</section>`,
    ...clauses.map(
      (clause, index) =>
        `<section class="clause" data-clause="${template.clauses[index].id}">\n<h2>${escapeHtml(clause.heading)}</h2>\n${paragraphs(clause.body)}\n</section>`,
    ),
    `<section class="closing">\n${paragraphs(closing)}\n<p class="template">${escapeHtml(footer)}</p>\n</section>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
  return { text, html };
}

/**
 * The digest of a contract's text: SHA-256 of its UTF-8 bytes, 0x-prefixed hex. It is the
 * `contractDigest` the escrow terms carry: the gateway takes the digest of the contract file
 * stored with the terms (`fileDigest`), so the rendered text stored as that file gives this digest.
 *
 * @example
 * contractDigest(renderContract("licence", "zh", fields).text) // '0x…'
 */
export function contractDigest(text: string): string {
  if (typeof text !== "string") throw new InvalidArgumentError("the contract text must be a string");
  return fileDigest(new TextEncoder().encode(text));
}
