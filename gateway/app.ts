import Router from "@koa/router";
import Koa from "koa";
import type { CredentialService } from "./auth/credentials";
import type { ChainClient } from "./chain/client";
import type { Anchorer } from "./evidence/anchorer";
import type { EvidenceRecorder } from "./evidence/recorder";
import type { EvidenceService } from "./evidence/service";
import { GatewayError, notFound } from "./errors";
import { errorBoundary, isClientDisconnect } from "./http/errorBoundary";
import { notificationRoutes } from "./routes/notifications";
import { mountRoutes } from "./http/mountRoutes";
import type { Route } from "./http/route";
import { evidenceRoutes } from "./routes/evidence";
import { metaRoutes } from "./routes/meta";
import { systemRoutes, type PublicChainInfo } from "./routes/system";
import type { TrustPublisher } from "./chain/trust";
import type { ReceiptSigner } from "./evidence/receipts";
import type { EvidenceAccess } from "./evidence/access";
import type { ChainMonitor } from "./chain/monitor";
import type { FileStore } from "./store/files";
import type { AccountSync } from "./identity/accountSync";
import type { SessionTokens } from "./identity/sessions";
import type { SignInChallenges } from "./identity/signIn";
import type { UserService } from "./identity/users";
import { Authenticator } from "./auth/authenticator";
import type { SignedRequestVerifier } from "./auth/signedRequests";
import type { IdempotentWrites } from "./http/idempotency";
import { identityRoutes } from "./routes/identity";
import { marketRoutes } from "./routes/market";
import { matchRoutes } from "./routes/matches";
import { tradeRoutes } from "./routes/trades";
import { serviceKeyRoutes } from "./routes/serviceKeys";
import type { TradeService } from "./market/trades";
import type { MatchService } from "./market/matches";
import type { Notifier } from "./notifications/notifier";
import type { NotificationWebhooks } from "./notifications/webhooks";
import type { Reminders } from "./notifications/reminders";
import type { DealNotices } from "./notifications/dealNotices";
import type { StreamTickets } from "./notifications/streamTickets";
import type { ListingService } from "./market/listings";
import type { EscrowTerms } from "./escrow/terms";
import type { EscrowMoves } from "./escrow/moves";
import type { EscrowDeliveries } from "./escrow/deliveries";
import type { EscrowEvents } from "./escrow/events";
import type { BankService } from "./escrow/bank";
import type { WebhookDispatcher } from "./escrow/webhooks";
import type { DisputeService } from "./escrow/disputes";
import { escrowRoutes } from "./routes/escrow";
import { deliveryRoutes } from "./routes/deliveries";
import { bankRoutes } from "./routes/bank";
import { disputeRoutes } from "./routes/disputes";
import { arbitrationRoutes } from "./routes/arbitration";
import type { ArbitratorReplacements } from "./escrow/arbitratorReplacement";
import { dealRoutes } from "./routes/deals";
import type { DealWorkspaces } from "./deal/workspace";
import type { DealNegotiation } from "./deal/negotiation";
import type { DealVisits } from "./deal/visits";
import type { DealEvaluations } from "./deal/evaluations";
import type { DealRoyalties } from "./deal/royalties";
import type { DealContracts } from "./deal/contracts";
import type { DealFollowUp } from "./deal/followUp";
import type { DealRatings } from "./deal/ratings";
import type { DealComplaints } from "./deal/complaints";
import type { DealStatistics } from "./statistics/deals";
import type { PlatformStatistics } from "./statistics/statistics";
import type { StatisticsPageTickets } from "./statistics/pageTickets";
import { dealAftercareRoutes } from "./routes/dealAftercare";
import { statisticsRoutes } from "./routes/statistics";
import type { DealSummaries } from "./deal/summaries";
import type { DealArchives } from "./deal/archives";
import { dealArchiveRoutes } from "./routes/dealArchive";
import type { ServiceOfferings } from "./services/offerings";
import type { ServiceOrders } from "./services/orders";
import { serviceRoutes } from "./routes/services";
import type { RiskControl } from "./risk/service";
import { riskRoutes } from "./routes/risk";

/** The services of one gateway, which the routes call. */
export interface Services {
  recorder: EvidenceRecorder;
  evidence: EvidenceService;
  anchorer: Anchorer;
  chain: ChainClient;
  chainMonitor: ChainMonitor;
  files: FileStore;
  credentials: CredentialService;
  users: UserService;
  challenges: SignInChallenges;
  sessions: SessionTokens;
  accountSync: AccountSync;
  listings: ListingService;
  matches: MatchService;
  notifier: Notifier;
  trades: TradeService;
  escrowTerms: EscrowTerms;
  escrowMoves: EscrowMoves;
  escrowDeliveries: EscrowDeliveries;
  escrowEvents: EscrowEvents;
  bank: BankService;
  webhooks: WebhookDispatcher;
  disputes: DisputeService;
  arbitratorReplacements: ArbitratorReplacements;
  dealWorkspaces: DealWorkspaces;
  dealNegotiation: DealNegotiation;
  dealVisits: DealVisits;
  dealEvaluations: DealEvaluations;
  dealRoyalties: DealRoyalties;
  dealContracts: DealContracts;
  dealFollowUp: DealFollowUp;
  dealRatings: DealRatings;
  dealComplaints: DealComplaints;
  dealStatistics: DealStatistics;
  notificationWebhooks: NotificationWebhooks;
  reminders: Reminders;
  dealNotices: DealNotices;
  streamTickets: StreamTickets;
  dealSummaries: DealSummaries;
  dealArchives: DealArchives;
  serviceOfferings: ServiceOfferings;
  serviceOrders: ServiceOrders;
  platformStatistics: PlatformStatistics;
  statisticsPageTickets: StatisticsPageTickets;
  risk: RiskControl;
}

export interface AppDependencies extends Services {
  /** Who may read which evidence. */
  evidenceAccess: EvidenceAccess;
  idempotency: IdempotentWrites;
  publicChain: PublicChainInfo;
  /** The gateway's own trust anchor (GET /v1/chain/trust). */
  trust: TrustPublisher;
  /** Signs the receipts of evidence records (GET /v1/evidence/:id/receipt). */
  receiptSigner: ReceiptSigner;
  version: string;
  signedRequests: SignedRequestVerifier;
  /** Largest request body, in bytes (files travel base64-encoded inside it). */
  bodyLimit: number;
  log?: (message: string) => void;
}

/** Every route of the gateway, in one list: what the OpenAPI document and the access test walk. */
export function allRoutes(deps: AppDependencies): Route[] {
  const routes: Route[] = [
    ...systemRoutes(deps),
    ...evidenceRoutes(deps.recorder, deps.evidence, deps.evidenceAccess, deps.receiptSigner, deps.bodyLimit),
    ...identityRoutes(deps),
    ...marketRoutes(deps),
    ...matchRoutes(deps),
    ...tradeRoutes(deps),
    ...serviceKeyRoutes(deps),
    ...escrowRoutes(deps),
    ...deliveryRoutes(deps),
    ...bankRoutes(deps),
    ...disputeRoutes(deps),
    ...arbitrationRoutes(deps),
    ...dealRoutes(deps),
    ...dealAftercareRoutes(deps),
    ...statisticsRoutes(deps),
    ...notificationRoutes(deps),
    ...dealArchiveRoutes(deps),
    ...serviceRoutes(deps),
    ...riskRoutes(deps),
  ];
  routes.push(...metaRoutes(() => routes, deps.version));
  return routes;
}

/** The Koa app with the list of its routes (for the OpenAPI document and the access test). */
export type GatewayApp = Koa & { readonly routes: readonly Route[] };

/**
 * Builds the gateway's Koa app without listening: `server.ts` listens, tests
 * drive `app.callback()` directly.
 */
export function createApp(deps: AppDependencies): GatewayApp {
  const app = new Koa() as Koa & { routes: readonly Route[] };
  app.proxy = false;
  const router = new Router();
  const routes = allRoutes(deps);
  app.routes = routes;
  const exactRoutes = mountRoutes(router, routes, {
    bearer: new Authenticator(deps.credentials, deps.sessions, deps.users),
    signed: deps.signedRequests,
    idempotency: deps.idempotency,
  });

  app.use(errorBoundary());
  app.use(async function noRoute(ctx, next) {
    await next();
    if (ctx.status === 404 && ctx.body == null) {
      throw notFound("NOT_FOUND", `no route ${ctx.method} ${ctx.path}; see /docs`);
    }
  });
  app.use(exactRoutes);
  app.use(router.routes());
  app.use(
    router.allowedMethods({
      throw: true,
      methodNotAllowed: () => new GatewayError(405, "METHOD_NOT_ALLOWED", "this path does not take that method"),
      notImplemented: () => new GatewayError(405, "METHOD_NOT_ALLOWED", "this method is not used by this API"),
    }),
  );
  app.on("error", (error: Error) => {
    if (isClientDisconnect(error)) return;
    (deps.log ?? console.error)(`internal error: ${error.stack ?? error.message}`);
  });
  return app;
}
