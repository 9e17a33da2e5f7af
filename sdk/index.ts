/**
 * Tech Transfer Ledger SDK: what a party, the bank or an arbitrator needs to
 * check the platform's evidence without trusting the platform.
 */
export { LedgerError, InvalidArgumentError, type ErrorDetail } from "./errors";
export { assertBytes32 } from "./assert";
export { canonicalJson } from "./evidence/canonical";
export { fieldCommitment, recordCommitment } from "./evidence/commitment";
export {
  sealFields,
  sealRecord,
  type SealedFields,
  type SealRecordParameters,
  type SealRecordReturnType,
} from "./evidence/sealRecord";
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
  RECEIPT_BATCH_FORMAT,
  RECEIPT_TYPES,
  RECEIPT_BATCH_TYPES,
  MAX_RECEIPTS_PER_SIGNATURE,
  receiptDomain,
  receiptDigest,
  receiptDigestBytes,
  receiptBatchDigestBytes,
  receiptStructHashBytes,
  receiptBatchTree,
  receiptBatchRoot,
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
  ARCHIVE_FORMAT,
  ARCHIVE_RECORD_TYPES,
  archiveSchema,
  archiveSummarySchema,
  dealStepSchema,
  dealSteps,
  summarizeArchive,
  type ArchiveRecordType,
  type ArchiveSummary,
  type ArchiveVerificationResult,
  type DealArchive,
  type DealStep,
} from "./certificate/archive";
export {
  verifyArchive,
  verifyArchiveOffline,
  type VerifyArchiveParameters,
  type VerifyArchiveOfflineParameters,
} from "./certificate/verifyArchive";
export { recoverMessageSigner } from "./auth/recoverSigner";
// Contract bindings, for the gateway and for a party that talks to the contracts itself.
export { AccountRegistry__factory } from "./typechain/factories/contracts/AccountRegistry__factory";
export { DealEscrow__factory } from "./typechain/factories/contracts/DealEscrow__factory";
export { EvidenceRegistry__factory } from "./typechain/factories/contracts/EvidenceRegistry__factory";
// The escrow links its terms library at deployment.
export { DealTerms__factory } from "./typechain/factories/contracts/libraries/DealTerms__factory";
export type { AccountRegistry } from "./typechain/contracts/AccountRegistry";
export type { DealEscrow } from "./typechain/contracts/DealEscrow";
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
  type RequestOptions,
  type GatewayRequester,
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
  type EscrowMove,
  type LocalizedText,
  type Price,
  type ListingContent,
  type ListingVersionView,
  type ListingView,
  type MatchCandidate,
  type MatchView,
  type DealView,
  type InboxNotification,
  type AuctionView,
  type SealedBiddingView,
  type DisputeView,
  type DealWorkspaceView,
  type DealMessageView,
  type NegotiationMinutesView,
  type SiteVisitView,
  type DealEvaluationView,
  type RoyaltyStatementView,
  type DealContractView,
  type DealContractVersionView,
  type ContractRegistrationView,
  type ProposedTerms,
  type EscrowCall,
  type BankStatus,
  type BankInstruction,
  type DepositReport,
  type ReconciliationStatement,
} from "./client/types";
export {
  fileInputSchema,
  moveFileInputSchema,
  deliveryFileUploadSchema,
  recordAnchorSchema,
  recordViewSchema,
  recordReceiptSchema,
  recordAcknowledgementSchema,
  subjectChainSchema,
  escrowMilestoneViewSchema,
  escrowViewSchema,
  escrowMoveSchema,
  disputeViewSchema,
  dealWorkspaceSchema,
  dealMessageSchema,
  negotiationMinutesSchema,
  siteVisitSchema,
  dealEvaluationSchema,
  royaltyStatementSchema,
  dealContractSchema,
  dealContractVersionSchema,
  registrationRecordSchema,
  dealSummaryPartSchema,
  dealSummarySchema,
  type DealSummaryPartView,
  type DealSummaryView,
} from "./client/schemas";
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
  type MoveFile,
} from "./client/actions/moveMilestone";
export {
  replaceArbitrator,
  type ReplaceArbitratorParameters,
  type ReplaceArbitratorReturnType,
} from "./client/actions/replaceArbitrator";
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
  createListing,
  type CreateListingParameters,
  type CreateListingReturnType,
} from "./client/actions/createListing";
export { editListing, type EditListingParameters, type EditListingReturnType } from "./client/actions/editListing";
export {
  withdrawListing,
  type WithdrawListingParameters,
  type WithdrawListingReturnType,
} from "./client/actions/withdrawListing";
export {
  reviewListing,
  type ReviewListingParameters,
  type ReviewListingReturnType,
} from "./client/actions/reviewListing";
export { getListing, type GetListingParameters, type GetListingReturnType } from "./client/actions/getListing";
export { listMyListings, type ListMyListingsReturnType } from "./client/actions/listMyListings";
export { getReviewQueue, type GetReviewQueueReturnType } from "./client/actions/getReviewQueue";
export {
  searchListings,
  type SearchListingsParameters,
  type SearchListingsReturnType,
} from "./client/actions/searchListings";
export { findMatches, type FindMatchesParameters, type FindMatchesReturnType } from "./client/actions/findMatches";
export {
  requestListingAccess,
  type RequestListingAccessParameters,
  type RequestListingAccessReturnType,
} from "./client/actions/requestListingAccess";
export {
  grantListingAccess,
  type GrantListingAccessParameters,
  type GrantListingAccessReturnType,
} from "./client/actions/grantListingAccess";
export { proposeMatch, type ProposeMatchParameters, type ProposeMatchReturnType } from "./client/actions/proposeMatch";
export { getMatch, type GetMatchParameters, type GetMatchReturnType } from "./client/actions/getMatch";
export { answerMatch, type AnswerMatchParameters, type AnswerMatchReturnType } from "./client/actions/answerMatch";
export { listDeals, type ListDealsReturnType } from "./client/actions/listDeals";
export { getDeal, type GetDealParameters, type GetDealReturnType } from "./client/actions/getDeal";
export { getInbox, type GetInboxParameters, type GetInboxReturnType } from "./client/actions/getInbox";
export { createStreamTicket, type CreateStreamTicketReturnType } from "./client/actions/createStreamTicket";
export {
  registerNotificationWebhook,
  type RegisterNotificationWebhookParameters,
  type RegisterNotificationWebhookReturnType,
} from "./client/actions/registerNotificationWebhook";
export {
  listNotificationWebhooks,
  type ListNotificationWebhooksReturnType,
} from "./client/actions/listNotificationWebhooks";
export {
  deleteNotificationWebhook,
  type DeleteNotificationWebhookParameters,
  type DeleteNotificationWebhookReturnType,
} from "./client/actions/deleteNotificationWebhook";
export {
  saveSearch,
  type SaveSearchParameters,
  type SaveSearchReturnType,
  type SavedSearchFilters,
} from "./client/actions/saveSearch";
export { listSavedSearches, type ListSavedSearchesReturnType } from "./client/actions/listSavedSearches";
export {
  deleteSavedSearch,
  type DeleteSavedSearchParameters,
  type DeleteSavedSearchReturnType,
} from "./client/actions/deleteSavedSearch";
export { openAuction, type OpenAuctionParameters, type OpenAuctionReturnType } from "./client/actions/openAuction";
export { getAuction, type GetAuctionParameters, type GetAuctionReturnType } from "./client/actions/getAuction";
export { placeBid, type PlaceBidParameters, type PlaceBidReturnType } from "./client/actions/placeBid";
export { closeAuction, type CloseAuctionParameters, type CloseAuctionReturnType } from "./client/actions/closeAuction";
export {
  openSealedBidding,
  type OpenSealedBiddingParameters,
  type OpenSealedBiddingReturnType,
} from "./client/actions/openSealedBidding";
export {
  getSealedBidding,
  type GetSealedBiddingParameters,
  type GetSealedBiddingReturnType,
} from "./client/actions/getSealedBidding";
export {
  commitSealedBid,
  type CommitSealedBidParameters,
  type CommitSealedBidReturnType,
} from "./client/actions/commitSealedBid";
export {
  revealSealedBid,
  type RevealSealedBidParameters,
  type RevealSealedBidReturnType,
} from "./client/actions/revealSealedBid";
export {
  closeSealedBidding,
  type CloseSealedBiddingParameters,
  type CloseSealedBiddingReturnType,
} from "./client/actions/closeSealedBidding";
export {
  proposeEscrowTerms,
  type ProposeEscrowTermsParameters,
  type ProposeEscrowTermsReturnType,
} from "./client/actions/proposeEscrowTerms";
export {
  releaseLapsedMilestone,
  type ReleaseLapsedMilestoneParameters,
  type ReleaseLapsedMilestoneReturnType,
} from "./client/actions/releaseLapsedMilestone";
export {
  finalizeRuling,
  type FinalizeRulingParameters,
  type FinalizeRulingReturnType,
} from "./client/actions/finalizeRuling";
export {
  reissueInstruction,
  type ReissueInstructionParameters,
  type ReissueInstructionReturnType,
} from "./client/actions/reissueInstruction";
export { listDisputes, type ListDisputesReturnType } from "./client/actions/listDisputes";
export { getDispute, type GetDisputeParameters, type GetDisputeReturnType } from "./client/actions/getDispute";
export {
  sendDisputeMessage,
  type SendDisputeMessageParameters,
  type SendDisputeMessageReturnType,
} from "./client/actions/sendDisputeMessage";
export {
  getDisputeDossier,
  type GetDisputeDossierParameters,
  type GetDisputeDossierReturnType,
} from "./client/actions/getDisputeDossier";
export {
  createServiceKey,
  type CreateServiceKeyParameters,
  type CreateServiceKeyReturnType,
} from "./client/actions/createServiceKey";
export {
  revokeServiceKey,
  type RevokeServiceKeyParameters,
  type RevokeServiceKeyReturnType,
} from "./client/actions/revokeServiceKey";
export { getVocabularies, type GetVocabulariesReturnType } from "./client/actions/getVocabularies";
export {
  getExchangeRates,
  type GetExchangeRatesReturnType,
  type ExchangeRates,
} from "./client/actions/getExchangeRates";
export {
  setExchangeRates,
  type SetExchangeRatesParameters,
  type SetExchangeRatesReturnType,
} from "./client/actions/setExchangeRates";
export {
  reportDeposit,
  type ReportDepositParameters,
  type ReportDepositReturnType,
} from "./client/actions/reportDeposit";
export { getDeposit, type GetDepositParameters, type GetDepositReturnType } from "./client/actions/getDeposit";
export {
  listInstructions,
  type ListInstructionsParameters,
  type ListInstructionsReturnType,
} from "./client/actions/listInstructions";
export {
  getInstruction,
  type GetInstructionParameters,
  type GetInstructionReturnType,
} from "./client/actions/getInstruction";
export {
  reportInstructionStatus,
  type ReportInstructionStatusParameters,
  type ReportInstructionStatusReturnType,
} from "./client/actions/reportInstructionStatus";
export { setWebhook, type SetWebhookParameters, type SetWebhookReturnType } from "./client/actions/setWebhook";
export {
  getWebhookDeliveries,
  type GetWebhookDeliveriesParameters,
  type GetWebhookDeliveriesReturnType,
} from "./client/actions/getWebhookDeliveries";
export {
  getReconciliation,
  type GetReconciliationParameters,
  type GetReconciliationReturnType,
} from "./client/actions/getReconciliation";
export {
  dryRunImport,
  type DryRunImportParameters,
  type DryRunImportReturnType,
  type ImportLineOutcome,
} from "./client/actions/dryRunImport";
export {
  openImportBatch,
  type OpenImportBatchParameters,
  type OpenImportBatchReturnType,
} from "./client/actions/openImportBatch";
export {
  publishImportLines,
  type PublishImportLinesParameters,
  type PublishImportLinesReturnType,
} from "./client/actions/publishImportLines";
export { getDealStates, type GetDealStatesReturnType } from "./client/actions/getDealStates";
export {
  getDealWorkspace,
  type GetDealWorkspaceParameters,
  type GetDealWorkspaceReturnType,
} from "./client/actions/getDealWorkspace";
export { moveDeal, type MoveDealParameters, type MoveDealReturnType } from "./client/actions/moveDeal";
export {
  appointDealParticipant,
  type AppointDealParticipantParameters,
  type AppointDealParticipantReturnType,
} from "./client/actions/appointDealParticipant";
export {
  engageEvaluator,
  type EngageEvaluatorParameters,
  type EngageEvaluatorReturnType,
} from "./client/actions/engageEvaluator";
export {
  openDealThread,
  type OpenDealThreadParameters,
  type OpenDealThreadReturnType,
} from "./client/actions/openDealThread";
export {
  setThreadConfidentiality,
  type SetThreadConfidentialityParameters,
  type SetThreadConfidentialityReturnType,
} from "./client/actions/setThreadConfidentiality";
export {
  listDealMessages,
  type ListDealMessagesParameters,
  type ListDealMessagesReturnType,
} from "./client/actions/listDealMessages";
export {
  sendDealMessage,
  type SendDealMessageParameters,
  type SendDealMessageReturnType,
} from "./client/actions/sendDealMessage";
export {
  requestNegotiationSession,
  type RequestNegotiationSessionParameters,
  type RequestNegotiationSessionReturnType,
} from "./client/actions/requestNegotiationSession";
export {
  listNegotiationSessions,
  type ListNegotiationSessionsParameters,
  type ListNegotiationSessionsReturnType,
} from "./client/actions/listNegotiationSessions";
export {
  recordNegotiationMinutes,
  type RecordNegotiationMinutesParameters,
  type RecordNegotiationMinutesReturnType,
} from "./client/actions/recordNegotiationMinutes";
export {
  listNegotiationMinutes,
  type ListNegotiationMinutesParameters,
  type ListNegotiationMinutesReturnType,
} from "./client/actions/listNegotiationMinutes";
export {
  signNegotiationMinutes,
  type SignNegotiationMinutesParameters,
  type SignNegotiationMinutesReturnType,
} from "./client/actions/signNegotiationMinutes";
export {
  recordSiteVisit,
  type RecordSiteVisitParameters,
  type RecordSiteVisitReturnType,
} from "./client/actions/recordSiteVisit";
export {
  listSiteVisits,
  type ListSiteVisitsParameters,
  type ListSiteVisitsReturnType,
} from "./client/actions/listSiteVisits";
export {
  confirmSiteVisit,
  type ConfirmSiteVisitParameters,
  type ConfirmSiteVisitReturnType,
} from "./client/actions/confirmSiteVisit";
export {
  submitEvaluation,
  type SubmitEvaluationParameters,
  type SubmitEvaluationReturnType,
} from "./client/actions/submitEvaluation";
export {
  listEvaluations,
  type ListEvaluationsParameters,
  type ListEvaluationsReturnType,
} from "./client/actions/listEvaluations";
export {
  reportRoyalty,
  type ReportRoyaltyParameters,
  type ReportRoyaltyReturnType,
} from "./client/actions/reportRoyalty";
export {
  listRoyaltyStatements,
  type ListRoyaltyStatementsParameters,
  type ListRoyaltyStatementsReturnType,
} from "./client/actions/listRoyaltyStatements";
export {
  getDealArchive,
  type GetDealArchiveParameters,
  type GetDealArchiveReturnType,
} from "./client/actions/getDealArchive";
export {
  purgeDealArchive,
  type PurgeDealArchiveParameters,
  type PurgeDealArchiveReturnType,
} from "./client/actions/purgeDealArchive";
export {
  getDealSummary,
  type GetDealSummaryParameters,
  type GetDealSummaryReturnType,
} from "./client/actions/getDealSummary";
export {
  submitDealSelfEvaluation,
  type SubmitDealSelfEvaluationParameters,
  type SubmitDealSelfEvaluationReturnType,
} from "./client/actions/submitDealSelfEvaluation";
export {
  submitThirdPartyEvaluation,
  type SubmitThirdPartyEvaluationParameters,
  type SubmitThirdPartyEvaluationReturnType,
} from "./client/actions/submitThirdPartyEvaluation";
export {
  submitServiceSummary,
  type SubmitServiceSummaryParameters,
  type SubmitServiceSummaryReturnType,
} from "./client/actions/submitServiceSummary";
export type { DealEvaluationInput } from "./client/actions/submitDealSelfEvaluation";
export { listContractTemplates, type ListContractTemplatesReturnType } from "./client/actions/listContractTemplates";
export {
  getContractTemplate,
  type GetContractTemplateParameters,
  type GetContractTemplateReturnType,
} from "./client/actions/getContractTemplate";
export {
  draftContract,
  type DraftContractParameters,
  type DraftContractReturnType,
} from "./client/actions/draftContract";
export {
  reviseContract,
  type ReviseContractParameters,
  type ReviseContractReturnType,
} from "./client/actions/reviseContract";
export { getContract, type GetContractParameters, type GetContractReturnType } from "./client/actions/getContract";
export {
  getContractVersion,
  type GetContractVersionParameters,
  type GetContractVersionReturnType,
} from "./client/actions/getContractVersion";
export { signContract, type SignContractParameters, type SignContractReturnType } from "./client/actions/signContract";
export {
  getContractRegistration,
  type GetContractRegistrationParameters,
  type GetContractRegistrationReturnType,
} from "./client/actions/getContractRegistration";
export {
  acceptListedPrice,
  type AcceptListedPriceParameters,
  type AcceptListedPriceReturnType,
} from "./client/actions/acceptListedPrice";
export {
  USER_ID_PATTERN,
  SUBJECT_PATTERN,
  AGE_RECIPIENT_PATTERN,
  LANGUAGE_TAG_PATTERN,
  FILE_NAME_PATTERN,
  MEDIA_TYPE_PATTERN,
  BYTES32_PATTERN,
  PRIVATE_KEY_PATTERN,
  ADDRESS_PATTERN,
  SIGNATURE_PATTERN,
  LOWER_HEX_SIGNATURE_PATTERN,
  RECORD_ID_PATTERN,
  LISTING_ID_PATTERN,
  MATCH_ID_PATTERN,
  DEAL_ID_PATTERN,
  DISPUTE_ID_PATTERN,
  AUCTION_ID_PATTERN,
  SEALED_BIDDING_ID_PATTERN,
  DEPOSIT_ID_PATTERN,
  SAVED_SEARCH_ID_PATTERN,
  ACCESS_REQUEST_ID_PATTERN,
  SERVICE_KEY_ID_PATTERN,
  THREAD_ID_PATTERN,
  MINUTES_ID_PATTERN,
  VISIT_ID_PATTERN,
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
  NEGOTIATION_MINUTES_TYPES,
  dealDomain,
  minutesContentDigest,
  minutesTypedData,
  type MinutesContent,
} from "./deal/minutesTypedData";
export {
  ESCROW_ACTIONS,
  ESCROW_ACTION_NAMES,
  ESCROW_BODY_ACTIONS,
  ESCROW_TRIGGERS,
  arbitratorReplacementData,
  type EscrowBodyActionName,
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
export { encryptDeliveryStream } from "./delivery/encryptDeliveryStream";
export {
  readAgeHeader,
  ageRecipientsProblem,
  agePayloadLengthProblem,
  AGE_MAX_HEADER_BYTES,
  type AgeHeader,
  type AgeStanza,
  type AgeHeaderReading,
} from "./delivery/ageHeader";
export { ageRecipientKey } from "./delivery/ageRecipient";
export { statementDigest, type Statement, type StatementFile } from "./escrow/statementDigest";
export { signRequest, signedContent, SIGNED_REQUEST_HEADERS, type SignRequestParameters } from "./client/signRequest";
export {
  valueTechnology,
  evaluationDifferences,
  evaluationMatches,
  costInputsSchema,
  marketInputsSchema,
  incomeInputsSchema,
  VALUATION_METHODS,
  MAX_VALUATION_ITEMS,
  MAX_FORECAST_YEARS,
  DEFAULT_COST_SENSITIVITY,
  DEFAULT_INCOME_SENSITIVITY,
  type ValuationMethod,
  type ValuationInputs,
  type CostInputs,
  type MarketInputs,
  type IncomeInputs,
  type Valuation,
  type ValuationStep,
  type ReportedValuation,
  type EvaluationDifference,
} from "./deal/valueTechnology";
export {
  EVALUATION_KINDS,
  EVALUATION_KIND_NAMES,
  VALUING_EVALUATION_KINDS,
  evaluationMethodSchema,
  evaluationReportSchema,
  checkEvaluationReport,
  type EvaluationKind,
  type EvaluationReport,
  type EvaluationReportInput,
} from "./deal/evaluation";
export {
  CONTRACT_TYPES,
  CONTRACT_TYPE_NAMES,
  CONTRACT_LANGUAGES,
  ART_845_CLAUSES,
  PATENT_CLAUSE,
  LICENCE_CLAUSE,
  PATENT_CONTRACT_TYPES,
  CLAUSE_PLACEHOLDERS,
  LICENCE_KINDS,
  LICENCE_KIND_NAMES,
  PAYMENT_MODES,
  PAYMENT_MODE_NAMES,
  TECHNOLOGY_RIGHTS,
  TECHNOLOGY_RIGHT_NAMES,
  DEVELOPMENT_KINDS,
  CONSULTING_KINDS,
  requiredClauses,
  type ContractType,
  type ContractLanguage,
  type ContractClause,
  type Art845Clause,
  type LicenceKind,
  type PaymentMode,
  type TechnologyRight,
} from "./deal/contractTypes";
export {
  CONTRACT_FIELD_SCHEMAS,
  contractFieldsSchema,
  contractTextSchema,
  paymentSchema,
  type ContractFields,
  type ContractFieldsInput,
  type ContractFieldsOf,
  type ContractText,
  type Payment,
} from "./deal/contractFields";
export { CONTRACT_TEMPLATES, type ContractTemplate, type TemplateClause } from "./deal/templates";
export {
  renderContract,
  parseContractFields,
  contractDigest,
  contractText,
  contractMoney,
  type RenderedContract,
} from "./deal/renderContract";
export {
  CONTRACT_SIGNATURE_TYPES,
  contractDomain,
  contractTypedData,
  type ContractTypedDataParameters,
  type ContractMessage,
} from "./deal/contractSigning";
export { diffContractVersions, type ContractFieldChange } from "./deal/diffContractVersions";
export { milestonesFromContract, type ContractMilestonePlan } from "./deal/milestonesFromContract";
export { registrationRecord, REGISTRATION_CSV_COLUMNS, type RegistrationRecord } from "./deal/registrationRecord";
export { DEAL_STATES, type DealState } from "./deal/dealStates";
export { NOTIFICATION_KINDS, type NotificationKind } from "./notifications/notificationKinds";
export { royaltyDue, type RoyaltyDue, type RoyaltyPayment } from "./deal/royaltyDue";
export {
  FOLLOW_UP_QUESTION_KINDS,
  RATED_ROLES,
  IMPLEMENTATION_STATUSES,
  COMPLAINT_STATUSES,
  QUESTION_ID_PATTERN,
  CHECK_IN_ID_PATTERN,
  COMPLAINT_ID_PATTERN,
  checkInQuestionnaireSchema,
  followUpQuestionSchema,
  checkInSchema,
  ratingSchema,
  ratingSummarySchema,
  complaintSchema,
  dealFiguresSchema,
  dealStatisticsSchema,
  type FollowUpQuestionKind,
  type RatedRole,
  type ImplementationStatus,
  type ComplaintStatus,
  type CheckInQuestionnaire,
  type FollowUpQuestionView,
  type CheckInView,
  type RatingView,
  type RatingSummaryView,
  type ComplaintView,
  type DealFiguresView,
  type DealStatisticsView,
} from "./client/aftercareSchemas";
export {
  askFollowUpQuestion,
  type AskFollowUpQuestionParameters,
  type AskFollowUpQuestionReturnType,
} from "./client/actions/askFollowUpQuestion";
export {
  answerFollowUpQuestion,
  type AnswerFollowUpQuestionParameters,
  type AnswerFollowUpQuestionReturnType,
} from "./client/actions/answerFollowUpQuestion";
export {
  closeFollowUpQuestion,
  type CloseFollowUpQuestionParameters,
  type CloseFollowUpQuestionReturnType,
} from "./client/actions/closeFollowUpQuestion";
export {
  listFollowUpQuestions,
  type ListFollowUpQuestionsParameters,
  type ListFollowUpQuestionsReturnType,
} from "./client/actions/listFollowUpQuestions";
export {
  scheduleCheckIns,
  type ScheduleCheckInsParameters,
  type ScheduleCheckInsReturnType,
} from "./client/actions/scheduleCheckIns";
export { listCheckIns, type ListCheckInsParameters, type ListCheckInsReturnType } from "./client/actions/listCheckIns";
export {
  answerCheckIn,
  type AnswerCheckInParameters,
  type AnswerCheckInReturnType,
} from "./client/actions/answerCheckIn";
export {
  rateDealParticipant,
  type RateDealParticipantParameters,
  type RateDealParticipantReturnType,
} from "./client/actions/rateDealParticipant";
export {
  listDealRatings,
  type ListDealRatingsParameters,
  type ListDealRatingsReturnType,
} from "./client/actions/listDealRatings";
export {
  getUserRatings,
  type GetUserRatingsParameters,
  type GetUserRatingsReturnType,
} from "./client/actions/getUserRatings";
export { getPlatformRatings, type GetPlatformRatingsReturnType } from "./client/actions/getPlatformRatings";
export {
  fileComplaint,
  type FileComplaintParameters,
  type FileComplaintReturnType,
} from "./client/actions/fileComplaint";
export {
  listComplaints,
  type ListComplaintsParameters,
  type ListComplaintsReturnType,
} from "./client/actions/listComplaints";
export { getComplaint, type GetComplaintParameters, type GetComplaintReturnType } from "./client/actions/getComplaint";
export {
  answerComplaint,
  type AnswerComplaintParameters,
  type AnswerComplaintReturnType,
} from "./client/actions/answerComplaint";
export {
  confirmComplaint,
  type ConfirmComplaintParameters,
  type ConfirmComplaintReturnType,
} from "./client/actions/confirmComplaint";
export {
  reopenComplaint,
  type ReopenComplaintParameters,
  type ReopenComplaintReturnType,
} from "./client/actions/reopenComplaint";
export {
  getDealStatistics,
  type GetDealStatisticsParameters,
  type GetDealStatisticsReturnType,
} from "./client/actions/getDealStatistics";
export {
  statisticsAmountSchema,
  statisticsGroupSchema,
  statisticsStepSchema,
  statisticsSectionSchema,
  statisticsSchema,
  statisticsPageTicketSchema,
  type StatisticsAmountView,
  type StatisticsGroupView,
  type StatisticsStepView,
  type StatisticsSectionView,
  type StatisticsView,
  type StatisticsPageTicketView,
} from "./client/statisticsSchemas";
export {
  getStatistics,
  type GetStatisticsParameters,
  type GetStatisticsReturnType,
} from "./client/actions/getStatistics";
export {
  createStatisticsPageTicket,
  type CreateStatisticsPageTicketReturnType,
} from "./client/actions/createStatisticsPageTicket";
export { type CheckInWhen } from "./client/actions/scheduleCheckIns";
export { type CheckInQuestionnaireInput } from "./client/actions/answerCheckIn";
export {
  SERVICE_KINDS,
  QUALIFICATION_TYPES,
  OFFERING_STATES,
  ORDER_STATES,
  DELIVERABLE_TYPES,
  IP_DELIVERABLE_TYPES,
  PATENT_STATUSES,
  OFFERING_ID_PATTERN,
  SERVICE_ORDER_ID_PATTERN,
  cnPatentNumberProblem,
  patentParticularsSchema,
  qualificationInputSchema,
  offeringInputSchema,
  serviceOfferingSchema,
  serviceOrderSchema,
  type ServiceKind,
  type QualificationType,
  type OfferingState,
  type OrderState,
  type DeliverableType,
  type PatentStatus,
  type PatentNumberProblem,
  type PatentParticulars,
  type QualificationInput,
  type OfferingInput,
  type ServiceOfferingView,
  type ServiceOrderView,
} from "./client/serviceSchemas";
export {
  submitServiceOffering,
  type SubmitServiceOfferingParameters,
  type SubmitServiceOfferingReturnType,
} from "./client/actions/submitServiceOffering";
export {
  listServiceOfferings,
  type ListServiceOfferingsParameters,
  type ListServiceOfferingsReturnType,
} from "./client/actions/listServiceOfferings";
export {
  getServiceOffering,
  type GetServiceOfferingParameters,
  type GetServiceOfferingReturnType,
} from "./client/actions/getServiceOffering";
export {
  reviewQualification,
  type ReviewQualificationParameters,
  type ReviewQualificationReturnType,
} from "./client/actions/reviewQualification";
export {
  withdrawServiceOffering,
  type WithdrawServiceOfferingParameters,
  type WithdrawServiceOfferingReturnType,
} from "./client/actions/withdrawServiceOffering";
export { orderService, type OrderServiceParameters, type OrderServiceReturnType } from "./client/actions/orderService";
export {
  listServiceOrders,
  type ListServiceOrdersParameters,
  type ListServiceOrdersReturnType,
} from "./client/actions/listServiceOrders";
export {
  getServiceOrder,
  type GetServiceOrderParameters,
  type GetServiceOrderReturnType,
} from "./client/actions/getServiceOrder";
export {
  decideServiceOrder,
  type DecideServiceOrderParameters,
  type DecideServiceOrderReturnType,
} from "./client/actions/decideServiceOrder";
export {
  deliverServiceOrder,
  type DeliverServiceOrderParameters,
  type DeliverServiceOrderReturnType,
} from "./client/actions/deliverServiceOrder";
export {
  reviewServiceDelivery,
  type ReviewServiceDeliveryParameters,
  type ReviewServiceDeliveryReturnType,
} from "./client/actions/reviewServiceDelivery";
export {
  rateServiceOrder,
  type RateServiceOrderParameters,
  type RateServiceOrderReturnType,
} from "./client/actions/rateServiceOrder";
export {
  reassignServiceOrder,
  type ReassignServiceOrderParameters,
  type ReassignServiceOrderReturnType,
} from "./client/actions/reassignServiceOrder";
export {
  RISK_RULE_NAMES,
  RISK_ALERT_STATUSES,
  BLACKLIST_KINDS,
  RISK_ALERT_ID_PATTERN,
  BLACKLIST_ENTRY_ID_PATTERN,
  riskRecordSchema,
  riskRulesViewSchema,
  riskAlertSchema,
  riskFiguresSchema,
  dealApprovalSchema,
  blacklistEntrySchema,
  bankAccountSchema,
  type RiskRuleNameView,
  type RiskAlertStatus,
  type BlacklistKindView,
  type RiskRecordView,
  type RiskRulesView,
  type RiskAlertView,
  type RiskFiguresView,
  type DealApprovalView,
  type BlacklistEntryView,
  type BankAccountView,
} from "./client/riskSchemas";
export {
  getRiskRecord,
  type GetRiskRecordParameters,
  type GetRiskRecordReturnType,
} from "./client/actions/getRiskRecord";
export {
  getCounterpartyRecord,
  type GetCounterpartyRecordParameters,
  type GetCounterpartyRecordReturnType,
} from "./client/actions/getCounterpartyRecord";
export { getRiskRules, type GetRiskRulesReturnType } from "./client/actions/getRiskRules";
export { reloadRiskRules, type ReloadRiskRulesReturnType } from "./client/actions/reloadRiskRules";
export {
  listRiskAlerts,
  type ListRiskAlertsParameters,
  type ListRiskAlertsReturnType,
} from "./client/actions/listRiskAlerts";
export { getRiskAlert, type GetRiskAlertParameters, type GetRiskAlertReturnType } from "./client/actions/getRiskAlert";
export {
  decideRiskAlert,
  type DecideRiskAlertParameters,
  type DecideRiskAlertReturnType,
} from "./client/actions/decideRiskAlert";
export { getRiskFigures, type GetRiskFiguresReturnType } from "./client/actions/getRiskFigures";
export {
  approveLargeDeal,
  type ApproveLargeDealParameters,
  type ApproveLargeDealReturnType,
} from "./client/actions/approveLargeDeal";
export { listBlacklist, type ListBlacklistReturnType } from "./client/actions/listBlacklist";
export {
  addToBlacklist,
  type AddToBlacklistParameters,
  type AddToBlacklistReturnType,
} from "./client/actions/addToBlacklist";
export {
  removeFromBlacklist,
  type RemoveFromBlacklistParameters,
  type RemoveFromBlacklistReturnType,
} from "./client/actions/removeFromBlacklist";
export {
  declareBankAccount,
  type DeclareBankAccountParameters,
  type DeclareBankAccountReturnType,
} from "./client/actions/declareBankAccount";
export {
  getBankAccount,
  type GetBankAccountParameters,
  type GetBankAccountReturnType,
} from "./client/actions/getBankAccount";
