/**
 * Roles a caller may hold. `operator` is the platform's own services (and the
 * operator credential created at first start): they write evidence and read it
 * all. The people's roles of the SPEC's role table join this list as the
 * services that need them are built.
 */
export const ROLES = ["operator"] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a service credential for now. */
export interface Principal {
  kind: "service";
  id: string;
  label: string;
  roles: Role[];
}

/** Which callers a route admits. Every route states one; nothing is open by omission. */
export type Access = { public: true } | { roles: readonly Role[] };
