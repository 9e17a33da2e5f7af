/**
 * Tech Transfer Ledger SDK: what a party, the bank or an arbitrator needs to
 * check the platform's evidence without trusting the platform.
 */
export { LedgerError, InvalidArgumentError } from "./errors";
export { assertBytes32 } from "./assert";
export { canonicalJson } from "./evidence/canonical";
export { fieldCommitment, recordCommitment } from "./evidence/commitment";
export { sealRecord, type SealRecordParameters, type SealRecordReturnType } from "./evidence/sealRecord";
export { buildMerkleTree, leafHash, processProof, type MerkleTree } from "./evidence/merkle";
export { fileDigest } from "./evidence/fileDigest";
export { ZERO_HASH, toHex, fromHex } from "./evidence/bytes";
export {
  RECORD_FORMAT_VERSION,
  FILES_FIELD,
  FIELD_NAME_PATTERN,
  type RecordHeader,
  type SealedRecord,
  type FileDescriptor,
} from "./evidence/record";
export {
  CERTIFICATE_FORMAT,
  certificateSchema,
  type EvidenceCertificate,
  type VerificationResult,
  type VerificationCheck,
} from "./certificate/types";
export { buildCertificate, type BuildCertificateParameters } from "./certificate/buildCertificate";
export { verifyCertificateOffline } from "./certificate/verifyCertificateOffline";
export { verifyCertificate, type VerifyCertificateParameters } from "./certificate/verifyCertificate";
export {
  connectRegistry,
  assertSupportedRegistry,
  UnsupportedRegistryError,
  type EvidenceRegistry,
} from "./chain/registry";
