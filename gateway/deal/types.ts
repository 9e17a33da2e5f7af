import type {
  ContractFieldChange,
  ContractFields,
  ContractLanguage,
  ContractType,
  EvaluationReport,
  FileDescriptor,
  DealMessageView,
  DealWorkspaceView,
  NegotiationMinutesView,
  SiteVisitView,
} from "tech-transfer-ledger/sdk";

/** A deal's workspace as stored: the SDK's view less what depends on who asks (`roles`, `moves`). */
export type DealWorkspace = Omit<DealWorkspaceView, "roles" | "moves">;

/** A message of a deal's negotiation (6.5): the SDK's shape, which the API answers. */
export type DealMessage = DealMessageView;

/** Formal negotiation minutes with the parties' signatures (6.5). */
export type NegotiationMinutes = NegotiationMinutesView;

/** A site visit (6.6). */
export type SiteVisit = SiteVisitView;

/** A party's request that the broker organise a formal negotiation session (6.5). */
export interface SessionRequest {
  id: string;
  dealId: string;
  requestedBy: string;
  agenda: string[];
  proposedTimes: string[];
  note?: string;
  at: string;
  recordId: string;
}

/** The kinds of evaluation the standard lists (6.6). */
export const EVALUATION_KINDS = ["process", "benefit", "value", "patent", "financing"] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];

/** Who is a party, the deal's broker or manager, or an evaluator engaged for it. */
export type DealRole = "supplier" | "demander" | "broker" | "manager" | "evaluator";

/** The first thread of every deal. */
export const MAIN_THREAD = "thr_main";

/** An evaluation report an engaged evaluator submitted (6.6), with the value range the gateway recomputed. */
export interface DealEvaluation {
  id: string;
  dealId: string;
  kind: EvaluationKind;
  report: EvaluationReport;
  /** For a valuation: the method, and value, low and high in integer minor units, as recomputed. */
  range?: { method: string; currency: string; value: number; low: number; high: number };
  files: FileDescriptor[];
  submittedBy: string;
  at: string;
  recordId: string;
}

/** One version of a deal's technology contract: its fields and what changed since the one before. */
export interface ContractVersion {
  version: number;
  language: ContractLanguage;
  fields: ContractFields;
  /** SHA-256 of the rendered text (the SDK's `contractDigest`). */
  contractDigest: string;
  changes: ContractFieldChange[];
  by: string;
  at: string;
  recordId: string;
}

export interface ContractSignature {
  signer: string;
  signature: string;
  at: string;
  recordId: string;
}

/** A deal's technology contract (6.7): its versions, the parties' signatures of the last, and once signed, what. */
export interface DealContract {
  dealId: string;
  contractType: ContractType;
  status: "drafting" | "signed";
  versions: ContractVersion[];
  /** Signatures of the last version; a new version starts them again. */
  signatures: { supplier?: ContractSignature; demander?: ContractSignature };
  signed?: {
    version: number;
    contractDigest: string;
    price: { amount: number; currency: string };
    at: string;
    recordId: string;
  };
}

/** A licensee's royalty statement for one period under a royalty contract (Civil Code art. 846). */
export interface RoyaltyStatement {
  dealId: string;
  /** The period reported, as calendar dates (inclusive). */
  period: { from: string; to: string };
  currency: string;
  base: "sales" | "profit";
  /** The period's sales or profit, in minor units. */
  baseAmount: number;
  rate: string;
  /** Due for the period, in minor units: the SDK's `royaltyDue`. */
  royalty: number;
  working: string;
  /** When payment is due: the period's end plus the contract's `payWithinDays`. */
  dueBy: string;
  note?: string;
  reportedBy: string;
  at: string;
  recordId: string;
}
