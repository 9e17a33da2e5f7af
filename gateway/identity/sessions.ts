import { createHmac, timingSafeEqual } from "node:crypto";

export interface SessionClaims {
  /** User id. */
  sub: string;
  /** The signing address the user signed in with. */
  adr: string;
  /** Issued at and expiry, seconds since the epoch. */
  iat: number;
  exp: number;
}

const PREFIX = "ses.";

/**
 * Short-lived session tokens: `ses.<claims>.<HMAC-SHA256>`, base64url. Checking
 * one costs an HMAC and no store read, which keeps signed-in requests nearly as
 * cheap as anonymous ones; what can change under a session (suspension, a
 * rotated key, roles) is checked against the user on every request.
 */
export class SessionTokens {
  constructor(
    private readonly key: Buffer,
    readonly ttlSeconds: number,
  ) {
    if (key.length < 32) throw new Error("the session key must be at least 32 bytes");
  }

  issue(userId: string, address: string, now = Date.now()): { token: string; expiresAt: string } {
    const iat = Math.floor(now / 1000);
    const claims: SessionClaims = { sub: userId, adr: address, iat, exp: iat + this.ttlSeconds };
    const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
    return { token: `${PREFIX}${body}.${this.mac(body)}`, expiresAt: new Date(claims.exp * 1000).toISOString() };
  }

  /** The claims of a genuine, unexpired token; undefined otherwise. */
  verify(token: string, now = Date.now()): SessionClaims | undefined {
    if (!token.startsWith(PREFIX)) return undefined;
    const [body, mac, extra] = token.slice(PREFIX.length).split(".");
    if (!body || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(body), "base64url");
    const given = Buffer.from(mac, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as SessionClaims;
      return claims.exp * 1000 > now ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  static isSessionToken(token: string): boolean {
    return token.startsWith(PREFIX);
  }

  private mac(body: string): string {
    return createHmac("sha256", this.key).update(body).digest("base64url");
  }
}
