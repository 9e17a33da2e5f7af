import type { Provider } from "ethers";
import { ZERO_HASH } from "../evidence/bytes";
import { canonicalJson } from "../evidence/canonical";
import { fileDigest } from "../evidence/fileDigest";
import { FILES_FIELD, type FileDescriptor } from "../evidence/record";
import type { InvalidArgumentError } from "../errors";
import { parseJsonStrict } from "../json/parseJsonStrict";
import type { EvidenceReceipt } from "../receipts/receipt";
import type { TrustAnchor } from "../trust/trustAnchor";
import { summarizeDispute, summarizedRecordOf, type SummarizedRecord } from "./disputeSummary";
import { statementDigest } from "../escrow/statementDigest";
import {
  dossierSchema,
  type DisputeDossier,
  type DossierAnchor,
  type DossierDocument,
  type DossierVerificationResult,
} from "./dossier";
import { checkEscrowEvents } from "./checkEscrowEvents";
import type { EvidenceCertificate, VerificationCheck } from "./types";
import {
  endpointProblemOf,
  requireTrust,
  unavailable,
  verifyCertificate,
  withProvider,
  type ChainEndpoint,
} from "./verifyCertificate";
import { verifyCertificateOffline } from "./verifyCertificateOffline";

export interface VerifyDossierOfflineParameters {
  /**
   * Receipts the reader kept, already checked with `verifyReceipts` against their
   * trust anchor. A receipt for the dossier's subject proves that record exists:
   * the dossier must hold it, at its seq, with its commitment.
   */
  receipts?: readonly EvidenceReceipt[];
}

export type VerifyDossierParameters = ChainEndpoint &
  VerifyDossierOfflineParameters & {
    /** The file: parsed JSON, or its text (a duplicate member name is then refused). */
    dossier: unknown;
    /** What the reader trusts; required (see `verifyCertificate`). */
    trust: TrustAnchor;
  };

/**
 * Checks everything in a dispute dossier that needs no chain: its layout
 * (docs/dossier.schema.json); that it holds at least one record; that every
 * certificate is valid on its own and discloses every field; that all are about
 * the dossier's subject; that array position is seq and each `prev` is the
 * commitment of the one before (nothing dropped, inserted or reordered up to n);
 * that certificates sharing a root state the same anchor; that every file a record
 * commits to is in the dossier and every document is such a file, byte for byte;
 * that each delivery's on-chain digest is the one its statement and files give;
 * that the dispute summary is the one the records give; and that the dossier holds
 * every record a given receipt proves. The anchors are checked by {@link verifyDossier};
 * a dossier that passes here is `UNVERIFIED`, never `VALID`.
 *
 * Codes: `MALFORMED`, `EMPTY`, `CERTIFICATE_INVALID`, `FIELD_WITHHELD`, `WRONG_SUBJECT`,
 * `INCOMPLETE`, `CHAIN_BROKEN`, `ANCHOR_MISMATCH`, `DOCUMENT_MISSING`, `DOCUMENT_MISMATCH`,
 * `DELIVERY_DIGEST_MISMATCH`, `SUMMARY_MISMATCH`, `RECORD_MISSING`, `RECEIPT_MISMATCH`.
 *
 * @example
 * const result = verifyDossierOffline(JSON.parse(text));
 * result.valid ? console.log(result.records, "records") : console.log(result.code, result.reason);
 */
export function verifyDossierOffline(
  input: unknown,
  parameters: VerifyDossierOfflineParameters = {},
): DossierVerificationResult {
  return checkDossier(input, parameters.receipts ?? []).result;
}

/**
 * Verifies a dispute dossier completely against the reader's trust anchor: the
 * checks of {@link verifyDossierOffline}, then each distinct anchor once, as
 * `verifyCertificate` checks a certificate's (trusted chain and registry, block,
 * transaction, anchorer), then, when the trust anchor names the escrow, that each
 * escrow event the records cite was emitted by it as recorded. A failed anchor
 * keeps the certificate verifier's code (`REGISTRY_NOT_TRUSTED`, `ROOT_NOT_ANCHORED`,
 * …); an endpoint that does not answer gives `UNVERIFIED` / `CHAIN_UNAVAILABLE`.
 *
 * @example
 * const result = await verifyDossier({ dossier: text, rpcUrl: "http://127.0.0.1:8545", trust });
 * if (result.verdict !== "VALID") console.log(result.code, result.reason);
 */
export async function verifyDossier(parameters: VerifyDossierParameters): Promise<DossierVerificationResult> {
  const trust = requireTrust(parameters.trust);
  const { result, dossier } = checkDossier(parameters.dossier, parameters.receipts ?? []);
  if (!result.valid || !dossier) return result;
  const fail = (code: string, reason: string): DossierVerificationResult => {
    result.checks.push({ name: code, ok: false, detail: reason });
    return { ...result, verdict: "INVALID", valid: false, code, reason };
  };

  return withProvider(parameters, async (provider: Provider) => {
    const outcome = await checkRecordsOnChain(provider, trust, dossier.certificates, result.anchors, result.checks);
    if ("unavailable" in outcome) return unavailable(result, outcome.unavailable);
    if (outcome.problem) return fail(outcome.problem.code, outcome.problem.reason);
    return { ...result, verdict: "VALID" as const };
  });
}

/**
 * The chain checks a dossier and an archive share: the endpoint is the trusted
 * chain, each distinct anchor is checked once as `verifyCertificate` checks a
 * certificate's, then the escrow events the records cite. Passing checks are
 * pushed on `checks`; the first failure is returned, or `unavailable` when the
 * endpoint did not answer.
 */
export async function checkRecordsOnChain(
  provider: Provider,
  trust: TrustAnchor,
  certificates: readonly EvidenceCertificate[],
  anchors: readonly DossierAnchor[],
  checks: VerificationCheck[],
): Promise<{ problem?: { code: string; reason: string } } | { unavailable: unknown }> {
  try {
    const chainProblem = await endpointProblemOf(provider, trust);
    if (chainProblem) return { problem: { code: "CHAIN_MISMATCH", reason: chainProblem } };
    for (const anchor of anchors) {
      const holders = certificates.filter((c) => c.merkle.root === anchor.root);
      const seqs = holders.map((c) => c.record.header.seq).join(", ");
      // The other holders' proofs were checked offline against this root, and the
      // offline check made them state this very anchor: one certificate per root suffices.
      const outcome = await verifyCertificate(holders[0], { provider, trust });
      if (outcome.verdict === "UNVERIFIED") return { unavailable: new Error(outcome.reason) };
      if (!outcome.valid) {
        return {
          problem: {
            code: outcome.code!,
            reason: `the anchor of root ${anchor.root} (seq ${seqs}): ${outcome.reason}`,
          },
        };
      }
      checks.push({
        name: "anchor",
        ok: true,
        detail: `root ${anchor.root} anchored in block ${anchor.blockNumber} at ${outcome.anchoredAt} by ${outcome.anchorer} (seq ${seqs})`,
      });
    }
    const events = await checkEscrowEvents(provider, trust, certificates);
    if (events.problem) return { problem: events.problem };
    checks.push({ name: "escrow events", ok: true, detail: events.detail });
    return {};
  } catch (error) {
    return { unavailable: error };
  }
}

/** The offline checks, with the parsed dossier for the chain checks that follow. */
function checkDossier(
  input: unknown,
  receipts: readonly EvidenceReceipt[],
): { result: DossierVerificationResult; dossier?: DisputeDossier } {
  const checks: DossierVerificationResult["checks"] = [];
  let summary: Omit<DossierVerificationResult, "verdict" | "valid" | "checks"> = {
    records: 0,
    documents: 0,
    anchors: [],
  };
  const fail = (code: string, reason: string) => {
    checks.push({ name: code, ok: false, detail: reason });
    return { result: { verdict: "INVALID" as const, valid: false, code, reason, checks, ...summary } };
  };

  if (typeof input === "string") {
    try {
      input = parseJsonStrict(input);
    } catch (error) {
      return fail("MALFORMED", `not a dispute dossier: ${(error as InvalidArgumentError).shortMessage}`);
    }
  }
  const parsed = dossierSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail("MALFORMED", `not a dispute dossier: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const dossier = parsed.data;
  const { certificates, documents, subject } = dossier;
  summary = {
    records: certificates.length,
    documents: documents.length,
    anchors: distinctAnchors(certificates),
    subject,
    pendingRecords: dossier.pendingRecords,
  };
  checks.push({ name: "format", ok: true });
  const problem = checkRecordChain(subject, certificates, documents, checks, "dossier");
  if (problem) return fail(problem.code, problem.reason);

  const records = certificates.map(summarizedRecordOf);
  const derived = summarizeDispute(records, dossier.dispute.milestone);
  if (!derived) {
    return fail("SUMMARY_MISMATCH", `no record opens a dispute on milestone ${dossier.dispute.milestone}`);
  }
  if (canonicalJson(derived) !== canonicalJson(dossier.dispute)) {
    const differing = Object.keys({ ...derived, ...dossier.dispute }).filter(
      (key) =>
        canonicalJson((derived as Record<string, unknown>)[key] ?? null) !==
        canonicalJson((dossier.dispute as Record<string, unknown>)[key] ?? null),
    );
    return fail(
      "SUMMARY_MISMATCH",
      `the dispute summary is not what the records say (${differing.join(", ")}); the records say: ${canonicalJson(derived)}`,
    );
  }
  summary.dispute = derived;
  checks.push({ name: "dispute", ok: true, detail: `${derived.id}: ${derived.status}, derived from the records` });

  const held = checkReceiptsHeld(subject, certificates, receipts, checks, "dossier");
  if (held.problem) return fail(held.problem.code, held.problem.reason);
  summary.receipts = held.count;

  return { result: { verdict: "UNVERIFIED", valid: true, checks, ...summary }, dossier };
}

/**
 * The offline checks a dossier and an archive share, on one subject's certificates
 * and the documents carried with them: at least one record; every certificate valid
 * on its own and disclosing every field; all about `subject`; array position is seq
 * and each `prev` is the commitment of the one before; certificates sharing a root
 * state the same anchor; every file a record commits to is carried and every
 * document is such a file, byte for byte; every delivery's digest is the one its
 * statement and files give. Passing checks are pushed on `checks`;
 * the first failure is returned (the caller reports it).
 */
export function checkRecordChain(
  subject: string,
  certificates: readonly EvidenceCertificate[],
  documents: readonly DossierDocument[],
  checks: VerificationCheck[],
  what: "dossier" | "archive",
): { code: string; reason: string } | undefined {
  const fail = (code: string, reason: string) => ({ code, reason });
  const anchors = distinctAnchors(certificates);
  if (certificates.length === 0) return fail("EMPTY", `the ${what} holds no record`);

  for (const [position, certificate] of certificates.entries()) {
    const inner = verifyCertificateOffline(certificate);
    if (!inner.valid) {
      return fail(
        "CERTIFICATE_INVALID",
        `the certificate of seq ${certificate.record.header.seq} (position ${position}) is invalid: ${inner.code}: ${inner.reason}`,
      );
    }
    const withheld = Object.entries(certificate.record.fields).find(([, field]) => !("salt" in field));
    if (withheld) {
      return fail(
        "FIELD_WITHHELD",
        `the certificate of seq ${certificate.record.header.seq} withholds field "${withheld[0]}"; a ${what} discloses every field`,
      );
    }
  }
  checks.push({ name: "certificates", ok: true, detail: `${certificates.length} valid, every field disclosed` });

  for (const { record } of certificates) {
    if (record.header.subject !== subject) {
      return fail(
        "WRONG_SUBJECT",
        `the certificate of seq ${record.header.seq} (record ${record.header.id}) is about "${record.header.subject}", not "${subject}"`,
      );
    }
  }
  checks.push({ name: "subject", ok: true, detail: subject });

  for (const [position, certificate] of certificates.entries()) {
    const { seq, prev } = certificate.record.header;
    if (seq !== position) {
      const later = certificates.findIndex((c, i) => i > position && c.record.header.seq === position);
      return fail(
        "INCOMPLETE",
        later >= 0
          ? `the certificates are out of order: position ${position} holds seq ${seq}, seq ${position} comes at position ${later}`
          : `seq ${position} of the subject is missing (position ${position} holds seq ${seq})`,
      );
    }
    const expected = position === 0 ? ZERO_HASH : certificates[position - 1].commitment;
    if (prev !== expected) {
      return fail(
        "CHAIN_BROKEN",
        position === 0
          ? `seq 0 names a previous record (${prev}); the first record of a subject names none`
          : `seq ${seq} does not follow seq ${seq - 1}: its prev is ${prev}, the commitment of seq ${seq - 1} is ${expected}`,
      );
    }
  }
  checks.push({
    name: "sequence",
    ok: true,
    detail: `seq 0…${certificates.length - 1}, each linked to the one before`,
  });

  // A registry anchors a root once, so two certificates stating different anchors
  // for one root cannot both be true; and the chain checks look at one per root.
  for (const certificate of certificates) {
    const anchor = anchors.find((a) => a.root === certificate.merkle.root)!;
    if (!sameAnchor(anchor, certificate)) {
      return fail(
        "ANCHOR_MISMATCH",
        `the certificate of seq ${certificate.record.header.seq} states another anchor for root ${anchor.root} than the certificates before it`,
      );
    }
  }
  checks.push({ name: "anchors", ok: true, detail: `${anchors.length} distinct` });

  const byId = new Map(certificates.map((c) => [c.record.header.id, c]));
  for (const document of documents) {
    const problem = documentProblem(document, byId.get(document.recordId), what);
    if (problem) return fail("DOCUMENT_MISMATCH", `document "${document.name}": ${problem}`);
  }
  for (const certificate of certificates) {
    for (const file of filesOf(certificate)) {
      const carried = documents.some((d) => d.recordId === certificate.record.header.id && d.sha256 === file.sha256);
      if (!carried) {
        return fail(
          "DOCUMENT_MISSING",
          `the file "${file.name}" (SHA-256 ${file.sha256}) of seq ${certificate.record.header.seq} is not in the ${what}`,
        );
      }
    }
  }
  checks.push({
    name: "documents",
    ok: true,
    detail: `${documents.length}, every file of every record, each matching`,
  });

  // A delivery's on-chain digest must be the one its record's statement and files give.
  const deliveries = checkDeliveries(
    certificates.map((certificate) => ({
      header: certificate.record.header,
      data: summarizedRecordOf(certificate).data,
    })),
  );
  if (deliveries.problem) return fail("DELIVERY_DIGEST_MISMATCH", deliveries.problem);
  if (deliveries.detail) checks.push({ name: "deliveries", ok: true, detail: deliveries.detail });

  return undefined;
}

/**
 * That the certificates hold every record a receipt about `subject` proves, at its
 * seq with its commitment (the receipts already checked against the reader's trust).
 */
export function checkReceiptsHeld(
  subject: string,
  certificates: readonly EvidenceCertificate[],
  receipts: readonly EvidenceReceipt[],
  checks: VerificationCheck[],
  what: "dossier" | "archive",
): { problem?: { code: string; reason: string }; count: number } {
  const fail = (code: string, reason: string) => ({ problem: { code, reason }, count: 0 });
  const ours = receipts.filter((r) => r.subject === subject);
  for (const receipt of ours) {
    const held = certificates[receipt.seq];
    if (!held) {
      return fail(
        "RECORD_MISSING",
        `a receipt proves record ${receipt.recordId} at seq ${receipt.seq}, but the ${what} ends at seq ${certificates.length - 1}`,
      );
    }
    if (held.record.header.id !== receipt.recordId || held.commitment !== receipt.commitment) {
      return fail(
        "RECEIPT_MISMATCH",
        `a receipt proves record ${receipt.recordId} with commitment ${receipt.commitment} at seq ${receipt.seq}; the ${what} holds record ${held.record.header.id} with ${held.commitment} there`,
      );
    }
  }
  if (receipts.length) {
    checks.push({
      name: "receipts",
      ok: true,
      detail: `${ours.length} of ${receipts.length} concern this subject, each held`,
    });
  }

  return { count: ours.length };
}

/** The files a certificate's record commits to (its disclosed `$files`). */
/** A record with every field disclosed: its header and its data. */
type DisclosedRecord = { header: { seq: number; kind: string }; data: SummarizedRecord["data"] };

/**
 * Ties each delivery's on-chain digest to its files: for every `DeliverySubmitted`
 * the records copy, the `deliver` move sent in the same transaction must state a
 * statement whose digest (`statementDigest` over its text, its files' names,
 * SHA-256 and recipients, and its records) is the event's `deliveryDigest` and the
 * `data` the supplier signed; the files it names are the move's own, whose bytes
 * the documents check matched. The chain check then ties the event to the escrow.
 * A delivery sent to the escrow without the gateway has no move record to tie it
 * to: it is counted, not failed (its digest is the supplier's alone). The check is
 * listed (`deliveries`) when the dossier holds a delivery.
 */
function checkDeliveries(records: readonly DisclosedRecord[]): { problem?: string; detail: string } {
  const moves = new Map<string, DisclosedRecord>();
  for (const record of records) {
    const hash = record.data.transactionHash;
    if (record.header.kind === "escrow.move" && record.data.move === "deliver" && typeof hash === "string") {
      moves.set(hash.toLowerCase(), record);
    }
  }
  let tied = 0;
  let outside = 0;
  for (const record of records) {
    if (record.header.kind !== "escrow.event" || record.data.event !== "DeliverySubmitted") continue;
    const seq = record.header.seq;
    const onChain = String((record.data.args as Record<string, unknown> | undefined)?.deliveryDigest ?? "");
    const move = moves.get(String(record.data.transactionHash ?? "").toLowerCase());
    if (!move) {
      outside++;
      continue;
    }
    const statement = move.data.statement as
      | { text?: unknown; records?: unknown; files?: Array<{ name: string; sha256: string; recipients?: string[] }> }
      | undefined;
    if (!statement || typeof statement.text !== "string") {
      return { problem: `seq ${move.header.seq}: the delivery's record states no statement`, detail: "" };
    }
    const kept = (move.data[FILES_FIELD] as FileDescriptor[] | undefined) ?? [];
    const stated = statement.files ?? kept.map((file) => ({ name: file.name, sha256: file.sha256 }));
    if (
      stated.length !== kept.length ||
      stated.some((file, i) => file.sha256 !== kept[i].sha256 || file.name !== kept[i].name)
    ) {
      return {
        problem: `seq ${move.header.seq}: the delivery's statement names other files than the record holds`,
        detail: "",
      };
    }
    const recomputed = statementDigest({
      text: statement.text,
      files: stated,
      records: Array.isArray(statement.records) ? (statement.records as string[]) : [],
    });
    const signed = (move.data.signedAction as { data?: unknown } | undefined)?.data;
    if (recomputed !== onChain || recomputed !== signed) {
      return {
        problem:
          `seq ${seq}: the escrow's deliveryDigest is ${onChain} and the supplier signed ${String(signed)}, ` +
          `but the delivery's statement and files (seq ${move.header.seq}) give ${recomputed}`,
        detail: "",
      };
    }
    tied++;
  }
  if (tied + outside === 0) return { detail: "" };
  return {
    detail:
      `${tied} delivery digest(s) recomputed from the statement and the files` +
      (outside ? `; ${outside} delivered to the escrow without the gateway, tied to no files` : ""),
  };
}

function filesOf(certificate: EvidenceCertificate): FileDescriptor[] {
  const field = certificate.record.fields[FILES_FIELD];
  if (!field || !("salt" in field) || !Array.isArray(field.value)) return [];
  return (field.value as unknown[]).filter(
    (d): d is FileDescriptor => typeof d === "object" && d !== null && typeof (d as FileDescriptor).sha256 === "string",
  );
}

/** One anchor per root, in order of first use. */
export function distinctAnchors(certificates: readonly EvidenceCertificate[]): DossierAnchor[] {
  const anchors = new Map<string, DossierAnchor>();
  for (const { merkle, anchor } of certificates) {
    if (anchors.has(merkle.root)) continue;
    const { chainId, registry, blockNumber, blockHash, transactionHash, blockTime } = anchor;
    anchors.set(merkle.root, {
      root: merkle.root,
      chainId,
      registry,
      blockNumber,
      blockHash,
      transactionHash,
      blockTime,
    });
  }
  return [...anchors.values()];
}

function sameAnchor(anchor: DossierAnchor, { anchor: stated }: EvidenceCertificate): boolean {
  return (
    anchor.chainId === stated.chainId &&
    anchor.registry.toLowerCase() === stated.registry.toLowerCase() &&
    anchor.blockNumber === stated.blockNumber &&
    anchor.blockHash === stated.blockHash &&
    anchor.transactionHash === stated.transactionHash &&
    anchor.blockTime === stated.blockTime
  );
}

/** Why a document is not the file its record committed to, or undefined when it is. */
function documentProblem(
  document: DossierDocument,
  certificate: EvidenceCertificate | undefined,
  what: "dossier" | "archive",
): string | undefined {
  if (!certificate) return `its record ${document.recordId} is not in the ${what}`;
  const seq = certificate.record.header.seq;
  const files = certificate.record.fields[FILES_FIELD];
  if (!files || !("salt" in files)) return `its record (seq ${seq}) does not disclose its files`;
  const descriptor = filesOf(certificate).find(
    (d) => d.sha256 === document.sha256 && d.name === document.name && d.mediaType === document.mediaType,
  );
  if (!descriptor) {
    return `its record (seq ${seq}) lists no ${document.mediaType} file of that name with SHA-256 ${document.sha256}`;
  }
  const content = fromBase64(document.contentBase64);
  const digest = fileDigest(content);
  if (digest !== document.sha256) return `its content has SHA-256 ${digest}, not ${document.sha256}`;
  if (content.length !== descriptor.size) {
    return `its content is ${content.length} bytes, its record (seq ${seq}) says ${descriptor.size}`;
  }
  return undefined;
}

/** Bytes of base64 text, without Node's Buffer: the SDK runs in browsers too. */
function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
