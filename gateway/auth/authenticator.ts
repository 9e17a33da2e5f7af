import { GatewayError } from "../errors";
import type { SessionTokens } from "../identity/sessions";
import { activeKey } from "../identity/types";
import type { UserService } from "../identity/users";
import type { CredentialService } from "./credentials";
import type { Principal } from "./roles";

const refuse = (code: string, message: string) =>
  new GatewayError(401, code, message, { headers: { "WWW-Authenticate": 'Bearer realm="tech-transfer-ledger"' } });

/**
 * Turns a bearer token into the caller: a service credential (`ttl.…`) or a
 * person's session (`ses.…`). A session stands only while its user exists, is
 * not suspended, and still signs with the key it signed in with; roles are read
 * from the user on every request, so a revoked role stops working at once.
 */
export class Authenticator {
  constructor(
    private readonly credentials: CredentialService,
    private readonly sessions: SessionTokens,
    private readonly users: UserService,
  ) {}

  async authenticate(token: string): Promise<Principal> {
    if (token.startsWith("ttl.")) {
      const principal = await this.credentials.authenticate(token);
      if (!principal) throw refuse("INVALID_CREDENTIAL", "the credential is malformed, unknown or revoked");
      return principal;
    }
    const claims = this.sessions.verify(token);
    if (!claims)
      throw refuse("INVALID_CREDENTIAL", "the session token is malformed, altered or expired; sign in again");
    const user = await this.users.find(claims.sub);
    if (!user) throw refuse("INVALID_CREDENTIAL", "the session's account no longer exists");
    if (user.status === "suspended") {
      throw new GatewayError(
        403,
        "ACCOUNT_SUSPENDED",
        `the account is suspended${user.suspensionReason ? `: ${user.suspensionReason}` : ""}`,
      );
    }
    if (activeKey(user.signingKeys) !== claims.adr) {
      throw refuse("SESSION_STALE", "the account's signing key changed since this session began; sign in again");
    }
    return {
      kind: "user",
      id: user.id,
      address: claims.adr,
      roles: user.roles.map((grant) => grant.role),
      certified: user.status === "certified",
    };
  }
}
