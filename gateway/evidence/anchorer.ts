import { buildMerkleTree } from "../../sdk";
import type { ChainClient } from "../chain/client";
import { RetryLoop } from "../util/retryLoop";
import { pad, type Anchor, type BatchEntry, type BatchOperation, type Store } from "../store/store";

export interface AnchorerOptions {
  /** A batch goes out as soon as this many records wait. */
  maxRecords: number;
  /** …or as soon as the oldest waiting record is this old. */
  maxAgeMs: number;
  /** How often to look at the queue when idle. */
  pollMs?: number;
  /** First and longest wait between retries after a failure. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  log?: (message: string) => void;
}

export interface AnchoringStatus {
  /** Records acknowledged but not yet anchored (queued or in a batch on its way). */
  waiting: number;
  lastBatch?: { root: string; records: number; blockNumber: number; anchoredAt: string; ageSeconds: number };
  lastError?: { message: string; at: string };
  /** When anchoring started failing, if it is failing now. */
  failingSince?: string;
}

const INFLIGHT_KEY = (batch: BatchEntry) => `${pad(batch.preparedAt, 15)}:${batch.root}`;

/**
 * Background anchoring. Takes records off the durable queue into batches, sends
 * each batch root to the registry, and writes the anchor back, one batch at a
 * time. Every step is written to Level before the next begins, so a crash or a
 * chain outage at any point ends with each acknowledged record anchored once:
 * an unfinished batch is looked up on chain by its root and either finished or
 * sent again, and the registry refuses a root twice.
 */
export class Anchorer {
  private readonly loop: RetryLoop;
  private waitingInQueue = 0;
  private waitingInBatches = 0;
  private nextOrder = 0;
  private reconciled = false;
  private lastBatch: BatchEntry | undefined;
  private readonly options: Required<AnchorerOptions>;

  constructor(
    private readonly store: Store,
    private readonly chain: ChainClient,
    options: AnchorerOptions,
  ) {
    this.options = { pollMs: 100, minBackoffMs: 250, maxBackoffMs: 15_000, log: () => {}, ...options };
    this.loop = new RetryLoop(() => this.step(), { name: "anchoring", ...this.options });
  }

  /** Counts what waits, then starts the loop. */
  async start(): Promise<void> {
    this.waitingInQueue = 0;
    for await (const _ of this.store.queue.keys()) this.waitingInQueue++;
    this.waitingInBatches = 0;
    for await (const root of this.store.inflight.values()) {
      this.waitingInBatches += (await this.store.batches.get(root))?.ids.length ?? 0;
    }
    const lastOrder = await this.store.lastKey(this.store.anchoredOrder);
    this.nextOrder = lastOrder === undefined ? 0 : Number(lastOrder) + 1;
    if (lastOrder !== undefined) {
      const root = await this.store.anchoredOrder.get(lastOrder);
      this.lastBatch = root ? await this.store.batches.get(root) : undefined;
    }
    this.reconciled = false;
    this.loop.start();
  }

  /** Stops after the step in progress. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Tells the anchorer that `count` more records wait in the queue. */
  notifyQueued(count: number): void {
    this.waitingInQueue += count;
    if (this.waitingInQueue >= this.options.maxRecords) this.loop.poke();
  }

  status(now = Date.now()): AnchoringStatus {
    const last = this.lastBatch;
    return {
      waiting: this.waitingInQueue + this.waitingInBatches,
      lastBatch: last?.anchor
        ? {
            root: last.root,
            records: last.ids.length,
            blockNumber: last.anchor.blockNumber,
            anchoredAt: new Date(last.anchor.blockTime * 1000).toISOString(),
            ageSeconds: Math.max(0, Math.round(now / 1000 - last.anchor.blockTime)),
          }
        : undefined,
      ...this.loop.status(),
    };
  }

  /** One unit of work; true when something was anchored or prepared. */
  private async step(): Promise<boolean> {
    if (!this.reconciled) {
      await this.reconcile();
      this.reconciled = true;
    }
    const unfinished = await this.firstInflight();
    if (unfinished) {
      await this.anchor(unfinished);
      return true;
    }
    const prepared = await this.prepare();
    if (prepared) {
      await this.anchor(prepared);
      return true;
    }
    return false;
  }

  /**
   * At start: check that the batches we recorded as anchored are still on chain,
   * newest first. A local chain restored from a snapshot may have lost its last
   * seconds; such batches go back to be anchored again.
   */
  private async reconcile(): Promise<void> {
    await this.chain.assertReady();
    for await (const [order, root] of this.store.anchoredOrder.iterator({ reverse: true })) {
      const batch = await this.store.batches.get(root);
      if (!batch?.anchor) continue;
      if (await this.chain.stillAnchored(root, batch.anchor)) break;
      this.options.log(`batch ${root} (block ${batch.anchor.blockNumber}) is no longer on chain; anchoring it again`);
      const reopened: BatchEntry = {
        ...batch,
        status: "prepared",
        anchor: undefined,
        transactionHash: undefined,
        order: undefined,
      };
      await this.store.write([
        { type: "put", sublevel: this.store.batches, key: root, value: reopened },
        { type: "del", sublevel: this.store.anchoredOrder, key: order },
        { type: "put", sublevel: this.store.inflight, key: INFLIGHT_KEY(reopened), value: root },
        ...batch.ids.map((id): BatchOperation => ({ type: "del", sublevel: this.store.placements, key: id })),
      ]);
      this.waitingInBatches += batch.ids.length;
      this.nextOrder = Math.min(this.nextOrder, Number(order));
    }
  }

  private async firstInflight(): Promise<BatchEntry | undefined> {
    for await (const root of this.store.inflight.values({ limit: 1 })) return this.store.batches.get(root);
    return undefined;
  }

  /** Moves the oldest queued records into a new batch, atomically, when one is due. */
  private async prepare(): Promise<BatchEntry | undefined> {
    const entries: Array<[string, { id: string; commitment: string; at: number }]> = [];
    for await (const entry of this.store.queue.iterator({ limit: this.options.maxRecords })) entries.push(entry);
    if (entries.length === 0) {
      this.waitingInQueue = 0;
      return undefined;
    }
    const due = entries.length >= this.options.maxRecords || Date.now() - entries[0][1].at >= this.options.maxAgeMs;
    if (!due) return undefined;

    const commitments = entries.map(([, entry]) => entry.commitment);
    const batch: BatchEntry = {
      root: buildMerkleTree(commitments).root,
      ids: entries.map(([, entry]) => entry.id),
      commitments,
      status: "prepared",
      preparedAt: Date.now(),
    };
    await this.store.write([
      { type: "put", sublevel: this.store.batches, key: batch.root, value: batch },
      { type: "put", sublevel: this.store.inflight, key: INFLIGHT_KEY(batch), value: batch.root },
      ...entries.map(([key]): BatchOperation => ({ type: "del", sublevel: this.store.queue, key })),
    ]);
    this.waitingInQueue = Math.max(0, this.waitingInQueue - entries.length);
    this.waitingInBatches += entries.length;
    return batch;
  }

  /** Gets `batch` anchored (or finds that it already is) and records where. */
  private async anchor(batch: BatchEntry): Promise<void> {
    let anchor = await this.chain.findAnchor(batch.root);
    if (!anchor && batch.transactionHash && (await this.chain.knowsTransaction(batch.transactionHash))) {
      await this.chain.waitMined(batch.transactionHash);
      anchor = await this.chain.findAnchor(batch.root);
    }
    if (!anchor) {
      const transactionHash = await this.chain.sendAnchor(batch.root, batch.ids.length);
      batch = { ...batch, transactionHash };
      await this.store.write([{ type: "put", sublevel: this.store.batches, key: batch.root, value: batch }]);
      if (!(await this.chain.waitMined(transactionHash))) {
        throw new Error(`anchoring transaction ${transactionHash} is not mined yet; will look again`);
      }
      anchor = await this.chain.findAnchor(batch.root);
      if (!anchor) throw new Error(`transaction ${transactionHash} was mined but root ${batch.root} is not anchored`);
    }
    await this.finish(batch, anchor);
  }

  private async finish(batch: BatchEntry, anchor: Anchor): Promise<void> {
    const order = this.nextOrder++;
    const anchored: BatchEntry = { ...batch, status: "anchored", anchor, order, anchoredAtMs: Date.now() };
    await this.store.write([
      { type: "put", sublevel: this.store.batches, key: batch.root, value: anchored },
      { type: "put", sublevel: this.store.anchoredOrder, key: pad(order), value: batch.root },
      { type: "del", sublevel: this.store.inflight, key: INFLIGHT_KEY(batch) },
      ...batch.ids.map((id, index): BatchOperation => ({
        type: "put",
        sublevel: this.store.placements,
        key: id,
        value: { root: batch.root, index },
      })),
    ]);
    this.waitingInBatches = Math.max(0, this.waitingInBatches - batch.ids.length);
    this.lastBatch = anchored;
  }
}
