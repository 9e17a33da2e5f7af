import type { Database } from "../store/database";

/** What an idempotent write answered the first time, kept to answer its retries. */
export interface IdempotencyEntry {
  bodySha256: string;
  /** The request the key was used for; absent in entries kept before keys were scoped to one. */
  method?: string;
  path?: string;
  state: "in-flight" | "done";
  response?: { status: number; body: unknown; headers?: Record<string, string> };
  at: number;
}

/** The HTTP layer's table: answers of idempotent writes by caller and Idempotency-Key. */
export class HttpRepository {
  readonly idempotency;

  constructor(readonly database: Database) {
    this.idempotency = database.table<IdempotencyEntry>("idempotency");
  }
}
