import type { Access, Principal, Role } from "./roles";

/**
 * Who may read what, in one place. Routes admit callers by these lists and
 * services widen what a caller sees by them, so a role that gains or loses
 * a reading right changes here and nowhere else.
 *
 * A user who holds none of these roles still reads what they take part in
 * (their account, listings, matches, deals, trades): the services check that
 * against the record itself.
 */

/** Roles that oversee the platform: they read every deal, escrow, dispute and match. */
export const OVERSEERS = ["operator", "auditor", "admin"] as const satisfies readonly Role[];

/** Roles that read every listing, match, auction and account: review, and the overseers. */
export const STAFF_READERS = ["reviewer", ...OVERSEERS] as const satisfies readonly Role[];

/**
 * Roles that see an account's document numbers in full (clause 6.2 review and
 * administration). Auditors are left out on purpose: they read accounts masked.
 */
export const IDENTITY_READERS = ["reviewer", "admin", "operator"] as const satisfies readonly Role[];

/** Roles that read every evidence record; anyone else reads only the records of what they take part in. */
export const EVIDENCE_READERS = ["operator", "auditor"] as const satisfies readonly Role[];

/** Roles that read the bank's side of escrow: deposits, instructions, their status. */
export const BANK_READERS = ["bank", ...OVERSEERS] as const satisfies readonly Role[];

/** Roles that administer accounts and service keys (the operator until the first admin exists). */
export const ADMINISTRATORS = ["admin", "operator"] as const satisfies readonly Role[];

/**
 * Whether `principal` holds at least one of `roles`.
 *
 * @example
 * if (holdsAny(viewer, OVERSEERS)) return deal;
 */
export function holdsAny(principal: Principal | undefined, roles: readonly Role[]): boolean {
  return principal !== undefined && roles.some((role) => principal.roles.includes(role));
}

/**
 * The route access of each kind of read: the roles above, and for most also any
 * signed-in user, whom the handler then limits to what they take part in.
 */
export const readAccess = {
  /** Evidence records, certificates, subject chains. */
  evidence: { roles: EVIDENCE_READERS, anyUser: true },
  /** Deals, their escrow and disputes. */
  deals: { roles: OVERSEERS, anyUser: true },
  /** Deposits and instructions. */
  bank: { roles: BANK_READERS },
  /** The account directory. */
  users: { roles: STAFF_READERS },
  /** One account: its owner, and staff. */
  user: { roles: STAFF_READERS, owner: (params: Record<string, string>) => params.id },
} as const satisfies Record<string, Access>;
