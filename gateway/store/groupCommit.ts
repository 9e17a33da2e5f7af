import { unavailable } from "../errors";
import { ScopedStorage } from "../util/scopedStorage";
import type { BatchOperation, Database } from "./database";

/**
 * Two flushes at once: one in LevelDB's fsync, the next queued behind it, so the
 * disk never waits for JavaScript. More would only hold libuv's four threads in
 * LevelDB's writer queue (it runs one sync write at a time), where the reads of
 * requests (a subject's head, an idempotency key) then wait for them.
 */
const MAX_CONCURRENT_FLUSHES = 2;

interface PendingWrite {
  /** Ordering keys (evidence subjects): writes sharing a lane are durable in the order they were queued. */
  lanes: readonly string[];
  operations: BatchOperation[];
  /** Held writes wait for their request's answer (see `holdUntilAnswered`). */
  held: boolean;
  /** Runs once the write is on disk, before its writer is answered. */
  onDurable?: () => void;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The writes a request holds back so that its idempotent answer joins them:
 * found from the request's async-local scope, or handed down by a route that
 * passes its scope explicitly (`Route.explicitScope`).
 */
export interface HeldScope {
  writes: PendingWrite[];
  durable: Array<Promise<void>>;
  afterDurable: Array<() => void>;
}

const heldScopes = new ScopedStorage<HeldScope>();

/**
 * The group-committed write unit of the store: every durable write goes through
 * here. Writes that arrive while others are being flushed are grouped into the
 * next flush (group commit), and two flushes run at once. Two flushes in flight never share a lane:
 * a record is durable no earlier than the record of its subject it links to, so
 * a crash can never leave a subject's chain with a hole.
 */
export class GroupCommit {
  private pending: PendingWrite[] = [];
  private readonly flushes = new Set<Promise<void>>();
  /** Lanes with writes in a flush that has not completed. */
  private readonly flushingLanes = new Set<string>();
  private readonly failedListeners: Array<(lanes: Set<string>) => void> = [];

  constructor(private readonly database: Database) {}

  /**
   * Writes `operations` atomically and durably in the next group commit; resolves
   * once they are on disk. Inside `holdUntilAnswered` it resolves at once and the
   * write waits for the request's answer, which is then written with it.
   */
  write(
    operations: BatchOperation[],
    { lanes = [], onDurable, held }: { lanes?: readonly string[]; onDurable?: () => void; held?: HeldScope } = {},
  ): Promise<void> {
    const scope = held ?? heldScopes.getStore();
    const durable = new Promise<void>((resolve, reject) => {
      const write: PendingWrite = { lanes, operations, held: scope !== undefined, onDurable, resolve, reject };
      this.pending.push(write);
      scope?.writes.push(write);
    });
    if (!scope) {
      this.startFlushes();
      return durable;
    }
    // The request learns of a failure when it waits for its held writes.
    durable.catch(() => undefined);
    scope.durable.push(durable);
    return Promise.resolve();
  }

  /**
   * Runs `handle` with its writes held back; `answer(result)` then names what to
   * keep of its answer (an idempotent request's reply), written in the same group
   * commit as those writes, so an idempotent write waits for one fsync round, not
   * two. Resolves once all of it is durable; `handle`'s failure still lets its
   * held writes through, as they would have been without holding.
   *
   * Only for handlers that call nothing outside the store after writing (no chain,
   * no webhook): such a call would happen before the write is on disk.
   *
   * `handle` gets the scope; with `explicit`, it is not entered as the async-local
   * scope either (which on Node 20 slows every promise while a request is inside
   * one, ScopedStorage), and `handle` must hand it to every write it makes.
   */
  async holdUntilAnswered<T>(
    handle: (held: HeldScope) => Promise<T>,
    answer: (result: T) => BatchOperation[],
    { explicit = false }: { explicit?: boolean } = {},
  ): Promise<T> {
    const scope: HeldScope = { writes: [], durable: [], afterDurable: [] };
    try {
      let result: T;
      try {
        result = await (explicit ? handle(scope) : heldScopes.run(scope, () => handle(scope)));
      } catch (error) {
        this.release(scope, []);
        await Promise.allSettled(scope.durable);
        throw error;
      }
      const kept = this.release(scope, answer(result));
      await Promise.all([...scope.durable, kept]);
      return result;
    } finally {
      for (const run of scope.afterDurable) run();
    }
  }

  /**
   * Inside `holdUntilAnswered`, runs `release` once the request's held writes are
   * durable (a lock kept until then, so nobody reads the state before it is on
   * disk); elsewhere, at once.
   */
  static whenDurable(release: () => void): void {
    const scope = heldScopes.getStore();
    if (scope) scope.afterDurable.push(release);
    else release();
  }

  /** Calls `listener(lanes)` when a flush fails: writes queued on those lanes behind it were refused too. */
  onFailed(listener: (lanes: Set<string>) => void): void {
    this.failedListeners.push(listener);
  }

  /** Resolves once every write handed in so far is written (or refused). */
  async idle(): Promise<void> {
    while (this.flushes.size > 0) await Promise.all([...this.flushes]);
  }

  private release(scope: HeldScope, answer: BatchOperation[]): Promise<void> | undefined {
    for (const write of scope.writes) write.held = false;
    let kept: Promise<void> | undefined;
    if (answer.length > 0) {
      // Queued behind the held writes on all their lanes: flushed with them, or
      // refused with them, never kept for a write that was lost.
      const lanes = [...new Set(scope.writes.flatMap((write) => write.lanes))];
      kept = new Promise<void>((resolve, reject) => {
        this.pending.push({ lanes, operations: answer, held: false, resolve, reject });
      });
    }
    this.startFlushes();
    return kept;
  }

  /** Starts flushes of the pending writes whose lanes no flush in flight, nor a held write before them, holds. */
  private startFlushes(): void {
    while (this.flushes.size < MAX_CONCURRENT_FLUSHES && this.pending.length > 0) {
      const group: PendingWrite[] = [];
      const waiting: PendingWrite[] = [];
      const blocked = new Set(this.flushingLanes);
      for (const write of this.pending) {
        if (write.held || write.lanes.some((lane) => blocked.has(lane))) {
          waiting.push(write);
          for (const lane of write.lanes) blocked.add(lane);
        } else {
          group.push(write);
        }
      }
      if (group.length === 0) return;
      this.pending = waiting;
      const lanes = new Set(group.flatMap((write) => write.lanes));
      for (const lane of lanes) this.flushingLanes.add(lane);
      const flush = this.flush(group, lanes).finally(() => {
        this.flushes.delete(flush);
        for (const lane of lanes) this.flushingLanes.delete(lane);
        this.startFlushes();
      });
      this.flushes.add(flush);
    }
  }

  private async flush(group: PendingWrite[], lanes: Set<string>): Promise<void> {
    const operations = group.flatMap((write) => write.operations);
    try {
      await this.database.write(operations);
    } catch (error) {
      // Writes queued behind the failed ones on their lanes build on them (a
      // record links to the one before): refuse them too.
      const failed = group.concat(this.pending.filter((write) => write.lanes.some((lane) => lanes.has(lane))));
      this.pending = this.pending.filter((write) => !failed.includes(write));
      for (const listener of this.failedListeners) listener(lanes);
      const refusal = unavailable("STORE_UNAVAILABLE", "the write could not be stored; nothing was kept, try again");
      refusal.cause = error;
      for (const write of failed) write.reject(refusal);
      return;
    }
    for (const write of group) write.onDurable?.();
    for (const write of group) write.resolve();
  }
}
