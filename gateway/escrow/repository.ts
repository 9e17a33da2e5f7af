import type { Database } from "../store/database";
import type { EscrowCursor } from "../chain/escrow";
import type {
  DepositReport,
  Dispute,
  EscrowAgreement,
  FundEvent,
  Instruction,
  WebhookAttempt,
  WebhookEndpoint,
  WebhookMessage,
} from "./types";

/** The escrow's pause, as the watcher saw it begin. */
export interface EscrowPause {
  since: string;
  transactionHash: string;
}

/** A party's signature on a milestone's cancellation, waiting for the other party's. */
export type WaitingCancellation = Partial<Record<"supplier" | "demander", { signature: string; nonce: number }>>;

/** A delivery file the supplier streamed in, checked as age to the contract's recipients, before its `deliver` move. */
export interface DeliveryFile {
  dealId: string;
  milestone: number;
  name: string;
  mediaType: string;
  sha256: string;
  size: number;
  recipients: string[];
  uploadedBy: string;
  recordId: string;
}

/** The escrow's tables: agreements, instructions, deposits, fund events, disputes and the bank's webhooks. */
export class EscrowRepository {
  /** Escrow terms and on-chain deals, by platform deal id. */
  readonly escrows;
  /** On-chain deal id (bytes32) → platform deal id. */
  readonly chainDeals;
  readonly instructions;
  readonly deposits;
  /** Bank references already used → what they were used for: a reference is used once. */
  readonly bankRefs;
  /** The escrow's fund events by `block:logIndex` (zero-padded): the reconciliation's rows. */
  readonly fundEvents;
  readonly disputes;
  /** Webhooks to the bank by sequence number (an outbox). */
  readonly webhookOutbox;
  /** Every webhook delivery attempt, by `messageId:attempt`. */
  readonly webhookLog;
  readonly webhookEndpoint;
  /** `dealId:milestone` → the deposit reported and not yet attested on the escrow. */
  readonly waitingDeposits;
  /** `dealId:milestone` → the instruction the bank is to carry out now. */
  readonly currentInstructions;
  /** `dealId:milestone` → a cancellation signed by one party, waiting for the other. */
  readonly waitingCancellations;
  /** Transaction hash (lower case) → the record of the move the gateway sent in it, for its events' records. */
  readonly moveRecords;
  readonly cursor;
  readonly pause;
  /** The sequence number up to which webhooks were delivered, in order. */
  readonly webhooksDeliveredThrough;
  /** `dealId:milestone:sha256` → a delivery file streamed in for that milestone's `deliver` move. */
  readonly deliveryFiles;

  constructor(readonly database: Database) {
    this.escrows = database.table<EscrowAgreement>("escrows");
    this.chainDeals = database.table<string>("chain-deals", "utf8");
    this.instructions = database.table<Instruction>("instructions");
    this.deposits = database.table<DepositReport>("deposits");
    this.bankRefs = database.table<string>("bank-refs", "utf8");
    this.fundEvents = database.table<FundEvent>("fund-events");
    this.disputes = database.table<Dispute>("disputes");
    this.webhookOutbox = database.table<WebhookMessage>("webhook-outbox");
    this.webhookLog = database.table<WebhookAttempt>("webhook-log");
    this.webhookEndpoint = database.table<WebhookEndpoint>("webhook-endpoint");
    // Kept under the keys they had in the shared table, so an existing store reads back as it was.
    this.waitingDeposits = database.keyed<string>("deposit:");
    this.currentInstructions = database.keyed<string>("instruction:");
    this.waitingCancellations = database.keyed<WaitingCancellation>("cancel:");
    this.moveRecords = database.keyed<string>("escrow.move:");
    this.cursor = database.cell<EscrowCursor>("escrow.cursor");
    this.pause = database.cell<EscrowPause>("escrow.paused");
    this.webhooksDeliveredThrough = database.cell<number>("webhooks.delivered-through");
    this.deliveryFiles = database.table<DeliveryFile>("delivery-files");
  }
}

/** Key of a milestone's entry in the per-milestone families. */
export const milestoneKey = (dealId: string, milestone: number) => `${dealId}:${milestone}`;
