import {
  DOSSIER_FORMAT,
  FILES_FIELD,
  summarizeDispute,
  summarizedRecordOf,
  type DisputeDossier,
  type FileDescriptor,
} from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { conflict, GatewayError, notFound } from "../errors";
import type { EvidenceRecorder, RecordFile } from "../evidence/recorder";
import type { EvidenceService } from "../evidence/service";
import type { FileStore } from "../store/files";
import type { EscrowRepository } from "./repository";
import { escrowSubject, type Dispute } from "./types";
import { OVERSEERS } from "../auth/policy";

/**
 * Disputes (clause 6.8 and the transaction guarantee): the milestone's dispute
 * itself moves on chain (EscrowMoves, EscrowEvents); here are what the platform
 * organises around it: the negotiation between the parties, recorded message by
 * message, and the dossier for the arbitrator (and, exported, for authorities):
 * every record of the deal as a certificate, in hash-chain order from the first,
 * with the documents they commit to, verifiable offline with `npm run verify`.
 */
export class DisputeService {
  constructor(
    private readonly tables: EscrowRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly evidence: EvidenceService,
    private readonly files: FileStore,
  ) {}

  /** The dispute, for its parties, its arbitrator and overseers; 403 alike for others and for unknown ids. */
  async get(viewer: Principal, id: string): Promise<Dispute> {
    const dispute = await this.tables.disputes.get(id);
    const overseer = readsEveryDispute(viewer);
    if (overseer) {
      if (!dispute) throw notFound("DISPUTE_NOT_FOUND", `no dispute with id ${id}`);
      return dispute;
    }
    const agreement = dispute ? await this.tables.escrows.get(dispute.dealId) : undefined;
    if (
      !dispute ||
      !agreement ||
      ![agreement.supplierId, agreement.demanderId, dispute.arbitratorId].includes(viewer.id)
    ) {
      throw new GatewayError(
        403,
        "NOT_A_PARTY",
        "a dispute is seen by its parties and its arbitrator (or it does not exist)",
      );
    }
    return dispute;
  }

  /** Disputes the viewer is a party or the arbitrator of (all, for overseers). */
  async list(viewer: Principal): Promise<Dispute[]> {
    const overseer = readsEveryDispute(viewer);
    const found: Dispute[] = [];
    for await (const dispute of this.tables.disputes.values()) {
      if (overseer || dispute.arbitratorId === viewer.id) {
        found.push(dispute);
        continue;
      }
      const agreement = await this.tables.escrows.get(dispute.dealId);
      if (agreement && [agreement.supplierId, agreement.demanderId].includes(viewer.id)) found.push(dispute);
    }
    return found.sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  }

  /**
   * A file a record of the deal commits to (the contract, a delivery, a dispute's
   * evidence), for the deal's parties, its arbitrator and overseers. Deliveries are
   * age-encrypted by the supplier: only the recipients read them.
   */
  async document(viewer: Principal, dealId: string, sha256: string): Promise<Buffer> {
    const agreement = await this.tables.escrows.get(dealId);
    const overseer = OVERSEERS.some((role) => viewer.roles.includes(role));
    const party = agreement && [agreement.supplierId, agreement.demanderId, agreement.arbitratorId].includes(viewer.id);
    if (!agreement || !(overseer || party)) {
      throw new GatewayError(
        403,
        "NOT_A_PARTY",
        "a deal's documents are seen by its parties and its arbitrator (or it does not exist)",
      );
    }
    const chain = await this.evidence.subjectChain(escrowSubject(dealId));
    for (const view of chain.records) {
      const record = await this.evidence.find(view.id);
      const files = record?.data[FILES_FIELD] as FileDescriptor[] | undefined;
      if (files?.some((file) => file.sha256 === sha256)) {
        const bytes = await this.files.get(sha256);
        if (bytes) return bytes;
      }
    }
    throw notFound("DOCUMENT_NOT_FOUND", `no document with SHA-256 ${sha256} in the records of deal ${dealId}`);
  }

  /** A negotiation message between the parties (or from the arbitrator), with documents; recorded on the deal. */
  async message(viewer: Principal, id: string, input: { text: string; files?: RecordFile[]; records?: string[] }) {
    const dispute = await this.get(viewer, id);
    if (viewer.kind !== "user") throw new GatewayError(403, "NOT_A_PARTY", "only the parties and the arbitrator write");
    if (dispute.status === "final" || dispute.status === "settled" || dispute.status === "cancelled") {
      throw conflict("DISPUTE_CLOSED", `the dispute is ${dispute.status}; nothing more is recorded in it`);
    }
    for (const recordId of input.records ?? []) {
      if (!(await this.evidence.find(recordId))) {
        throw new GatewayError(422, "UNKNOWN_RECORD", `no record with id ${recordId}`);
      }
    }
    const receipt = await this.recorder.record({
      kind: "negotiation.recorded",
      subject: escrowSubject(dispute.dealId),
      data: {
        dispute: id,
        milestone: dispute.milestone,
        by: viewer.id,
        text: input.text,
        records: input.records ?? [],
      },
      files: input.files,
    });
    return receipt;
  }

  /**
   * The dossier: the deal subject's records from seq 0 up to the last one
   * anchored without a gap, each a certificate disclosing every field, and the
   * files they commit to. Records newer than that are counted, not included:
   * they have no certificate until their batch is anchored (seconds).
   */
  async dossier(viewer: Principal, id: string): Promise<DisputeDossier> {
    const dispute = await this.get(viewer, id);
    const subject = escrowSubject(dispute.dealId);
    const chain = await this.evidence.subjectChain(subject);
    if (!chain.intact) {
      throw new GatewayError(
        409,
        "SUBJECT_CHAIN_BROKEN",
        `the deal's records do not chain: ${chain.problems.join("; ")}`,
      );
    }
    const certificates: DisputeDossier["certificates"] = [];
    const documents: DisputeDossier["documents"] = [];
    for (const view of chain.records) {
      if (view.status !== "anchored") break;
      const certificate = await this.evidence.certificate(view.id);
      certificates.push(certificate);
      const field = certificate.record.fields[FILES_FIELD];
      if (!field || !("value" in field)) continue;
      for (const file of field.value as unknown as FileDescriptor[]) {
        const bytes = await this.files.get(file.sha256);
        if (!bytes)
          throw new GatewayError(
            409,
            "DOCUMENT_MISSING",
            `the file ${file.name} of record ${view.id} is missing from the store`,
          );
        documents.push({
          recordId: view.id,
          name: file.name,
          mediaType: file.mediaType,
          sha256: file.sha256,
          contentBase64: bytes.toString("base64"),
        });
      }
    }
    // The summary is derived from the records, exactly as a verifier derives it
    // again: nothing in the dossier rests on the gateway's word.
    const summary = summarizeDispute(certificates.map(summarizedRecordOf), dispute.milestone);
    if (!summary) {
      throw new GatewayError(
        409,
        "DOSSIER_NOT_READY",
        "the record of the dispute's opening is not anchored yet; try again in a few seconds",
        { headers: { "Retry-After": "2" } },
      );
    }
    return {
      format: DOSSIER_FORMAT,
      issuedAt: new Date().toISOString(),
      subject,
      dispute: summary,
      certificates,
      pendingRecords: chain.length - certificates.length,
      documents,
    };
  }
}

/**
 * Overseers, and the arbitration body, which watches for arbitrators who let a
 * ruling period lapse and replaces them (docs/ESCROW.md), read every dispute.
 */
function readsEveryDispute(viewer: Principal): boolean {
  return OVERSEERS.some((role) => viewer.roles.includes(role)) || viewer.roles.includes("arbitration_body");
}
