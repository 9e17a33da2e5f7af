import type { Database } from "../store/database";

/** A service credential (operator, bank, internal job); only a hash of its secret is kept. */
export interface CredentialEntry {
  keyId: string;
  label: string;
  roles: string[];
  /** Bearer credentials: only the hash of the secret is kept. */
  secretSha256?: string;
  /**
   * Signing keys (HMAC-SHA256 over each request): the gateway must know the secret
   * to check signatures, as the bank must to make them; it is never shown again.
   */
  hmacSecret?: string;
  createdAt: string;
  revokedAt?: string;
}

/** Authentication's tables: service credentials and the signed requests already seen. */
export class AuthRepository {
  readonly credentials;
  /** Request ids seen inside the signature window, with their timestamps: saved at a clean stop. */
  readonly seenSignatures;
  /** No timestamp above this (seconds) was ever accepted: after a crash, requests must be signed past it. */
  readonly acceptedUntil;

  constructor(readonly database: Database) {
    this.credentials = database.table<CredentialEntry>("credentials");
    this.seenSignatures = database.cell<Array<[string, number]>>("signed-requests.seen");
    this.acceptedUntil = database.cell<number>("signed-requests.accepted-until");
  }
}
