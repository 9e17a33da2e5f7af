import type { UserRole } from "../auth/roles";

/** Kinds of account of clause 6.2. */
export const ACCOUNT_TYPES = ["individual", "enterprise", "institute", "service"] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/**
 * Where an account stands. Only `certified` accounts publish or trade.
 * - `registered`: signed up, no certification submitted yet;
 * - `pending_review`: certification details submitted (or changed), waiting for a reviewer;
 * - `rejected`: a reviewer refused them, with a reason; the user may correct and resubmit;
 * - `certified`: a reviewer approved them;
 * - `suspended`: an admin suspended the account (whatever it was before).
 */
export type AccountStatus = "registered" | "pending_review" | "rejected" | "certified" | "suspended";

/** Real-name certification details, by kind of document. */
export type Identity =
  | { kind: "resident-id"; name: string; number: string }
  | { kind: "passport"; name: string; number: string; country: string }
  | { kind: "credit-code"; name: string; number: string; legalRepresentative: string }
  | { kind: "foreign-registration"; name: string; number: string; country: string; legalRepresentative: string };

export interface Certification {
  identity: Identity;
  /** The licence document of an organisation, kept content-addressed. */
  licence?: { name: string; mediaType: string; size: number; sha256: string };
  submittedAt: string;
  /** The evidence record of the submission. */
  recordId: string;
  decision?: { approved: boolean; reason?: string; by: string; at: string; recordId: string };
}

/** A key the user held, and since when; retired keys stay, so what they signed stays attributable. */
export interface HeldKey {
  value: string;
  since: string;
  until?: string;
}

export interface RoleGrant {
  role: UserRole;
  certificateNumber?: string;
  grantedBy: string;
  grantedAt: string;
}

export interface User {
  id: string;
  type: AccountType;
  /** Names by language tag (`zh`, `en`, …); at least one. */
  names: Record<string, string>;
  status: AccountStatus;
  /** The status to return to when a suspension is lifted. */
  statusBeforeSuspension?: AccountStatus;
  suspensionReason?: string;
  certification?: Certification;
  signingKeys: HeldKey[];
  encryptionKeys: HeldKey[];
  roles: RoleGrant[];
  createdAt: string;
  updatedAt: string;
}

/** The key a user signs with now. */
export const activeKey = (keys: HeldKey[]): string | undefined => keys.find((key) => !key.until)?.value;

/** Subject of a user's evidence records. */
export const userSubject = (userId: string) => `user:${userId}`;
