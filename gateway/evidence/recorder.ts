import { randomUUID } from "node:crypto";
import {
  canonicalJson,
  FIELD_NAME_PATTERN,
  FILES_FIELD,
  recordDataProblem,
  SUBJECT_PATTERN,
  RECORD_FORMAT_VERSION,
  sealRecord,
  ZERO_HASH,
  type FileDescriptor,
  type RecordReceipt as SdkRecordReceipt,
  type SealedRecord,
} from "tech-transfer-ledger/sdk";
import { badRequest, tooLarge, unavailable } from "../errors";
import type { FileStore } from "../store/files";
import { pad, subjectKey, type BatchOperation, type Store } from "../store/store";
import { isEvidenceKind } from "./kinds";
import { collectReceipt, type ReceiptSigner } from "./receipts";

export { SUBJECT_PATTERN };

export interface RecordLimits {
  /** Largest canonical JSON of a record's data, in bytes. */
  maxDataBytes: number;
  maxFiles: number;
  maxFileBytes: number;
}

export const DEFAULT_RECORD_LIMITS: RecordLimits = {
  maxDataBytes: 64 * 1024,
  maxFiles: 8,
  maxFileBytes: 8 * 1024 * 1024,
};

export interface RecordFile {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** What every service gives the recorder: the one way anything becomes evidence. */
export interface RecordInput {
  kind: string;
  subject: string;
  data: Record<string, unknown>;
  files?: RecordFile[];
}

/** The recorder's acknowledgement: the SDK's receipt less its status (always pending here). */
export type RecordReceipt = Omit<SdkRecordReceipt, "status">;

interface SubjectHead {
  seq: number;
  commitment: string;
}

const MAX_CONCURRENT_FLUSHES = 4;

interface PendingWrite {
  subject: string;
  ops: BatchOperation[];
  /** Undefined for writes that only ride along (`writeDurably`). */
  receipt: RecordReceipt | undefined;
  resolve(receipt: RecordReceipt | undefined): void;
  reject(error: unknown): void;
}

/**
 * The evidence recorder: seals a record (salted field commitments), links it to
 * the previous record of its subject, and writes it with its place in the
 * anchoring queue in one synchronous (fsync'd) Level write. It answers only once
 * that write is on disk, so an acknowledged record survives a crash.
 *
 * Writes that arrive while others are being flushed are grouped into the next
 * flush (group commit), and up to `MAX_CONCURRENT_FLUSHES` flushes run at once so
 * that LevelDB merges them into even fewer fsyncs. Two flushes in flight never
 * share a subject: a record is durable no earlier than the record it links to,
 * so a crash can never leave a subject's chain with a hole.
 */
export class EvidenceRecorder {
  private readonly heads = new Map<string, SubjectHead>();
  private readonly loadingHeads = new Map<string, Promise<void>>();
  private pending: PendingWrite[] = [];
  private readonly flushes = new Set<Promise<void>>();
  /** Subjects with records in a flush that has not completed. */
  private readonly flushingSubjects = new Set<string>();
  private nextQueueSeq = 0;
  private rideAlongs = 0;
  private readonly queuedListeners: Array<(ids: string[]) => void> = [];
  private receiptSigner: ReceiptSigner | undefined;

  constructor(
    private readonly store: Store,
    private readonly files: FileStore,
    private readonly limits: RecordLimits = DEFAULT_RECORD_LIMITS,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Reads where the queue ends; call once before recording. */
  async init(): Promise<void> {
    const last = await this.store.lastKey(this.store.queue);
    this.nextQueueSeq = last === undefined ? 0 : Number(last) + 1;
  }

  /**
   * Calls `listener(ids)` each time records become durable in the queue, before
   * their writers are answered (so whoever holds an id finds it waiting).
   */
  onQueued(listener: (ids: string[]) => void): void {
    this.queuedListeners.push(listener);
  }

  /**
   * Records one piece of evidence and resolves once it is durable. `alsoWrite`
   * goes into the same atomic write: a service's state change and its evidence
   * are kept together or not at all. As a function it is given the sealed record
   * (its id, its files' digests) to build those writes from.
   *
   * @example
   * await recorder.record({ kind: "contract.signed", subject: "deal:42", data: { digest } });
   */
  async record(
    input: RecordInput,
    { alsoWrite = [] }: { alsoWrite?: BatchOperation[] | ((sealed: SealedRecord) => BatchOperation[]) } = {},
  ): Promise<RecordReceipt> {
    this.validate(input);
    const data: Record<string, unknown> = { ...input.data };
    if (input.files?.length) data[FILES_FIELD] = await this.storeFiles(input.files);

    while (!this.heads.has(input.subject)) await this.ensureHead(input.subject);
    // From here to the push below nothing awaits, so records of one subject get
    // consecutive sequence numbers in the order they are sealed.
    const head = this.heads.get(input.subject)!;
    const id = randomUUID();
    const recordedAt = this.clock().toISOString();
    const sealed: SealedRecord = sealRecord({
      header: {
        v: RECORD_FORMAT_VERSION,
        id,
        kind: input.kind,
        subject: input.subject,
        seq: head.seq + 1,
        prev: head.commitment,
        recordedAt,
      },
      data,
    });
    this.heads.set(input.subject, { seq: head.seq + 1, commitment: sealed.commitment });
    const queueKey = pad(this.nextQueueSeq++);
    const receipt: RecordReceipt = {
      id,
      commitment: sealed.commitment,
      subject: input.subject,
      seq: head.seq + 1,
      recordedAt,
    };
    const ops: PendingWrite["ops"] = [
      { type: "put", sublevel: this.store.records, key: id, value: sealed },
      { type: "put", sublevel: this.store.subjects, key: subjectKey(input.subject, head.seq + 1), value: id },
      {
        type: "put",
        sublevel: this.store.queue as never,
        key: queueKey,
        value: { id, commitment: sealed.commitment, at: Date.parse(recordedAt) },
      },
      ...(typeof alsoWrite === "function" ? alsoWrite(sealed) : alsoWrite),
    ];
    await new Promise<void>((resolve, reject) => {
      this.pending.push({ subject: input.subject, ops, receipt, resolve: () => resolve(), reject });
      this.startFlushes();
    });
    // Back in the caller's context (the request), now that the record is durable.
    collectReceipt(this.receiptSigner, {
      recordId: id,
      subject: input.subject,
      seq: receipt.seq,
      commitment: receipt.commitment,
    });
    return receipt;
  }

  /** Signs the receipts of records made inside requests with `signer` (docs/DOSSIER.md). */
  signReceiptsWith(signer: ReceiptSigner): void {
    this.receiptSigner = signer;
  }

  /**
   * Writes `ops` durably in the next group commit, beside the records being
   * flushed, instead of in an fsync of their own: what a request writes after
   * its record (the answer kept for its Idempotency-Key) then costs no second
   * fsync round per request.
   */
  writeDurably(ops: BatchOperation[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // A subject of its own: it never waits for, nor holds up, a subject's chain.
      const subject = `\x00ride-along:${this.rideAlongs++}`;
      this.pending.push({ subject, ops, receipt: undefined, resolve: () => resolve(), reject });
      this.startFlushes();
    });
  }

  /** Resolves once every record handed in so far is written (or refused). */
  async idle(): Promise<void> {
    while (this.flushes.size > 0) await Promise.all([...this.flushes]);
  }

  private validate(input: RecordInput): void {
    if (!isEvidenceKind(input.kind)) {
      throw badRequest("UNKNOWN_KIND", `"${input.kind}" is not a kind of evidence this platform records`);
    }
    if (!SUBJECT_PATTERN.test(input.subject)) {
      throw badRequest(
        "INVALID_SUBJECT",
        "subject must be 1–128 characters: letters, digits and : _ . @ -, starting with a letter or digit",
      );
    }
    if (input.data === null || typeof input.data !== "object" || Array.isArray(input.data)) {
      throw badRequest("INVALID_DATA", "data must be a JSON object");
    }
    const problem = recordDataProblem(input.data);
    if (problem) throw badRequest(problem.code, problem.message);
    for (const name of Object.keys(input.data)) {
      if (!FIELD_NAME_PATTERN.test(name)) {
        throw badRequest(
          "INVALID_FIELD_NAME",
          `field name "${name.slice(0, 70)}" is not allowed: 1–64 characters, letters, digits and _ . -, starting with a letter`,
        );
      }
    }
    let size: number;
    try {
      size = Buffer.byteLength(canonicalJson(input.data));
    } catch (error) {
      throw badRequest("INVALID_DATA", (error as Error).message);
    }
    if (size > this.limits.maxDataBytes) {
      throw tooLarge("DATA_TOO_LARGE", `data is ${size} bytes; the limit is ${this.limits.maxDataBytes}`);
    }
    const files = input.files ?? [];
    if (files.length > this.limits.maxFiles) {
      throw badRequest("TOO_MANY_FILES", `${files.length} files; the limit is ${this.limits.maxFiles} per record`);
    }
    for (const file of files) {
      if (file.bytes.length > this.limits.maxFileBytes) {
        throw tooLarge(
          "FILE_TOO_LARGE",
          `file "${file.name}" is ${file.bytes.length} bytes; the limit is ${this.limits.maxFileBytes}`,
        );
      }
    }
  }

  private async storeFiles(files: RecordFile[]): Promise<FileDescriptor[]> {
    return Promise.all(
      files.map(async (file) => ({
        name: file.name,
        mediaType: file.mediaType,
        size: file.bytes.length,
        sha256: await this.files.put(file.bytes),
      })),
    );
  }

  private async ensureHead(subject: string): Promise<void> {
    let loading = this.loadingHeads.get(subject);
    if (!loading) {
      loading = this.readHead(subject).then(
        (head) => {
          if (!this.heads.has(subject)) this.heads.set(subject, head);
          this.loadingHeads.delete(subject);
        },
        (error) => {
          this.loadingHeads.delete(subject);
          throw error;
        },
      );
      this.loadingHeads.set(subject, loading);
    }
    await loading;
  }

  private async readHead(subject: string): Promise<SubjectHead> {
    for await (const id of this.store.subjects.values({
      gte: `${subject}\x00`,
      lt: `${subject}\x01`,
      reverse: true,
      limit: 1,
    })) {
      const record = await this.store.records.get(id);
      if (record) return { seq: record.header.seq, commitment: record.commitment };
    }
    return { seq: -1, commitment: ZERO_HASH };
  }

  /** Starts flushes of the pending writes whose subjects no flush in flight holds. */
  private startFlushes(): void {
    while (this.flushes.size < MAX_CONCURRENT_FLUSHES && this.pending.length > 0) {
      const group: PendingWrite[] = [];
      const waiting: PendingWrite[] = [];
      for (const write of this.pending) {
        (this.flushingSubjects.has(write.subject) ? waiting : group).push(write);
      }
      if (group.length === 0) return;
      this.pending = waiting;
      const subjects = new Set(group.map((write) => write.subject));
      for (const subject of subjects) this.flushingSubjects.add(subject);
      const flush = this.flush(group, subjects).finally(() => {
        this.flushes.delete(flush);
        for (const subject of subjects) this.flushingSubjects.delete(subject);
        this.startFlushes();
      });
      this.flushes.add(flush);
    }
  }

  private async flush(group: PendingWrite[], subjects: Set<string>): Promise<void> {
    try {
      await this.store.write(group.flatMap((write) => write.ops));
      const ids = group.flatMap((write) => (write.receipt ? [write.receipt.id] : []));
      if (ids.length > 0) for (const listener of this.queuedListeners) listener(ids);
      for (const write of group) write.resolve(write.receipt);
    } catch (error) {
      // The heads of these subjects point at records that are not on disk, and
      // records sealed since may chain onto them: refuse those too, re-read the heads.
      const failed = group.concat(this.pending.filter((write) => subjects.has(write.subject)));
      this.pending = this.pending.filter((write) => !subjects.has(write.subject));
      for (const subject of subjects) this.heads.delete(subject);
      const refusal = unavailable("STORE_UNAVAILABLE", "the record could not be stored; nothing was kept, try again");
      refusal.cause = error;
      for (const write of failed) write.reject(refusal);
    }
  }
}
