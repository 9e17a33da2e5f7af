import { randomUUID } from "node:crypto";
import {
  DEFAULT_RECORD_INPUT_LIMITS,
  FILES_FIELD,
  recordInputProblem,
  SUBJECT_PATTERN,
  RECORD_FORMAT_VERSION,
  sealFields,
  sealRecord,
  ZERO_HASH,
  type FileDescriptor,
  type RecordInputLimits,
  type RecordReceipt as SdkRecordReceipt,
  type SealedRecord,
} from "tech-transfer-ledger/sdk";
import { badRequest, tooLarge, unavailable } from "../errors";
import type { FileStore } from "../store/files";
import { pad } from "../store/database";
import type { GroupCommit, HeldScope } from "../store/groupCommit";
import { WriteUnit } from "../store/writeUnit";
import { BloomFilter } from "../util/bloomFilter";
import { EvidenceThread } from "./evidenceThread";
import { isEvidenceKind } from "./kinds";
import { currentReceipts, type ReceiptCollector, type ReceiptSigner } from "./receipts";
import { subjectKey, type EvidenceRepository } from "./repository";

export { SUBJECT_PATTERN };

export type RecordLimits = RecordInputLimits;
export const DEFAULT_RECORD_LIMITS: RecordLimits = DEFAULT_RECORD_INPUT_LIMITS;

/** A file given with its bytes. */
export interface InlineFile {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** A file already in the file store (streamed there, e.g. a large delivery): its digest and size. */
export interface StoredFile {
  name: string;
  mediaType: string;
  stored: { sha256: string; size: number };
}

export type RecordFile = InlineFile | StoredFile;

/** What every service gives the recorder: the one way anything becomes evidence. */
export interface RecordInput {
  kind: string;
  subject: string;
  data: Record<string, unknown>;
  files?: RecordFile[];
}

/** The recorder's acknowledgement: the SDK's receipt less its status (always pending here). */
export type RecordReceipt = Omit<SdkRecordReceipt, "status">;

/**
 * Whose records these are. Inside a request, the records' receipts join its
 * answer: a route that hands its collector over says so here; otherwise the
 * recorder finds the request's own (collectReceiptsWhile), and outside a request
 * a record has no receipt.
 */
export interface RecordingScope {
  receipts?: ReceiptCollector;
  /**
   * The request's held writes (`GroupCommit.holdUntilAnswered`), for a route that
   * passes its scope explicitly; otherwise found from the request's own scope.
   */
  held?: HeldScope;
  /**
   * Sign each record's receipt on its own (format @1), as `ReceiptSigner.receiptFor`
   * derives it again: for an answer that embeds the receipt and is kept without
   * it (an idempotent `POST /v1/evidence`, `Route.completeAnswer`).
   */
  receiptsAlone?: boolean;
}

/** The last record of a subject: where its next record links. */
export interface SubjectHead {
  seq: number;
  commitment: string;
}

/** A subject a unit has sealed records of and not yet committed: nobody else seals on it meanwhile. */
interface SubjectHold {
  unit: EvidenceUnit;
  /** The head before the unit's first record, restored if the unit is abandoned. */
  before?: SubjectHead;
  /** The subject's failure count when the hold began (see `failures`). */
  epoch: number;
  released: Promise<void>;
  release(): void;
}

/**
 * One state change and the records that prove it, committed together: a service
 * seals its records (`seal` reserves id, seq and time and returns the sealed
 * record), builds its writes from them, and the recorder commits all of it in
 * one atomic, fsync'd group commit when the service's `build` returns.
 */
export class EvidenceUnit extends WriteUnit {
  readonly sealed: SealedRecord[] = [];

  constructor(private readonly recorder: EvidenceRecorder) {
    super();
  }

  /**
   * Seals `input` as the next record of its subject. Until the unit commits, no
   * other unit seals records of that subject.
   */
  seal(input: RecordInput): Promise<SealedRecord> {
    return this.recorder.sealInto(this, input);
  }
}

/**
 * The evidence recorder: seals a record (salted field commitments), links it to
 * the previous record of its subject, and writes it with its place in the
 * anchoring queue, and with the state change it proves, in one synchronous
 * (fsync'd) write of the store's group commit. It answers only once that write
 * is on disk, so an acknowledged record survives a crash.
 */
export class EvidenceRecorder {
  private readonly heads = new Map<string, SubjectHead>();
  private readonly loadingHeads = new Map<string, Promise<void>>();
  private readonly holds = new Map<string, SubjectHold>();
  /** Failed writes per subject: a unit that sealed before a failure of its subject cannot commit. */
  private readonly failures = new Map<string, number>();
  private nextQueueSeq = 0;
  /**
   * Every subject with a record, as a filter: a subject it has never seen (a new
   * deal, listing, user: every record of some workloads) then costs no read.
   */
  private readonly subjectsSeen = new BloomFilter();
  private readonly queuedListeners: Array<(ids: string[]) => void> = [];
  private readonly recordedListeners: Array<(records: readonly SealedRecord[]) => void> = [];
  private receiptSigner: ReceiptSigner | undefined;

  constructor(
    private readonly tables: EvidenceRepository,
    private readonly commits: GroupCommit,
    private readonly files: FileStore,
    private readonly limits: RecordLimits = DEFAULT_RECORD_LIMITS,
    private readonly clock: () => Date = () => new Date(),
    private readonly thread: EvidenceThread = EvidenceThread.forProcess(),
  ) {
    commits.onFailed((lanes) => {
      // Those heads point at records that are not on disk: read them again.
      for (const subject of lanes) {
        this.heads.delete(subject);
        this.failures.set(subject, (this.failures.get(subject) ?? 0) + 1);
      }
    });
  }

  /** Reads where the queue ends, and lists the subjects of a store from before that list; call once before recording. */
  async init(): Promise<void> {
    const last = await this.tables.database.lastKey(this.tables.queue);
    this.nextQueueSeq = last === undefined ? 0 : Number(last) + 1;
    if (!(await this.tables.knownSubjectsComplete.get())) await this.listKnownSubjects();
    for await (const subject of this.tables.knownSubjects.keys()) this.subjectsSeen.add(subject);
  }

  /** One pass over the subject index (keys only), in writes of at most 10,000 subjects. */
  private async listKnownSubjects(): Promise<void> {
    let unit = new WriteUnit();
    let previous: string | undefined;
    for await (const key of this.tables.subjects.keys()) {
      const subject = key.slice(0, key.lastIndexOf("\x00"));
      if (subject === previous) continue;
      previous = subject;
      unit.put(this.tables.knownSubjects, subject, true);
      if (unit.operations.length >= 10_000) {
        await this.tables.database.write(unit.operations);
        unit = new WriteUnit();
      }
    }
    unit.add(this.tables.knownSubjectsComplete.put(true));
    await this.tables.database.write(unit.operations);
  }

  /**
   * Calls `listener(ids)` each time records become durable in the queue, before
   * their writers are answered (so whoever holds an id finds it waiting).
   */
  onQueued(listener: (ids: string[]) => void): void {
    this.queuedListeners.push(listener);
  }

  /**
   * Calls `listener(records)` with the records of each unit once they are
   * durable (the notifications read what happened from them). A listener must
   * not throw and should not hold the writer up: it gets the records, not a promise to keep.
   */
  onRecorded(listener: (records: readonly SealedRecord[]) => void): void {
    this.recordedListeners.push(listener);
  }

  /**
   * Runs `build` with a fresh unit, then commits what it sealed and wrote in one
   * durable write, and resolves with `build`'s result once it is on disk. If
   * `build` throws, nothing it sealed or wrote is kept.
   *
   * @example
   * const deal = await recorder.write(async (unit) => {
   *   const record = await unit.seal({ kind: "deal.opened", subject: `deal:${id}`, data });
   *   const deal = { id, openedBy: record.header.id };
   *   unit.put(tables.deals, id, deal);
   *   return deal;
   * });
   */
  async write<T>(build: (unit: EvidenceUnit) => Promise<T> | T, scope: RecordingScope = {}): Promise<T> {
    const unit = new EvidenceUnit(this);
    let result: T;
    try {
      result = await build(unit);
    } catch (error) {
      this.abandon(unit);
      throw error;
    }
    await this.commit(unit, scope.receipts ?? currentReceipts(), scope);
    return result;
  }

  /**
   * Records one piece of evidence with no state change of its own, and resolves
   * once it is durable.
   *
   * @example
   * await recorder.record({ kind: "contract.signed", subject: "deal:42", data: { digest } });
   */
  async record(input: RecordInput, scope: RecordingScope = {}): Promise<RecordReceipt> {
    return this.write(async (unit) => receiptOf(await unit.seal(input)), scope);
  }

  /** Signs the receipts of records made inside requests with `signer` (docs/DOSSIER.md). */
  signReceiptsWith(signer: ReceiptSigner): void {
    this.receiptSigner = signer;
  }

  /** Resolves once every record handed in so far is written (or refused). */
  async idle(): Promise<void> {
    await this.commits.idle();
  }

  /** `EvidenceUnit.seal`: validates, stores the files, and reserves the record's place. */
  async sealInto(unit: EvidenceUnit, input: RecordInput): Promise<SealedRecord> {
    validateRecordInput(input, this.limits);
    const data: Record<string, unknown> = { ...input.data };
    if (input.files?.length) data[FILES_FIELD] = await this.storeFiles(input.files);
    // The fields are sealed before the hold: they do not depend on the record's place.
    const fields = sealsHere(data) ? sealFields(data) : await this.thread.sealFields(data, () => sealFields(data));

    await this.hold(unit, input.subject);
    while (!this.heads.has(input.subject)) await this.ensureHead(input.subject);
    // From here to the end nothing awaits, so records of one subject get
    // consecutive sequence numbers in the order they are sealed.
    const head = this.heads.get(input.subject)!;
    const hold = this.holds.get(input.subject)!;
    hold.before ??= head;
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
      fields,
    });
    this.heads.set(input.subject, { seq: head.seq + 1, commitment: sealed.commitment });
    unit
      .put(this.tables.records, id, sealed)
      .put(this.tables.subjects, subjectKey(input.subject, head.seq + 1), id)
      .put(this.tables.queue, pad(this.nextQueueSeq++), {
        id,
        commitment: sealed.commitment,
        at: Date.parse(recordedAt),
      });
    if (head.seq === -1) {
      unit.put(this.tables.knownSubjects, input.subject, true);
      this.subjectsSeen.add(input.subject);
    }
    unit.sealed.push(sealed);
    return sealed;
  }

  private async commit(
    unit: EvidenceUnit,
    receiptsOfRequest: ReceiptCollector | undefined,
    { held, receiptsAlone = false }: RecordingScope,
  ): Promise<void> {
    const subjects = [...new Set(unit.sealed.map((record) => record.header.subject))];
    const stale = subjects.some((subject) => this.holds.get(subject)?.epoch !== (this.failures.get(subject) ?? 0));
    if (stale) {
      // A write of this subject failed after the unit sealed onto it: its records
      // would link to one that is not on disk.
      this.abandon(unit);
      throw unavailable("STORE_UNAVAILABLE", "the record could not be stored; nothing was kept, try again");
    }
    const ids = unit.sealed.map((record) => record.header.id);
    const durable = this.commits.write(unit.operations, {
      lanes: subjects,
      held,
      onDurable:
        ids.length > 0
          ? () => {
              this.queuedListeners.forEach((listener) => listener(ids));
              this.recordedListeners.forEach((listener) => listener(unit.sealed));
            }
          : undefined,
    });
    // Queued in seal order: the next unit of these subjects may seal now.
    this.releaseHolds(unit, subjects);
    // Signed on the evidence thread while the records go to disk (or, held for
    // an idempotent answer, while the handler builds that answer); handed out
    // only once they are durable.
    const signer = receiptsOfRequest ? this.receiptSigner : undefined;
    const receipts = signer
      ? unit.sealed.map((record) => signer.sign(receiptFieldsOf(record), { alone: receiptsAlone }))
      : [];
    await durable;
    // Handed to the request only now that the records are durable.
    receipts.forEach((receipt, i) => receiptsOfRequest!.add(unit.sealed[i].header.id, receipt));
  }

  private abandon(unit: EvidenceUnit): void {
    const subjects = [...this.holds.entries()].filter(([, hold]) => hold.unit === unit).map(([subject]) => subject);
    for (const subject of subjects) {
      const hold = this.holds.get(subject)!;
      if (hold.epoch === (this.failures.get(subject) ?? 0) && hold.before) this.heads.set(subject, hold.before);
    }
    this.releaseHolds(unit, subjects);
  }

  private async hold(unit: EvidenceUnit, subject: string): Promise<void> {
    for (;;) {
      const current = this.holds.get(subject);
      if (current?.unit === unit) return;
      if (!current) break;
      await current.released;
    }
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const epoch = this.failures.get(subject) ?? 0;
    this.holds.set(subject, { unit, epoch, released, release });
  }

  private releaseHolds(unit: EvidenceUnit, subjects: string[]): void {
    for (const subject of subjects) {
      const hold = this.holds.get(subject);
      if (hold?.unit !== unit) continue;
      this.holds.delete(subject);
      hold.release();
    }
  }

  private async storeFiles(files: RecordFile[]): Promise<FileDescriptor[]> {
    return Promise.all(
      files.map(async (file) => ({
        name: file.name,
        mediaType: file.mediaType,
        ...("stored" in file ? file.stored : { size: file.bytes.length, sha256: await this.files.put(file.bytes) }),
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
    if (this.subjectsSeen.mayHave(subject) && (await this.tables.knownSubjects.get(subject))) {
      for await (const id of this.tables.subjects.values({
        gte: `${subject}\x00`,
        lt: `${subject}\x01`,
        reverse: true,
        limit: 1,
      })) {
        const record = await this.tables.records.get(id);
        if (record) return { seq: record.header.seq, commitment: record.commitment };
      }
    }
    return { seq: -1, commitment: ZERO_HASH };
  }
}

/**
 * Whether sealing `data` costs this thread less than handing it to the evidence
 * thread: a message there and back wakes a sleeping thread each way, which cost
 * more (in CPU of the process and in the request's wait) than the 25–40 µs of
 * salting and hashing a five-field record here. A large record (up to 64 KB of
 * data: about 1 ms to seal) still goes to the thread, so it does not hold up the
 * requests behind it. Small: at most 16 fields, each a number, a boolean, null or
 * a string of at most 1,024 characters.
 */
function sealsHere(data: Record<string, unknown>): boolean {
  let fields = 0;
  for (const name in data) {
    if (++fields > 16) return false;
    const value = data[name];
    if (typeof value === "string" ? value.length > 1024 : value !== null && typeof value === "object") return false;
  }
  return true;
}

/** What a receipt says of a sealed record. */
function receiptFieldsOf(record: SealedRecord) {
  const { id: recordId, subject, seq } = record.header;
  return { recordId, subject, seq, commitment: record.commitment };
}

/** What the recorder answers of a sealed record. */
export function receiptOf(record: SealedRecord): RecordReceipt {
  const { id, subject, seq, recordedAt } = record.header;
  return { id, commitment: record.commitment, subject, seq, recordedAt };
}

/**
 * Refuses a record the platform does not keep: an unknown kind, or content the
 * SDK's `recordInputProblem` (the one definition of a record's content rules,
 * which the HTTP route applies too) refuses.
 */
export function validateRecordInput(input: RecordInput, limits: RecordLimits = DEFAULT_RECORD_LIMITS): void {
  if (!isEvidenceKind(input.kind)) {
    throw badRequest("UNKNOWN_KIND", `"${input.kind}" is not a kind of evidence this platform records`);
  }
  // A stored file was held to its own, larger limit when it was streamed in (a delivery's upload).
  const files = input.files?.map((file) => ({ name: file.name, size: "stored" in file ? 0 : file.bytes.length }));
  const problem = recordInputProblem({ subject: input.subject, data: input.data, files }, limits);
  if (problem) throw (problem.status === 413 ? tooLarge : badRequest)(problem.code, problem.message);
}
