import type { NotificationKind } from "../notifications/notificationKinds";
import type { z } from "zod";
import type {
  recordAnchorSchema,
  recordReceiptSchema,
  recordViewSchema,
  subjectChainSchema,
  escrowMilestoneViewSchema,
  escrowViewSchema,
  escrowMoveSchema,
  disputeViewSchema,
  dealWorkspaceSchema,
  dealMessageSchema,
  negotiationMinutesSchema,
  siteVisitSchema,
  dealEvaluationSchema,
  royaltyStatementSchema,
  dealContractSchema,
  dealContractVersionSchema,
  registrationRecordSchema,
} from "./schemas";

/**
 * The shapes the gateway's HTTP API answers with. The SDK does not depend on the
 * gateway's code; it is the other way round: evidence and escrow answers are
 * inferred from the zod schemas of ./schemas.ts, which the gateway's routes
 * declare as their response schemas. The others are still written here by hand.
 */

/**
 * Kinds of account (clause 6.2).
 *
 * @example
 * const type: AccountType = "enterprise";
 */
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** The account types: individual, enterprise, institute (university or research institute), service institution. */
export const ACCOUNT_TYPES = ["individual", "enterprise", "institute", "service"] as const;

/**
 * Where an account stands; only `certified` accounts publish or trade.
 *
 * @example
 * if (user.status === "rejected") console.log(user.certification?.decision?.reason);
 */
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** The account statuses. */
export const ACCOUNT_STATUSES = ["registered", "pending_review", "rejected", "certified", "suspended"] as const;

/**
 * Roles a person may hold (the SPEC's role table). Services hold `operator`
 * through a service credential, which is not granted through the API.
 *
 * @example
 * await client.grantRole({ userId, role: "reviewer" });
 */
export type UserRole = (typeof USER_ROLES)[number];

/** The roles a person may hold. */
export const USER_ROLES = [
  "supplier",
  "demander",
  "broker",
  "manager",
  "reviewer",
  "evaluator",
  "bank",
  "arbitrator",
  "arbitration_body",
  "auditor",
  "admin",
] as const;

/**
 * Real-name certification details, by kind of document. Individuals use a PRC
 * resident ID or a foreign passport; organisations a unified social credit code
 * or a foreign registration number.
 *
 * @example
 * const identity: Identity = { kind: "resident-id", name: "王芳", number: "11010519491231002X" };
 */
export type Identity =
  | { kind: "resident-id"; name: string; number: string }
  | { kind: "passport"; name: string; number: string; country: string }
  | { kind: "credit-code"; name: string; number: string; legalRepresentative: string }
  | { kind: "foreign-registration"; name: string; number: string; country: string; legalRepresentative: string };

/**
 * A file sent with a request: its name, media type and bytes (the SDK base64-encodes them).
 *
 * @example
 * const licence: FileInput = { name: "licence.pdf", mediaType: "application/pdf", bytes: await readFile("licence.pdf") };
 */
export interface FileInput {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

/**
 * The certification an account submitted and, once decided, the reviewer's decision.
 * Document numbers are masked for viewers who are not the owner, a reviewer or an admin.
 *
 * @example
 * const approved = user.certification?.decision?.approved === true;
 */
export interface Certification {
  identity: Identity;
  /** The licence document of an organisation, kept content-addressed. */
  licence?: { name: string; mediaType: string; size: number; sha256: string };
  submittedAt: string;
  /** The evidence record of the submission. */
  recordId: string;
  decision?: { approved: boolean; reason?: string; by: string; at: string; recordId: string };
}

/**
 * A key the user held and since when; retired keys carry `until`.
 *
 * @example
 * const retired = user.signingKeys.filter((key) => key.until);
 */
export interface HeldKey {
  value: string;
  since: string;
  until?: string;
}

/**
 * A role a user holds, who granted it and when.
 *
 * @example
 * const isReviewer = user.roles.some((grant) => grant.role === "reviewer");
 */
export interface RoleGrant {
  role: UserRole;
  certificateNumber?: string;
  grantedBy: string;
  grantedAt: string;
}

/**
 * What the gateway shows of an account (`gateway/identity/view.ts`).
 *
 * @example
 * const me: UserView = await client.getMe();
 * console.log(me.id, me.status, me.certified);
 */
export interface UserView {
  /** `usr_` and 24 hex digits. */
  id: string;
  type: AccountType;
  /** Names by language tag (`zh`, `en`, …). */
  names: Record<string, string>;
  status: AccountStatus;
  suspensionReason?: string;
  /** Whether `status` is `certified`. */
  certified: boolean;
  certification?: Certification;
  /** The address the account signs with now. */
  signingAddress?: string;
  /** The age recipient deliveries are encrypted to now. */
  encryptionRecipient?: string;
  signingKeys: HeldKey[];
  encryptionKeys: HeldKey[];
  roles: RoleGrant[];
  createdAt: string;
  updatedAt: string;
}

/**
 * A one-time sign-in challenge (in the spirit of EIP-4361) to be signed with `personal_sign`.
 *
 * @example
 * const { message } = await client.requestChallenge({ address });
 * const signature = await wallet.signMessage(message);
 */
export interface Challenge {
  message: string;
  nonce: string;
  expiresAt: string;
}

/**
 * A session as the gateway answers it: a bearer token, when it expires, and the account.
 *
 * @example
 * const { token, expiresAt, user } = await client.signIn({ signer });
 * const session: Session = { token, expiresAt, user };
 */
export interface Session {
  token: string;
  expiresAt: string;
  user: UserView;
}

/**
 * Where a batch of records was anchored on chain.
 *
 * @example
 * if (record.anchor) console.log(`block ${record.anchor.blockNumber}, tx ${record.anchor.transactionHash}`);
 */
export type RecordAnchor = z.infer<typeof recordAnchorSchema>;

/**
 * The gateway's acknowledgement of a recorded piece of evidence: durable, not yet anchored.
 *
 * @example
 * const receipt: RecordReceipt = await client.recordEvidence({ kind, subject, data });
 * console.log(receipt.id, receipt.seq);
 */
export type RecordReceipt = z.infer<typeof recordReceiptSchema>;

/**
 * A record's header, field names, commitment and, once anchored, where (never field values).
 *
 * @example
 * const record: RecordView = await client.getRecord({ id });
 * if (record.status === "anchored") console.log(record.anchor!.blockNumber);
 */
export type RecordView = z.infer<typeof recordViewSchema>;

/**
 * A subject's chain of records and whether it is whole.
 *
 * @example
 * const chain: SubjectChain = await client.getSubjectEvidence({ subject: `user:${userId}` });
 * if (!chain.intact) console.warn(chain.problems);
 */
export type SubjectChain = z.infer<typeof subjectChainSchema>;

/**
 * The gateway's health: chain, anchoring backlog, and the on-chain account registry.
 *
 * @example
 * const health: Health = await client.getHealth();
 * if (health.status === "degraded") console.warn(health.chain.error ?? health.anchoring.lastError);
 */
export interface Health {
  status: "ok" | "degraded";
  version: string;
  chain: {
    reachable: boolean;
    chainId: string;
    registry: string;
    blockNumber?: number;
    error?: string;
    /** Since when the chain has not answered, while it does not. */
    downSince?: string;
    /** Restarts of the local chain by `npm start`'s supervisor (0 on an external chain). */
    restarts: { count: number; lastAt?: string };
  };
  anchoring: {
    /** Records acknowledged but not yet anchored in a final block. */
    waiting: number;
    /** When a block counts as final on this chain. */
    finality: string;
    lastBatch?: { root: string; records: number; blockNumber: number; anchoredAt: string; ageSeconds: number };
    /** The last check of every anchored batch against the chain. */
    reconciliation: { lastAt?: string; batchesChecked: number };
    /** Batches the chain lost after they counted as anchored, anchored again since. */
    reanchored: { batches: number; records: number; since?: string; last?: string };
    /** Records in no batch and not waiting (tampering or a bug); the first ten ids. */
    orphaned: { records: number; ids: string[] };
    lastError?: { message: string; at: string };
    failingSince?: string;
  };
  accounts: {
    waiting: number;
    /** How many accounts differ between the chain's registry and the certification decisions. */
    mismatches: number;
    inSync: boolean;
    checkedAt?: string;
    lastError?: { message: string; at: string };
    failingSince?: string;
  };
}

/**
 * Which chain and registry the evidence is anchored in, and the gateway's public chain endpoint.
 *
 * @example
 * const { chainId, registry } = await client.getChainInfo();
 */
export interface ChainInfo {
  chainId: string;
  /** The EvidenceRegistry, the AccountRegistry and the DealEscrow. */
  registry: string;
  accounts: string;
  escrow: string;
  rpcUrl: string;
}

/**
 * A record that is anchored: its anchor is there.
 *
 * @example
 * const anchored: AnchoredRecordView = await client.waitForAnchor({ id });
 * console.log(anchored.anchor.transactionHash);
 */
export type AnchoredRecordView = RecordView & { status: "anchored"; anchor: RecordAnchor };

/** One milestone of an escrow, as the chain holds it (GET /v1/deals/:id/escrow). */
export type EscrowMilestoneView = z.infer<typeof escrowMilestoneViewSchema>;

type TypedData = {
  domain: Record<string, unknown>;
  types: Record<string, Array<{ name: string; type: string }>>;
  primaryType: string;
};

/** A deal's escrow (GET /v1/deals/:id/escrow). */
export type EscrowView = z.infer<typeof escrowViewSchema>;

/**
 * What a move or a trigger answers: its record and transaction (absent while a
 * cancellation waits for the other party, named in `waitingFor`), and the milestone.
 *
 * @example
 * const { milestone }: EscrowMove = await me.releaseLapsedMilestone({ dealId, milestone: 0 });
 */
export type EscrowMove = z.infer<typeof escrowMoveSchema>;

/** Text by language tag: the source language's original and any translations. */
export type LocalizedText = Record<string, string>;

/** A price in integer minor units of an ISO 4217 currency: fixed, a range, or negotiable. */
export type Price =
  | { amount: number; currency: string }
  | { min: number; max: number; currency: string }
  | { negotiable: true; currency: string };

/**
 * What a listing says (POST /v1/listings, PUT /v1/listings/:id): the public part
 * and, for those the owner grants, `details`. The gateway checks the whole shape
 * (clause 6.3.2); GET /v1/vocabularies lists the codes.
 *
 * @example
 * const content: ListingContent = { side: "demand", language: "en", title: { en: "Recycle PV panels" }, … };
 */
export type ListingContent = {
  side: "supply" | "demand";
  language: string;
  title: LocalizedText;
  summary: LocalizedText;
  field: string;
  industry?: string;
  ipc?: string[];
  keywords?: string[];
  modes: string[];
  region: string;
  details?: Record<string, string>;
} & Record<string, unknown>;

/** One version of a listing, with its review once reviewed. */
export interface ListingVersionView {
  version: number;
  content: ListingContent & { translated: string[]; attachments: Array<{ name: string; sha256: string }> };
  submittedAt: string;
  recordId: string;
  review?: { approved: boolean; reasons: string[]; note?: string; by: string; at: string; recordId: string };
}

/**
 * A listing as its owner and reviewers see it (the answer of publishing, editing,
 * reviewing and withdrawing). Others see the public part of the approved version.
 *
 * @example
 * const listing: ListingView = await me.createListing({ content });
 * console.log(listing.status); // "submitted"
 */
export interface ListingView {
  id: string;
  side: "supply" | "demand";
  ownerId: string;
  status: "submitted" | "approved" | "rejected" | "withdrawn";
  versions: ListingVersionView[];
  approvedVersion?: number;
  accessRequests: Array<{ id: string; userId: string; message?: string; requestedAt: string; grantedAt?: string }>;
  createdAt: string;
  updatedAt: string;
}

/**
 * A listing of the other side ranked for a listing, with the reasons for its score.
 *
 * @example
 * const [best]: MatchCandidate[] = (await me.findMatches({ listingId })).matches;
 */
export interface MatchCandidate {
  id: string;
  score: number;
  reasons: Array<{ factor: string; detail: string }>;
  [field: string]: unknown;
}

/**
 * A proposed pairing of a supply and a demand (6.4.1), online or recorded by a broker.
 *
 * @example
 * const match: MatchView = await me.proposeMatch({ supplyId, demandId });
 */
export interface MatchView {
  id: string;
  supplyId: string;
  demandId: string;
  supplierId: string;
  demanderId: string;
  origin: "online" | "broker";
  proposedBy: string;
  brokerId?: string;
  note?: string;
  score?: number;
  status: "proposed" | "confirmed" | "declined";
  answers: Partial<Record<"supplier" | "demander", { accepted: boolean; at: string; recordId: string }>>;
  dealId?: string;
  createdAt: string;
  recordId: string;
}

/**
 * A deal opened by a confirmed match or won in an auction or sealed bidding (6.4.2).
 *
 * @example
 * const { deals }: { deals: DealView[] } = await me.listDeals();
 */
export interface DealView {
  id: string;
  matchId?: string;
  tradeId?: string;
  price?: { amount: number; currency: string };
  supplyId: string;
  demandId?: string;
  supplierId: string;
  demanderId: string;
  brokerId?: string;
  /** The market's label of an open deal; where the deal stands is its workspace's `state` (docs/DEAL.md). */
  status: "negotiating";
  openedAt: string;
  recordId: string;
}

/**
 * A notification of the signed-in user's inbox (6.4.3).
 *
 * @example
 * const [latest]: InboxNotification[] = (await me.getInbox()).notifications;
 */
export interface InboxNotification {
  id: string;
  userId: string;
  /** What happened: one of `NOTIFICATION_KINDS` (docs/NOTIFICATIONS.md). */
  kind: NotificationKind;
  text: string;
  /** The API path of what it is about. */
  link: string;
  at: string;
  read?: boolean;
  /** The deal it concerns, for a deal's notifications. */
  dealId?: string;
  /** The escrow milestone it concerns. */
  milestone?: number;
  /** The deadline it announces or reminds of (ISO 8601). */
  deadline?: string;
  /** The evidence record it reports. */
  recordId?: string;
}

/**
 * An ascending auction (拍卖). Bidders appear by number to other people; the
 * seller and staff see who they are.
 *
 * @example
 * const auction: AuctionView = await seller.openAuction({ listingId, currency: "CNY", … });
 */
export interface AuctionView {
  id: string;
  listingId: string;
  sellerId: string;
  currency: string;
  startingPrice: number;
  reservePrice: number;
  minIncrement: number;
  endsAt: string;
  extensionSeconds: number;
  /** `bidderId` for the seller and staff; `bidder` ("you", "bidder 2") for everyone else. */
  bids: Array<{ amount: number; at: string; recordId: string; bidderId?: string; bidder?: string }>;
  status: "open" | "closed";
  outcome?: { winnerId?: string; amount?: number; reason: string; recordId: string; matchId?: string; dealId?: string };
  createdAt: string;
}

/**
 * A sealed bidding (竞价): commitments before the deadline, reveals after; anyone
 * recomputes its outcome with `sealedBiddingOutcome`.
 *
 * @example
 * const bidding: SealedBiddingView = await anyone.getSealedBidding({ biddingId });
 * sealedBiddingOutcome(bidding).winnerId === bidding.outcome?.winnerId;
 */
export interface SealedBiddingView {
  id: string;
  listingId: string;
  sellerId: string;
  currency: string;
  reservePrice: number;
  commitDeadline: string;
  revealDeadline: string;
  commitments: Array<{ bidderId: string; commitment: string; at: string; recordId: string }>;
  reveals: Array<{ bidderId: string; amount: number; salt: string; at: string; recordId: string }>;
  status: "committing" | "revealing" | "closed";
  outcome?: { winnerId?: string; amount?: number; reason: string; recordId: string; dealId?: string };
  createdAt: string;
}

/**
 * A milestone's dispute: its state, proposals, ruling and the records of its steps.
 *
 * @example
 * const { dispute }: { dispute: DisputeView } = await me.getDispute({ disputeId: `${dealId}.m0` });
 */
export type DisputeView = z.infer<typeof disputeViewSchema>;

/**
 * Escrow terms as proposed (POST /v1/deals/:id/terms), with the EIP-712 typed data each party signs.
 *
 * @example
 * const { terms, typedData }: ProposedTerms = await me.proposeEscrowTerms({ dealId, … });
 */
export interface ProposedTerms {
  terms: Record<string, unknown> & { dealId: string; version: number; signedBy?: string[] };
  typedData: TypedData & { message: Record<string, unknown> };
}

/**
 * The escrow call the bank makes with its own key after a report: the lock of a
 * deposit, or the confirmation or failure of an instruction.
 *
 * @example
 * const { attest }: { attest: EscrowCall } = await bank.reportDeposit({ … });
 * await escrow.getFunction(attest.function)(...attest.args);
 */
export interface EscrowCall {
  contract: string;
  function: "lockDeposit" | "confirmInstruction" | "reportInstructionFailed";
  args: Array<string | number>;
}

/** What the bank reports of an instruction, in ISO 20022 status words. */
export type BankStatus = "pending" | "accepted" | "settled" | "rejected";

/**
 * An instruction for the bank from the escrow's events: pay (release, refund,
 * split) or keep frozen while a dispute runs. A reissued payment is a new
 * instruction with the next attempt number.
 *
 * @example
 * const { instructions }: { instructions: BankInstruction[] } = await bank.listInstructions();
 */
export interface BankInstruction {
  id: string;
  dealId: string;
  milestone: number;
  attempt: number;
  kind: "release" | "refund" | "split" | "freeze";
  currency: string;
  /** Minor units to pay to the supplier and to return to the demander. */
  release: number;
  refund: number;
  supplierId: string;
  demanderId: string;
  issuedAt: string;
  issuedTx: string;
  bankStatus: BankStatus;
  bankRef?: string;
  /** ISO 20022 status reason code of a rejection (AC04, AM04…). */
  reason?: string;
  chainStatus: "issued" | "confirmed" | "failed" | "superseded";
  chainRef?: string;
  chainTx?: string;
  reports: Array<{ status: BankStatus; bankRef?: string; reason?: string; at: string; recordId: string }>;
  /** Bumped on every change; webhooks carry it so the bank can drop a stale one. */
  version: number;
  updatedAt: string;
}

/**
 * A deposit the bank reported for a milestone, and its lock on the escrow once made.
 *
 * @example
 * const { deposit }: { deposit: DepositReport } = await bank.getDeposit({ depositId });
 */
export interface DepositReport {
  id: string;
  dealId: string;
  milestone: number;
  currency: string;
  amount: number;
  bankRef: string;
  payer?: string;
  reportedAt: string;
  recordId: string;
  status: "reported" | "locked";
  lock?: { transactionHash: string; blockNumber: number; amount: number; excess: number };
}

/**
 * The daily reconciliation statement: every fund event of the escrow on `date`
 * with its transaction and the bank's report, each deal's balance beside the
 * chain's, and the breaks between them.
 *
 * @example
 * const statement: ReconciliationStatement = await bank.getReconciliation({ date: "2026-11-27" });
 * if (statement.breaks.length) alert(statement.breaks);
 */
export interface ReconciliationStatement {
  date: string;
  generatedAt: string;
  escrow: string;
  chainId: string;
  events: Array<{
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
    /** What the bank reported of the same money: the deposit's or the instruction's status. */
    bankReport?: { id: string; status: string; amount?: number; bankRef?: string };
  }>;
  balances: Array<{
    dealId: string;
    currency: string;
    deposited: number;
    released: number;
    refunded: number;
    locked: number;
    lockedOnChain: number;
  }>;
  breaks: Array<{ code: string; dealId: string; milestone?: number; detail: string }>;
}

/**
 * A deal's workspace: state, participants, threads and the moves so far (docs/DEAL.md).
 *
 * @example
 * const workspace: DealWorkspaceView = await me.getDealWorkspace({ dealId });
 */
export type DealWorkspaceView = z.infer<typeof dealWorkspaceSchema>;

/**
 * A message of a deal's negotiation (6.5).
 *
 * @example
 * const { messages }: { messages: DealMessageView[] } = await me.listDealMessages({ dealId });
 */
export type DealMessageView = z.infer<typeof dealMessageSchema>;

/**
 * Formal negotiation minutes and their signatures (6.5).
 *
 * @example
 * const minutes: NegotiationMinutesView = await me.signNegotiationMinutes({ dealId, minutesId, signer });
 */
export type NegotiationMinutesView = z.infer<typeof negotiationMinutesSchema>;

/**
 * A site visit's record (6.6).
 *
 * @example
 * const visit: SiteVisitView = await me.confirmSiteVisit({ dealId, visitId, confirmed: true });
 */
export type SiteVisitView = z.infer<typeof siteVisitSchema>;

/** An evaluation report of a deal with its recomputed value range (`GET /v1/deals/:id/evaluations`). */
export type DealEvaluationView = z.infer<typeof dealEvaluationSchema>;
export type RoyaltyStatementView = z.infer<typeof royaltyStatementSchema>;
/** A deal's technology contract: versions, signatures, typed data (`GET /v1/deals/:id/contract`). */
export type DealContractView = z.infer<typeof dealContractSchema>;
/** One contract version rendered (`GET /v1/deals/:id/contract/versions/:version`). */
export type DealContractVersionView = z.infer<typeof dealContractVersionSchema>;
/** A signed contract's registration data (`GET /v1/deals/:id/contract/registration`). */
export type ContractRegistrationView = z.infer<typeof registrationRecordSchema>;
