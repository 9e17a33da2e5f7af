import type { EvidenceCertificate, SealedRecord } from "tech-transfer-ledger/sdk";
import { pad, type Database } from "../store/database";

/** Where a record sits in an anchored batch. */
export interface Placement {
  root: string;
  index: number;
}

/** A queued record waiting for a batch. */
export interface QueueEntry {
  id: string;
  commitment: string;
  /** Epoch milliseconds when the record was acknowledged. */
  at: number;
}

export type Anchor = EvidenceCertificate["anchor"];

/**
 * A batch of records under one Merkle root. It is written, with the records it
 * takes off the queue, in one atomic write before any transaction is sent, so
 * the same root is sent again after a crash and the registry's refusal of a
 * duplicate root makes anchoring happen once.
 */
export interface BatchEntry {
  root: string;
  ids: string[];
  commitments: string[];
  /**
   * `prepared`: waiting to be sent or mined; `mined`: in a block that is not final
   * yet (records placed, no certificate); `anchored`: final, certificates issued.
   */
  status: "prepared" | "mined" | "anchored";
  preparedAt: number;
  transactionHash?: string;
  anchor?: Anchor;
  /** Anchors the chain lost after this batch counted as anchored, and when each loss was found. */
  lostAnchors?: Array<Anchor & { detectedAt: string }>;
  /** Local clock (epoch ms) when the block was found mined, and when it was final; for latency figures. */
  minedAtMs?: number;
  anchoredAtMs?: number;
  /** Position in anchoring order, set when anchored. */
  order?: number;
}

/** Key of a subject's record in the subject index: subject, NUL, padded sequence. */
export function subjectKey(subject: string, seq: number): string {
  return `${subject}\x00${pad(seq, 10)}`;
}

/** The evidence spine's tables: records, their subjects' chains, the anchoring queue and batches. */
export class EvidenceRepository {
  readonly records;
  /** Records waiting for a batch, in the order they were acknowledged. */
  readonly queue;
  /** `subjectKey(subject, seq)` → record id: each subject's hash chain in order. */
  readonly subjects;
  readonly placements;
  readonly batches;
  readonly anchoredOrder;
  /** Batches prepared and not yet anchored, in the order they were prepared. */
  readonly inflight;
  /**
   * Every subject that has a record, written with its first: a new subject (one
   * per deal, listing, user, …) then costs the recorder one read, not a range scan
   * of the subject index.
   */
  readonly knownSubjects;
  /** Set once `knownSubjects` lists every subject of the index (stores from before it are filled at start). */
  readonly knownSubjectsComplete;

  constructor(readonly database: Database) {
    this.records = database.table<SealedRecord>("records");
    this.queue = database.table<QueueEntry>("queue");
    this.subjects = database.table<string>("subjects", "utf8");
    this.placements = database.table<Placement>("placements");
    this.batches = database.table<BatchEntry>("batches");
    this.anchoredOrder = database.table<string>("anchored", "utf8");
    this.inflight = database.table<string>("inflight", "utf8");
    this.knownSubjects = database.table<true>("known-subjects");
    this.knownSubjectsComplete = database.cell<true>("evidence.known-subjects-complete");
  }
}
