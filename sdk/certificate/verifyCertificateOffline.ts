import { fieldCommitment, recordCommitment } from "../evidence/commitment";
import { fileDigest } from "../evidence/fileDigest";
import { processProof } from "../evidence/merkle";
import { FILES_FIELD, type FileDescriptor } from "../evidence/record";
import type { InvalidArgumentError } from "../errors";
import { parseJsonStrict } from "../json/parseJsonStrict";
import { certificateSchema, type EvidenceCertificate, type VerificationResult } from "./types";

export interface VerifyCertificateOfflineParameters {
  /** The original file, when the certificate covers one; its digest must be among the record's files. */
  file?: Uint8Array;
  /** Several original files: each must be one of the record's files. */
  files?: readonly Uint8Array[];
}

/**
 * Checks everything in a certificate that needs no chain: its format, each
 * disclosed field against its commitment, the record commitment, the Merkle
 * proof up to the stated root, and the original file when given. The anchor
 * itself is checked by {@link verifyCertificate}, so a certificate that passes
 * these checks is `UNVERIFIED` (with `valid: true`), never `VALID`. The input may
 * be the file's text, in which case a duplicate member name is refused.
 *
 * @example
 * const result = verifyCertificateOffline(JSON.parse(text), { file });
 * if (!result.valid) console.log(result.code, result.reason);
 */
export function verifyCertificateOffline(
  input: unknown,
  { file, files: originals = [] }: VerifyCertificateOfflineParameters = {},
): VerificationResult & { certificate?: EvidenceCertificate } {
  const checks: VerificationResult["checks"] = [];
  const fail = (code: string, reason: string): VerificationResult => {
    checks.push({ name: code, ok: false, detail: reason });
    return { verdict: "INVALID", valid: false, code, reason, checks };
  };

  if (typeof input === "string") {
    try {
      input = parseJsonStrict(input);
    } catch (error) {
      return fail("CERTIFICATE_MALFORMED", (error as InvalidArgumentError).shortMessage);
    }
  }
  const parsed = certificateSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail("CERTIFICATE_MALFORMED", `not a certificate: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const certificate = parsed.data;
  const { header, fields } = certificate.record;
  checks.push({ name: "format", ok: true });

  const commitments: Record<string, string> = {};
  for (const [name, field] of Object.entries(fields)) commitments[name] = field.commitment;
  for (const [name, field] of Object.entries(fields)) {
    if (!("salt" in field)) continue;
    let recomputed: string;
    try {
      recomputed = fieldCommitment(name, field.value, field.salt);
    } catch (error) {
      // A value no record could hold (an integer beyond 2^53, say): forged.
      return fail(
        "FIELD_MISMATCH",
        `the disclosed value of field "${name}" cannot be committed to: ${(error as Error).message}`,
      );
    }
    if (recomputed !== field.commitment) {
      return fail("FIELD_MISMATCH", `the disclosed value of field "${name}" does not match its commitment`);
    }
  }
  const disclosed = Object.values(fields).filter((field) => "salt" in field).length;
  checks.push({
    name: "fields",
    ok: true,
    detail: `${disclosed} disclosed, ${Object.keys(fields).length - disclosed} withheld`,
  });

  if (recordCommitment(header, commitments) !== certificate.commitment) {
    return fail("RECORD_MISMATCH", "the record's header and field commitments do not give the stated commitment");
  }
  checks.push({ name: "record", ok: true });

  if (processProof(certificate.commitment, certificate.merkle.proof) !== certificate.merkle.root) {
    return fail("PROOF_MISMATCH", "the Merkle proof does not lead from the record to the stated root");
  }
  checks.push({ name: "proof", ok: true });

  for (const original of file ? [file, ...originals] : originals) {
    const filesField = fields[FILES_FIELD];
    if (!filesField || !("salt" in filesField)) {
      return fail("FILE_NOT_DISCLOSED", "a file was given but the certificate does not disclose the record's files");
    }
    const digest = fileDigest(original);
    const files = filesField.value as unknown as FileDescriptor[];
    const match = Array.isArray(files) ? files.find((f) => f.sha256 === digest) : undefined;
    if (!match) return fail("FILE_MISMATCH", `the file (SHA-256 ${digest}) is not one of the record's files`);
    checks.push({ name: "file", ok: true, detail: `${match.name}, SHA-256 ${digest}` });
  }

  // Offline checks alone never make a verdict VALID: the anchor is not checked.
  return {
    verdict: "UNVERIFIED",
    valid: true,
    checks,
    certificate,
    record: { id: header.id, kind: header.kind, subject: header.subject, seq: header.seq },
  };
}
