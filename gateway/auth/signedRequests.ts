import { createHmac, timingSafeEqual } from "node:crypto";
import { SIGNED_REQUEST_HEADERS, signedContent } from "tech-transfer-ledger/sdk";
import { unauthorized } from "../errors";
import type { GroupCommit } from "../store/groupCommit";
import type { AuthRepository } from "./repository";
import type { CredentialService } from "./credentials";
import type { Principal, Role } from "./roles";

/** A signed request is accepted within this many seconds of its timestamp, either way. */
export const SIGNATURE_WINDOW_SECONDS = 300;

/** How far past an accepted timestamp the durable bound is raised at a time, in seconds. */
export const ACCEPTED_UNTIL_STEP_SECONDS = 2;

/**
 * Requests signed by a service's signing key (the bank's, first): HMAC-SHA256
 * over `requestId.timestamp.METHOD path.body` (the SDK's `signRequest`). Refused
 * outside a five-minute window, with an unknown or revoked key, with a signature
 * that does not match, or with a request id already seen (a replay).
 *
 * Request ids seen within the window are kept in memory, not written per
 * request: a write per request, even unsynced, queues behind the evidence
 * records' fsyncs and halved the bank's throughput. They are saved when the
 * gateway stops and read back when it starts.
 *
 * After a crash they are lost, so the gateway then refuses every timestamp it
 * may have accepted before: a replay of such a request could not be told from
 * the original. That is not only what was signed before the restart: a request
 * may be signed up to the window ahead of the clock. So the gateway keeps, on
 * disk, a bound above every timestamp it ever accepted (`accepted-until`),
 * raised in steps of {@link ACCEPTED_UNTIL_STEP_SECONDS} and written (fsync)
 * before a request above the old bound is accepted: one write per step under
 * steady traffic. After a crash it refuses timestamps up to that bound (and
 * before the restart); a client signs again with a timestamp past it, which the
 * window always allows.
 */
export class SignedRequestVerifier {
  private readonly seen = new Map<string, number>();
  /** Requests signed before this (seconds) are refused: their ids may have been seen before a crash. */
  private signedNotBefore = 0;
  /** No timestamp above this (seconds) was ever accepted; it is on disk. */
  private acceptedUntil = 0;
  /** The write raising {@link acceptedUntil}, when one is on its way. */
  private raising: Promise<void> | undefined;

  constructor(
    private readonly credentials: CredentialService,
    private readonly tables: AuthRepository,
    private readonly clock: () => number = () => Date.now(),
    /**
     * Where the bound's raise is written: the store's group commit, so it shares
     * the records' fsync instead of holding up requests with one of its own.
     */
    private readonly commits: Pick<GroupCommit, "write"> = { write: (ops) => tables.database.write(ops) },
  ) {}

  /** Reads back the request ids saved at the last clean stop; after a crash, sets the cut-off instead. */
  async init(): Promise<void> {
    const snapshot = await this.tables.seenSignatures.get();
    this.acceptedUntil = (await this.tables.acceptedUntil.get()) ?? 0;
    if (snapshot) {
      for (const [key, timestamp] of snapshot) this.seen.set(key, timestamp);
      // Consumed: if the gateway crashes from here on, the snapshot is stale.
      await this.tables.database.write([this.tables.seenSignatures.del()]);
    } else {
      // A crash: what was seen is lost, and a request may have been signed ahead of the clock.
      this.signedNotBefore = Math.max(Math.floor(this.clock() / 1000), this.acceptedUntil + 1);
    }
  }

  /** The earliest timestamp accepted now (seconds): after a crash, past everything accepted before it. */
  get notBefore(): number {
    return this.signedNotBefore;
  }

  /** Saves the request ids still inside the window, for the next start. */
  async close(): Promise<void> {
    this.forgetOld(Math.floor(this.clock() / 1000));
    await this.tables.database.write([this.tables.seenSignatures.put([...this.seen])]);
  }

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
      throw unauthorized(
        "SIGNATURE_HEADERS_MISSING",
        `a signed request carries ${Object.values(SIGNED_REQUEST_HEADERS).join(", ")}`,
      );
    }
    if (!/^[A-Za-z0-9_-]{8,100}$/.test(requestId))
      throw unauthorized("REQUEST_ID_INVALID", "the request id must be 8–100 letters, digits, _ or -");
    const timestamp = Number(timestampText);
    const now = Math.floor(this.clock() / 1000);
    // After a crash, the first timestamp accepted may lie just past the window: it is always allowed.
    const latest = Math.max(now + SIGNATURE_WINDOW_SECONDS, this.signedNotBefore);
    if (!Number.isInteger(timestamp) || timestamp < now - SIGNATURE_WINDOW_SECONDS || timestamp > latest) {
      throw unauthorized(
        "SIGNATURE_EXPIRED",
        `the timestamp is more than ${SIGNATURE_WINDOW_SECONDS} s from the gateway's clock`,
      );
    }
    if (timestamp < this.signedNotBefore) {
      throw unauthorized(
        "SIGNED_BEFORE_RESTART",
        "the gateway restarted after a failure and cannot tell this request from a replay; " +
          `sign it again with a timestamp of at least ${this.signedNotBefore}`,
      );
    }
    const key = await this.credentials.signingKey(keyId);
    if (!key) throw unauthorized("SIGNING_KEY_UNKNOWN", "the signing key is unknown or revoked");
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
    if (!matches) throw unauthorized("SIGNATURE_INVALID", "the signature does not match the request");
    const seenKey = `${keyId}:${requestId}`;
    if (this.seen.has(seenKey)) throw unauthorized("REQUEST_REPLAYED", "this request id was already used");
    this.seen.set(seenKey, timestamp);
    await this.coverTimestamp(timestamp, now);
    if (this.seen.size % 1000 === 0) this.forgetOld(now);
    return { kind: "service", id: key.keyId, label: key.label, roles: key.roles as Role[] };
  }

  /** Makes sure the durable bound lies at or above `timestamp` before the request is accepted. */
  private async coverTimestamp(timestamp: number, now: number): Promise<void> {
    while (timestamp > this.acceptedUntil) {
      if (!this.raising) {
        // A step ahead saves writes, but never past the window, so that after a crash a client can sign past it.
        const bound = Math.max(
          timestamp,
          Math.min(timestamp + ACCEPTED_UNTIL_STEP_SECONDS, now + SIGNATURE_WINDOW_SECONDS),
        );
        this.raising = this.commits
          .write([this.tables.acceptedUntil.put(bound)])
          .then(() => {
            this.acceptedUntil = Math.max(this.acceptedUntil, bound);
          })
          .finally(() => (this.raising = undefined));
      }
      await this.raising;
    }
  }

  /** Request ids older than the window can no longer be replayed: forget them. */
  private forgetOld(now: number): void {
    for (const [key, timestamp] of this.seen) {
      if (now - timestamp > 2 * SIGNATURE_WINDOW_SECONDS) this.seen.delete(key);
    }
  }
}
