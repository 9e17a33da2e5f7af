import { hash } from "node:crypto";
import type { Principal } from "../auth/roles";
import { badRequest, conflict, unprocessable } from "../errors";
import type { GroupCommit, HeldScope } from "../store/groupCommit";
import { BloomFilter } from "../util/bloomFilter";
import type { HttpRepository, IdempotencyEntry } from "./repository";
import type { RouteOutput } from "./route";

/** What an `Idempotency-Key` may look like. */
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

/**
 * Idempotent writes: a retry with the same `Idempotency-Key`, method, path and
 * body gets the first answer again (with `Idempotent-Replayed: true`) and changes
 * nothing; the same key with another body, or on another method or path, is
 * refused (422): a key names one request of one caller, so a bank reusing it for
 * another instruction is told, not handed the first one's answer; a retry while the
 * first is still being handled is refused (409). Successful answers are kept;
 * a refused request leaves its key free, so a corrected retry can use it.
 *
 * The kept answer is written in the same group commit as the request's own
 * writes where the route allows it (`commitWithAnswer`): the request then waits
 * for one fsync round, not two.
 */
export class IdempotentWrites {
  private readonly inFlight = new Set<string>();
  /** Every key ever kept: a new key (most are) is known new without a read from disk. */
  private readonly kept = new BloomFilter();

  constructor(
    private readonly tables: HttpRepository,
    private readonly commits: GroupCommit,
  ) {}

  /** Reads the keys kept so far (keys only, once at start). */
  async init(): Promise<void> {
    for await (const slot of this.tables.idempotency.keys()) this.kept.add(slot);
  }

  async run(
    principal: Principal | undefined,
    key: string,
    /** The request the key names: its method and path (query included). */
    target: { method: string; path: string },
    body: string,
    handle: (held?: HeldScope) => Promise<RouteOutput>,
    {
      commitWithAnswer = false,
      explicitScope = false,
    }: {
      commitWithAnswer?: boolean;
      /** `handle` hands the held writes to its writes itself (`Route.explicitScope`). */
      explicitScope?: boolean;
    } = {},
  ): Promise<RouteOutput> {
    if (!KEY_PATTERN.test(key))
      throw badRequest("IDEMPOTENCY_KEY_INVALID", "Idempotency-Key must be 8–128 letters, digits or _ . : -");
    const slot = `${principal?.kind ?? "anonymous"}:${principal?.id ?? ""}\x00${key}`;
    // The one-shot hash: a third of a `createHash` object's cost on a short body.
    const bodySha256 = hash("sha256", body, "hex");
    if (this.inFlight.has(slot))
      throw conflict(
        "IDEMPOTENCY_IN_FLIGHT",
        "a request with this Idempotency-Key is still being handled; retry shortly",
        { "Retry-After": "1" },
      );
    this.inFlight.add(slot);
    try {
      const stored = this.kept.mayHave(slot) ? await this.tables.idempotency.get(slot) : undefined;
      if (stored) {
        // Entries kept before keys were scoped to a request carry no method and path.
        if (stored.method !== undefined && (stored.method !== target.method || stored.path !== target.path)) {
          throw unprocessable(
            "IDEMPOTENCY_KEY_REUSED",
            `this Idempotency-Key was used for ${stored.method} ${stored.path}; use a new key for each request`,
          );
        }
        if (stored.bodySha256 !== bodySha256) {
          throw unprocessable("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with a different body");
        }
        return { ...stored.response!, headers: { ...stored.response!.headers, "Idempotent-Replayed": "true" } };
      }
      const keep = (output: RouteOutput) => {
        const response = { status: output.status, body: output.body, headers: output.headers };
        const entry: IdempotencyEntry = {
          bodySha256,
          method: target.method,
          path: target.path,
          state: "done",
          response,
          at: Date.now(),
        };
        return [{ type: "put" as const, sublevel: this.tables.idempotency, key: slot, value: entry }];
      };
      if (commitWithAnswer) {
        const output = await this.commits.holdUntilAnswered(handle, keep, { explicit: explicitScope });
        this.kept.add(slot);
        return output;
      }
      const output = await handle();
      await this.commits.write(keep(output));
      this.kept.add(slot);
      return output;
    } finally {
      this.inFlight.delete(slot);
    }
  }
}
