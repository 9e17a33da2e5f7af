import {
  ARCHIVE_FORMAT,
  fileDigest,
  FILES_FIELD,
  summarizeArchive,
  type DealArchive,
  type FileDescriptor,
} from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { conflict, forbidden, GatewayError } from "../errors";
import type { EvidenceRecorder } from "../evidence/recorder";
import type { EvidenceService } from "../evidence/service";
import { dealSubject } from "../market/types";
import type { FileStore } from "../store/files";
import { KeyedLock } from "../util/keyedLock";
import type { DealRepository } from "./repository";
import type { DealWorkspace, StoredArchive } from "./types";
import type { DealWorkspaces } from "./workspace";

/** The shortest retention the platform accepts: three years, as the e-commerce law asks of transaction records. */
export const MIN_ARCHIVE_RETENTION_YEARS = 3;

export interface ArchiveOptions {
  /** Whole years an archive is kept from the archive move before it may be purged; at least three. */
  retentionYears: number;
}

/**
 * The deal's archive (clause 6.10): once the deal is archived (the `archive`
 * move, from closed or cancelled), every record of the deal's subject from seq 0
 * up to and including that move, as certificates disclosing every field, every
 * file they commit to (the signed contract, deliveries, messages' documents…,
 * bytes included), the escrow's on-chain history and the summary, all in one
 * JSON file (`tech-transfer-ledger/deal-archive@1`, docs/ARCHIVE.md) that
 * verifies offline against the reader's trust anchor.
 *
 * A certificate needs its record anchored, so the archive waits for the archive
 * move's batch (seconds): it is built the first time it is asked for after that,
 * kept as it is (its SHA-256 an `archive.recorded` record of the deal), and
 * answered the same ever after, until the retention period ends and the operator
 * purges it (another record; the chain's anchors stay).
 */
export class DealArchives {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly tables: DealRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly evidence: EvidenceService,
    private readonly files: FileStore,
    private readonly workspaces: DealWorkspaces,
    private readonly options: ArchiveOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {
    assertRetention(options.retentionYears);
  }

  /** The archive file (JSON text) for the deal's parties, broker, manager and overseers. */
  async download(viewer: Principal, dealId: string): Promise<{ body: string; sha256: string; retainUntil: string }> {
    const workspace = await this.reader(viewer, dealId);
    const stored = await this.built(workspace);
    return { body: stored.body!, sha256: stored.sha256, retainUntil: stored.retainUntil };
  }

  /**
   * The operator purges the archive once its retention period is over: the kept
   * file goes, the record of its digest and the chain's anchors stay, and the purge
   * is a record of the deal. Before then it is refused with the date it may be purged.
   */
  async purge(caller: Principal, dealId: string) {
    const { workspace } = await this.workspaces.standing(caller, dealId);
    const move = archiveMoveOf(workspace);
    if (workspace.state !== "archived" || !move) throw notArchived(workspace);
    const retainUntil = this.retainUntil(move.at);
    if (this.clock().getTime() < Date.parse(retainUntil)) {
      throw conflict(
        "ARCHIVE_RETAINED",
        `the archive is kept until ${retainUntil} (${this.options.retentionYears} years from ${move.at}); it may be purged from then`,
      );
    }
    return this.lock.run([dealId], async () => {
      const stored = await this.tables.archives.get(dealId);
      if (stored?.purged) throw purged(stored);
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "archive.recorded",
          subject: dealSubject(dealId),
          data: {
            type: "purge",
            by: caller.id,
            retainUntil,
            ...(stored && { archive: stored.sha256, archiveRecordId: stored.recordId }),
          },
        });
        const purge = { at: record.header.recordedAt, by: caller.id, recordId: record.header.id };
        const next: StoredArchive = stored
          ? { ...stored, body: undefined, purged: purge }
          : {
              dealId,
              archivedAt: move.at,
              retainUntil,
              sha256: "",
              records: 0,
              documents: 0,
              builtAt: "",
              recordId: "",
              purged: purge,
            };
        delete next.body;
        unit.put(this.tables.archives, dealId, next);
        const { body: _body, ...answer } = next;
        return answer;
      });
    });
  }

  /** The kept archive, built now if its records are anchored. */
  private async built(workspace: DealWorkspace): Promise<StoredArchive> {
    const move = archiveMoveOf(workspace);
    if (workspace.state !== "archived" || !move) throw notArchived(workspace);
    const dealId = workspace.dealId;
    const kept = await this.tables.archives.get(dealId);
    if (kept?.purged) throw purged(kept);
    if (kept?.body) return kept;
    return this.lock.run([dealId], async () => {
      const again = await this.tables.archives.get(dealId);
      if (again?.purged) throw purged(again);
      if (again?.body) return again;
      const archive = await this.build(dealId, move.recordId);
      const body = JSON.stringify(archive);
      const sha256 = fileDigest(Buffer.from(body, "utf8"));
      const retainUntil = this.retainUntil(move.at);
      return this.recorder.write(async (unit) => {
        // The archive's digest as a record: anchored in its turn, it proves the file existed whole at that time.
        const record = await unit.seal({
          kind: "archive.recorded",
          subject: dealSubject(dealId),
          data: {
            type: "archive",
            format: ARCHIVE_FORMAT,
            sha256,
            records: archive.certificates.length,
            documents: archive.documents.length,
            retainUntil,
          },
        });
        const stored: StoredArchive = {
          dealId,
          archivedAt: move.at,
          retainUntil,
          body,
          sha256,
          records: archive.certificates.length,
          documents: archive.documents.length,
          builtAt: record.header.recordedAt,
          recordId: record.header.id,
        };
        unit.put(this.tables.archives, dealId, stored);
        return stored;
      });
    });
  }

  /** Seq 0 up to the archive move's record, each anchored, as certificates with every file they commit to. */
  private async build(dealId: string, moveRecordId: string): Promise<DealArchive> {
    const subject = dealSubject(dealId);
    const chain = await this.evidence.subjectChain(subject);
    if (!chain.intact) {
      throw new GatewayError(
        409,
        "SUBJECT_CHAIN_BROKEN",
        `the deal's records do not chain: ${chain.problems.join("; ")}`,
      );
    }
    const end = chain.records.findIndex((view) => view.id === moveRecordId);
    const pending = chain.records.slice(0, end + 1).filter((view) => view.status !== "anchored").length;
    if (end < 0 || pending > 0) {
      throw conflict(
        "ARCHIVE_NOT_READY",
        `${pending || "some"} of the deal's records up to the archive move are not anchored yet; the archive is built once they are (seconds): try again`,
        { "Retry-After": "2" },
      );
    }
    const certificates: DealArchive["certificates"] = [];
    const documents: DealArchive["documents"] = [];
    for (const view of chain.records.slice(0, end + 1)) {
      const certificate = await this.evidence.certificate(view.id);
      certificates.push(certificate);
      const field = certificate.record.fields[FILES_FIELD];
      if (!field || !("value" in field)) continue;
      for (const file of field.value as unknown as FileDescriptor[]) {
        const bytes = await this.files.get(file.sha256);
        if (!bytes) {
          throw new GatewayError(
            409,
            "DOCUMENT_MISSING",
            `the file ${file.name} of record ${view.id} is missing from the store`,
          );
        }
        documents.push({
          recordId: view.id,
          name: file.name,
          mediaType: file.mediaType,
          sha256: file.sha256,
          contentBase64: bytes.toString("base64"),
        });
      }
    }
    // Derived from the certificates exactly as a verifier derives it again.
    const summary = summarizeArchive(certificates)!;
    return {
      format: ARCHIVE_FORMAT,
      issuedAt: this.clock().toISOString(),
      subject,
      summary,
      certificates,
      documents,
    };
  }

  private async reader(viewer: Principal, dealId: string): Promise<DealWorkspace> {
    const { workspace, actors, overseer } = await this.workspaces.standing(viewer, dealId);
    const reads = actors.some((a) => ["supplier", "demander", "broker", "manager", "operator"].includes(a));
    if (!reads && !overseer) {
      throw forbidden(
        "NOT_AN_ARCHIVE_READER",
        "a deal's archive discloses every record, confidential threads included: it is for the parties, the broker, the manager and overseers",
      );
    }
    return workspace;
  }

  /** The end of the retention period: `retentionYears` calendar years after the archive move. */
  private retainUntil(archivedAt: string): string {
    const until = new Date(archivedAt);
    until.setUTCFullYear(until.getUTCFullYear() + this.options.retentionYears);
    return until.toISOString();
  }
}

/** Refuses a retention shorter than the law's three years (the gateway does not start with one). */
export function assertRetention(years: number): void {
  if (!Number.isInteger(years) || years < MIN_ARCHIVE_RETENTION_YEARS) {
    throw new Error(
      `archive retention of ${years} years: deal archives are kept at least ${MIN_ARCHIVE_RETENTION_YEARS} years (ARCHIVE_RETENTION_YEARS)`,
    );
  }
}

/** The move that archived the deal (the last one, as no move leaves `archived`). */
function archiveMoveOf(workspace: DealWorkspace) {
  return workspace.history.findLast((entry) => entry.to === "archived");
}

const notArchived = (workspace: DealWorkspace) =>
  conflict(
    "DEAL_NOT_ARCHIVED",
    `the deal is ${workspace.state}: its archive is built when it is archived (move archive, from closed or cancelled)`,
  );

const purged = (stored: StoredArchive) =>
  new GatewayError(
    410,
    "ARCHIVE_PURGED",
    `the archive was purged on ${stored.purged!.at} after its retention period (record ${stored.purged!.recordId})`,
  );
