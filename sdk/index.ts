/**
 * Tech Transfer Ledger SDK: what a party, the bank or an arbitrator needs to
 * check the platform's evidence without trusting the platform.
 */
export { LedgerError, InvalidArgumentError, type ErrorDetail } from "./errors";
export { assertBytes32 } from "./assert";
export { canonicalJson } from "./evidence/canonical";
export { fieldCommitment, recordCommitment } from "./evidence/commitment";
export { sealRecord, type SealRecordParameters, type SealRecordReturnType } from "./evidence/sealRecord";
export { buildMerkleTree, leafHash, processProof, type MerkleTree } from "./evidence/merkle";
export { fileDigest } from "./evidence/fileDigest";
export { recordDataProblem, MAX_DATA_DEPTH } from "./evidence/recordData";
export {
  recordInputProblem,
  recordFieldsProblem,
  DEFAULT_RECORD_INPUT_LIMITS,
  type RecordInputLimits,
  type RecordInputProblem,
} from "./evidence/recordInput";
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
export {
  verifyCertificate,
  TrustAnchorRequiredError,
  type VerifyCertificateParameters,
  type ChainEndpoint,
} from "./certificate/verifyCertificate";
export { exitStatusOf, CHAIN_UNAVAILABLE, type Verdict } from "./certificate/verdict";
export {
  TRUST_ANCHOR_FORMAT,
  trustAnchorSchema,
  parseTrustAnchor,
  trustAnchorOf,
  trustedAt,
  type TrustAnchor,
  type TrustedDeployment,
} from "./trust/trustAnchor";
export { parseJsonStrict } from "./json/parseJsonStrict";
export {
  RECEIPT_FORMAT,
  RECEIPT_TYPES,
  receiptDomain,
  receiptDigest,
  receiptSchema,
  verifyReceipts,
  ReceiptInvalidError,
  type EvidenceReceipt,
  type ReceiptFields,
} from "./receipts/receipt";
export {
  summarizeDispute,
  reduceDispute,
  summarizedRecordOf,
  disputeSummarySchema,
  type DisputeSummary,
  type SummarizedRecord,
} from "./certificate/disputeSummary";
export {
  DOSSIER_FORMAT,
  dossierSchema,
  type DisputeDossier,
  type DossierDocument,
  type DossierAnchor,
  type DossierVerificationResult,
} from "./certificate/dossier";
export {
  verifyDossier,
  verifyDossierOffline,
  type VerifyDossierParameters,
  type VerifyDossierOfflineParameters,
} from "./certificate/verifyDossier";
export {
  connectRegistry,
  assertSupportedRegistry,
  UnsupportedRegistryError,
  type EvidenceRegistry,
} from "./chain/registry";
export {
  createGatewayClient,
  type CreateGatewayClientParameters,
  type CreateGatewayClientReturnType,
  type GatewayClient,
  type GatewayClientBase,
  type GatewayActions,
  type HttpMethod,
} from "./client/createGatewayClient";
export {
  GatewayRequestError,
  GatewayUnreachableError,
  ChallengeMismatchError,
  AnchorTimeoutError,
} from "./client/errors";
export type { MessageSigner, TypedDataSigner } from "./client/assert";
export {
  ACCOUNT_TYPES,
  ACCOUNT_STATUSES,
  USER_ROLES,
  type AccountType,
  type AccountStatus,
  type UserRole,
  type Identity,
  type FileInput,
  type Certification,
  type HeldKey,
  type RoleGrant,
  type UserView,
  type Challenge,
  type Session,
  type RecordAnchor,
  type RecordReceipt,
  type RecordView,
  type AnchoredRecordView,
  type SubjectChain,
  type Health,
  type ChainInfo,
  type EscrowView,
  type EscrowMilestoneView,
} from "./client/types";
export { getEscrow, type GetEscrowParameters, type GetEscrowReturnType } from "./client/actions/getEscrow";
export {
  signEscrowTerms,
  type SignEscrowTermsParameters,
  type SignEscrowTermsReturnType,
} from "./client/actions/signEscrowTerms";
export {
  moveMilestone,
  type MoveMilestoneParameters,
  type MoveMilestoneReturnType,
} from "./client/actions/moveMilestone";
export {
  requestChallenge,
  type RequestChallengeParameters,
  type RequestChallengeReturnType,
} from "./client/actions/requestChallenge";
export { signIn, type SignInParameters, type SignInReturnType } from "./client/actions/signIn";
export { register, type RegisterParameters, type RegisterReturnType } from "./client/actions/register";
export { getMe, type GetMeReturnType } from "./client/actions/getMe";
export { getUser, type GetUserParameters, type GetUserReturnType } from "./client/actions/getUser";
export { listUsers, type ListUsersParameters, type ListUsersReturnType } from "./client/actions/listUsers";
export {
  submitCertification,
  type SubmitCertificationParameters,
  type SubmitCertificationReturnType,
} from "./client/actions/submitCertification";
export {
  decideCertification,
  type DecideCertificationParameters,
  type DecideCertificationReturnType,
} from "./client/actions/decideCertification";
export { setSuspended, type SetSuspendedParameters, type SetSuspendedReturnType } from "./client/actions/setSuspended";
export { grantRole, type GrantRoleParameters, type GrantRoleReturnType } from "./client/actions/grantRole";
export { revokeRole, type RevokeRoleParameters, type RevokeRoleReturnType } from "./client/actions/revokeRole";
export {
  rotateSigningKey,
  type RotateSigningKeyParameters,
  type RotateSigningKeyReturnType,
} from "./client/actions/rotateSigningKey";
export {
  setEncryptionRecipient,
  type SetEncryptionRecipientParameters,
  type SetEncryptionRecipientReturnType,
} from "./client/actions/setEncryptionRecipient";
export {
  recordEvidence,
  type RecordEvidenceParameters,
  type RecordEvidenceReturnType,
} from "./client/actions/recordEvidence";
export { getRecord, type GetRecordParameters, type GetRecordReturnType } from "./client/actions/getRecord";
export {
  waitForAnchor,
  type WaitForAnchorParameters,
  type WaitForAnchorReturnType,
} from "./client/actions/waitForAnchor";
export {
  getCertificate,
  type GetCertificateParameters,
  type GetCertificateReturnType,
} from "./client/actions/getCertificate";
export {
  getSubjectEvidence,
  type GetSubjectEvidenceParameters,
  type GetSubjectEvidenceReturnType,
} from "./client/actions/getSubjectEvidence";
export { getHealth, type GetHealthReturnType } from "./client/actions/getHealth";
export { getChainInfo, type GetChainInfoReturnType } from "./client/actions/getChainInfo";
export { getTrustAnchor, type GetTrustAnchorReturnType } from "./client/actions/getTrustAnchor";
export { getReceipt, type GetReceiptParameters, type GetReceiptReturnType } from "./client/actions/getReceipt";
export {
  USER_ID_PATTERN,
  SUBJECT_PATTERN,
  AGE_RECIPIENT_PATTERN,
  LANGUAGE_TAG_PATTERN,
  FILE_NAME_PATTERN,
  MEDIA_TYPE_PATTERN,
} from "./patterns";
export {
  sealedBidCommitment,
  sealedBiddingOutcome,
  type SealedBid,
  type SealedBiddingRecord,
  type SealedBiddingOutcome,
} from "./market/sealedBid";
export { ESCROW_TERMS_TYPES, ESCROW_ACTION_TYPES, escrowDomain } from "./escrow/typedData";
export {
  ESCROW_ACTIONS,
  ESCROW_ACTION_NAMES,
  ESCROW_TRIGGERS,
  MAX_MILESTONES,
  MILESTONE_STATES,
  type EscrowActionName,
  type EscrowActor,
  type EscrowArgumentName,
  type EscrowTriggerName,
  type MilestoneState,
} from "./escrow/actions";
export { chainDealId } from "./escrow/chainDealId";
export { verifyWebhook, type VerifiedWebhook } from "./bank/verifyWebhook";
export { encryptDelivery } from "./delivery/encryptDelivery";
export { decryptDelivery } from "./delivery/decryptDelivery";
export { generateDeliveryKey } from "./delivery/generateDeliveryKey";
export { statementDigest, type Statement } from "./escrow/statementDigest";
export { signRequest, signedContent, SIGNED_REQUEST_HEADERS, type SignRequestParameters } from "./client/signRequest";
