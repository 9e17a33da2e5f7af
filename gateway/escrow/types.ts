import type { BankInstruction, BankStatus, DepositReport as SdkDepositReport } from "tech-transfer-ledger/sdk";
/**
 * What the gateway keeps about escrowed deals (docs/ESCROW.md). The escrow
 * contract is the authority on where each milestone stands; these are the
 * gateway's working copies: the terms the parties are signing, the chain's fund
 * events as it ingested them, the instructions for the bank with what the bank
 * reported of them, and the disputes it organises.
 */

/** The `DealTerms` message both parties sign, with integers as decimal strings (JSON has no bigint). */
export interface TermsMessage {
  dealId: string;
  supplier: string;
  demander: string;
  arbitrator: string;
  contractDigest: string;
  currency: string;
  amounts: string[];
  deadlines: string[];
  inspectionPeriod: number;
  gracePeriod: number;
  maxChangeRounds: number;
  rulingPeriod: number;
  appealWindow: number;
}

export interface PartySignature {
  signature: string;
  address: string;
  at: string;
  recordId: string;
}

/** A deal's escrow: the terms being signed, then the deal on chain. */
export interface EscrowAgreement {
  dealId: string;
  /** The deal's id on chain: keccak256 of the platform's deal id. */
  chainDealId: string;
  /** Counts proposals; a new proposal drops the signatures of the last. */
  version: number;
  supplierId: string;
  demanderId: string;
  arbitratorId: string;
  currency: string;
  total: number;
  milestones: Array<{ title: string; amount: number; deliverBy: string }>;
  contract: { name: string; sha256: string };
  /**
   * Whether deliveries are encrypted to the arbitrator as well as to the demander
   * (the contract says so). Absent in terms proposed before it existed: no.
   */
  deliverToArbitrator?: boolean;
  message: TermsMessage;
  /** The EIP-712 digest of `message`: what each party signs. */
  termsDigest: string;
  proposedBy: string;
  proposedAt: string;
  recordId: string;
  signatures: Partial<Record<"supplier" | "demander", PartySignature>>;
  status: "proposed" | "signed" | "created";
  creation?: { transactionHash: string; blockNumber: number; at: string; recordId: string };
  /**
   * The arbitrator's signing address once the arbitration body replaced the one the
   * terms name (`message.arbitrator` stays as signed); `arbitratorId` is then the new one's.
   */
  arbitratorAddress?: string;
  /** The arbitration body's replacements of the arbitrator, in order (docs/ESCROW.md). */
  arbitratorReplacements?: ArbitratorReplacement[];
}

/** One replacement of a deal's arbitrator by the arbitration body, as the gateway relayed it. */
export interface ArbitratorReplacement {
  milestone: number;
  previousId: string;
  previous: string;
  nextId: string;
  next: string;
  /** The arbitration body's user who signed it. */
  byId: string;
  at: string;
  recordId: string;
  transactionHash: string;
}

export type InstructionKind = "release" | "refund" | "split" | "freeze";
export type { BankStatus };

/**
 * An instruction for the bank, from the escrow's events: pay (release, refund,
 * split) or keep frozen while a dispute runs (freeze). Each attempt of a payment
 * is its own instruction (a reissued one gets the next attempt number).
 */
export type Instruction = BankInstruction;

/** A deposit the bank reported, and the lock the chain shows for it. */
export type DepositReport = SdkDepositReport;

/** One fund event of the escrow, as ingested from the chain (the reconciliation's rows). */
export interface FundEvent {
  event:
    | "DepositLocked"
    | "InstructionIssued"
    | "InstructionFailed"
    | "InstructionReissued"
    | "MilestoneReleased"
    | "MilestoneRefunded"
    | "MilestoneSplit";
  dealId: string;
  milestone: number;
  currency: string;
  /** Minor units locked (DepositLocked), released and refunded (confirmations). */
  locked: number;
  released: number;
  refunded: number;
  excess: number;
  bankRef?: string;
  reason?: string;
  transactionHash: string;
  blockNumber: number;
  logIndex: number;
  blockTime: string;
  recordId: string;
}

/**
 * A dispute over one milestone (one at most: a disputed milestone ends settled,
 * ruled or cancelled). Its id is `<dealId>.m<milestone>`.
 */
export interface Dispute {
  id: string;
  dealId: string;
  milestone: number;
  openedBy: string;
  openedAt: string;
  reasonDigest: string;
  arbitratorId: string;
  status: "open" | "settled" | "arbitration" | "ruled" | "appealed" | "final" | "cancelled";
  proposal?: { by: string; release: number; refund: number; at: string };
  settlement?: { release: number; refund: number; at: string };
  rulingDeadline?: string;
  ruling?: { release: number; refund: number; digest: string; at: string; appealEnds?: number; final: boolean };
  appeal?: { by: string; groundsDigest: string; at: string };
  /** The arbitration body's replacements of the arbitrator (signing addresses; the deadline on the escrow clock). */
  arbitratorReplacements?: Array<{ previous: string; next: string; by: string; rulingDeadline: number; at: string }>;
  /** Ids of the records of its steps on the deal's subject, in order. */
  recordIds: string[];
  updatedAt: string;
}

/** A webhook to the bank waiting for delivery, or delivered. */
export interface WebhookMessage {
  id: string;
  /** Increases with every message: lets the bank order what arrives out of order. */
  sequence: number;
  type: "instruction.issued" | "instruction.updated" | "deposit.locked";
  payload: Record<string, unknown>;
  createdAt: string;
  attempts: number;
  nextAttemptAt: number;
  deliveredAt?: string;
}

/** One delivery attempt, for the delivery log. */
export interface WebhookAttempt {
  messageId: string;
  attempt: number;
  at: string;
  url: string;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface WebhookEndpoint {
  url: string;
  secret: string;
  createdAt: string;
}

export const disputeIdOf = (dealId: string, milestone: number) => `${dealId}.m${milestone}`;
/** The subject of a deal's records: the escrow's records are the deal's. */
export { dealSubject as escrowSubject } from "../market/types";
export const instructionId = (dealId: string, milestone: number, attempt: number, kind: InstructionKind) =>
  `${dealId}.m${milestone}.${kind}.${attempt}`;
