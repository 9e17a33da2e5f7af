import type { DealView, ExchangeRates, InboxNotification, MatchView } from "tech-transfer-ledger/sdk";
/** Cooperation modes of clause 6.3.2 (and T/TMAC-002-2017). */
export const COOPERATION_MODES = [
  "transfer",
  "exclusive-licence",
  "sole-licence",
  "non-exclusive-licence",
  "joint-development",
  "consulting",
  "service",
  "equity",
] as const;
export type CooperationMode = (typeof COOPERATION_MODES)[number];

/** Kinds of technological result on offer. */
export const RESULT_KINDS = [
  "patent",
  "trade-secret",
  "software",
  "plant-variety",
  "integrated-circuit-layout",
  "know-how",
  "other",
] as const;

/** Kinds of intellectual property right held over a result. */
export const IP_KINDS = [
  "invention-patent",
  "utility-model",
  "design-patent",
  "software-copyright",
  "plant-variety-right",
  "layout-design",
  "trade-secret",
  "other",
] as const;

export const IP_STATUSES = ["filed", "granted", "expired", "invalidated", "transferred"] as const;

/** Why a reviewer rejects a listing (clause 6.3.3). */
export const REJECTION_REASONS = ["incomplete", "uncertified-owner", "duplicate", "forbidden-content"] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export type ListingSide = "supply" | "demand";
export type ListingStatus = "submitted" | "approved" | "rejected" | "withdrawn";

/** Text by language tag, with the source language's original and any translations. */
export type LocalizedText = Record<string, string>;

/** A price in integer minor units of an ISO 4217 currency: fixed, a range, or negotiable. */
export type Price =
  | { amount: number; currency: string }
  | { min: number; max: number; currency: string }
  | { negotiable: true; currency: string };

export interface IpRecord {
  number: string;
  kind: (typeof IP_KINDS)[number];
  status: (typeof IP_STATUSES)[number];
  owner: string;
  filingDate?: string;
  grantDate?: string;
  expiryDate?: string;
  /** Licences already granted, pledges, other encumbrances. */
  encumbrances?: string;
}

/** What every listing discloses publicly. */
interface Common {
  /** The source language; `title` and `summary` hold it and possibly translations. */
  language: string;
  title: LocalizedText;
  summary: LocalizedText;
  /** Languages of `title`/`summary` that are translations, not originals. */
  translated: string[];
  field: string;
  industry?: string;
  ipc: string[];
  keywords: string[];
  modes: CooperationMode[];
  /** ISO 3166-1 alpha-2 or 3166-2 code: `CN-53` (Yunnan), `TH`. */
  region: string;
  attachments: Array<{ name: string; sha256: string }>;
  /** Shown only to the owner, reviewers and counterparts the owner granted access (6.3.2). */
  details?: Record<string, string>;
}

export interface SupplyContent extends Common {
  side: "supply";
  problemSolved?: LocalizedText;
  advantages?: LocalizedText;
  applications?: LocalizedText;
  trl: number;
  resultKind: (typeof RESULT_KINDS)[number];
  ip: IpRecord[];
  price: Price;
}

export interface DemandContent extends Common {
  side: "demand";
  problem: LocalizedText;
  /** Quantified targets: "recovery rate ≥ 95%". */
  targets: string[];
  minTrl: number;
  budget: { min: number; max: number; currency: string };
  /** ISO date by which the need must be met. */
  deadline: string;
}

export type ListingContent = SupplyContent | DemandContent;

export interface ListingVersion {
  version: number;
  content: ListingContent;
  submittedAt: string;
  recordId: string;
  review?: { approved: boolean; reasons: RejectionReason[]; note?: string; by: string; at: string; recordId: string };
}

export interface AccessRequest {
  id: string;
  userId: string;
  message?: string;
  requestedAt: string;
  grantedAt?: string;
  recordId?: string;
}

export interface Listing {
  id: string;
  side: ListingSide;
  ownerId: string;
  status: ListingStatus;
  versions: ListingVersion[];
  /** The version the public sees: the latest approved one. */
  approvedVersion?: number;
  accessRequests: AccessRequest[];
  createdAt: string;
  updatedAt: string;
}

/** Subject of a listing's evidence records. */
export const listingSubject = (listingId: string) => `listing:${listingId}`;

/** The version the public sees, if any. */
export const publicVersion = (listing: Listing): ListingVersion | undefined =>
  listing.approvedVersion === undefined || listing.status === "withdrawn"
    ? undefined
    : listing.versions.find((v) => v.version === listing.approvedVersion);

/** A proposed pairing of a supply and a demand (6.4.1), online or recorded by a broker. */
export type MatchProposal = MatchView;

/** A deal opened by a confirmed match (6.4.2); negotiation, contract and escrow follow. */
export type Deal = DealView;

/** A search a user saved, to be told of new listings that fit (6.4.3). */
export interface SavedSearch {
  id: string;
  userId: string;
  q?: string;
  filters: SearchFilters;
  createdAt: string;
}

export const matchSubject = (matchId: string) => `match:${matchId}`;
export const dealSubject = (dealId: string) => `deal:${dealId}`;

/** An open ascending auction (拍卖) of a supply listing. */
export interface Auction {
  id: string;
  listingId: string;
  sellerId: string;
  currency: string;
  startingPrice: number;
  reservePrice: number;
  minIncrement: number;
  endsAt: string;
  /** A bid in the last `extensionSeconds` before the end pushes the end that far. */
  extensionSeconds: number;
  bids: Array<{ bidderId: string; amount: number; at: string; recordId: string }>;
  status: "open" | "closed";
  outcome?: { winnerId?: string; amount?: number; reason: string; recordId: string; matchId?: string; dealId?: string };
  createdAt: string;
}

/** A sealed bidding (竞价): commitments before the deadline, reveals after, best valid reveal wins. */
export interface SealedBidding {
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

export const tradeSubject = (id: string) => `trade:${id}`;

/**
 * The operator's exchange rates: on `date`, one unit of each currency is worth
 * `rates[currency]` units of `base` (major units: yuan, dollars, baht). The base
 * is worth 1 and need not be listed.
 */
export type ExchangeRateTable = ExchangeRates;

/** A catalogue import: the lines a manifest names, for one user, approved by a reviewer. */
export interface ImportBatch {
  id: string;
  asUser: string;
  /** importId → SHA-256 of the line's canonical JSON (RFC 8785). */
  manifest: Record<string, string>;
  approval?: { reviewerId: string; address: string; signature: string };
  recordId: string;
  createdAt: string;
}

/** An inbox entry (6.4.3): the SDK's shape, which the API answers. */
export type Notification = InboxNotification;

/** What a search is narrowed by (docs/MARKET.md). */
export interface SearchFilters {
  side?: ListingSide;
  /** A field code or its prefix: `energy` matches `energy.pv`. */
  field?: string;
  /** An IPC prefix: `H01M` or `H01M 10`. */
  ipc?: string;
  minTrl?: number;
  maxTrl?: number;
  /** With `currency`: supplies priced at most this, demands budgeting at least this. */
  maxPrice?: number;
  minBudget?: number;
  currency?: string;
  /** A region or its prefix: `CN` matches `CN-53`. */
  region?: string;
  mode?: string;
  language?: string;
}
