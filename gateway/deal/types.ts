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
  DealStep,
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

/** What a self-evaluation or a third-party evaluation says (6.10): what went well, what did not, scores 1–5. */
export interface EvaluationOfDeal {
  wentWell: string[];
  wentBadly: string[];
  /** `overall` always; `communication`, `timeliness`, `quality` when given. */
  scores: { overall: number; communication?: number; timeliness?: number; quality?: number };
  comment?: string;
}

/** What the deal's broker or manager says of the service (6.10), with the time per step computed from the moves. */
export interface ServiceSummaryOfDeal {
  work: string[];
  outcome: "completed" | "partly_completed" | "not_completed" | "cancelled";
  outcomeNote?: string;
  steps: DealStep[];
}

/** A part of a deal's summary (6.10), as stored: who wrote it, as what, and its record. */
export type DealSummaryPart = { dealId: string; by: string; at: string; recordId: string } & (
  | ({ type: "self-evaluation"; as: "supplier" | "demander" } & EvaluationOfDeal)
  | ({ type: "third-party-evaluation"; as: "evaluator" } & EvaluationOfDeal)
  | ({ type: "service-summary"; as: "broker" | "manager" } & ServiceSummaryOfDeal)
);

/** A deal's archive as kept (6.10): built once its records up to the archive move are anchored, kept for the retention period. */
export interface StoredArchive {
  dealId: string;
  /** The archive move's record time, and the end of the retention period counted from it. */
  archivedAt: string;
  retainUntil: string;
  /** The file (JSON text) and its SHA-256; absent once purged. */
  body?: string;
  sha256: string;
  records: number;
  documents: number;
  builtAt: string;
  recordId: string;
  purged?: { at: string; by: string; recordId: string };
}
