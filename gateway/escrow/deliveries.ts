import {
  AGE_MAX_HEADER_BYTES,
  agePayloadLengthProblem,
  ageRecipientsProblem,
  readAgeHeader,
  type AgeHeader,
} from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { conflict, forbidden, GatewayError, tooLarge, unprocessable } from "../errors";
import type { EvidenceRecorder, InlineFile, StoredFile } from "../evidence/recorder";
import { activeKey } from "../identity/types";
import type { UserService } from "../identity/users";
import type { FileStore } from "../store/files";
import type { DeliveryFile, EscrowRepository } from "./repository";
import type { EscrowTerms } from "./terms";
import { escrowSubject, type EscrowAgreement } from "./types";

/** A file of a `deliver` move as the route gives it: its bytes, or a file streamed in before. */
export type DeliveryFileInput = { name: string; mediaType: string; recipients?: string[] } & (
  { bytes: Uint8Array } | { uploaded: string }
);

/** A delivered file checked and ready to record: what the statement digest and the move's record take. */
export type CheckedDeliveryFile = (InlineFile | StoredFile) & { sha256?: string; recipients: string[] };

/** The largest delivery file streamed in, unless the operator sets another (4 GiB). */
export const DEFAULT_DELIVERY_FILE_LIMIT = 4 * 1024 ** 3;

/**
 * Delivery that keeps its promise (6.8.2): the files a supplier delivers are age
 * files encrypted to exactly the recipients the contract names, the demander's
 * registered recipient and, where the terms say so (`deliverToArbitrator`), the
 * arbitrator's. The gateway cannot decrypt them and does not need to: it reads
 * each file's age header and holds it to the recipients (see `ageRecipientsProblem`
 * in the SDK for what a header can and cannot show).
 *
 * Large files are streamed in first (`upload`): hashed and written as they come,
 * never held whole, checked as they pass, and recorded as `escrow.delivery.uploaded`;
 * the `deliver` move then names them by SHA-256.
 */
export class EscrowDeliveries {
  constructor(
    private readonly tables: EscrowRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly terms: EscrowTerms,
    private readonly users: UserService,
    private readonly files: FileStore,
    private readonly limit: number = DEFAULT_DELIVERY_FILE_LIMIT,
  ) {}

  /** The age recipients a delivery of this deal is encrypted to, in the contract's order: demander, then arbitrator. */
  async recipientsOf(agreement: EscrowAgreement): Promise<string[]> {
    const named = agreement.deliverToArbitrator
      ? [
          ["demander", agreement.demanderId],
          ["arbitrator", agreement.arbitratorId],
        ]
      : [["demander", agreement.demanderId]];
    const recipients: string[] = [];
    for (const [role, id] of named) {
      const user = await this.users.find(id);
      const recipient = user ? activeKey(user.encryptionKeys) : undefined;
      if (!recipient) {
        throw conflict(
          "DELIVERY_RECIPIENT_UNKNOWN",
          `the ${role} has registered no encryption recipient (age1…) to deliver to; they register one first`,
        );
      }
      recipients.push(recipient);
    }
    return recipients;
  }

  /**
   * Checks the files of a `deliver` move: each states the contract's recipients,
   * each given inline is an age file with one X25519 stanza per recipient and a
   * well-formed payload, each uploaded one was streamed in for this milestone.
   */
  async check(agreement: EscrowAgreement, milestone: number, files: DeliveryFileInput[]) {
    if (files.length === 0) return [];
    const expected = await this.recipientsOf(agreement);
    const checked: CheckedDeliveryFile[] = [];
    for (const [index, file] of files.entries()) {
      const where = `file ${index} ("${file.name}")`;
      stateTheRecipients(where, file.recipients, expected);
      if ("bytes" in file) {
        const problem = inlineProblem(file.bytes, expected.length);
        if (problem) throw problem.prefixed(where);
        checked.push({ name: file.name, mediaType: file.mediaType, bytes: file.bytes, recipients: expected });
        continue;
      }
      const upload = await this.tables.deliveryFiles.get(uploadKey(agreement.dealId, milestone, file.uploaded));
      if (!upload) {
        throw unprocessable(
          "DELIVERY_FILE_UNKNOWN",
          `${where}: no file ${file.uploaded} was uploaded for milestone ${milestone} of this deal (POST /v1/deals/${agreement.dealId}/milestones/${milestone}/delivery-files)`,
        );
      }
      if (!sameSet(upload.recipients, expected)) {
        throw unprocessable(
          "DELIVERY_RECIPIENTS_WRONG",
          `${where} was uploaded for other recipients than the contract names now; upload it again`,
        );
      }
      checked.push({
        name: file.name,
        mediaType: file.mediaType,
        stored: { sha256: upload.sha256, size: upload.size },
        sha256: upload.sha256,
        recipients: expected,
      });
    }
    return checked;
  }

  /**
   * Streams a delivery file in for milestone `milestone`: only the deal's supplier
   * uploads; the stated recipients must be the contract's; the bytes must be an age
   * file with one X25519 stanza per recipient and nothing else, and a payload of
   * whole STREAM chunks; at most the delivery limit. Refused files are not kept.
   */
  async upload(
    supplier: Principal,
    dealId: string,
    milestone: number,
    input: { name: string; mediaType: string; recipients: string[] },
    source: AsyncIterable<Uint8Array>,
  ) {
    const agreement = await this.terms.get(dealId);
    if (agreement.status !== "created") {
      throw conflict("ESCROW_NOT_ON_CHAIN", "the escrow is not on chain yet: both parties must sign its terms first");
    }
    if (supplier.id !== agreement.supplierId) {
      throw forbidden("WRONG_ACTOR", "only the deal's supplier uploads delivery files");
    }
    if (milestone >= agreement.milestones.length) {
      throw new GatewayError(
        404,
        "MILESTONE_NOT_FOUND",
        `the deal has ${agreement.milestones.length} milestones, numbered from 0`,
      );
    }
    const expected = await this.recipientsOf(agreement);
    stateTheRecipients("the file", input.recipients, expected);

    let prefix = new Uint8Array(0);
    // Set by `inspect` once the header is read (a holder: the callbacks assign it).
    const seen: { header?: AgeHeader } = {};
    const stored = await this.files.putStream(source, {
      inspect: (piece, offset) => {
        if (offset + piece.length > this.limit) {
          throw tooLarge("DELIVERY_TOO_LARGE", `a delivery file is at most ${this.limit} bytes`);
        }
        if (seen.header) return;
        // Only the header's bytes are held, at most AGE_MAX_HEADER_BYTES.
        const more = piece.subarray(0, AGE_MAX_HEADER_BYTES + 1 - prefix.length);
        const joined = new Uint8Array(prefix.length + more.length);
        joined.set(prefix);
        joined.set(more, prefix.length);
        prefix = joined;
        const reading = readAgeHeader(prefix);
        if (reading.status === "invalid") throw notAge(reading.reason);
        if (reading.status === "complete") {
          seen.header = reading.header;
          prefix = new Uint8Array(0);
          const problem = ageRecipientsProblem(reading.header, expected.length);
          if (problem) throw unprocessable("DELIVERY_RECIPIENTS_WRONG", `the file: ${problem}`);
        }
      },
      accept: (size) => {
        if (!seen.header) throw notAge("the file ends before its age header does");
        const problem = agePayloadLengthProblem(size - seen.header.length);
        if (problem) throw notAge(problem);
      },
    });

    const file: StoredFile = { name: input.name, mediaType: input.mediaType, stored };
    const key = uploadKey(dealId, milestone, stored.sha256);
    const recordId = await this.recorder.write(async (unit) => {
      const sealed = await unit.seal({
        kind: "escrow.delivery.uploaded",
        subject: escrowSubject(dealId),
        data: { dealId, milestone, by: supplier.id, recipients: expected, stanzas: seen.header!.stanzas.length },
        files: [file],
      });
      unit.add({
        type: "put",
        sublevel: this.tables.deliveryFiles,
        key,
        value: {
          dealId,
          milestone,
          name: input.name,
          mediaType: input.mediaType,
          sha256: stored.sha256,
          size: stored.size,
          recipients: expected,
          uploadedBy: supplier.id,
          recordId: sealed.header.id,
        } satisfies DeliveryFile,
      });
      return sealed.header.id;
    });
    return {
      recordId,
      file: { name: input.name, mediaType: input.mediaType, ...stored, recipients: expected },
    };
  }
}

const uploadKey = (dealId: string, milestone: number, sha256: string) =>
  `${dealId}:${milestone}:${sha256.toLowerCase()}`;

function notAge(reason: string): GatewayError {
  return unprocessable("DELIVERY_NOT_AGE", `not an age file (age-encryption.org/v1): ${reason}`);
}

/** The recipients a delivered file states must be the contract's (in any order). */
function stateTheRecipients(where: string, stated: readonly string[] | undefined, expected: readonly string[]) {
  if (!stated || !sameSet(stated, expected)) {
    throw unprocessable(
      "DELIVERY_RECIPIENTS_WRONG",
      `${where} must be encrypted to, and name as its recipients, exactly those the contract names: ${expected.join(", ")}` +
        (stated ? `; it names ${stated.join(", ") || "none"}` : "; it names none"),
    );
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && new Set(a).size === a.length && b.every((item) => a.includes(item));
}

/** Why inline bytes are not an age file to `count` X25519 recipients, as the error to answer. */
function inlineProblem(bytes: Uint8Array, count: number): { prefixed(where: string): GatewayError } | undefined {
  const reading = readAgeHeader(bytes);
  const reason =
    reading.status === "invalid"
      ? reading.reason
      : reading.status === "incomplete"
        ? "the file ends before its age header does"
        : agePayloadLengthProblem(bytes.length - reading.header.length);
  if (reason) {
    return { prefixed: (where) => unprocessable("DELIVERY_NOT_AGE", `${where} is not an age file: ${reason}`) };
  }
  const header = (reading as { header: AgeHeader }).header;
  const wrong = ageRecipientsProblem(header, count);
  if (wrong) return { prefixed: (where) => unprocessable("DELIVERY_RECIPIENTS_WRONG", `${where}: ${wrong}`) };
  return undefined;
}
