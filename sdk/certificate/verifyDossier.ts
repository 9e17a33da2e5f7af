import { JsonRpcProvider, type Provider } from "ethers";
import { ZERO_HASH } from "../evidence/bytes";
import { fileDigest } from "../evidence/fileDigest";
import { FILES_FIELD, type FileDescriptor } from "../evidence/record";
import {
  dossierSchema,
  type DisputeDossier,
  type DossierAnchor,
  type DossierDocument,
  type DossierVerificationResult,
} from "./dossier";
import type { EvidenceCertificate } from "./types";
import { verifyCertificate } from "./verifyCertificate";
import { verifyCertificateOffline } from "./verifyCertificateOffline";

export type VerifyDossierParameters = { dossier: unknown } & (
  { provider: Provider; rpcUrl?: undefined } | { rpcUrl: string; provider?: undefined }
);

/**
 * Checks everything in a dispute dossier that needs no chain: that every
 * certificate is valid on its own, that all are about the dossier's subject,
 * that they are seq 0…n−1 with no hole and each `prev` is the commitment of the
 * one before (so nothing was dropped, inserted or reordered up to n), that
 * certificates sharing a root state the same anchor, and that every document
 * is a file its record discloses in `$files`, byte for byte. The anchors
 * themselves are checked by {@link verifyDossier}.
 *
 * Codes: `MALFORMED`, `CERTIFICATE_INVALID`, `WRONG_SUBJECT`, `INCOMPLETE`,
 * `CHAIN_BROKEN`, `ANCHOR_MISMATCH`, `DOCUMENT_MISMATCH`.
 *
 * @example
 * const result = verifyDossierOffline(JSON.parse(text));
 * result.valid ? console.log(result.records, "records") : console.log(result.code, result.reason);
 */
export function verifyDossierOffline(input: unknown): DossierVerificationResult {
  return checkDossier(input).result;
}

/**
 * Verifies a dispute dossier completely: the checks of
 * {@link verifyDossierOffline}, then each distinct anchor once, on a chain
 * endpoint the verifier chooses, as {@link verifyCertificate} checks a
 * certificate's anchor. A failed anchor check keeps the certificate verifier's
 * code (`CHAIN_MISMATCH`, `ROOT_NOT_ANCHORED`, `BLOCK_MISMATCH`, …); an endpoint
 * that does not answer gives `CHAIN_UNAVAILABLE`: unverified, not proven false.
 *
 * @example
 * const result = await verifyDossier({ dossier: JSON.parse(text), rpcUrl: "http://127.0.0.1:8545" });
 * if (!result.valid) console.log(result.code, result.reason);
 */
export async function verifyDossier(parameters: VerifyDossierParameters): Promise<DossierVerificationResult> {
  const { result, dossier } = checkDossier(parameters.dossier);
  if (!result.valid || !dossier) return result;

  // One provider for every anchor, with the options verifyCertificate gives its own.
  const ownProvider = parameters.provider
    ? undefined
    : new JsonRpcProvider(parameters.rpcUrl, undefined, { staticNetwork: false, polling: true });
  const provider = parameters.provider ?? ownProvider!;
  try {
    for (const anchor of result.anchors) {
      const holders = dossier.certificates.filter((c) => c.merkle.root === anchor.root);
      const seqs = holders.map((c) => c.record.header.seq).join(", ");
      // The other holders' proofs were checked offline against this root, and the
      // offline check made them state this very anchor: one certificate per root suffices.
      const outcome = await verifyCertificate(holders[0], { provider });
      if (!outcome.valid) {
        const code = outcome.code!;
        const reason = `the anchor of root ${anchor.root} (seq ${seqs}): ${outcome.reason}`;
        result.checks.push({ name: code, ok: false, detail: reason });
        return { ...result, valid: false, code, reason };
      }
      result.checks.push({
        name: "anchor",
        ok: true,
        detail: `root ${anchor.root} anchored in block ${anchor.blockNumber} at ${outcome.anchoredAt} (seq ${seqs})`,
      });
    }
  } finally {
    ownProvider?.destroy();
  }
  return result;
}

/** The offline checks, with the parsed dossier for the chain checks that follow. */
function checkDossier(input: unknown): { result: DossierVerificationResult; dossier?: DisputeDossier } {
  const checks: DossierVerificationResult["checks"] = [];
  let summary: Omit<DossierVerificationResult, "valid" | "checks"> = { records: 0, documents: 0, anchors: [] };
  const fail = (code: string, reason: string) => {
    checks.push({ name: code, ok: false, detail: reason });
    return { result: { valid: false, code, reason, checks, ...summary } };
  };

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

  for (const [position, certificate] of certificates.entries()) {
    const inner = verifyCertificateOffline(certificate);
    if (!inner.valid) {
      return fail(
        "CERTIFICATE_INVALID",
        `the certificate of seq ${certificate.record.header.seq} (position ${position}) is invalid: ${inner.code}: ${inner.reason}`,
      );
    }
  }
  checks.push({ name: "certificates", ok: true, detail: `${certificates.length} valid` });

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
    detail: certificates.length
      ? `seq 0…${certificates.length - 1}, each linked to the one before`
      : "no anchored record yet",
  });

  // A registry anchors a root once, so two certificates stating different anchors
  // for one root cannot both be true; and the chain checks look at one per root.
  for (const certificate of certificates) {
    const anchor = summary.anchors.find((a) => a.root === certificate.merkle.root)!;
    if (!sameAnchor(anchor, certificate)) {
      return fail(
        "ANCHOR_MISMATCH",
        `the certificate of seq ${certificate.record.header.seq} states another anchor for root ${anchor.root} than the certificates before it`,
      );
    }
  }
  checks.push({ name: "anchors", ok: true, detail: `${summary.anchors.length} distinct` });

  const byId = new Map(certificates.map((c) => [c.record.header.id, c]));
  for (const document of documents) {
    const problem = documentProblem(document, byId.get(document.recordId));
    if (problem) return fail("DOCUMENT_MISMATCH", `document "${document.name}": ${problem}`);
  }
  checks.push({ name: "documents", ok: true, detail: `${documents.length} match their records` });

  return { result: { valid: true, checks, ...summary }, dossier };
}

/** One anchor per root, in order of first use. */
function distinctAnchors(certificates: readonly EvidenceCertificate[]): DossierAnchor[] {
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
function documentProblem(document: DossierDocument, certificate: EvidenceCertificate | undefined): string | undefined {
  if (!certificate) return `its record ${document.recordId} is not in the dossier`;
  const seq = certificate.record.header.seq;
  const files = certificate.record.fields[FILES_FIELD];
  if (!files || !("salt" in files)) return `its record (seq ${seq}) does not disclose its files`;
  // The value is committed, not typed: a record could hold anything under `$files`.
  const descriptors = Array.isArray(files.value) ? (files.value as unknown[]) : [];
  const descriptor = descriptors.find(
    (d): d is FileDescriptor =>
      typeof d === "object" &&
      d !== null &&
      (d as FileDescriptor).sha256 === document.sha256 &&
      (d as FileDescriptor).name === document.name &&
      (d as FileDescriptor).mediaType === document.mediaType,
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
