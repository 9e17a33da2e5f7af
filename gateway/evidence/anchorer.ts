import { buildMerkleTree } from "tech-transfer-ledger/sdk";
import type { ChainClient } from "../chain/client";
import { RetryLoop } from "../util/retryLoop";
import { pad, type BatchOperation } from "../store/database";
import { type Anchor, type BatchEntry } from "../evidence/repository";
import type { EvidenceRepository } from "./repository";

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
  /** How often every anchored batch is checked against the chain (also at start and after each reconnection). */
  reconcileIntervalMs?: number;
  /** How often the store is searched for records that no anchoring queue knows. */
  orphanScanIntervalMs?: number;
  log?: (message: string) => void;
}

export interface AnchoringStatus {
  /** Records acknowledged but not yet anchored (queued, in a batch on its way, or in a block not final yet). */
  waiting: number;
  /** When a block counts as final on this chain. */
  finality: string;
  lastBatch?: { root: string; records: number; blockNumber: number; anchoredAt: string; ageSeconds: number };
  /** The last check of every anchored batch against the chain. */
  reconciliation: { lastAt?: string; batchesChecked: number };
  /** Batches the chain lost after they counted as anchored, anchored again since. */
  reanchored: { batches: number; records: number; since?: string; last?: string };
  /** Records found in the store but in no batch and not waiting (tampering or a bug); never anchored by themselves. */
  orphaned: { records: number; ids: string[] };
  lastError?: { message: string; at: string };
  /** When anchoring started failing, if it is failing now. */
  failingSince?: string;
}

/** What the evidence service asks of the anchoring queue. */
export interface AnchoringQueueView {
  /** Whether the record waits to be anchored (in the queue or in a batch on its way). */
  isWaiting(id: string): boolean;
  /** Notes a record found to be in no batch and not waiting. */
  noteOrphan(id: string): void;
}

const INFLIGHT_KEY = (batch: BatchEntry) => `${pad(batch.preparedAt, 15)}:${batch.root}`;
/** A record this young may be between its write and the anchorer hearing of it. */
const ORPHAN_MIN_AGE_MS = 60_000;

/** What the reconciliation keeps in memory of each anchored batch. */
interface AnchoredIndexEntry {
  order: string;
  blockNumber: number;
  blockHash: string;
}

/**
 * Background anchoring. Takes records off the durable queue into batches, sends
 * each batch root to the registry, and writes the anchor back once its block is
 * final, one batch at a time. Every step is written to Level before the next
 * begins, so a crash or a chain outage at any point ends with each acknowledged
 * record anchored once: an unfinished batch is looked up on chain by its root
 * and either finished or sent again, and the registry refuses a root twice.
 *
 * It also reconciles, for ever: every anchored batch is checked against the
 * registry at start, every `reconcileIntervalMs`, and after each reconnection
 * to the chain; a batch the chain lost is anchored again and reported.
 */
export class Anchorer implements AnchoringQueueView {
  private readonly loop: RetryLoop;
  /** Ids waiting in the queue, and in batches prepared or mined but not final. */
  private readonly queuedIds = new Set<string>();
  private readonly batchedIds = new Set<string>();
  private readonly orphans = new Set<string>();
  private readonly anchored = new Map<string, AnchoredIndexEntry>();
  private nextOrder = 0;
  private reconcileDue = true;
  private nextReconcileAt = 0;
  private nextOrphanScanAt = 0;
  private lastReconciliation: AnchoringStatus["reconciliation"] = { batchesChecked: 0 };
  private reanchored: AnchoringStatus["reanchored"] = { batches: 0, records: 0 };
  private lastBatch: BatchEntry | undefined;
  /**
   * The batch at the head of the in-flight list as this anchorer last wrote or
   * read it (null: none; undefined: read it from the store). It polls that batch
   * until its block is final, and reading a thousand ids and commitments back, or
   * even opening an iterator, every poll cost more than the poll. Only this
   * anchorer writes the in-flight list, and it forgets the head when it does.
   */
  private headBatch: BatchEntry | null | undefined;
  private readonly options: Required<AnchorerOptions>;

  constructor(
    private readonly tables: EvidenceRepository,
    private readonly chain: ChainClient,
    options: AnchorerOptions,
  ) {
    this.options = {
      pollMs: 100,
      minBackoffMs: 250,
      maxBackoffMs: 15_000,
      reconcileIntervalMs: 30_000,
      orphanScanIntervalMs: 300_000,
      log: () => {},
      ...options,
    };
    this.loop = new RetryLoop(() => this.step(), { name: "anchoring", ...this.options });
  }

  /** Reads what waits and what is anchored, then starts the loop (which reconciles first). */
  async start(): Promise<void> {
    this.queuedIds.clear();
    this.batchedIds.clear();
    this.headBatch = undefined;
    this.anchored.clear();
    this.reanchored = { batches: 0, records: 0 };
    for await (const entry of this.tables.queue.values()) this.queuedIds.add(entry.id);
    for await (const root of this.tables.inflight.values()) {
      for (const id of (await this.tables.batches.get(root))?.ids ?? []) this.batchedIds.add(id);
    }
    for await (const [order, root] of this.tables.anchoredOrder.iterator()) {
      const batch = await this.tables.batches.get(root);
      if (!batch?.anchor) continue;
      this.anchored.set(root, { order, blockNumber: batch.anchor.blockNumber, blockHash: batch.anchor.blockHash });
      this.lastBatch = batch;
      for (const lost of batch.lostAnchors ?? []) this.countReanchor(batch, lost.detectedAt);
    }
    const lastOrder = await this.tables.database.lastKey(this.tables.anchoredOrder);
    this.nextOrder = lastOrder === undefined ? 0 : Number(lastOrder) + 1;
    this.reconcileDue = true;
    this.nextOrphanScanAt = 0;
    this.loop.start();
  }

  /** Stops after the step in progress. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Tells the anchorer that these records became durable in the queue. */
  notifyQueued(ids: string[]): void {
    for (const id of ids) this.queuedIds.add(id);
    if (this.queuedIds.size >= this.options.maxRecords) this.loop.poke();
  }

  /**
   * The chain answers again after an outage, or restarted under us: check every
   * anchored batch now, and stop waiting out the retry backoff.
   */
  chainReconnected(): void {
    this.reconcileDue = true;
    this.loop.poke();
  }

  isWaiting(id: string): boolean {
    return this.queuedIds.has(id) || this.batchedIds.has(id);
  }

  noteOrphan(id: string): void {
    this.orphans.add(id);
  }

  status(now = Date.now()): AnchoringStatus {
    const last = this.lastBatch;
    return {
      waiting: this.queuedIds.size + this.batchedIds.size,
      finality: this.chain.finality.describe(),
      lastBatch: last?.anchor
        ? {
            root: last.root,
            records: last.ids.length,
            blockNumber: last.anchor.blockNumber,
            anchoredAt: new Date(last.anchor.blockTime * 1000).toISOString(),
            ageSeconds: Math.max(0, Math.round(now / 1000 - last.anchor.blockTime)),
          }
        : undefined,
      reconciliation: this.lastReconciliation,
      reanchored: this.reanchored,
      orphaned: { records: this.orphans.size, ids: [...this.orphans].slice(0, 10) },
      ...this.loop.status(),
    };
  }

  /** One unit of work; true when something was anchored or prepared. */
  private async step(): Promise<boolean> {
    if (this.reconcileDue || Date.now() >= this.nextReconcileAt) {
      await this.reconcile();
      this.reconcileDue = false;
      this.nextReconcileAt = Date.now() + this.options.reconcileIntervalMs;
    }
    if (Date.now() >= this.nextOrphanScanAt) {
      this.nextOrphanScanAt = Date.now() + this.options.orphanScanIntervalMs;
      await this.scanOrphans();
    }
    // A batch whose block is not final yet is looked at again after `pollMs`.
    const unfinished = await this.firstInflight();
    if (unfinished) return this.anchor(unfinished);
    const prepared = await this.prepare();
    if (prepared) return this.anchor(prepared);
    return false;
  }

  /**
   * Checks every batch recorded as anchored against the registry's events (a
   * few `eth_getLogs` calls for all of them). A batch whose block the chain no
   * longer has (a node restored from older state) goes back to be anchored
   * again; the lost anchor is kept in the batch and reported.
   */
  private async reconcile(): Promise<void> {
    await this.chain.assertReady();
    let fromBlock = Number.MAX_SAFE_INTEGER;
    for (const entry of this.anchored.values()) fromBlock = Math.min(fromBlock, entry.blockNumber);
    const onChain = this.anchored.size ? await this.chain.anchoredRoots(fromBlock) : new Map();
    const lost = [...this.anchored].filter(([root, entry]) => onChain.get(root)?.blockHash !== entry.blockHash);
    for (const [root, entry] of lost) await this.reopen(root, entry);
    this.lastReconciliation = { lastAt: new Date().toISOString(), batchesChecked: this.anchored.size + lost.length };
  }

  private async reopen(root: string, entry: AnchoredIndexEntry): Promise<void> {
    const batch = await this.tables.batches.get(root);
    if (!batch?.anchor) return;
    const detectedAt = new Date().toISOString();
    this.options.log(
      `batch ${root} (${batch.ids.length} records, block ${batch.anchor.blockNumber}) is no longer on chain; anchoring it again`,
    );
    const reopened: BatchEntry = {
      ...batch,
      status: "prepared",
      anchor: undefined,
      transactionHash: undefined,
      order: undefined,
      lostAnchors: [...(batch.lostAnchors ?? []), { ...batch.anchor, detectedAt }],
    };
    await this.tables.database.write([
      { type: "put", sublevel: this.tables.batches, key: root, value: reopened },
      { type: "del", sublevel: this.tables.anchoredOrder, key: entry.order },
      { type: "put", sublevel: this.tables.inflight, key: INFLIGHT_KEY(reopened), value: root },
      ...batch.ids.map((id): BatchOperation => ({ type: "del", sublevel: this.tables.placements, key: id })),
    ]);
    this.anchored.delete(root);
    this.headBatch = undefined;
    for (const id of batch.ids) this.batchedIds.add(id);
    this.countReanchor(batch, detectedAt);
  }

  private countReanchor(batch: BatchEntry, detectedAt: string): void {
    const r = this.reanchored;
    this.reanchored = {
      batches: r.batches + 1,
      records: r.records + batch.ids.length,
      since: r.since && r.since < detectedAt ? r.since : detectedAt,
      last: r.last && r.last > detectedAt ? r.last : detectedAt,
    };
  }

  /**
   * Looks for records in the store that are in no batch and not waiting: the
   * store was changed behind the gateway's back, or a bug dropped a queue entry.
   * Records and placements are both keyed by record id, so one merge of the two
   * key orders finds the unplaced ones without reading any record twice.
   */
  private async scanOrphans(): Promise<void> {
    const found = new Set<string>();
    const placed = this.tables.placements.keys()[Symbol.asyncIterator]();
    let next = await placed.next();
    for await (const id of this.tables.records.keys()) {
      while (!next.done && next.value < id) next = await placed.next();
      if (!next.done && next.value === id) continue;
      if (this.isWaiting(id) || (await this.tables.placements.get(id))) continue;
      const record = await this.tables.records.get(id);
      if (record && Date.now() - Date.parse(record.header.recordedAt) < ORPHAN_MIN_AGE_MS) continue;
      found.add(id);
    }
    await placed.return?.();
    for (const id of found) {
      if (!this.orphans.has(id)) this.options.log(`record ${id} is in no batch and not waiting to be anchored`);
    }
    this.orphans.clear();
    for (const id of found) this.orphans.add(id);
  }

  private async firstInflight(): Promise<BatchEntry | undefined> {
    if (this.headBatch !== undefined) return this.headBatch ?? undefined;
    let head: BatchEntry | null = null;
    for await (const root of this.tables.inflight.values({ limit: 1 }))
      head = (await this.tables.batches.get(root)) ?? null;
    this.headBatch = head;
    return head ?? undefined;
  }

  /** Whether the oldest queued record has waited long enough, or enough wait, for a batch. */
  private async batchDue(): Promise<boolean> {
    if (this.queuedIds.size >= this.options.maxRecords) return true;
    for await (const entry of this.tables.queue.values({ limit: 1 })) {
      return Date.now() - entry.at >= this.options.maxAgeMs;
    }
    return false;
  }

  /** Moves the oldest queued records into a new batch, atomically, when one is due. */
  private async prepare(): Promise<BatchEntry | undefined> {
    // Looked at on every poll: the oldest entry says whether a batch is due
    // without reading the thousand behind it.
    if (!(await this.batchDue())) return undefined;
    const entries: Array<[string, { id: string; commitment: string; at: number }]> = [];
    for await (const entry of this.tables.queue.iterator({ limit: this.options.maxRecords })) entries.push(entry);
    if (entries.length === 0) return undefined;
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
    await this.tables.database.write([
      { type: "put", sublevel: this.tables.batches, key: batch.root, value: batch },
      { type: "put", sublevel: this.tables.inflight, key: INFLIGHT_KEY(batch), value: batch.root },
      ...entries.map(([key]): BatchOperation => ({ type: "del", sublevel: this.tables.queue, key })),
    ]);
    for (const id of batch.ids) {
      this.batchedIds.add(id);
      this.queuedIds.delete(id);
    }
    this.headBatch = undefined;
    return batch;
  }

  /**
   * Gets `batch` anchored (or finds that it already is) and, once its block is
   * final, records where; false while the block is not final yet.
   */
  private async anchor(batch: BatchEntry): Promise<boolean> {
    let anchor = await this.chain.findAnchor(batch.root);
    if (!anchor && batch.transactionHash && (await this.chain.knowsTransaction(batch.transactionHash))) {
      await this.chain.waitMined(batch.transactionHash);
      anchor = await this.chain.findAnchor(batch.root);
    }
    if (!anchor) {
      const transactionHash = await this.chain.sendAnchor(batch.root, batch.ids.length);
      batch = { ...batch, status: "prepared", anchor: undefined, transactionHash };
      await this.tables.database.write([{ type: "put", sublevel: this.tables.batches, key: batch.root, value: batch }]);
      this.headBatch = batch;
      if (!(await this.chain.waitMined(transactionHash))) {
        throw new Error(`anchoring transaction ${transactionHash} is not mined yet; will look again`);
      }
      anchor = await this.chain.findAnchor(batch.root);
      if (!anchor) throw new Error(`transaction ${transactionHash} was mined but root ${batch.root} is not anchored`);
    }
    if (batch.status !== "mined" || batch.anchor?.blockHash !== anchor.blockHash)
      batch = await this.mined(batch, anchor);
    const outcome = await this.chain.finality.confirm(anchor);
    if (outcome === "lost")
      throw new Error(
        `block ${anchor.blockNumber} of batch ${batch.root} was lost before it was final; anchoring again`,
      );
    if (outcome === "pending") return false;
    await this.finish(batch, anchor);
    return true;
  }

  /**
   * Records the block a batch is in before it is final: the records get their
   * place (so a certificate request can say "not final yet"), no certificate yet.
   */
  private async mined(batch: BatchEntry, anchor: Anchor): Promise<BatchEntry> {
    const mined: BatchEntry = { ...batch, status: "mined", anchor, minedAtMs: Date.now() };
    await this.tables.database.write([
      { type: "put", sublevel: this.tables.batches, key: batch.root, value: mined },
      ...batch.ids.map((id, index): BatchOperation => ({
        type: "put",
        sublevel: this.tables.placements,
        key: id,
        value: { root: batch.root, index },
      })),
    ]);
    this.headBatch = mined;
    return mined;
  }

  private async finish(batch: BatchEntry, anchor: Anchor): Promise<void> {
    const order = pad(this.nextOrder++);
    const anchored: BatchEntry = {
      ...batch,
      status: "anchored",
      anchor,
      order: Number(order),
      anchoredAtMs: Date.now(),
    };
    await this.tables.database.write([
      { type: "put", sublevel: this.tables.batches, key: batch.root, value: anchored },
      { type: "put", sublevel: this.tables.anchoredOrder, key: order, value: batch.root },
      { type: "del", sublevel: this.tables.inflight, key: INFLIGHT_KEY(batch) },
    ]);
    this.anchored.set(batch.root, { order, blockNumber: anchor.blockNumber, blockHash: anchor.blockHash });
    this.headBatch = undefined;
    for (const id of batch.ids) this.batchedIds.delete(id);
    this.lastBatch = anchored;
  }
}
