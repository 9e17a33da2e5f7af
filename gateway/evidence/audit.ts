import { buildMerkleTree, sealRecord, ZERO_HASH } from "tech-transfer-ledger/sdk";
import type { EvidenceRegistry, SealedRecord } from "tech-transfer-ledger/sdk";
import { type BatchEntry } from "../evidence/repository";
import type { EvidenceRepository } from "./repository";

export type FindingKind = "altered" | "removed" | "added" | "chain";

/** One thing the audit found wrong, naming the record or batch. */
export interface AuditFinding {
  kind: FindingKind;
  recordId?: string;
  subject?: string;
  root?: string;
  detail: string;
}

export interface AuditReport {
  records: number;
  anchoredRecords: number;
  waitingRecords: number;
  batches: number;
  subjects: number;
  findings: AuditFinding[];
  /**
   * Batches the chain lost after they counted as anchored, and which the gateway
   * anchored again: not tampering, but every certificate of theirs issued before
   * names a block that is gone (the finality rule keeps that from happening).
   */
  reanchored: Array<{
    root: string;
    records: number;
    lostAnchors: NonNullable<BatchEntry["lostAnchors"]>;
    /** The block it is anchored in now; undefined while it waits to be anchored again. */
    anchoredIn?: number;
  }>;
}

export interface AuditOptions {
  /** The registry the batches were anchored in (read-only use). */
  registry: EvidenceRegistry;
  /** Called now and then with work done and work in all. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Re-hashes the whole off-chain store against the roots anchored on chain and
 * names every record that was altered, removed or added after it was recorded:
 *
 * - each record's fields are re-committed from its stored values and salts;
 * - each anchored batch's root is rebuilt from those recomputed commitments and
 *   must be the root the registry holds, with the same block and record count;
 * - each subject's records must run 0, 1, 2… with every `prev` linking the one before;
 * - every record must be in a batch or waiting in the queue, and every root the
 *   registry holds must be a batch of this store.
 */
export async function auditStore(
  tables: EvidenceRepository,
  { registry, onProgress }: AuditOptions,
): Promise<AuditReport> {
  const findings: AuditFinding[] = [];
  let recordCount = 0;
  let batchCount = 0;
  for await (const _ of tables.records.keys()) recordCount++;
  for await (const _ of tables.batches.keys()) batchCount++;
  const total = recordCount * 2 + batchCount;
  let done = 0;
  const tick = () => {
    done++;
    if (done % 1000 === 0 || done === total) onProgress?.(done, total);
  };

  // 1. Re-commit every record from its stored values.
  const recomputed = new Map<string, string>();
  for await (const [id, record] of tables.records.iterator()) {
    tick();
    const sealed = reseal(record);
    recomputed.set(id, sealed.commitment);
    if (sealed.commitment !== record.commitment || record.header.id !== id) {
      const changed = Object.keys({ ...record.fieldCommitments, ...sealed.fieldCommitments }).filter(
        (name) => sealed.fieldCommitments[name] !== record.fieldCommitments[name],
      );
      findings.push({
        kind: "altered",
        recordId: id,
        subject: record.header.subject,
        detail: changed.length
          ? `the stored value of field(s) ${changed.join(", ")} no longer gives the committed value`
          : "the record's header or commitment was changed",
      });
    }
  }

  // 2. Every anchored batch against its recomputed root and the chain.
  const inBatch = new Map<string, { root: string; index: number; anchored: boolean }>();
  const reanchored: AuditReport["reanchored"] = [];
  for await (const [root, batch] of tables.batches.iterator()) {
    tick();
    if (batch.lostAnchors?.length) {
      reanchored.push({
        root,
        records: batch.ids.length,
        lostAnchors: batch.lostAnchors,
        anchoredIn: batch.status === "anchored" ? batch.anchor?.blockNumber : undefined,
      });
    }
    batch.ids.forEach((id, index) => inBatch.set(id, { root, index, anchored: batch.status === "anchored" }));
    if (batch.status !== "anchored") continue;
    await auditBatch(batch, recomputed, registry, findings);
  }
  const anchoredRoots = new Set<string>();
  for await (const [root, batch] of tables.batches.iterator()) if (batch.status === "anchored") anchoredRoots.add(root);

  // 3. Every record is in a batch (where its placement says) or waiting in the queue.
  const queued = new Set<string>();
  for await (const entry of tables.queue.values()) queued.add(entry.id);
  let anchoredRecords = 0;
  for (const id of recomputed.keys()) {
    const placement = await tables.placements.get(id);
    const batch = inBatch.get(id);
    if (batch?.anchored) anchoredRecords++;
    if (!batch && !queued.has(id)) {
      findings.push({
        kind: "added",
        recordId: id,
        detail: "the record is in no batch and not waiting to be anchored: it was added afterwards",
      });
    } else if (placement && (!batch || batch.root !== placement.root || batch.index !== placement.index)) {
      findings.push({
        kind: "added",
        recordId: id,
        root: placement.root,
        detail: "the record claims a place in a batch that does not list it",
      });
    }
  }

  // 4. Every subject's hash chain.
  let subjects = 0;
  let current: { subject: string; seq: number; prev: string } | undefined;
  for await (const [key, id] of tables.subjects.iterator()) {
    tick();
    const [subject] = key.split("\x00");
    if (current?.subject !== subject) {
      subjects++;
      current = { subject, seq: 0, prev: ZERO_HASH };
    }
    const record = await tables.records.get(id);
    if (!record) {
      findings.push({
        kind: "removed",
        recordId: id,
        subject,
        detail: `record ${current.seq} of ${subject} is missing from the store`,
      });
      current.seq++;
      current.prev = "unknown";
      continue;
    }
    if (record.header.seq !== current.seq) {
      const kind: FindingKind = record.header.seq > current.seq ? "removed" : "added";
      findings.push({
        kind,
        recordId: id,
        subject,
        detail:
          kind === "removed"
            ? `records ${current.seq}…${record.header.seq - 1} of ${subject} are missing`
            : `record ${id} repeats position ${record.header.seq} of ${subject}`,
      });
    } else if (current.prev !== "unknown" && record.header.prev !== current.prev) {
      findings.push({
        kind: "altered",
        recordId: id,
        subject,
        detail: `record ${record.header.seq} of ${subject} does not link to the one before it`,
      });
    }
    // Link against the stored commitment: a changed value is reported once, above,
    // while a changed commitment also breaks the link of the next record.
    current = { subject, seq: record.header.seq + 1, prev: record.commitment };
  }

  // 5. Roots the registry holds that the store has lost.
  const anchoredEvents = await registry.queryFilter(registry.filters.BatchAnchored(), 0, "latest");
  for (const event of anchoredEvents) {
    const root = event.args.root;
    if (!anchoredRoots.has(root)) {
      findings.push({
        kind: "removed",
        root,
        detail: `the registry anchored batch ${root} (${event.args.recordCount} records, block ${event.blockNumber}) but the store has no such anchored batch`,
      });
    }
  }
  onProgress?.(total, total);

  return {
    records: recordCount,
    anchoredRecords,
    waitingRecords: recordCount - anchoredRecords,
    batches: batchCount,
    subjects,
    findings,
    reanchored,
  };
}

function reseal(record: SealedRecord): { commitment: string; fieldCommitments: Record<string, string> } {
  try {
    return sealRecord({ header: record.header, data: record.data, salts: record.salts });
  } catch {
    return { commitment: "unsealable", fieldCommitments: {} };
  }
}

async function auditBatch(
  batch: BatchEntry,
  recomputed: Map<string, string>,
  registry: EvidenceRegistry,
  findings: AuditFinding[],
): Promise<void> {
  const leaves = batch.ids.map((id, index) => {
    const commitment = recomputed.get(id);
    if (commitment === undefined) {
      findings.push({
        kind: "removed",
        recordId: id,
        root: batch.root,
        detail: `record ${id} of anchored batch ${batch.root} is missing from the store`,
      });
      return batch.commitments[index];
    }
    if (commitment !== batch.commitments[index]) {
      findings.push({
        kind: "altered",
        recordId: id,
        root: batch.root,
        detail: `record ${id} differs from what batch ${batch.root} anchored`,
      });
    }
    return commitment;
  });
  if (buildMerkleTree(batch.commitments).root !== batch.root) {
    findings.push({
      kind: "altered",
      root: batch.root,
      detail: `the store's list of commitments of batch ${batch.root} was changed`,
    });
  }
  if (leaves.length === 0 || buildMerkleTree(leaves).root !== batch.root) {
    if (!findings.some((f) => f.root === batch.root)) {
      findings.push({
        kind: "altered",
        root: batch.root,
        detail: `the records of batch ${batch.root} no longer give its root`,
      });
    }
  }
  const onChain = await registry.batchOf(batch.root);
  if (onChain.blockNumber === 0n) {
    findings.push({
      kind: "chain",
      root: batch.root,
      detail: `batch ${batch.root} is recorded as anchored but the registry does not hold it`,
    });
  } else if (
    onChain.blockNumber !== BigInt(batch.anchor!.blockNumber) ||
    Number(onChain.recordCount) !== batch.ids.length
  ) {
    findings.push({
      kind: "chain",
      root: batch.root,
      detail: `the registry holds batch ${batch.root} in block ${onChain.blockNumber} with ${onChain.recordCount} records; the store says block ${batch.anchor!.blockNumber} with ${batch.ids.length}`,
    });
  }
}
