import type { RiskRuleName } from "./rules";

/** What an alert read to fire: the records and objects it rests on, and the facts it compared. */
export interface AlertEvidence {
  /** Ids of the evidence records the rule read (a bid, a key rotation, a listing's submission, …). */
  recordIds: string[];
  /** The objects concerned, by kind: `dealId`, `auctionId`, `listingId`, `address`, … */
  objects: Record<string, string>;
  /** The figures and identifiers compared, with the threshold in force. */
  facts: Record<string, string | number | boolean | string[]>;
}

export const ALERT_STATUSES = ["open", "accepted", "dismissed"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** One alert of the staff's queue. */
export interface RiskAlert {
  /** `ra_` and 16 hex digits. */
  id: string;
  rule: RiskRuleName;
  /** The accounts it is about. */
  userIds: string[];
  summary: string;
  evidence: AlertEvidence;
  /** What the platform did: let the step through and flag it, or refused it. */
  outcome: "flagged" | "refused";
  status: AlertStatus;
  raisedAt: string;
  /** The `risk.alert.raised` record. */
  recordId: string;
  decision?: { decision: "accept" | "dismiss"; reason: string; by: string; at: string; recordId: string };
}

/** A manager's approval of a large deal: its terms may then be proposed. */
export interface DealApproval {
  dealId: string;
  total: number;
  currency: string;
  by: string;
  reason: string;
  at: string;
  recordId: string;
}

export const BLACKLIST_KINDS = ["user", "credit-code"] as const;
export type BlacklistKind = (typeof BLACKLIST_KINDS)[number];

/** An entry of the blacklist, with who added (and removed) it and why. */
export interface BlacklistEntry {
  /** `bl_` and 16 hex digits. */
  id: string;
  kind: BlacklistKind;
  /** A user id, or an organisation's unified social credit code. */
  value: string;
  reason: string;
  addedBy: string;
  addedAt: string;
  recordId: string;
  removal?: { reason: string; by: string; at: string; recordId: string };
}

/** The bank account a party is paid to, as the party declared it (the number itself is not kept). */
export interface BankAccount {
  userId: string;
  bank: string;
  /** The last four digits, to recognise it by. */
  last4: string;
  /** SHA-256 of the number's digits: how accounts shared between parties are found. */
  digest: string;
  since: string;
  /** When the account before this one was replaced, if there was one. */
  replaced?: string;
  recordId: string;
}

/** Something that identifies who is behind an account, seen at sign-in or declared. */
export interface SeenIdentifier {
  userId: string;
  kind: "device" | "signingKey" | "bankAccount";
  value: string;
  firstSeen: string;
}

/** The near-duplicate detector's summary of a published listing. */
export interface ListingFingerprint {
  listingId: string;
  ownerId: string;
  signature: number[];
}

/** Subject of an alert's records. */
export const alertSubject = (alertId: string) => `risk-alert:${alertId}`;
/** Subject of a deal's approval. */
export const approvalSubject = (dealId: string) => `risk-approval:${dealId}`;
/** Subject of a blacklist entry's records. */
export const blacklistSubject = (entryId: string) => `risk-blacklist:${entryId}`;
/** Subject of a party's declarations to risk control (its bank account). */
export const partySubject = (userId: string) => `risk-party:${userId}`;
