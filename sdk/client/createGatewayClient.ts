import { InvalidArgumentError, type ErrorDetail } from "../errors";
import { decideCertification, type DecideCertificationParameters } from "./actions/decideCertification";
import { getCertificate, type GetCertificateParameters } from "./actions/getCertificate";
import { getChainInfo } from "./actions/getChainInfo";
import { getRiskRecord, type GetRiskRecordParameters } from "./actions/getRiskRecord";
import { getCounterpartyRecord, type GetCounterpartyRecordParameters } from "./actions/getCounterpartyRecord";
import { getRiskRules } from "./actions/getRiskRules";
import { reloadRiskRules } from "./actions/reloadRiskRules";
import { listRiskAlerts, type ListRiskAlertsParameters } from "./actions/listRiskAlerts";
import { getRiskAlert, type GetRiskAlertParameters } from "./actions/getRiskAlert";
import { decideRiskAlert, type DecideRiskAlertParameters } from "./actions/decideRiskAlert";
import { getRiskFigures } from "./actions/getRiskFigures";
import { approveLargeDeal, type ApproveLargeDealParameters } from "./actions/approveLargeDeal";
import { listBlacklist } from "./actions/listBlacklist";
import { addToBlacklist, type AddToBlacklistParameters } from "./actions/addToBlacklist";
import { removeFromBlacklist, type RemoveFromBlacklistParameters } from "./actions/removeFromBlacklist";
import { declareBankAccount, type DeclareBankAccountParameters } from "./actions/declareBankAccount";
import { getBankAccount, type GetBankAccountParameters } from "./actions/getBankAccount";
import { getTrustAnchor } from "./actions/getTrustAnchor";
import { getReceipt, type GetReceiptParameters } from "./actions/getReceipt";
import { RECEIPTS_HEADER, receiptsFromHeader } from "./receiptsHeader";
import type { EvidenceReceipt } from "../receipts/receipt";
import { getHealth } from "./actions/getHealth";
import { getMe } from "./actions/getMe";
import { getRecord, type GetRecordParameters } from "./actions/getRecord";
import { getSubjectEvidence, type GetSubjectEvidenceParameters } from "./actions/getSubjectEvidence";
import { getUser, type GetUserParameters } from "./actions/getUser";
import { grantRole, type GrantRoleParameters } from "./actions/grantRole";
import { listUsers, type ListUsersParameters } from "./actions/listUsers";
import { recordEvidence, type RecordEvidenceParameters } from "./actions/recordEvidence";
import { register, type RegisterParameters } from "./actions/register";
import { requestChallenge, type RequestChallengeParameters } from "./actions/requestChallenge";
import { revokeRole, type RevokeRoleParameters } from "./actions/revokeRole";
import { rotateSigningKey, type RotateSigningKeyParameters } from "./actions/rotateSigningKey";
import { setEncryptionRecipient, type SetEncryptionRecipientParameters } from "./actions/setEncryptionRecipient";
import { setSuspended, type SetSuspendedParameters } from "./actions/setSuspended";
import { signIn, type SignInParameters } from "./actions/signIn";
import { getEscrow, type GetEscrowParameters } from "./actions/getEscrow";
import { signEscrowTerms, type SignEscrowTermsParameters } from "./actions/signEscrowTerms";
import { moveMilestone, type MoveMilestoneParameters } from "./actions/moveMilestone";
import { replaceArbitrator, type ReplaceArbitratorParameters } from "./actions/replaceArbitrator";
import { submitCertification, type SubmitCertificationParameters } from "./actions/submitCertification";
import { waitForAnchor, type WaitForAnchorParameters } from "./actions/waitForAnchor";
import { createListing, type CreateListingParameters } from "./actions/createListing";
import { editListing, type EditListingParameters } from "./actions/editListing";
import { withdrawListing, type WithdrawListingParameters } from "./actions/withdrawListing";
import { reviewListing, type ReviewListingParameters } from "./actions/reviewListing";
import { getListing, type GetListingParameters } from "./actions/getListing";
import { listMyListings } from "./actions/listMyListings";
import { getReviewQueue } from "./actions/getReviewQueue";
import { searchListings, type SearchListingsParameters } from "./actions/searchListings";
import { findMatches, type FindMatchesParameters } from "./actions/findMatches";
import { requestListingAccess, type RequestListingAccessParameters } from "./actions/requestListingAccess";
import { grantListingAccess, type GrantListingAccessParameters } from "./actions/grantListingAccess";
import { proposeMatch, type ProposeMatchParameters } from "./actions/proposeMatch";
import { getMatch, type GetMatchParameters } from "./actions/getMatch";
import { answerMatch, type AnswerMatchParameters } from "./actions/answerMatch";
import { listDeals } from "./actions/listDeals";
import { getDeal, type GetDealParameters } from "./actions/getDeal";
import { getInbox, type GetInboxParameters } from "./actions/getInbox";
import { createStreamTicket } from "./actions/createStreamTicket";
import {
  registerNotificationWebhook,
  type RegisterNotificationWebhookParameters,
} from "./actions/registerNotificationWebhook";
import { listNotificationWebhooks } from "./actions/listNotificationWebhooks";
import {
  deleteNotificationWebhook,
  type DeleteNotificationWebhookParameters,
} from "./actions/deleteNotificationWebhook";
import { saveSearch, type SaveSearchParameters } from "./actions/saveSearch";
import { listSavedSearches } from "./actions/listSavedSearches";
import { deleteSavedSearch, type DeleteSavedSearchParameters } from "./actions/deleteSavedSearch";
import { openAuction, type OpenAuctionParameters } from "./actions/openAuction";
import { getAuction, type GetAuctionParameters } from "./actions/getAuction";
import { placeBid, type PlaceBidParameters } from "./actions/placeBid";
import { closeAuction, type CloseAuctionParameters } from "./actions/closeAuction";
import { openSealedBidding, type OpenSealedBiddingParameters } from "./actions/openSealedBidding";
import { getSealedBidding, type GetSealedBiddingParameters } from "./actions/getSealedBidding";
import { commitSealedBid, type CommitSealedBidParameters } from "./actions/commitSealedBid";
import { revealSealedBid, type RevealSealedBidParameters } from "./actions/revealSealedBid";
import { closeSealedBidding, type CloseSealedBiddingParameters } from "./actions/closeSealedBidding";
import { proposeEscrowTerms, type ProposeEscrowTermsParameters } from "./actions/proposeEscrowTerms";
import { releaseLapsedMilestone, type ReleaseLapsedMilestoneParameters } from "./actions/releaseLapsedMilestone";
import { finalizeRuling, type FinalizeRulingParameters } from "./actions/finalizeRuling";
import { reissueInstruction, type ReissueInstructionParameters } from "./actions/reissueInstruction";
import { listDisputes } from "./actions/listDisputes";
import { getDispute, type GetDisputeParameters } from "./actions/getDispute";
import { sendDisputeMessage, type SendDisputeMessageParameters } from "./actions/sendDisputeMessage";
import { getDisputeDossier, type GetDisputeDossierParameters } from "./actions/getDisputeDossier";
import { createServiceKey, type CreateServiceKeyParameters } from "./actions/createServiceKey";
import { revokeServiceKey, type RevokeServiceKeyParameters } from "./actions/revokeServiceKey";
import { getVocabularies } from "./actions/getVocabularies";
import { getExchangeRates } from "./actions/getExchangeRates";
import { setExchangeRates, type SetExchangeRatesParameters } from "./actions/setExchangeRates";
import { reportDeposit, type ReportDepositParameters } from "./actions/reportDeposit";
import { getDeposit, type GetDepositParameters } from "./actions/getDeposit";
import { listInstructions, type ListInstructionsParameters } from "./actions/listInstructions";
import { getInstruction, type GetInstructionParameters } from "./actions/getInstruction";
import { reportInstructionStatus, type ReportInstructionStatusParameters } from "./actions/reportInstructionStatus";
import { setWebhook, type SetWebhookParameters } from "./actions/setWebhook";
import { getWebhookDeliveries, type GetWebhookDeliveriesParameters } from "./actions/getWebhookDeliveries";
import { getReconciliation, type GetReconciliationParameters } from "./actions/getReconciliation";
import { dryRunImport, type DryRunImportParameters } from "./actions/dryRunImport";
import { openImportBatch, type OpenImportBatchParameters } from "./actions/openImportBatch";
import { publishImportLines, type PublishImportLinesParameters } from "./actions/publishImportLines";
import { getDealStates } from "./actions/getDealStates";
import { getDealWorkspace, type GetDealWorkspaceParameters } from "./actions/getDealWorkspace";
import { moveDeal, type MoveDealParameters } from "./actions/moveDeal";
import { appointDealParticipant, type AppointDealParticipantParameters } from "./actions/appointDealParticipant";
import { engageEvaluator, type EngageEvaluatorParameters } from "./actions/engageEvaluator";
import { openDealThread, type OpenDealThreadParameters } from "./actions/openDealThread";
import { setThreadConfidentiality, type SetThreadConfidentialityParameters } from "./actions/setThreadConfidentiality";
import { listDealMessages, type ListDealMessagesParameters } from "./actions/listDealMessages";
import { sendDealMessage, type SendDealMessageParameters } from "./actions/sendDealMessage";
import {
  requestNegotiationSession,
  type RequestNegotiationSessionParameters,
} from "./actions/requestNegotiationSession";
import { listNegotiationSessions, type ListNegotiationSessionsParameters } from "./actions/listNegotiationSessions";
import { recordNegotiationMinutes, type RecordNegotiationMinutesParameters } from "./actions/recordNegotiationMinutes";
import { listNegotiationMinutes, type ListNegotiationMinutesParameters } from "./actions/listNegotiationMinutes";
import { signNegotiationMinutes, type SignNegotiationMinutesParameters } from "./actions/signNegotiationMinutes";
import { recordSiteVisit, type RecordSiteVisitParameters } from "./actions/recordSiteVisit";
import { listSiteVisits, type ListSiteVisitsParameters } from "./actions/listSiteVisits";
import { confirmSiteVisit, type ConfirmSiteVisitParameters } from "./actions/confirmSiteVisit";
import { submitEvaluation, type SubmitEvaluationParameters } from "./actions/submitEvaluation";
import { listEvaluations, type ListEvaluationsParameters } from "./actions/listEvaluations";
import { reportRoyalty, type ReportRoyaltyParameters } from "./actions/reportRoyalty";
import { listRoyaltyStatements, type ListRoyaltyStatementsParameters } from "./actions/listRoyaltyStatements";
import { askFollowUpQuestion, type AskFollowUpQuestionParameters } from "./actions/askFollowUpQuestion";
import { answerFollowUpQuestion, type AnswerFollowUpQuestionParameters } from "./actions/answerFollowUpQuestion";
import { closeFollowUpQuestion, type CloseFollowUpQuestionParameters } from "./actions/closeFollowUpQuestion";
import { listFollowUpQuestions, type ListFollowUpQuestionsParameters } from "./actions/listFollowUpQuestions";
import { scheduleCheckIns, type ScheduleCheckInsParameters } from "./actions/scheduleCheckIns";
import { listCheckIns, type ListCheckInsParameters } from "./actions/listCheckIns";
import { answerCheckIn, type AnswerCheckInParameters } from "./actions/answerCheckIn";
import { rateDealParticipant, type RateDealParticipantParameters } from "./actions/rateDealParticipant";
import { listDealRatings, type ListDealRatingsParameters } from "./actions/listDealRatings";
import { getUserRatings, type GetUserRatingsParameters } from "./actions/getUserRatings";
import { getPlatformRatings } from "./actions/getPlatformRatings";
import { fileComplaint, type FileComplaintParameters } from "./actions/fileComplaint";
import { listComplaints, type ListComplaintsParameters } from "./actions/listComplaints";
import { getComplaint, type GetComplaintParameters } from "./actions/getComplaint";
import { answerComplaint, type AnswerComplaintParameters } from "./actions/answerComplaint";
import { confirmComplaint, type ConfirmComplaintParameters } from "./actions/confirmComplaint";
import { reopenComplaint, type ReopenComplaintParameters } from "./actions/reopenComplaint";
import { getDealStatistics, type GetDealStatisticsParameters } from "./actions/getDealStatistics";
import { submitServiceOffering, type SubmitServiceOfferingParameters } from "./actions/submitServiceOffering";
import { listServiceOfferings, type ListServiceOfferingsParameters } from "./actions/listServiceOfferings";
import { getServiceOffering, type GetServiceOfferingParameters } from "./actions/getServiceOffering";
import { reviewQualification, type ReviewQualificationParameters } from "./actions/reviewQualification";
import { withdrawServiceOffering, type WithdrawServiceOfferingParameters } from "./actions/withdrawServiceOffering";
import { orderService, type OrderServiceParameters } from "./actions/orderService";
import { listServiceOrders, type ListServiceOrdersParameters } from "./actions/listServiceOrders";
import { getServiceOrder, type GetServiceOrderParameters } from "./actions/getServiceOrder";
import { decideServiceOrder, type DecideServiceOrderParameters } from "./actions/decideServiceOrder";
import { deliverServiceOrder, type DeliverServiceOrderParameters } from "./actions/deliverServiceOrder";
import { reviewServiceDelivery, type ReviewServiceDeliveryParameters } from "./actions/reviewServiceDelivery";
import { rateServiceOrder, type RateServiceOrderParameters } from "./actions/rateServiceOrder";
import { reassignServiceOrder, type ReassignServiceOrderParameters } from "./actions/reassignServiceOrder";
import { getStatistics, type GetStatisticsParameters } from "./actions/getStatistics";
import { createStatisticsPageTicket } from "./actions/createStatisticsPageTicket";
import { getDealArchive, type GetDealArchiveParameters } from "./actions/getDealArchive";
import { purgeDealArchive, type PurgeDealArchiveParameters } from "./actions/purgeDealArchive";
import { getDealSummary, type GetDealSummaryParameters } from "./actions/getDealSummary";
import { submitDealSelfEvaluation, type SubmitDealSelfEvaluationParameters } from "./actions/submitDealSelfEvaluation";
import {
  submitThirdPartyEvaluation,
  type SubmitThirdPartyEvaluationParameters,
} from "./actions/submitThirdPartyEvaluation";
import { submitServiceSummary, type SubmitServiceSummaryParameters } from "./actions/submitServiceSummary";
import { listContractTemplates } from "./actions/listContractTemplates";
import { getContractTemplate, type GetContractTemplateParameters } from "./actions/getContractTemplate";
import { draftContract, type DraftContractParameters } from "./actions/draftContract";
import { reviseContract, type ReviseContractParameters } from "./actions/reviseContract";
import { getContract, type GetContractParameters } from "./actions/getContract";
import { getContractVersion, type GetContractVersionParameters } from "./actions/getContractVersion";
import { signContract, type SignContractParameters } from "./actions/signContract";
import { getContractRegistration, type GetContractRegistrationParameters } from "./actions/getContractRegistration";
import { acceptListedPrice, type AcceptListedPriceParameters } from "./actions/acceptListedPrice";
import { GatewayRequestError, GatewayUnreachableError } from "./errors";

/**
 * HTTP methods the gateway's API uses.
 *
 * @example
 * const method: HttpMethod = "PUT";
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * Options of one request.
 *
 * @example
 * await client.request("POST", path, body, { idempotencyKey: `settle-${instruction.id}` });
 */
export interface RequestOptions {
  /**
   * Sent as `Idempotency-Key`: a write repeated with the same key (after a lost
   * answer, a restart) is answered as the first one was, never done twice.
   */
  idempotencyKey?: string;
  /** Sent as `X-Device-Id` (sign-in): the device risk control links accounts by (docs/RISK.md). */
  deviceId?: string;
}

/**
 * All an action needs of a client: its `request`. A client that signs its
 * requests instead of sending a bearer token (the bank's, with `signRequest`) fits.
 *
 * @example
 * const { instructions } = await listInstructions(bankApi, {});
 */
export type GatewayRequester = Pick<GatewayClientBase, "request">;

/**
 * What every action needs: where the gateway is, the bearer token (if any), a
 * JSON `request`, and `withToken` for a client acting as someone else.
 *
 * @example
 * const body = await client.request<{ chainId: string }>("GET", "/v1/chain");
 */
export interface GatewayClientBase {
  /** The gateway's base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** The bearer token sent with every request: a session (`ses.…`) or a service credential (`ttl.…`). */
  readonly token: string | undefined;
  /**
   * Sends `body` (if any) as JSON to `path` (starting with `/`, with its query),
   * and answers the parsed JSON of a 2xx answer. Throws {@link GatewayRequestError}
   * for any other status and {@link GatewayUnreachableError} when there is no answer.
   */
  request<T = unknown>(method: HttpMethod, path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  /** A client like this one that sends `token` (or none); it keeps its receipts with this one's. */
  withToken(token: string | undefined): GatewayClient;
  /**
   * The evidence receipts this client (and those made from it with `withToken`) got
   * so far, oldest first: the gateway's signed word that it recorded each record at
   * its place in its subject's chain. Save them (`JSON.stringify`) to check a dossier
   * later with `verifyDossier({ receipts })` or `npm run verify -- --receipts`.
   */
  receipts(): EvidenceReceipt[];
}

/**
 * The actions, bound to a client: `client.getMe()` is `getMe(client)`.
 *
 * @example
 * const actions: GatewayActions = createGatewayClient({ baseUrl });
 */
export interface GatewayActions {
  requestChallenge(parameters: RequestChallengeParameters): ReturnType<typeof requestChallenge>;
  signIn(parameters: SignInParameters): ReturnType<typeof signIn>;
  register(parameters: RegisterParameters): ReturnType<typeof register>;
  getMe(): ReturnType<typeof getMe>;
  getUser(parameters: GetUserParameters): ReturnType<typeof getUser>;
  listUsers(parameters?: ListUsersParameters): ReturnType<typeof listUsers>;
  submitCertification(parameters: SubmitCertificationParameters): ReturnType<typeof submitCertification>;
  decideCertification(parameters: DecideCertificationParameters): ReturnType<typeof decideCertification>;
  setSuspended(parameters: SetSuspendedParameters): ReturnType<typeof setSuspended>;
  grantRole(parameters: GrantRoleParameters): ReturnType<typeof grantRole>;
  revokeRole(parameters: RevokeRoleParameters): ReturnType<typeof revokeRole>;
  rotateSigningKey(parameters: RotateSigningKeyParameters): ReturnType<typeof rotateSigningKey>;
  setEncryptionRecipient(parameters: SetEncryptionRecipientParameters): ReturnType<typeof setEncryptionRecipient>;
  recordEvidence(parameters: RecordEvidenceParameters): ReturnType<typeof recordEvidence>;
  getRecord(parameters: GetRecordParameters): ReturnType<typeof getRecord>;
  waitForAnchor(parameters: WaitForAnchorParameters): ReturnType<typeof waitForAnchor>;
  getCertificate(parameters: GetCertificateParameters): ReturnType<typeof getCertificate>;
  getSubjectEvidence(parameters: GetSubjectEvidenceParameters): ReturnType<typeof getSubjectEvidence>;
  getHealth(): ReturnType<typeof getHealth>;
  getChainInfo(): ReturnType<typeof getChainInfo>;
  getTrustAnchor(): ReturnType<typeof getTrustAnchor>;
  getReceipt(parameters: GetReceiptParameters): ReturnType<typeof getReceipt>;
  getEscrow(parameters: GetEscrowParameters): ReturnType<typeof getEscrow>;
  signEscrowTerms(parameters: SignEscrowTermsParameters): ReturnType<typeof signEscrowTerms>;
  moveMilestone(parameters: MoveMilestoneParameters): ReturnType<typeof moveMilestone>;
  replaceArbitrator(parameters: ReplaceArbitratorParameters): ReturnType<typeof replaceArbitrator>;
  createListing(parameters: CreateListingParameters): ReturnType<typeof createListing>;
  editListing(parameters: EditListingParameters): ReturnType<typeof editListing>;
  withdrawListing(parameters: WithdrawListingParameters): ReturnType<typeof withdrawListing>;
  reviewListing(parameters: ReviewListingParameters): ReturnType<typeof reviewListing>;
  getListing(parameters: GetListingParameters): ReturnType<typeof getListing>;
  listMyListings(): ReturnType<typeof listMyListings>;
  getReviewQueue(): ReturnType<typeof getReviewQueue>;
  searchListings(parameters?: SearchListingsParameters): ReturnType<typeof searchListings>;
  findMatches(parameters: FindMatchesParameters): ReturnType<typeof findMatches>;
  requestListingAccess(parameters: RequestListingAccessParameters): ReturnType<typeof requestListingAccess>;
  grantListingAccess(parameters: GrantListingAccessParameters): ReturnType<typeof grantListingAccess>;
  proposeMatch(parameters: ProposeMatchParameters): ReturnType<typeof proposeMatch>;
  getMatch(parameters: GetMatchParameters): ReturnType<typeof getMatch>;
  answerMatch(parameters: AnswerMatchParameters): ReturnType<typeof answerMatch>;
  listDeals(): ReturnType<typeof listDeals>;
  getDeal(parameters: GetDealParameters): ReturnType<typeof getDeal>;
  getInbox(parameters?: GetInboxParameters): ReturnType<typeof getInbox>;
  createStreamTicket(): ReturnType<typeof createStreamTicket>;
  registerNotificationWebhook(
    parameters: RegisterNotificationWebhookParameters,
  ): ReturnType<typeof registerNotificationWebhook>;
  listNotificationWebhooks(): ReturnType<typeof listNotificationWebhooks>;
  deleteNotificationWebhook(
    parameters: DeleteNotificationWebhookParameters,
  ): ReturnType<typeof deleteNotificationWebhook>;
  saveSearch(parameters?: SaveSearchParameters): ReturnType<typeof saveSearch>;
  listSavedSearches(): ReturnType<typeof listSavedSearches>;
  deleteSavedSearch(parameters: DeleteSavedSearchParameters): ReturnType<typeof deleteSavedSearch>;
  openAuction(parameters: OpenAuctionParameters): ReturnType<typeof openAuction>;
  getAuction(parameters: GetAuctionParameters): ReturnType<typeof getAuction>;
  placeBid(parameters: PlaceBidParameters): ReturnType<typeof placeBid>;
  closeAuction(parameters: CloseAuctionParameters): ReturnType<typeof closeAuction>;
  openSealedBidding(parameters: OpenSealedBiddingParameters): ReturnType<typeof openSealedBidding>;
  getSealedBidding(parameters: GetSealedBiddingParameters): ReturnType<typeof getSealedBidding>;
  commitSealedBid(parameters: CommitSealedBidParameters): ReturnType<typeof commitSealedBid>;
  revealSealedBid(parameters: RevealSealedBidParameters): ReturnType<typeof revealSealedBid>;
  closeSealedBidding(parameters: CloseSealedBiddingParameters): ReturnType<typeof closeSealedBidding>;
  proposeEscrowTerms(parameters: ProposeEscrowTermsParameters): ReturnType<typeof proposeEscrowTerms>;
  releaseLapsedMilestone(parameters: ReleaseLapsedMilestoneParameters): ReturnType<typeof releaseLapsedMilestone>;
  finalizeRuling(parameters: FinalizeRulingParameters): ReturnType<typeof finalizeRuling>;
  reissueInstruction(parameters: ReissueInstructionParameters): ReturnType<typeof reissueInstruction>;
  listDisputes(): ReturnType<typeof listDisputes>;
  getDispute(parameters: GetDisputeParameters): ReturnType<typeof getDispute>;
  sendDisputeMessage(parameters: SendDisputeMessageParameters): ReturnType<typeof sendDisputeMessage>;
  getDisputeDossier(parameters: GetDisputeDossierParameters): ReturnType<typeof getDisputeDossier>;
  createServiceKey(parameters: CreateServiceKeyParameters): ReturnType<typeof createServiceKey>;
  revokeServiceKey(parameters: RevokeServiceKeyParameters): ReturnType<typeof revokeServiceKey>;
  getVocabularies(): ReturnType<typeof getVocabularies>;
  getExchangeRates(): ReturnType<typeof getExchangeRates>;
  dryRunImport(parameters: DryRunImportParameters): ReturnType<typeof dryRunImport>;
  openImportBatch(parameters: OpenImportBatchParameters): ReturnType<typeof openImportBatch>;
  publishImportLines(parameters: PublishImportLinesParameters): ReturnType<typeof publishImportLines>;
  reportDeposit(parameters: ReportDepositParameters): ReturnType<typeof reportDeposit>;
  getDeposit(parameters: GetDepositParameters): ReturnType<typeof getDeposit>;
  listInstructions(parameters?: ListInstructionsParameters): ReturnType<typeof listInstructions>;
  getInstruction(parameters: GetInstructionParameters): ReturnType<typeof getInstruction>;
  reportInstructionStatus(parameters: ReportInstructionStatusParameters): ReturnType<typeof reportInstructionStatus>;
  setWebhook(parameters: SetWebhookParameters): ReturnType<typeof setWebhook>;
  getWebhookDeliveries(parameters?: GetWebhookDeliveriesParameters): ReturnType<typeof getWebhookDeliveries>;
  getReconciliation(parameters?: GetReconciliationParameters): ReturnType<typeof getReconciliation>;
  setExchangeRates(parameters: SetExchangeRatesParameters): ReturnType<typeof setExchangeRates>;
  getDealStates(): ReturnType<typeof getDealStates>;
  getDealWorkspace(parameters: GetDealWorkspaceParameters): ReturnType<typeof getDealWorkspace>;
  moveDeal(parameters: MoveDealParameters): ReturnType<typeof moveDeal>;
  appointDealParticipant(parameters: AppointDealParticipantParameters): ReturnType<typeof appointDealParticipant>;
  engageEvaluator(parameters: EngageEvaluatorParameters): ReturnType<typeof engageEvaluator>;
  openDealThread(parameters: OpenDealThreadParameters): ReturnType<typeof openDealThread>;
  setThreadConfidentiality(parameters: SetThreadConfidentialityParameters): ReturnType<typeof setThreadConfidentiality>;
  listDealMessages(parameters: ListDealMessagesParameters): ReturnType<typeof listDealMessages>;
  sendDealMessage(parameters: SendDealMessageParameters): ReturnType<typeof sendDealMessage>;
  requestNegotiationSession(
    parameters: RequestNegotiationSessionParameters,
  ): ReturnType<typeof requestNegotiationSession>;
  listNegotiationSessions(parameters: ListNegotiationSessionsParameters): ReturnType<typeof listNegotiationSessions>;
  recordNegotiationMinutes(parameters: RecordNegotiationMinutesParameters): ReturnType<typeof recordNegotiationMinutes>;
  listNegotiationMinutes(parameters: ListNegotiationMinutesParameters): ReturnType<typeof listNegotiationMinutes>;
  signNegotiationMinutes(parameters: SignNegotiationMinutesParameters): ReturnType<typeof signNegotiationMinutes>;
  recordSiteVisit(parameters: RecordSiteVisitParameters): ReturnType<typeof recordSiteVisit>;
  listSiteVisits(parameters: ListSiteVisitsParameters): ReturnType<typeof listSiteVisits>;
  confirmSiteVisit(parameters: ConfirmSiteVisitParameters): ReturnType<typeof confirmSiteVisit>;
  submitEvaluation(parameters: SubmitEvaluationParameters): ReturnType<typeof submitEvaluation>;
  listEvaluations(parameters: ListEvaluationsParameters): ReturnType<typeof listEvaluations>;
  reportRoyalty(parameters: ReportRoyaltyParameters): ReturnType<typeof reportRoyalty>;
  listRoyaltyStatements(parameters: ListRoyaltyStatementsParameters): ReturnType<typeof listRoyaltyStatements>;
  getDealArchive(parameters: GetDealArchiveParameters): ReturnType<typeof getDealArchive>;
  purgeDealArchive(parameters: PurgeDealArchiveParameters): ReturnType<typeof purgeDealArchive>;
  getDealSummary(parameters: GetDealSummaryParameters): ReturnType<typeof getDealSummary>;
  submitDealSelfEvaluation(parameters: SubmitDealSelfEvaluationParameters): ReturnType<typeof submitDealSelfEvaluation>;
  submitThirdPartyEvaluation(
    parameters: SubmitThirdPartyEvaluationParameters,
  ): ReturnType<typeof submitThirdPartyEvaluation>;
  submitServiceSummary(parameters: SubmitServiceSummaryParameters): ReturnType<typeof submitServiceSummary>;
  listContractTemplates(): ReturnType<typeof listContractTemplates>;
  getContractTemplate(parameters: GetContractTemplateParameters): ReturnType<typeof getContractTemplate>;
  draftContract(parameters: DraftContractParameters): ReturnType<typeof draftContract>;
  reviseContract(parameters: ReviseContractParameters): ReturnType<typeof reviseContract>;
  getContract(parameters: GetContractParameters): ReturnType<typeof getContract>;
  getContractVersion(parameters: GetContractVersionParameters): ReturnType<typeof getContractVersion>;
  signContract(parameters: SignContractParameters): ReturnType<typeof signContract>;
  getContractRegistration(parameters: GetContractRegistrationParameters): ReturnType<typeof getContractRegistration>;
  acceptListedPrice(parameters: AcceptListedPriceParameters): ReturnType<typeof acceptListedPrice>;
  askFollowUpQuestion(parameters: AskFollowUpQuestionParameters): ReturnType<typeof askFollowUpQuestion>;
  answerFollowUpQuestion(parameters: AnswerFollowUpQuestionParameters): ReturnType<typeof answerFollowUpQuestion>;
  closeFollowUpQuestion(parameters: CloseFollowUpQuestionParameters): ReturnType<typeof closeFollowUpQuestion>;
  listFollowUpQuestions(parameters: ListFollowUpQuestionsParameters): ReturnType<typeof listFollowUpQuestions>;
  scheduleCheckIns(parameters: ScheduleCheckInsParameters): ReturnType<typeof scheduleCheckIns>;
  listCheckIns(parameters: ListCheckInsParameters): ReturnType<typeof listCheckIns>;
  answerCheckIn(parameters: AnswerCheckInParameters): ReturnType<typeof answerCheckIn>;
  rateDealParticipant(parameters: RateDealParticipantParameters): ReturnType<typeof rateDealParticipant>;
  listDealRatings(parameters: ListDealRatingsParameters): ReturnType<typeof listDealRatings>;
  getUserRatings(parameters: GetUserRatingsParameters): ReturnType<typeof getUserRatings>;
  getPlatformRatings(): ReturnType<typeof getPlatformRatings>;
  fileComplaint(parameters: FileComplaintParameters): ReturnType<typeof fileComplaint>;
  listComplaints(parameters: ListComplaintsParameters): ReturnType<typeof listComplaints>;
  getComplaint(parameters: GetComplaintParameters): ReturnType<typeof getComplaint>;
  answerComplaint(parameters: AnswerComplaintParameters): ReturnType<typeof answerComplaint>;
  confirmComplaint(parameters: ConfirmComplaintParameters): ReturnType<typeof confirmComplaint>;
  reopenComplaint(parameters: ReopenComplaintParameters): ReturnType<typeof reopenComplaint>;
  getDealStatistics(parameters: GetDealStatisticsParameters): ReturnType<typeof getDealStatistics>;
  submitServiceOffering(parameters: SubmitServiceOfferingParameters): ReturnType<typeof submitServiceOffering>;
  listServiceOfferings(parameters?: ListServiceOfferingsParameters): ReturnType<typeof listServiceOfferings>;
  getServiceOffering(parameters: GetServiceOfferingParameters): ReturnType<typeof getServiceOffering>;
  reviewQualification(parameters: ReviewQualificationParameters): ReturnType<typeof reviewQualification>;
  withdrawServiceOffering(parameters: WithdrawServiceOfferingParameters): ReturnType<typeof withdrawServiceOffering>;
  orderService(parameters: OrderServiceParameters): ReturnType<typeof orderService>;
  listServiceOrders(parameters?: ListServiceOrdersParameters): ReturnType<typeof listServiceOrders>;
  getServiceOrder(parameters: GetServiceOrderParameters): ReturnType<typeof getServiceOrder>;
  decideServiceOrder(parameters: DecideServiceOrderParameters): ReturnType<typeof decideServiceOrder>;
  deliverServiceOrder(parameters: DeliverServiceOrderParameters): ReturnType<typeof deliverServiceOrder>;
  reviewServiceDelivery(parameters: ReviewServiceDeliveryParameters): ReturnType<typeof reviewServiceDelivery>;
  rateServiceOrder(parameters: RateServiceOrderParameters): ReturnType<typeof rateServiceOrder>;
  reassignServiceOrder(parameters: ReassignServiceOrderParameters): ReturnType<typeof reassignServiceOrder>;
  getStatistics(parameters?: GetStatisticsParameters): ReturnType<typeof getStatistics>;
  createStatisticsPageTicket(): ReturnType<typeof createStatisticsPageTicket>;
  getRiskRecord(parameters: GetRiskRecordParameters): ReturnType<typeof getRiskRecord>;
  getCounterpartyRecord(parameters: GetCounterpartyRecordParameters): ReturnType<typeof getCounterpartyRecord>;
  getRiskRules(): ReturnType<typeof getRiskRules>;
  reloadRiskRules(): ReturnType<typeof reloadRiskRules>;
  listRiskAlerts(parameters: ListRiskAlertsParameters): ReturnType<typeof listRiskAlerts>;
  getRiskAlert(parameters: GetRiskAlertParameters): ReturnType<typeof getRiskAlert>;
  decideRiskAlert(parameters: DecideRiskAlertParameters): ReturnType<typeof decideRiskAlert>;
  getRiskFigures(): ReturnType<typeof getRiskFigures>;
  approveLargeDeal(parameters: ApproveLargeDealParameters): ReturnType<typeof approveLargeDeal>;
  listBlacklist(): ReturnType<typeof listBlacklist>;
  addToBlacklist(parameters: AddToBlacklistParameters): ReturnType<typeof addToBlacklist>;
  removeFromBlacklist(parameters: RemoveFromBlacklistParameters): ReturnType<typeof removeFromBlacklist>;
  declareBankAccount(parameters: DeclareBankAccountParameters): ReturnType<typeof declareBankAccount>;
  getBankAccount(parameters: GetBankAccountParameters): ReturnType<typeof getBankAccount>;
}

/**
 * A client of the gateway's HTTP API with every action bound to it.
 *
 * @example
 * const client: GatewayClient = createGatewayClient({ baseUrl: "https://ledger.example.cn" });
 */
export type GatewayClient = GatewayClientBase & GatewayActions;

/**
 * Options of {@link createGatewayClient}.
 *
 * @example
 * const parameters: CreateGatewayClientParameters = { baseUrl: "https://ledger.example.cn", token: process.env.TTL_TOKEN };
 */
export interface CreateGatewayClientParameters {
  /** The gateway's base URL, e.g. `https://ledger.example.cn`. */
  baseUrl: string;
  /** A session token or a service credential, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** The `fetch` to use (a test double, a proxying fetch); the global one by default. */
  fetch?: typeof globalThis.fetch;
}
export type CreateGatewayClientReturnType = GatewayClient;

/**
 * Creates a client of the gateway's HTTP API for a party, a reviewer, an admin
 * or a platform service, with the actions bound as methods.
 *
 * @example
 * const client = createGatewayClient({ baseUrl: "https://ledger.example.cn" });
 * const { client: me, user } = await client.signIn({ signer: wallet });
 * const operator = createGatewayClient({ baseUrl, token: process.env.TTL_OPERATOR_TOKEN });
 */
export function createGatewayClient(parameters: CreateGatewayClientParameters): CreateGatewayClientReturnType {
  if (parameters === null || typeof parameters !== "object") {
    throw new InvalidArgumentError("createGatewayClient needs { baseUrl, token?, fetch? }");
  }
  const baseUrl = normaliseBaseUrl(parameters.baseUrl);
  const fetchImpl = parameters.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") {
    throw new InvalidArgumentError("no fetch: pass one as `fetch`, or use Node 18 or later");
  }
  return build(baseUrl, checkToken(parameters.token), fetchImpl, []);
}

function build(
  baseUrl: string,
  token: string | undefined,
  fetchImpl: typeof globalThis.fetch,
  kept: EvidenceReceipt[],
): GatewayClient {
  const base: GatewayClientBase = {
    baseUrl,
    token,
    request: (method, path, body, options) => send(fetchImpl, baseUrl, token, method, path, body, kept, options),
    withToken: (next) => build(baseUrl, checkToken(next), fetchImpl, kept),
    receipts: () => [...kept],
  };
  return {
    ...base,
    requestChallenge: (p) => requestChallenge(base, p),
    signIn: (p) => signIn(base, p),
    register: (p) => register(base, p),
    getMe: () => getMe(base),
    getUser: (p) => getUser(base, p),
    listUsers: (p) => listUsers(base, p),
    submitCertification: (p) => submitCertification(base, p),
    decideCertification: (p) => decideCertification(base, p),
    setSuspended: (p) => setSuspended(base, p),
    grantRole: (p) => grantRole(base, p),
    revokeRole: (p) => revokeRole(base, p),
    rotateSigningKey: (p) => rotateSigningKey(base, p),
    setEncryptionRecipient: (p) => setEncryptionRecipient(base, p),
    recordEvidence: (p) => recordEvidence(base, p),
    getRecord: (p) => getRecord(base, p),
    waitForAnchor: (p) => waitForAnchor(base, p),
    getCertificate: (p) => getCertificate(base, p),
    getSubjectEvidence: (p) => getSubjectEvidence(base, p),
    getHealth: () => getHealth(base),
    getChainInfo: () => getChainInfo(base),
    getTrustAnchor: () => getTrustAnchor(base),
    getReceipt: (p) => getReceipt(base, p),
    getEscrow: (p) => getEscrow(base, p),
    signEscrowTerms: (p) => signEscrowTerms(base, p),
    moveMilestone: (p) => moveMilestone(base, p),
    replaceArbitrator: (p) => replaceArbitrator(base, p),
    createListing: (p) => createListing(base, p),
    editListing: (p) => editListing(base, p),
    withdrawListing: (p) => withdrawListing(base, p),
    reviewListing: (p) => reviewListing(base, p),
    getListing: (p) => getListing(base, p),
    listMyListings: () => listMyListings(base),
    getReviewQueue: () => getReviewQueue(base),
    searchListings: (p) => searchListings(base, p),
    findMatches: (p) => findMatches(base, p),
    requestListingAccess: (p) => requestListingAccess(base, p),
    grantListingAccess: (p) => grantListingAccess(base, p),
    proposeMatch: (p) => proposeMatch(base, p),
    getMatch: (p) => getMatch(base, p),
    answerMatch: (p) => answerMatch(base, p),
    listDeals: () => listDeals(base),
    getDeal: (p) => getDeal(base, p),
    getInbox: (p) => getInbox(base, p),
    createStreamTicket: () => createStreamTicket(base),
    registerNotificationWebhook: (p) => registerNotificationWebhook(base, p),
    listNotificationWebhooks: () => listNotificationWebhooks(base),
    deleteNotificationWebhook: (p) => deleteNotificationWebhook(base, p),
    saveSearch: (p) => saveSearch(base, p),
    listSavedSearches: () => listSavedSearches(base),
    deleteSavedSearch: (p) => deleteSavedSearch(base, p),
    openAuction: (p) => openAuction(base, p),
    getAuction: (p) => getAuction(base, p),
    placeBid: (p) => placeBid(base, p),
    closeAuction: (p) => closeAuction(base, p),
    openSealedBidding: (p) => openSealedBidding(base, p),
    getSealedBidding: (p) => getSealedBidding(base, p),
    commitSealedBid: (p) => commitSealedBid(base, p),
    revealSealedBid: (p) => revealSealedBid(base, p),
    closeSealedBidding: (p) => closeSealedBidding(base, p),
    proposeEscrowTerms: (p) => proposeEscrowTerms(base, p),
    releaseLapsedMilestone: (p) => releaseLapsedMilestone(base, p),
    finalizeRuling: (p) => finalizeRuling(base, p),
    reissueInstruction: (p) => reissueInstruction(base, p),
    listDisputes: () => listDisputes(base),
    getDispute: (p) => getDispute(base, p),
    sendDisputeMessage: (p) => sendDisputeMessage(base, p),
    getDisputeDossier: (p) => getDisputeDossier(base, p),
    createServiceKey: (p) => createServiceKey(base, p),
    revokeServiceKey: (p) => revokeServiceKey(base, p),
    getVocabularies: () => getVocabularies(base),
    getExchangeRates: () => getExchangeRates(base),
    dryRunImport: (p) => dryRunImport(base, p),
    openImportBatch: (p) => openImportBatch(base, p),
    publishImportLines: (p) => publishImportLines(base, p),
    reportDeposit: (p) => reportDeposit(base, p),
    getDeposit: (p) => getDeposit(base, p),
    listInstructions: (p) => listInstructions(base, p),
    getInstruction: (p) => getInstruction(base, p),
    reportInstructionStatus: (p) => reportInstructionStatus(base, p),
    setWebhook: (p) => setWebhook(base, p),
    getWebhookDeliveries: (p) => getWebhookDeliveries(base, p),
    getReconciliation: (p) => getReconciliation(base, p),
    setExchangeRates: (p) => setExchangeRates(base, p),
    getDealStates: () => getDealStates(base),
    getDealWorkspace: (p) => getDealWorkspace(base, p),
    moveDeal: (p) => moveDeal(base, p),
    appointDealParticipant: (p) => appointDealParticipant(base, p),
    engageEvaluator: (p) => engageEvaluator(base, p),
    openDealThread: (p) => openDealThread(base, p),
    setThreadConfidentiality: (p) => setThreadConfidentiality(base, p),
    listDealMessages: (p) => listDealMessages(base, p),
    sendDealMessage: (p) => sendDealMessage(base, p),
    requestNegotiationSession: (p) => requestNegotiationSession(base, p),
    listNegotiationSessions: (p) => listNegotiationSessions(base, p),
    recordNegotiationMinutes: (p) => recordNegotiationMinutes(base, p),
    listNegotiationMinutes: (p) => listNegotiationMinutes(base, p),
    signNegotiationMinutes: (p) => signNegotiationMinutes(base, p),
    recordSiteVisit: (p) => recordSiteVisit(base, p),
    listSiteVisits: (p) => listSiteVisits(base, p),
    confirmSiteVisit: (p) => confirmSiteVisit(base, p),
    submitEvaluation: (p) => submitEvaluation(base, p),
    listEvaluations: (p) => listEvaluations(base, p),
    reportRoyalty: (p) => reportRoyalty(base, p),
    listRoyaltyStatements: (p) => listRoyaltyStatements(base, p),
    getDealArchive: (p) => getDealArchive(base, p),
    purgeDealArchive: (p) => purgeDealArchive(base, p),
    getDealSummary: (p) => getDealSummary(base, p),
    submitDealSelfEvaluation: (p) => submitDealSelfEvaluation(base, p),
    submitThirdPartyEvaluation: (p) => submitThirdPartyEvaluation(base, p),
    submitServiceSummary: (p) => submitServiceSummary(base, p),
    listContractTemplates: () => listContractTemplates(base),
    getContractTemplate: (p) => getContractTemplate(base, p),
    draftContract: (p) => draftContract(base, p),
    reviseContract: (p) => reviseContract(base, p),
    getContract: (p) => getContract(base, p),
    getContractVersion: (p) => getContractVersion(base, p),
    signContract: (p) => signContract(base, p),
    getContractRegistration: (p) => getContractRegistration(base, p),
    acceptListedPrice: (p) => acceptListedPrice(base, p),
    askFollowUpQuestion: (p) => askFollowUpQuestion(base, p),
    answerFollowUpQuestion: (p) => answerFollowUpQuestion(base, p),
    closeFollowUpQuestion: (p) => closeFollowUpQuestion(base, p),
    listFollowUpQuestions: (p) => listFollowUpQuestions(base, p),
    scheduleCheckIns: (p) => scheduleCheckIns(base, p),
    listCheckIns: (p) => listCheckIns(base, p),
    answerCheckIn: (p) => answerCheckIn(base, p),
    rateDealParticipant: (p) => rateDealParticipant(base, p),
    listDealRatings: (p) => listDealRatings(base, p),
    getUserRatings: (p) => getUserRatings(base, p),
    getPlatformRatings: () => getPlatformRatings(base),
    fileComplaint: (p) => fileComplaint(base, p),
    listComplaints: (p) => listComplaints(base, p),
    getComplaint: (p) => getComplaint(base, p),
    answerComplaint: (p) => answerComplaint(base, p),
    confirmComplaint: (p) => confirmComplaint(base, p),
    reopenComplaint: (p) => reopenComplaint(base, p),
    getDealStatistics: (p) => getDealStatistics(base, p),
    submitServiceOffering: (p) => submitServiceOffering(base, p),
    listServiceOfferings: (p) => listServiceOfferings(base, p),
    getServiceOffering: (p) => getServiceOffering(base, p),
    reviewQualification: (p) => reviewQualification(base, p),
    withdrawServiceOffering: (p) => withdrawServiceOffering(base, p),
    orderService: (p) => orderService(base, p),
    listServiceOrders: (p) => listServiceOrders(base, p),
    getServiceOrder: (p) => getServiceOrder(base, p),
    decideServiceOrder: (p) => decideServiceOrder(base, p),
    deliverServiceOrder: (p) => deliverServiceOrder(base, p),
    reviewServiceDelivery: (p) => reviewServiceDelivery(base, p),
    rateServiceOrder: (p) => rateServiceOrder(base, p),
    reassignServiceOrder: (p) => reassignServiceOrder(base, p),
    getStatistics: (p) => getStatistics(base, p),
    createStatisticsPageTicket: () => createStatisticsPageTicket(base),
    getRiskRecord: (p) => getRiskRecord(base, p),
    getCounterpartyRecord: (p) => getCounterpartyRecord(base, p),
    getRiskRules: () => getRiskRules(base),
    reloadRiskRules: () => reloadRiskRules(base),
    listRiskAlerts: (p) => listRiskAlerts(base, p),
    getRiskAlert: (p) => getRiskAlert(base, p),
    decideRiskAlert: (p) => decideRiskAlert(base, p),
    getRiskFigures: () => getRiskFigures(base),
    approveLargeDeal: (p) => approveLargeDeal(base, p),
    listBlacklist: () => listBlacklist(base),
    addToBlacklist: (p) => addToBlacklist(base, p),
    removeFromBlacklist: (p) => removeFromBlacklist(base, p),
    declareBankAccount: (p) => declareBankAccount(base, p),
    getBankAccount: (p) => getBankAccount(base, p),
  };
}

function normaliseBaseUrl(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    throw new InvalidArgumentError("baseUrl must be an http(s) URL without query or fragment", {
      details: `got ${JSON.stringify(value)?.slice(0, 120)}`,
    });
  }
  return url.href.replace(/\/+$/, "");
}

function checkToken(token: unknown): string | undefined {
  if (token === undefined) return undefined;
  // A token goes into a header: no white space or control characters.
  if (typeof token !== "string" || !/^[\x21-\x7e]+$/.test(token)) {
    throw new InvalidArgumentError("token must be a non-empty string of visible ASCII characters");
  }
  return token;
}

async function send<T>(
  fetchImpl: typeof globalThis.fetch,
  baseUrl: string,
  token: string | undefined,
  method: HttpMethod,
  path: string,
  body: unknown,
  kept: EvidenceReceipt[],
  options: RequestOptions = {},
): Promise<T> {
  if (typeof path !== "string" || !path.startsWith("/")) {
    throw new InvalidArgumentError("path must start with /", { details: `got ${JSON.stringify(path)}` });
  }
  const url = `${baseUrl}${path}`;
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  if (options.idempotencyKey !== undefined) headers["idempotency-key"] = options.idempotencyKey;
  if (options.deviceId !== undefined) headers["x-device-id"] = options.deviceId;

  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    text = await response.text();
  } catch (error) {
    throw new GatewayUnreachableError(method, url, error);
  }

  kept.push(...receiptsFromHeader(response.headers.get(RECEIPTS_HEADER)));
  let json: unknown;
  let parseError: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch (error) {
    parseError = error;
  }

  if (!response.ok) {
    const answered = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new GatewayRequestError({
      status: response.status,
      code: typeof answered?.code === "string" ? answered.code : `HTTP_${response.status}`,
      message:
        typeof answered?.message === "string"
          ? answered.message
          : `the gateway answered ${response.status} ${response.statusText}`.trim(),
      method,
      path,
      retryAfterSeconds: response.headers.has("retry-after") && Number.isFinite(retryAfter) ? retryAfter : undefined,
      details: errorDetails(answered?.details),
    });
  }
  if (parseError) {
    throw new GatewayRequestError(
      {
        status: response.status,
        code: "INVALID_RESPONSE",
        message: "the gateway's answer is not JSON",
        method,
        path,
      },
      { cause: parseError },
    );
  }
  return json as T;
}

/** The gateway's `error.details`, kept only as far as it has the documented shape. */
function errorDetails(value: unknown): ErrorDetail[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((d): d is Record<string, unknown> => typeof d === "object" && d !== null)
    .map((d) => ({ path: String(d.path ?? ""), code: String(d.code ?? ""), message: String(d.message ?? "") }));
}
