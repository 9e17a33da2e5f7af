import { BEARER_CHALLENGE, unauthorized, forbidden } from "../errors";
import type { SessionClaims, SessionTokens } from "../identity/sessions";
import type { User } from "../identity/types";
import { activeKey } from "../identity/types";
import type { UserService } from "../identity/users";
import type { CredentialService } from "./credentials";
import type { Principal } from "./roles";

const refuse = (code: string, message: string) => unauthorized(code, message, BEARER_CHALLENGE);

/**
 * Turns a bearer token into the caller: a service credential (`ttl.…`) or a
 * person's session (`ses.…`). A session stands only while its user exists, is
 * not suspended, and still signs with the key it signed in with; roles are read
 * from the user on every request, so a revoked role stops working at once.
 */
export class Authenticator {
  // Sessions already checked, by token: a repeated token costs a map lookup, not an
  // HMAC and a parse. Bounded; the oldest entries go first.
  private readonly verified = new Map<string, SessionClaims>();
  // The principal built for a user object; user objects are replaced on every
  // change, so a changed user (roles, status, keys) is never served stale.
  private readonly principals = new WeakMap<User, Principal>();

  constructor(
    private readonly credentials: CredentialService,
    private readonly sessions: SessionTokens,
    private readonly users: UserService,
    private readonly maxCachedSessions = 50_000,
  ) {}

  async authenticate(token: string): Promise<Principal> {
    if (token.startsWith("ttl.")) {
      const principal = await this.credentials.authenticate(token);
      if (!principal) throw refuse("INVALID_CREDENTIAL", "the credential is malformed, unknown or revoked");
      return principal;
    }
    const claims = this.claimsOf(token);
    const user = this.users.cached(claims.sub) ?? (await this.users.find(claims.sub));
    if (!user) throw refuse("INVALID_CREDENTIAL", "the session's account no longer exists");
    let principal = this.principals.get(user);
    if (!principal) {
      principal = {
        kind: "user",
        id: user.id,
        address: activeKey(user.signingKeys)!,
        roles: user.roles.map((grant) => grant.role),
        certified: user.status === "certified",
      };
      this.principals.set(user, principal);
    }
    if (user.status === "suspended") {
      throw forbidden(
        "ACCOUNT_SUSPENDED",
        `the account is suspended${user.suspensionReason ? `: ${user.suspensionReason}` : ""}`,
      );
    }
    if (principal.kind !== "user" || principal.address !== claims.adr) {
      throw refuse("SESSION_STALE", "the account's signing key changed since this session began; sign in again");
    }
    return principal;
  }

  private claimsOf(token: string): SessionClaims {
    const now = Date.now();
    let claims = this.verified.get(token);
    if (!claims) {
      claims = this.sessions.verify(token, now);
      if (!claims)
        throw refuse("INVALID_CREDENTIAL", "the session token is malformed, altered or expired; sign in again");
      if (this.verified.size >= this.maxCachedSessions) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, claims);
    }
    if (claims.exp * 1000 <= now) {
      this.verified.delete(token);
      throw refuse("INVALID_CREDENTIAL", "the session token is malformed, altered or expired; sign in again");
    }
    return claims;
  }
}
