import { USER_ROLES, type UserRole } from "tech-transfer-ledger/sdk";

/**
 * Roles of the SPEC's role table, held by people (users), and `operator`, held
 * by the platform's own services through a service credential (the one created
 * at first start among them): they write evidence, read it all, and administer
 * roles until the first admin exists. One user may hold several roles.
 */
export { USER_ROLES, type UserRole };

export const ROLES = [...USER_ROLES, "operator"] as const;
export type Role = (typeof ROLES)[number];

/** Roles that need the holder's professional certificate number (broker 技术经纪人, manager 技术经理人). */
export const ROLES_WITH_CERTIFICATE = ["broker", "manager"] as const satisfies readonly UserRole[];

/** Who is calling: a platform service, or a person signed in with their key. */
export type Principal =
  | { kind: "service"; id: string; label: string; roles: Role[] }
  | { kind: "user"; id: string; address: string; roles: Role[]; certified: boolean };

/**
 * Which callers a route admits. Every route states one; nothing is open by omission.
 * - `public`: anyone, without a credential;
 * - `roles`: callers holding one of them;
 * - `owner`: also the user the route is about (e.g. `/v1/users/:id` for user :id);
 * - `anyUser`: also any signed-in user (the route then limits what they see).
 */
export type Access =
  | { public: true }
  | {
      roles: readonly Role[];
      owner?: (params: Record<string, string>) => string | undefined;
      anyUser?: boolean;
    };

/** The names of who may call a route, for the API description and refusals. */
export function describeAccess(access: Access): string[] {
  if ("public" in access) return ["public"];
  return [...access.roles, ...(access.owner ? ["owner"] : []), ...(access.anyUser ? ["any signed-in user"] : [])];
}
