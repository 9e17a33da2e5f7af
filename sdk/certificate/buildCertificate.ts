import { getAddress } from "ethers";
import { InvalidArgumentError } from "../errors";
import type { SealedRecord } from "../evidence/record";
import { CERTIFICATE_FORMAT, type EvidenceCertificate } from "./types";

export interface BuildCertificateParameters {
  record: SealedRecord;
  merkle: { root: string; proof: string[] };
  anchor: EvidenceCertificate["anchor"];
  /** Fields whose value and salt are shown; the others show only their commitment. All when omitted. */
  disclose?: readonly string[];
  issuedAt?: Date;
}
export type BuildCertificateReturnType = EvidenceCertificate;

/**
 * Issues an evidence certificate (出证) for an anchored record, disclosing the
 * chosen fields and withholding the others.
 *
 * @example
 * const certificate = buildCertificate({ record, merkle: { root, proof }, anchor, disclose: ["price"] });
 */
export function buildCertificate({
  record,
  merkle,
  anchor,
  disclose,
  issuedAt = new Date(),
}: BuildCertificateParameters): BuildCertificateReturnType {
  const shown = new Set(disclose ?? Object.keys(record.fieldCommitments));
  for (const name of shown) {
    if (!Object.hasOwn(record.fieldCommitments, name)) {
      throw new InvalidArgumentError(`the record has no field "${name}" to disclose`, {
        details: `fields: ${Object.keys(record.fieldCommitments).join(", ") || "(none)"}`,
      });
    }
  }
  const fields: EvidenceCertificate["record"]["fields"] = {};
  for (const [name, commitment] of Object.entries(record.fieldCommitments)) {
    fields[name] = shown.has(name)
      ? { commitment, salt: record.salts[name], value: record.data[name] as never }
      : { commitment };
  }
  return {
    format: CERTIFICATE_FORMAT,
    issuedAt: issuedAt.toISOString(),
    record: { header: record.header, fields },
    commitment: record.commitment,
    merkle: { leafEncoding: ["bytes32"], root: merkle.root, proof: merkle.proof },
    // Addresses are written checksummed (EIP-55), whatever case the caller had.
    anchor: { ...anchor, registry: getAddress(anchor.registry.toLowerCase()) },
  };
}
