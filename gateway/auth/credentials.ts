import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { SERVICE_KEY_ID_PATTERN } from "tech-transfer-ledger/sdk";
import type { EvidenceRecorder } from "../evidence/recorder";
import type { BatchOperation } from "../store/database";
import type { AuthRepository, CredentialEntry } from "./repository";
import { ROLES, type Principal, type Role } from "./roles";

const TOKEN_PATTERN = /^ttl\.([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * Service credentials, of two kinds on one key-id space: bearer tokens
 * `ttl.<keyId>.<secret>` (only the SHA-256 of the secret is stored, so a copy of
 * the store does not give access), and signing keys, with which a service (the
 * bank) signs each request with HMAC-SHA256 (see signedRequests.ts).
 */
export class CredentialService {
  // Only credentials that exist are cached, so guessed key ids cannot grow it.
  private readonly cache = new Map<string, CredentialEntry>();

  /**
   * With a recorder, a change made on someone's behalf (`by`) is committed with
   * its `service.key.changed` record; the operator's first token, made at start
   * by the gateway itself, has no one to name.
   */
  constructor(
    private readonly tables: AuthRepository,
    private readonly recorder?: EvidenceRecorder,
  ) {}

  /**
   * Creates a credential and returns its token; the token is shown once and cannot be recovered.
   *
   * @example
   * const { token } = await credentials.create({ label: "operator", roles: ["operator"] });
   */
  async create(
    { label, roles }: { label: string; roles: Role[] },
    by?: string,
  ): Promise<{ keyId: string; token: string }> {
    const { keyId, secret } = await this.issue(
      label,
      roles,
      (secret) => ({ secretSha256: sha256(secret).toString("hex") }),
      by && { kind: "bearer", by },
    );
    return { keyId, token: `ttl.${keyId}.${secret}` };
  }

  /**
   * Creates a signing key; its secret is returned once, for the service to sign
   * requests with. Several keys may be live at once, so keys rotate without a gap.
   *
   * @example
   * const { keyId, secret } = await credentials.createSigningKey({ label: "bank", roles: ["bank"] });
   */
  async createSigningKey(
    { label, roles }: { label: string; roles: Role[] },
    by?: string,
  ): Promise<{ keyId: string; secret: string }> {
    return this.issue(label, roles, (secret) => ({ hmacSecret: secret }), by && { kind: "signing", by });
  }

  /** Stores a new credential whose secret `keep` turns into what is kept of it. */
  private async issue(
    label: string,
    roles: Role[],
    keep: (secret: string) => Pick<CredentialEntry, "secretSha256" | "hmacSecret">,
    issuedFor: { kind: "bearer" | "signing"; by: string } | "" | undefined,
  ): Promise<{ keyId: string; secret: string }> {
    for (const role of roles) if (!ROLES.includes(role)) throw new Error(`unknown role ${role}`);
    const keyId = randomBytes(8).toString("hex");
    const secret = randomBytes(32).toString("base64url");
    const entry: CredentialEntry = { keyId, label, roles, ...keep(secret), createdAt: new Date().toISOString() };
    const change = issuedFor ? { change: "issued", kind: issuedFor.kind, label, roles, by: issuedFor.by } : undefined;
    await this.persist(keyId, { type: "put", sublevel: this.tables.credentials, key: keyId, value: entry }, change);
    this.cache.delete(keyId);
    return { keyId, secret };
  }

  /** Writes a credential's change, with its record when it was made on someone's behalf. */
  private async persist(keyId: string, operation: BatchOperation, change?: Record<string, unknown>): Promise<void> {
    if (!change || !this.recorder) {
      await this.tables.database.write([operation]);
      return;
    }
    await this.recorder.write(async (unit) => {
      await unit.seal({ kind: "service.key.changed", subject: `service-key:${keyId}`, data: change });
      unit.add(operation);
    });
  }

  /** The live signing key `keyId`, or undefined. */
  async signingKey(keyId: string): Promise<CredentialEntry | undefined> {
    if (!SERVICE_KEY_ID_PATTERN.test(keyId)) return undefined;
    let entry = this.cache.get(keyId);
    if (!entry) {
      entry = await this.tables.credentials.get(keyId);
      if (entry) this.cache.set(keyId, entry);
    }
    return entry && !entry.revokedAt && entry.hmacSecret ? entry : undefined;
  }

  async exists(keyId: string): Promise<boolean> {
    return (await this.tables.credentials.get(keyId)) !== undefined;
  }

  /** Revokes a credential; its token stops working at once. */
  async revoke(keyId: string, by?: string): Promise<void> {
    const entry = await this.tables.credentials.get(keyId);
    if (!entry) return;
    await this.persist(
      keyId,
      {
        type: "put",
        sublevel: this.tables.credentials,
        key: keyId,
        value: { ...entry, revokedAt: new Date().toISOString() },
      },
      by ? { change: "revoked", by } : undefined,
    );
    this.cache.delete(keyId);
  }

  /** The principal a token stands for, or undefined for a malformed, unknown, revoked or wrong token. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return undefined;
    const [, keyId, secret] = match;
    let entry = this.cache.get(keyId);
    if (!entry) {
      entry = await this.tables.credentials.get(keyId);
      if (entry) this.cache.set(keyId, entry);
    }
    if (!entry || entry.revokedAt || !entry.secretSha256) return undefined;
    if (!timingSafeEqual(sha256(secret), Buffer.from(entry.secretSha256, "hex"))) return undefined;
    return { kind: "service", id: entry.keyId, label: entry.label, roles: entry.roles as Role[] };
  }
}
