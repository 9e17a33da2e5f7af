import { Level } from "level";
import type { SealedRecord, EvidenceCertificate } from "tech-transfer-ledger/sdk";
import type { User } from "../identity/types";
import type { Auction, Deal, Listing, MatchProposal, SavedSearch, SealedBidding } from "../market/types";
import type { Notification } from "../market/notifications";
import type {
  DepositReport,
  Dispute,
  EscrowAgreement,
  FundEvent,
  Instruction,
  WebhookAttempt,
  WebhookEndpoint,
  WebhookMessage,
} from "../escrow/types";

/** Where a record sits in an anchored batch. */
export interface Placement {
  root: string;
  index: number;
}

/** A queued record waiting for a batch. */
export interface QueueEntry {
  id: string;
  commitment: string;
  /** Epoch milliseconds when the record was acknowledged. */
  at: number;
}

export type Anchor = EvidenceCertificate["anchor"];

/**
 * A batch of records under one Merkle root. It is written, with the records it
 * takes off the queue, in one atomic write before any transaction is sent, so
 * the same root is sent again after a crash and the registry's refusal of a
 * duplicate root makes anchoring happen once.
 */
export interface BatchEntry {
  root: string;
  ids: string[];
  commitments: string[];
  /**
   * `prepared`: waiting to be sent or mined; `mined`: in a block that is not final
   * yet (records placed, no certificate); `anchored`: final, certificates issued.
   */
  status: "prepared" | "mined" | "anchored";
  preparedAt: number;
  transactionHash?: string;
  anchor?: Anchor;
  /** Anchors the chain lost after this batch counted as anchored, and when each loss was found. */
  lostAnchors?: Array<Anchor & { detectedAt: string }>;
  /** Local clock (epoch ms) when the block was found mined, and when it was final; for latency figures. */
  minedAtMs?: number;
  anchoredAtMs?: number;
  /** Position in anchoring order, set when anchored. */
  order?: number;
}

/** A service credential (operator, bank, internal job); only a hash of its secret is kept. */
export interface CredentialEntry {
  keyId: string;
  label: string;
  roles: string[];
  /** Bearer credentials: only the hash of the secret is kept. */
  secretSha256?: string;
  /**
   * Signing keys (HMAC-SHA256 over each request): the gateway must know the secret
   * to check signatures, as the bank must to make them; it is never shown again.
   */
  hmacSecret?: string;
  createdAt: string;
  revokedAt?: string;
}

/** What an idempotent write answered the first time, kept to answer its retries. */
export interface IdempotencyEntry {
  bodySha256: string;
  /** The request the key was used for; absent in entries kept before keys were scoped to one. */
  method?: string;
  path?: string;
  state: "in-flight" | "done";
  response?: { status: number; body: unknown; headers?: Record<string, string> };
  at: number;
}

/** A change to the on-chain account registry that the gateway owes the chain. */
export interface AccountOperation {
  op: "certify" | "revoke";
  address: string;
  userId: string;
  /** The user record that caused it. */
  recordId: string;
}

/** Zero-padded decimal, so that Level's byte order is numeric order. */
export function pad(value: number, width = 16): string {
  return value.toString().padStart(width, "0");
}

/** Key of a subject's record in the subject index: subject, NUL, padded sequence. */
export function subjectKey(subject: string, seq: number): string {
  return `${subject}\x00${pad(seq, 10)}`;
}

/**
 * The gateway's working store: one Level database on disk with a sublevel per
 * kind of entry. The chain is the witness; this is where the records live.
 */
export class Store {
  readonly db: Level<string, unknown>;
  readonly records;
  readonly queue;
  readonly subjects;
  readonly placements;
  readonly batches;
  readonly anchoredOrder;
  /** Batches prepared and not yet anchored, in the order they were prepared. */
  readonly inflight;
  readonly credentials;
  /** Answers of idempotent writes by caller and Idempotency-Key. */
  readonly idempotency;
  readonly users;
  /** Every signing address ever held (lower case) → user id: an address never changes hands. */
  readonly addresses;
  /** Hash of a certified identity (document kind, country, number) → user id: one account per person or organisation. */
  readonly identities;
  /** Changes to make to the on-chain account registry, in order (an outbox). */
  readonly accountOps;
  readonly listings;
  readonly matches;
  /** `supplyId:demandId` → the live (not declined) match of that pair. */
  readonly matchPairs;
  readonly deals;
  /** Inbox entries by user: `userId NUL time id`. */
  readonly notifications;
  readonly savedSearches;
  readonly auctions;
  readonly biddings;
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
  readonly meta;

  constructor(readonly location: string) {
    this.db = new Level<string, unknown>(location, { valueEncoding: "json" });
    this.records = this.db.sublevel<string, SealedRecord>("records", { valueEncoding: "json" });
    this.queue = this.db.sublevel<string, QueueEntry>("queue", { valueEncoding: "json" });
    this.subjects = this.db.sublevel<string, string>("subjects", { valueEncoding: "utf8" });
    this.placements = this.db.sublevel<string, Placement>("placements", { valueEncoding: "json" });
    this.batches = this.db.sublevel<string, BatchEntry>("batches", { valueEncoding: "json" });
    this.anchoredOrder = this.db.sublevel<string, string>("anchored", { valueEncoding: "utf8" });
    this.inflight = this.db.sublevel<string, string>("inflight", { valueEncoding: "utf8" });
    this.credentials = this.db.sublevel<string, CredentialEntry>("credentials", { valueEncoding: "json" });
    this.idempotency = this.db.sublevel<string, IdempotencyEntry>("idempotency", { valueEncoding: "json" });
    this.users = this.db.sublevel<string, User>("users", { valueEncoding: "json" });
    this.addresses = this.db.sublevel<string, string>("addresses", { valueEncoding: "utf8" });
    this.identities = this.db.sublevel<string, string>("identities", { valueEncoding: "utf8" });
    this.accountOps = this.db.sublevel<string, AccountOperation>("account-ops", { valueEncoding: "json" });
    this.listings = this.db.sublevel<string, Listing>("listings", { valueEncoding: "json" });
    this.matches = this.db.sublevel<string, MatchProposal>("matches", { valueEncoding: "json" });
    this.matchPairs = this.db.sublevel<string, string>("match-pairs", { valueEncoding: "utf8" });
    this.deals = this.db.sublevel<string, Deal>("deals", { valueEncoding: "json" });
    this.notifications = this.db.sublevel<string, Notification>("notifications", { valueEncoding: "json" });
    this.savedSearches = this.db.sublevel<string, SavedSearch>("saved-searches", { valueEncoding: "json" });
    this.auctions = this.db.sublevel<string, Auction>("auctions", { valueEncoding: "json" });
    this.biddings = this.db.sublevel<string, SealedBidding>("biddings", { valueEncoding: "json" });
    this.escrows = this.db.sublevel<string, EscrowAgreement>("escrows", { valueEncoding: "json" });
    this.chainDeals = this.db.sublevel<string, string>("chain-deals", { valueEncoding: "utf8" });
    this.instructions = this.db.sublevel<string, Instruction>("instructions", { valueEncoding: "json" });
    this.deposits = this.db.sublevel<string, DepositReport>("deposits", { valueEncoding: "json" });
    this.bankRefs = this.db.sublevel<string, string>("bank-refs", { valueEncoding: "utf8" });
    this.fundEvents = this.db.sublevel<string, FundEvent>("fund-events", { valueEncoding: "json" });
    this.disputes = this.db.sublevel<string, Dispute>("disputes", { valueEncoding: "json" });
    this.webhookOutbox = this.db.sublevel<string, WebhookMessage>("webhook-outbox", { valueEncoding: "json" });
    this.webhookLog = this.db.sublevel<string, WebhookAttempt>("webhook-log", { valueEncoding: "json" });
    this.webhookEndpoint = this.db.sublevel<string, WebhookEndpoint>("webhook-endpoint", { valueEncoding: "json" });
    this.meta = this.db.sublevel<string, unknown>("meta", { valueEncoding: "json" });
  }

  async open(): Promise<void> {
    await this.db.open();
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /**
   * Applies `operations` atomically; with `sync` the call returns only once they
   * are on disk (fsync), which is what "acknowledged" means here.
   */
  async write(operations: BatchOperation[], { sync = true }: { sync?: boolean } = {}): Promise<void> {
    await this.db.batch(operations as never, { sync });
  }

  /** The last key of a sublevel in key order, or undefined when it is empty. */
  async lastKey(sublevel: {
    keys(options: { reverse: boolean; limit: number }): AsyncIterable<string>;
  }): Promise<string | undefined> {
    for await (const key of sublevel.keys({ reverse: true, limit: 1 })) return key;
    return undefined;
  }
}

/**
 * Opens the store at `location`.
 *
 * @example
 * const store = await openStore(path.join(dataDir, "store"));
 */
export async function openStore(location: string): Promise<Store> {
  const store = new Store(location);
  await store.open();
  return store;
}

/** One write of an atomic multi-sublevel batch (`store.write`). */
export type BatchOperation =
  { type: "put"; sublevel: unknown; key: string; value: unknown } | { type: "del"; sublevel: unknown; key: string };
