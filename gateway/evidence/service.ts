import {
  buildCertificate,
  buildMerkleTree,
  ZERO_HASH,
  type EvidenceCertificate,
  type MerkleTree,
  type RecordView,
  type SealedRecord,
  type SubjectChain as SubjectChainView,
} from "tech-transfer-ledger/sdk";
import { badRequest, conflict, notFound } from "../errors";
import { type Anchor, type BatchEntry, type Placement } from "../evidence/repository";
import type { EvidenceRepository } from "./repository";
import type { AnchoringQueueView } from "./anchorer";

// What the API shows of records and subject chains is the SDK's shape
// (sdk/client/types.ts): one definition for the gateway and its clients.
export type { RecordView, SubjectChain as SubjectChainView } from "tech-transfer-ledger/sdk";

/** Reads of the evidence store: records, certificates, subject chains. */
export class EvidenceService {
  // Proofs of recently certified batches are served from memory; a tree of 1,024
  // records takes about 2,000 hashes to rebuild.
  private readonly trees = new Map<string, MerkleTree>();

  constructor(
    private readonly tables: EvidenceRepository,
    private readonly anchoring: AnchoringQueueView,
  ) {}

  /** The record `id`, or undefined when there is none. */
  async find(id: string): Promise<SealedRecord | undefined> {
    return this.tables.records.get(id);
  }

  /** The subject's sealed records in order (with their data): for services that read a history from its records. */
  async sealedOf(subject: string): Promise<SealedRecord[]> {
    const records: SealedRecord[] = [];
    for await (const id of this.tables.subjects.values({ gte: `${subject}\x00`, lt: `${subject}\x01` })) {
      const record = await this.tables.records.get(id);
      if (record) records.push(record);
    }
    return records;
  }

  async sealed(id: string): Promise<SealedRecord> {
    const record = await this.tables.records.get(id);
    if (!record) throw notFound("RECORD_NOT_FOUND", `no record with id ${id}`);
    return record;
  }

  async view(id: string): Promise<RecordView> {
    return this.viewOf(await this.sealed(id));
  }

  /**
   * Where a record stands: in a final batch, in a batch mined but not final, waiting
   * (queued or in a batch on its way), or orphaned (in no batch and not waiting).
   */
  private async standing(
    id: string,
  ): Promise<
    | { state: "anchored"; placement: Placement; batch: BatchEntry & { anchor: Anchor } }
    | { state: "mined"; placement: Placement; batch: BatchEntry & { anchor: Anchor } }
    | { state: "waiting" }
    | { state: "orphaned" }
  > {
    // Placements are written before the anchorer forgets a record as waiting, so
    // reading the placement again after the waiting check closes the gap between the two.
    for (let attempt = 0; ; attempt++) {
      const placement = await this.tables.placements.get(id);
      const batch = placement ? await this.tables.batches.get(placement.root) : undefined;
      if (placement && batch?.anchor) {
        const placed = { placement, batch: { ...batch, anchor: batch.anchor } };
        return batch.status === "anchored" ? { state: "anchored", ...placed } : { state: "mined", ...placed };
      }
      if (this.anchoring.isWaiting(id)) return { state: "waiting" };
      if (attempt === 1) {
        this.anchoring.noteOrphan(id);
        return { state: "orphaned" };
      }
    }
  }

  /** What the API shows of a record already read. */
  async viewOf(record: SealedRecord): Promise<RecordView> {
    const standing = await this.standing(record.header.id);
    const batch = standing.state === "anchored" ? standing.batch : undefined;
    const { header } = record;
    return {
      id: header.id,
      kind: header.kind,
      subject: header.subject,
      seq: header.seq,
      prev: header.prev,
      recordedAt: header.recordedAt,
      commitment: record.commitment,
      fields: Object.keys(record.fieldCommitments),
      status: batch ? "anchored" : standing.state === "orphaned" ? "orphaned" : "pending",
      anchor: batch?.anchor ? { root: batch.root, ...batch.anchor } : undefined,
    };
  }

  /**
   * The evidence certificate of a record anchored in a final block, disclosing
   * `fields` (all when omitted). A record waiting for its batch, or in a block
   * not final yet, answers 409 with a Retry-After; one that no anchoring queue
   * knows answers 409 NOT_ANCHORED, without, since waiting will not help.
   */
  async certificate(id: string, fields?: string[]): Promise<EvidenceCertificate> {
    const record = await this.sealed(id);
    const standing = await this.standing(id);
    if (standing.state === "waiting") {
      throw conflict("NOT_YET_ANCHORED", "the record is recorded but not anchored yet; try again in a few seconds", {
        "Retry-After": "2",
      });
    }
    if (standing.state === "mined") {
      throw conflict(
        "NOT_YET_FINAL",
        `the record's batch is in block ${standing.batch.anchor.blockNumber}, which is not final yet; try again in a second`,
        { "Retry-After": "1" },
      );
    }
    if (standing.state === "orphaned") {
      throw conflict(
        "NOT_ANCHORED",
        "the record is in no anchoring batch and not waiting for one: the store was changed outside the gateway " +
          "or a fault left it behind, so it will not be anchored; `npm run audit` names it",
      );
    }
    const { placement, batch } = standing;
    for (const name of fields ?? []) {
      // Own fields only: `?fields=constructor` must not find Object's.
      if (!Object.hasOwn(record.fieldCommitments, name)) {
        throw badRequest(
          "UNKNOWN_FIELD",
          `the record has no field "${name}"; it has: ${Object.keys(record.fieldCommitments).join(", ")}`,
        );
      }
    }
    const proof = this.treeOf(batch).proof(placement.index);
    return buildCertificate({ record, merkle: { root: batch.root, proof }, anchor: batch.anchor, disclose: fields });
  }

  private treeOf(batch: BatchEntry): MerkleTree {
    let tree = this.trees.get(batch.root);
    if (!tree) {
      tree = buildMerkleTree(batch.commitments);
      if (this.trees.size >= 16) this.trees.delete(this.trees.keys().next().value!);
      this.trees.set(batch.root, tree);
    }
    return tree;
  }

  /** The subject's records in order, and whether their hash chain is whole. */
  async subjectChain(subject: string): Promise<SubjectChainView> {
    const records: RecordView[] = [];
    const problems: string[] = [];
    let expectedSeq = 0;
    let previous = ZERO_HASH;
    let intactSoFar = true;
    let anchoredHead: SubjectChainView["anchoredHead"];
    let anchoredUnbroken = true;
    const orphaned: SubjectChainView["orphaned"] = [];
    for await (const [key, id] of this.tables.subjects.iterator({ gte: `${subject}\x00`, lt: `${subject}\x01` })) {
      const record = await this.tables.records.get(id);
      if (!record) {
        problems.push(`record ${id} (index ${key.split("\x00")[1]}) is missing`);
        intactSoFar = false;
        continue;
      }
      const view = await this.viewOf(record);
      if (view.status === "orphaned") orphaned.push({ seq: view.seq, id: view.id });
      if (view.seq !== expectedSeq) {
        problems.push(`expected record ${expectedSeq}, found ${view.seq}`);
        intactSoFar = false;
      } else if (view.prev !== previous) {
        problems.push(`record ${view.seq} does not link to record ${view.seq - 1}`);
        intactSoFar = false;
      }
      if (view.status === "anchored" && intactSoFar && anchoredUnbroken) {
        anchoredHead = {
          seq: view.seq,
          id: view.id,
          commitment: view.commitment,
          root: view.anchor!.root,
          blockNumber: view.anchor!.blockNumber,
        };
      } else if (view.status !== "anchored") {
        anchoredUnbroken = false;
      }
      records.push(view);
      expectedSeq = view.seq + 1;
      previous = view.commitment;
    }
    const last = records[records.length - 1];
    return {
      subject,
      length: records.length,
      head: last ? { seq: last.seq, id: last.id, commitment: last.commitment } : undefined,
      anchoredHead,
      intact: problems.length === 0,
      completeUpToAnchoredHead: anchoredHead !== undefined,
      problems,
      orphaned,
      records,
    };
  }
}
