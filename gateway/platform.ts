import path from "node:path";
import type { Server } from "node:http";
import { createApp, type Services } from "./app";
import { CredentialService } from "./auth/credentials";
import { SignedRequestVerifier } from "./auth/signedRequests";
import { ChainClient, type ChainSettings } from "./chain/client";
import { ChainMonitor } from "./chain/monitor";
import { Anchorer, type AnchorerOptions } from "./evidence/anchorer";
import { EvidenceRecorder } from "./evidence/recorder";
import { EvidenceService } from "./evidence/service";
import type { PublicChainInfo } from "./routes/system";
import { TrustPublisher } from "./chain/trust";
import { ReceiptSigner } from "./evidence/receipts";
import { FileStore } from "./store/files";
import { openDatabase, type Database } from "./store/database";
import { GroupCommit } from "./store/groupCommit";
import { AuthRepository } from "./auth/repository";
import { EvidenceRepository } from "./evidence/repository";
import { EvidenceAccess } from "./evidence/access";
import { HttpRepository } from "./http/repository";
import { IdempotentWrites } from "./http/idempotency";
import { IdentityRepository } from "./identity/repository";
import { MarketRepository } from "./market/repository";
import { marketSubjectReaders } from "./market/subjectReaders";
import { EscrowRepository } from "./escrow/repository";
import { AccountSync } from "./identity/accountSync";
import { SessionTokens } from "./identity/sessions";
import { SignInChallenges } from "./identity/signIn";
import { UserService } from "./identity/users";
import { ListingService } from "./market/listings";
import { MatchService } from "./market/matches";
import { Notifier } from "./notifications/notifier";
import { NotificationRepository } from "./notifications/repository";
import { NotificationWebhooks } from "./notifications/webhooks";
import { Reminders, type ReminderOptions } from "./notifications/reminders";
import { DealNotices } from "./notifications/dealNotices";
import { StreamTickets } from "./notifications/streamTickets";
import { TradeService } from "./market/trades";
import { EscrowPort } from "./chain/escrow";
import { EscrowTerms } from "./escrow/terms";
import { EscrowEvents } from "./escrow/events";
import { EscrowMoves } from "./escrow/moves";
import { ArbitratorReplacements } from "./escrow/arbitratorReplacement";
import { EscrowDeliveries } from "./escrow/deliveries";
import { BankService } from "./escrow/bank";
import { WebhookDispatcher, type WebhookOptions } from "./escrow/webhooks";
import { DisputeService } from "./escrow/disputes";
import { KeyedLock } from "./util/keyedLock";
import { DealRepository } from "./deal/repository";
import { DealWorkspaces } from "./deal/workspace";
import { DealNegotiation } from "./deal/negotiation";
import { DealVisits } from "./deal/visits";
import { DealEvaluations } from "./deal/evaluations";
import { DealRoyalties } from "./deal/royalties";
import { DealContracts } from "./deal/contracts";
import { DealFollowUp } from "./deal/followUp";
import { DealRatings } from "./deal/ratings";
import { DealComplaints } from "./deal/complaints";
import { EscrowTimeline } from "./escrow/timeline";
import { DealStatistics } from "./statistics/deals";
import { PlatformStatistics } from "./statistics/statistics";
import { ListingSection, MatchSection } from "./statistics/market";
import { DealSection } from "./statistics/dealSection";
import { ServiceOrderSection } from "./statistics/serviceOrderSection";
import { StatisticsPageTickets } from "./statistics/pageTickets";
import { DealSummaries } from "./deal/summaries";
import { DealArchives, MIN_ARCHIVE_RETENTION_YEARS, type ArchiveOptions } from "./deal/archives";
import { ServiceRepository } from "./services/repository";
import { ServiceOfferings } from "./services/offerings";
import { ServiceOrders, type ServiceOrderOptions } from "./services/orders";
import { RiskRepository } from "./risk/repository";
import { RiskControl } from "./risk/service";
import { riskRulesFile } from "./risk/rules";

export const PLATFORM_VERSION = "0.1.0";

export interface PlatformOptions {
  dataDir: string;
  chain: ChainSettings;
  /** Chain endpoint shown on /verify; defaults to the gateway's own. */
  publicRpcUrl?: string;
  identity: {
    /** HMAC key of session tokens (32 bytes or more). */
    sessionKey: Buffer;
    sessionTtlSeconds?: number;
    /** The gateway's public base URL; sign-in challenges name its host. */
    publicUrl: string;
  };
  anchoring: Pick<AnchorerOptions, "maxRecords" | "maxAgeMs"> & Partial<AnchorerOptions>;
  bodyLimit?: number;
  /** Largest delivery file streamed in (`POST …/delivery-files`), in bytes; default 4 GiB. */
  deliveryFileLimit?: number;
  log?: (message: string) => void;
  /** The clock of deadlines (auctions, biddings); tests move it. */
  clock?: () => Date;
  /** Retry timing of webhooks to the bank. */
  webhooks?: Partial<WebhookOptions>;
  /** Reminders before deadlines: the lead time (REMINDER_LEAD_SECONDS) and how often they are looked for. */
  reminders?: Partial<Pick<ReminderOptions, "leadSeconds" | "pollMs">>;
  /** How often the escrow's events are read when nothing prompts it. */
  escrowPollMs?: number;
  /** How often the chain's head is read to notice it coming back (default 500 ms). */
  chainPollMs?: number;
  /** How long deal archives are kept (at least three years; three when omitted). */
  archive?: Partial<ArchiveOptions>;
  /** The supervised local chain's restarts, shown on /health. */
  localChainRestarts?: () => { count: number; lastAt?: string };
  /** Follow-up and complaints (docs/AFTERCARE.md). */
  aftercare?: {
    /** Days the operator has to answer a complaint (default 15). */
    complaintAnswerDays?: number;
    /** How often due check-ins are looked for (default a minute). */
    checkInSweepMs?: number;
  };
  /** Service orders (docs/SERVICES.md): hours an institution has to answer an order (default 48). */
  services?: Partial<ServiceOrderOptions>;
}

/** Each domain's tables in the one database (for tests and tools that look underneath). */
export interface Repositories {
  evidence: EvidenceRepository;
  auth: AuthRepository;
  http: HttpRepository;
  identity: IdentityRepository;
  market: MarketRepository;
  escrow: EscrowRepository;
  deal: DealRepository;
  notifications: NotificationRepository;
  services: ServiceRepository;
  risk: RiskRepository;
}

/** The running parts of one gateway, wired together. */
export interface Platform extends Services {
  database: Database;
  tables: Repositories;
  app: ReturnType<typeof createApp>;
  /** Listens on `port` (0 for any) and resolves with the server. */
  listen(port: number, host?: string): Promise<Server>;
  /** Stops anchoring, the server and the store, in that order. */
  close(): Promise<void>;
}

/**
 * Opens the store under `dataDir`, connects the chain, starts anchoring, and
 * builds the app. The chain may be down: records are accepted and wait.
 */
export async function openPlatform(options: PlatformOptions): Promise<Platform> {
  const log = options.log ?? ((message: string) => console.log(message));
  const database = await openDatabase(path.join(options.dataDir, "store"));
  const tables: Repositories = {
    evidence: new EvidenceRepository(database),
    auth: new AuthRepository(database),
    http: new HttpRepository(database),
    identity: new IdentityRepository(database),
    market: new MarketRepository(database),
    escrow: new EscrowRepository(database),
    deal: new DealRepository(database),
    notifications: new NotificationRepository(database),
    services: new ServiceRepository(database),
    risk: new RiskRepository(database),
  };
  const commits = new GroupCommit(database);
  const files = new FileStore(path.join(options.dataDir, "files"));
  const chain = new ChainClient(options.chain);
  const recorder = new EvidenceRecorder(tables.evidence, commits, files);
  await recorder.init();
  const receiptSigner = new ReceiptSigner(options.chain.anchorPrivateKey, options.chain.chainId.toString());
  recorder.signReceiptsWith(receiptSigner);
  const trust = new TrustPublisher(chain, receiptSigner.address);
  const anchorer = new Anchorer(tables.evidence, chain, { log, ...options.anchoring });
  const chainMonitor = new ChainMonitor(chain.provider, {
    log,
    pollMs: options.chainPollMs,
    restarts: options.localChainRestarts,
  });
  const evidence = new EvidenceService(tables.evidence, anchorer);
  recorder.onQueued((ids) => anchorer.notifyQueued(ids));
  const credentials = new CredentialService(tables.auth, recorder);
  const users = new UserService(tables.identity, recorder);
  await users.init();
  const accountSync = new AccountSync(tables.identity, chain, { log });
  users.onAccountOperations(() => accountSync.notify());
  const challenges = new SignInChallenges({
    domain: new URL(options.identity.publicUrl).host,
    uri: options.identity.publicUrl,
    chainId: options.chain.chainId.toString(),
    challengeTtlSeconds: 300,
  });
  const listings = new ListingService(tables.market, recorder, users);
  await listings.init();
  const notifier = new Notifier(tables.notifications);
  // A participant's webhooks go by the bank's rules: the same hosts, timeouts and backoff.
  const notificationWebhooks = new NotificationWebhooks(tables.notifications, { log, ...options.webhooks });
  notifier.sendThrough(notificationWebhooks);
  const matches = new MatchService(tables.market, recorder, users, listings, notifier);
  listings.onPublished((listing) => matches.onListingPublished(listing));
  const trades = new TradeService(tables.market, recorder, users, notifier, options.clock);
  const escrowPort = new EscrowPort(chain);
  const escrowTerms = new EscrowTerms(tables.escrow, recorder, users, matches, escrowPort, options.clock);
  const webhooks = new WebhookDispatcher(tables.escrow, { log, ...options.webhooks });
  const fundLock = new KeyedLock();
  const escrowEvents = new EscrowEvents(tables.escrow, recorder, escrowPort, escrowTerms, webhooks, fundLock, {
    pollMs: options.escrowPollMs,
    log,
  });
  const escrowDeliveries = new EscrowDeliveries(
    tables.escrow,
    recorder,
    escrowTerms,
    users,
    files,
    options.deliveryFileLimit,
  );
  const escrowMoves = new EscrowMoves(
    tables.escrow,
    recorder,
    escrowPort,
    escrowTerms,
    escrowEvents,
    users,
    evidence,
    escrowDeliveries,
  );
  const bank = new BankService(tables.escrow, recorder, escrowPort, fundLock);
  const disputes = new DisputeService(tables.escrow, recorder, evidence, files);
  const arbitratorReplacements = new ArbitratorReplacements(
    tables.escrow,
    recorder,
    escrowPort,
    escrowTerms,
    escrowEvents,
    users,
  );
  const dealWorkspaces = new DealWorkspaces(
    tables.deal,
    recorder,
    users,
    matches,
    listings,
    escrowTerms,
    options.clock,
  );
  const dealNegotiation = new DealNegotiation(
    tables.deal,
    recorder,
    users,
    dealWorkspaces,
    files,
    options.chain.chainId.toString(),
  );
  const dealVisits = new DealVisits(tables.deal, recorder, users, dealWorkspaces);
  const dealEvaluations = new DealEvaluations(tables.deal, recorder, dealWorkspaces);
  const dealContracts = new DealContracts(tables.deal, recorder, users, dealWorkspaces, {
    chainId: options.chain.chainId,
    escrow: options.chain.escrowAddress,
  });
  const dealRoyalties = new DealRoyalties(tables.deal, recorder, dealWorkspaces, dealContracts);
  const dealFollowUp = new DealFollowUp(tables.deal, recorder, dealWorkspaces, notifier, options.clock, log);
  const dealRatings = new DealRatings(tables.deal, recorder, dealWorkspaces);
  const dealComplaints = new DealComplaints(
    tables.deal,
    recorder,
    dealWorkspaces,
    { answerDays: options.aftercare?.complaintAnswerDays },
    options.clock,
  );
  const dealStatistics = new DealStatistics(
    matches,
    listings,
    dealWorkspaces,
    new EscrowTimeline(evidence),
    dealFollowUp,
    options.clock,
  );
  const dealSummaries = new DealSummaries(tables.deal, recorder, users, dealWorkspaces, matches, options.clock);
  const dealArchives = new DealArchives(
    tables.deal,
    recorder,
    evidence,
    files,
    dealWorkspaces,
    { retentionYears: options.archive?.retentionYears ?? MIN_ARCHIVE_RETENTION_YEARS },
    options.clock,
  );
  // Terms of a deal whose contract was signed in its workspace take their contract and milestones from it.
  escrowTerms.useSignedContracts(dealContracts);
  // The escrow tells the deal what happened on chain: terms on chain sign it, a deposit starts performance, …
  escrowEvents.onDealEvent((dealId, event, milestone) => dealWorkspaces.followEscrow(dealId, event, milestone));
  const reminders = new Reminders(tables.notifications, notifier, () => escrowPort.clock(), {
    log,
    clock: options.clock,
    ...options.reminders,
  });
  // Every record of a deal, once durable, tells the people it concerns (and sets or strikes off its reminders).
  const dealNotices = new DealNotices(notifier, reminders, {
    participantsOf: (dealId) => dealWorkspaces.participantsOf(dealId),
    escrowOf: (dealId) => escrowTerms.get(dealId).catch(() => undefined),
    log,
  });
  recorder.onRecorded((records) => dealNotices.recorded(records));
  const serviceOfferings = new ServiceOfferings(tables.services, recorder, users, options.clock);
  const serviceOrders = new ServiceOrders(
    tables.services,
    recorder,
    users,
    serviceOfferings,
    dealWorkspaces,
    dealEvaluations,
    notifier,
    reminders,
    { acceptHours: options.services?.acceptHours ?? 48 },
    options.clock,
  );
  // A deal's evaluation report delivers the service order that engaged its evaluator: one flow, not two.
  dealEvaluations.followWith(serviceOrders);
  // The regulator's figures (GET /v1/statistics), section by section.
  const platformStatistics = new PlatformStatistics(
    listings,
    matches,
    [
      new ListingSection("supply"),
      new ListingSection("demand"),
      new MatchSection(),
      new DealSection(dealContracts, escrowTerms, dealWorkspaces, dealStatistics),
      new ServiceOrderSection(serviceOrders),
    ],
    options.clock,
  );
  const statisticsPageTickets = new StatisticsPageTickets();
  // A new block may be past a deadline on the escrow's clock.
  escrowEvents.onDealEvent(async () => reminders.poke());
  // Risk control (docs/RISK.md): a bad rules file stops the start here, with every problem named.
  const risk = new RiskControl(
    tables.risk,
    recorder,
    users,
    { matches, dealWorkspaces, disputes, escrowTerms, evidence, dealComplaints, dealRatings },
    { rulesFile: riskRulesFile(options.dataDir), clock: options.clock, log },
  );
  await risk.init();
  trades.useRiskGate(risk);
  matches.useRiskGate(risk);
  escrowTerms.useRiskGate(risk);
  users.useRiskGate(risk);
  listings.onPublished((listing) => risk.listingPublished(listing));
  recorder.onRecorded((records) => risk.recorded(records));
  const streamTickets = new StreamTickets();
  const marketReaders = marketSubjectReaders(tables.market);
  const evidenceAccess = new EvidenceAccess({
    ...marketReaders,
    deal: async (me, id, record) =>
      (await marketReaders.deal(me, id, record)) ||
      (await escrowTerms.isArbitrator(me, id)) ||
      dealWorkspaces.mayReadRecord(me, id, record),
    "service-order": (me, id) => serviceOrders.isParty(me, id),
    "service-offering": async (me, id) => (await serviceOfferings.find(id))?.institutionId === me,
  });
  const sessions = new SessionTokens(options.identity.sessionKey, options.identity.sessionTtlSeconds ?? 900);
  const publicChain: PublicChainInfo = {
    chainId: options.chain.chainId.toString(),
    registry: options.chain.registryAddress,
    accounts: options.chain.accountsAddress,
    escrow: options.chain.escrowAddress,
    rpcUrl: options.publicRpcUrl ?? options.chain.rpcUrl,
  };
  const services: Services = {
    recorder,
    evidence,
    anchorer,
    chain,
    chainMonitor,
    files,
    credentials,
    users,
    challenges,
    sessions,
    accountSync,
    listings,
    matches,
    notifier,
    trades,
    escrowTerms,
    escrowMoves,
    escrowDeliveries,
    escrowEvents,
    bank,
    webhooks,
    disputes,
    arbitratorReplacements,
    dealWorkspaces,
    dealNegotiation,
    dealVisits,
    dealEvaluations,
    dealRoyalties,
    dealContracts,
    dealFollowUp,
    dealRatings,
    dealComplaints,
    dealStatistics,
    notificationWebhooks,
    reminders,
    dealNotices,
    streamTickets,
    dealSummaries,
    dealArchives,
    serviceOfferings,
    serviceOrders,
    platformStatistics,
    statisticsPageTickets,
    risk,
  };
  const idempotency = new IdempotentWrites(tables.http, commits);
  await idempotency.init();
  const signedRequests = new SignedRequestVerifier(credentials, tables.auth, undefined, commits);
  await signedRequests.init();
  const app = createApp({
    ...services,
    signedRequests,
    evidenceAccess,
    idempotency,
    publicChain,
    trust,
    receiptSigner,
    version: PLATFORM_VERSION,
    bodyLimit: options.bodyLimit ?? 16 * 1024 * 1024,
    log,
  });
  chainMonitor.onReconnect(() => {
    anchorer.chainReconnected();
    accountSync.notify();
    escrowEvents.poke();
  });
  await anchorer.start();
  await accountSync.start();
  await webhooks.start();
  await notificationWebhooks.start();
  reminders.start();
  escrowEvents.start();
  chainMonitor.start();
  dealFollowUp.start(options.aftercare?.checkInSweepMs);
  const trustFile = trust.publish(path.join(options.dataDir, "trust.json"), log);

  let server: Server | undefined;
  return {
    ...services,
    database,
    tables,
    app,
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server = app.listen(port, host);
        server.once("listening", () => resolve(server!));
        server.once("error", reject);
      });
    },
    async close() {
      trustFile.stop();
      await Promise.all([
        chainMonitor.stop(),
        anchorer.stop(),
        accountSync.stop(),
        escrowEvents.stop(),
        webhooks.stop(),
        dealFollowUp.stop(),
        notificationWebhooks.stop(),
        reminders.stop(),
      ]);
      if (server) {
        const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
        notifier.closeStreams();
        server.closeIdleConnections();
        await closed;
      }
      await risk.idle();
      await recorder.idle();
      await dealNotices.idle();
      await signedRequests.close();
      await receiptSigner.close();
      chain.destroy();
      await database.close();
    },
  };
}
