import { createHmac, timingSafeEqual } from "node:crypto";
import { SIGNED_REQUEST_HEADERS, signedContent } from "../../sdk";
import { GatewayError } from "../errors";
import type { Store } from "../store/store";
import type { CredentialService } from "./credentials";
import type { Principal, Role } from "./roles";

/** A signed request is accepted within this many seconds of its timestamp, either way. */
export const SIGNATURE_WINDOW_SECONDS = 300;

const refuse = (code: string, message: string) => new GatewayError(401, code, message);

/**
 * Requests signed by a service's signing key (the bank's, first): HMAC-SHA256
 * over `requestId.timestamp.METHOD path.body` (the SDK's `signRequest`). Refused
 * outside a five-minute window, with an unknown or revoked key, with a signature
 * that does not match, or with a request id already seen (a replay).
 */
export class SignedRequestVerifier {
  private checked = 0;

  constructor(
    private readonly credentials: CredentialService,
    private readonly store: Store,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** Whether the request claims to be signed (then it must be). */
  static isSigned(header: (name: string) => string): boolean {
    return header(SIGNED_REQUEST_HEADERS.signature) !== "";
  }

  async verify(request: {
    header: (name: string) => string;
    method: string;
    path: string;
    body: string;
  }): Promise<Principal> {
    const keyId = request.header(SIGNED_REQUEST_HEADERS.keyId);
    const requestId = request.header(SIGNED_REQUEST_HEADERS.requestId);
    const timestampText = request.header(SIGNED_REQUEST_HEADERS.timestamp);
    const signatures = request.header(SIGNED_REQUEST_HEADERS.signature);
    if (!keyId || !requestId || !timestampText || !signatures) {
      throw refuse(
        "SIGNATURE_HEADERS_MISSING",
        `a signed request carries ${Object.values(SIGNED_REQUEST_HEADERS).join(", ")}`,
      );
    }
    if (!/^[A-Za-z0-9_-]{8,100}$/.test(requestId))
      throw refuse("REQUEST_ID_INVALID", "the request id must be 8–100 letters, digits, _ or -");
    const timestamp = Number(timestampText);
    const now = Math.floor(this.clock() / 1000);
    if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > SIGNATURE_WINDOW_SECONDS) {
      throw refuse(
        "SIGNATURE_EXPIRED",
        `the timestamp is more than ${SIGNATURE_WINDOW_SECONDS} s from the gateway's clock`,
      );
    }
    const key = await this.credentials.signingKey(keyId);
    if (!key) throw refuse("SIGNING_KEY_UNKNOWN", "the signing key is unknown or revoked");
    const expected = createHmac("sha256", Buffer.from(key.hmacSecret!, "base64url"))
      .update(signedContent({ requestId, timestamp, method: request.method, path: request.path, body: request.body }))
      .digest();
    // Several signatures may be sent (space-separated), e.g. while keys rotate.
    const matches = signatures.split(" ").some((entry) => {
      const [version, value] = entry.split(",");
      if (version !== "v1" || !value) return false;
      const given = Buffer.from(value, "base64");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!matches) throw refuse("SIGNATURE_INVALID", "the signature does not match the request");
    const seenKey = `${keyId}:${requestId}`;
    if ((await this.store.seenRequests.get(seenKey)) !== undefined)
      throw refuse("REQUEST_REPLAYED", "this request id was already used");
    await this.store.write([{ type: "put", sublevel: this.store.seenRequests, key: seenKey, value: timestamp }], {
      sync: false,
    });
    // Pruning runs beside requests; if the store is closing meanwhile, the next run catches up.
    if (++this.checked % 1000 === 0) this.forgetOld(now).catch(() => undefined);
    return { kind: "service", id: key.keyId, label: key.label, roles: key.roles as Role[] };
  }

  /** Request ids older than the window can no longer be replayed: forget them. */
  private async forgetOld(now: number): Promise<void> {
    const stale: string[] = [];
    for await (const [key, timestamp] of this.store.seenRequests.iterator()) {
      if (now - timestamp > 2 * SIGNATURE_WINDOW_SECONDS) stale.push(key);
    }
    await this.store.write(
      stale.map((key) => ({ type: "del", sublevel: this.store.seenRequests, key })),
      { sync: false },
    );
  }
}
