import { contractText, parseContractFields } from "./renderContract";
import type { ContractFields } from "./contractFields";
import { CONTRACT_TYPE_NAMES } from "./contractTypes";
import { formatMinorUnits } from "./decimal";

/**
 * The data of the technology contract registration (技术合同认定登记) the regulator asks for:
 * the contract's type, the parties, the amount and the technical field. Amounts are integer minor
 * units (`amount`) and the same in major units (`amountText`).
 */
export interface RegistrationRecord {
  contractType: ContractFields["type"];
  contractTypeName: string;
  projectName: string;
  technicalField: string;
  supplierName: string;
  supplierCreditCode: string;
  demanderName: string;
  demanderCreditCode: string;
  currency: string;
  paymentMode: ContractFields["payment"]["mode"];
  /** The contract amount: the total; for royalties the upfront fee plus the estimated royalties. */
  amount: number;
  amountText: string;
  royaltyRate: string;
  patentNumber: string;
  contractDigest: string;
  signedAt: string;
}

/** The CSV columns, in order: the header line of a registration export. */
export const REGISTRATION_CSV_COLUMNS = [
  "contractType",
  "contractTypeName",
  "projectName",
  "technicalField",
  "supplierName",
  "supplierCreditCode",
  "demanderName",
  "demanderCreditCode",
  "currency",
  "paymentMode",
  "amount",
  "amountText",
  "royaltyRate",
  "patentNumber",
  "contractDigest",
  "signedAt",
] as const satisfies ReadonlyArray<keyof RegistrationRecord>;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The registration data of a contract (Chinese names where the parties wrote both, as the
 * registration is in Chinese), as an object for JSON and as one CSV line (no line break) in the
 * order of {@link REGISTRATION_CSV_COLUMNS}. `contractDigest` and `signedAt` come from the signed
 * contract; empty until then.
 *
 * @example
 * const { json, csv } = registrationRecord(fields, { contractDigest, signedAt: "2026-03-01T08:00:00Z" });
 * writeFileSync("registration.csv", `${REGISTRATION_CSV_COLUMNS.join(",")}\n${csv}\n`);
 */
export function registrationRecord(
  fields: unknown,
  signed: { contractDigest?: string; signedAt?: string } = {},
): { json: RegistrationRecord; csv: string } {
  const type = (fields as { type?: unknown })?.type;
  const parsed = parseContractFields(type as ContractFields["type"], fields) as ContractFields;
  const payment = parsed.payment;
  const amount = payment.mode === "royalty" ? payment.upfrontFee + (payment.estimatedRoyalties ?? 0) : payment.total;
  const json: RegistrationRecord = {
    contractType: parsed.type,
    contractTypeName: CONTRACT_TYPE_NAMES[parsed.type].zh,
    projectName: contractText(parsed.projectName, "zh"),
    technicalField: parsed.technicalField,
    supplierName: contractText(parsed.parties.supplier.name, "zh"),
    supplierCreditCode: parsed.parties.supplier.creditCode ?? "",
    demanderName: contractText(parsed.parties.demander.name, "zh"),
    demanderCreditCode: parsed.parties.demander.creditCode ?? "",
    currency: payment.currency,
    paymentMode: payment.mode,
    amount,
    amountText: formatMinorUnits(amount),
    royaltyRate: payment.mode === "royalty" ? payment.rate : "",
    patentNumber:
      (parsed.type === "transfer" || parsed.type === "licence") && parsed.patent
        ? (parsed.patent.patentNumber ?? parsed.patent.applicationNumber)
        : "",
    contractDigest: signed.contractDigest ?? "",
    signedAt: signed.signedAt ?? "",
  };
  return { json, csv: REGISTRATION_CSV_COLUMNS.map((column) => csvField(json[column])).join(",") };
}
