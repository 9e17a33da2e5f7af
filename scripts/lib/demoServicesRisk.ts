// Risk control's part of `npm run demo:services` (docs/RISK.md): a shill bidder
// caught in an auction (two accounts signed in from one device, one bank account
// behind a third), and a large deal whose escrow terms wait for a technology
// manager's approval before they go to the escrow. Runs against a gateway with
// the default rules file (DATA_DIR/risk-rules.json as a first start writes it).
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { createGatewayClient, GatewayRequestError, type GatewayClient } from "../../sdk";
import { account, RECIPIENT } from "./demoAccounts";
import { inDays, ok, step, until, yuan } from "./demoSteps";

/** The demo's clients this part needs: the operator (a service credential) and a reviewer who approves listings. */
export interface RiskDemoClients {
  operator: GatewayClient;
  reviewer: GatewayClient;
}

/** Throws unless `attempt` is refused with `code`; answers the refusal's message. */
async function refusedWith(code: string, attempt: () => Promise<unknown>): Promise<string> {
  try {
    await attempt();
  } catch (error) {
    if (error instanceof GatewayRequestError && error.code === code) return error.message.split("\n")[0];
    throw error;
  }
  throw new Error(`expected ${code}, but the gateway accepted`);
}

/** A technology manager (技术经理人), certified and signed in. */
async function manager(gateway: GatewayClient, { operator, reviewer }: RiskDemoClients) {
  return account(
    gateway,
    operator,
    reviewer,
    "manager",
    { zh: "王经理", en: "Wang (technology manager)" },
    false,
    RECIPIENT,
    `TM-${randomBytes(3).toString("hex").toUpperCase()}`,
  );
}

/**
 * An auction in which a bidder is caught bidding from the same device as another bidder,
 * and one sharing its bank account with the seller; staff accept the alerts.
 *
 * @example
 * await demoShillBidding("http://127.0.0.1:8080", { operator, reviewer });
 */
export async function demoShillBidding(baseUrl: string, clients: RiskDemoClients): Promise<void> {
  const { operator, reviewer } = clients;
  const gateway = createGatewayClient({ baseUrl });
  step("Risk control: a shill bidder is caught in an auction");
  const seller = await account(gateway, operator, reviewer, "supplier", {
    zh: "昆明某研究所",
    en: "A Kunming Institute",
  });
  const bidder = await account(gateway, operator, reviewer, "demander", {
    zh: "滇中储能公司",
    en: "Dianzhong Storage",
  });
  const shill = await account(gateway, operator, reviewer, "demander", {
    zh: "滇中新材料公司",
    en: "Dianzhong Materials",
  });
  const honest = await account(gateway, operator, reviewer, "demander", { zh: "曲靖电池厂", en: "Qujing Batteries" });
  const sellerSide = await account(gateway, operator, reviewer, "demander", { zh: "某贸易公司", en: "A Trading Co." });
  // Two accounts sign in from one device (the app sends its installation's id as X-Device-Id).
  const device = `demo-device-${randomBytes(6).toString("hex")}`;
  const bidderSession = await gateway.signIn({ signer: bidder.wallet, deviceId: device });
  const shillSession = await gateway.signIn({ signer: shill.wallet, deviceId: device });
  await gateway.signIn({ signer: honest.wallet, deviceId: `demo-device-${randomBytes(6).toString("hex")}` });
  ok(`${bidderSession.user.names.en} and ${shillSession.user.names.en} signed in from device ${device}`);
  // A third account declares the bank account the seller is paid to.
  const accountNumber = `6222 ${String(randomBytes(6).readUIntBE(0, 6) % 1e12).padStart(12, "0")}`;
  const sellerAccount = await seller.client.declareBankAccount({
    userId: seller.user.id,
    bank: "中国工商银行昆明分行",
    accountNumber,
  });
  await sellerSide.client.declareBankAccount({
    userId: sellerSide.user.id,
    bank: "中国工商银行昆明分行",
    accountNumber,
  });
  ok(
    `the seller and ${sellerSide.user.names.en} declared one bank account (…${sellerAccount.last4})`,
    sellerAccount.recordId,
  );

  const listing = await seller.client.createListing({
    content: {
      side: "supply",
      language: "zh",
      title: { zh: `钠离子电池正极材料制备技术 ${randomBytes(2).toString("hex")}` },
      summary: { zh: "层状氧化物正极的低成本共沉淀合成工艺，循环两千次容量保持率百分之九十。" },
      field: "energy.storage",
      ipc: ["H01M 4/36"],
      keywords: ["钠离子电池"],
      trl: 5,
      resultKind: "patent",
      ip: [{ number: "ZL202210398765.4", kind: "invention-patent", status: "granted", owner: "昆明某研究所" }],
      modes: ["transfer"],
      price: { amount: 200_000_000, currency: "CNY" },
      region: "CN-53",
    },
  });
  await reviewer.reviewListing({ listingId: listing.id, approved: true });
  const auction = await seller.client.openAuction({
    listingId: listing.id,
    currency: "CNY",
    startingPrice: 10_000_000,
    reservePrice: 20_000_000,
    minIncrement: 1_000_000,
    endsAt: inDays(1),
    extensionSeconds: 300,
  });
  ok(`auction ${auction.id} opened at ${yuan(10_000_000)}`);
  await bidderSession.client.placeBid({ auctionId: auction.id, amount: 10_000_000 });
  ok(`${bidderSession.user.names.en} bids ${yuan(10_000_000)}`);
  await honest.client.placeBid({ auctionId: auction.id, amount: 11_000_000 });
  ok(`${honest.user.names.en} bids ${yuan(11_000_000)} (no identifier shared: quiet)`);
  const refused = await refusedWith("SHILL_BIDDING_SUSPECTED", () =>
    shillSession.client.placeBid({ auctionId: auction.id, amount: 12_000_000 }),
  );
  ok(`${shillSession.user.names.en}'s bid refused: 409 SHILL_BIDDING_SUSPECTED (${refused})`);
  await refusedWith("SHILL_BIDDING_SUSPECTED", () =>
    sellerSide.client.placeBid({ auctionId: auction.id, amount: 12_000_000 }),
  );
  ok(`${sellerSide.user.names.en}'s bid refused too: it is paid to the seller's bank account`);

  const wang = await manager(gateway, clients);
  const { alerts } = await wang.client.listRiskAlerts({ rule: "shillBidding", status: "open" });
  const caught = alerts.filter((alert) => alert.evidence.objects.auctionId === auction.id);
  if (caught.length !== 2) throw new Error(`expected 2 shill alerts for auction ${auction.id}, found ${caught.length}`);
  for (const alert of caught) {
    ok(`alert ${alert.id}: ${alert.summary}; shared ${String(alert.evidence.facts.shared)}`, alert.recordId);
    const decided = await wang.client.decideRiskAlert({
      alertId: alert.id,
      decision: "accept",
      reason: "Related accounts bidding in one auction; referred to the operator",
    });
    ok(`the technology manager accepts it`, decided.decision!.recordId);
  }
}

/**
 * A deal above the large-deal amount: its escrow terms are held (409 DEAL_APPROVAL_REQUIRED)
 * until a technology manager approves, then proposed, signed and put on the escrow.
 *
 * @example
 * await demoLargeDealApproval("http://127.0.0.1:8080", { operator, reviewer });
 */
export async function demoLargeDealApproval(baseUrl: string, clients: RiskDemoClients): Promise<void> {
  const { operator, reviewer } = clients;
  const gateway = createGatewayClient({ baseUrl });
  step("Risk control: a large deal waits for a technology manager's approval before its terms go to the escrow");
  const { rules } = await operator.getRiskRules();
  const threshold = rules.rules.largeDeal.amountAbove.CNY;
  if (!rules.rules.largeDeal.enabled || threshold === undefined) {
    throw new Error("the large-deal rule is off or has no CNY amount in DATA_DIR/risk-rules.json");
  }
  const total = threshold + 100_000_000;
  const firstPart = Math.floor(total / 2);
  const university = await account(gateway, operator, reviewer, "supplier", {
    zh: "云南某大学",
    en: "A Yunnan University",
  });
  const company = await account(gateway, operator, reviewer, "demander", { zh: "某光伏集团", en: "A PV Group" });
  const arbitrator = await account(gateway, operator, reviewer, "arbitrator", {
    zh: "昆明仲裁委员会",
    en: "Kunming Arbitration Commission",
  });
  const supply = await university.client.createListing({
    content: {
      side: "supply",
      language: "zh",
      title: { zh: `钙钛矿叠层电池量产工艺 ${randomBytes(2).toString("hex")}` },
      summary: { zh: "钙钛矿与晶硅叠层电池的大面积涂布与封装工艺，组件效率百分之二十六。" },
      field: "energy.pv",
      ipc: ["H01L 31/18"],
      keywords: ["钙钛矿"],
      trl: 7,
      resultKind: "patent",
      ip: [{ number: "ZL202310123456.7", kind: "invention-patent", status: "granted", owner: "云南某大学" }],
      modes: ["transfer"],
      price: { min: threshold, max: total * 2, currency: "CNY" },
      region: "CN-53",
    },
  });
  await reviewer.reviewListing({ listingId: supply.id, approved: true });
  const demand = await company.client.createListing({
    content: {
      side: "demand",
      language: "zh",
      title: { zh: "钙钛矿叠层组件产线技术" },
      summary: { zh: "需要可量产的钙钛矿叠层电池工艺，建设一条百兆瓦级产线。" },
      problem: { zh: "晶硅电池效率接近极限" },
      targets: ["组件效率 ≥ 25%"],
      field: "energy.pv",
      ipc: ["H01L 31/18"],
      keywords: ["钙钛矿"],
      minTrl: 6,
      budget: { min: threshold, max: total * 2, currency: "CNY" },
      modes: ["transfer"],
      region: "CN-53",
      deadline: "2027-12-31",
    },
  });
  await reviewer.reviewListing({ listingId: demand.id, approved: true });
  const match = await company.client.proposeMatch({ supplyId: supply.id, demandId: demand.id });
  // Before confirming, each side may read the other's record.
  const record = await company.client.getCounterpartyRecord({ matchId: match.id });
  ok(
    `the company reads the university's record before confirming: ${record.deals.total} deals, ${record.deals.completed} completed, ${record.disputes.lost} disputes lost, ${record.lateDeliveries} late deliveries`,
  );
  await company.client.answerMatch({ matchId: match.id, accept: true });
  const dealId = (await university.client.answerMatch({ matchId: match.id, accept: true })).deal!.id;
  ok(`deal ${dealId} opened`);

  const terms = {
    dealId,
    contract: {
      name: "contract.pdf",
      mediaType: "application/pdf",
      bytes: new TextEncoder().encode("%PDF-1.4\n% technology transfer contract (demo)\n%%EOF\n"),
    },
    currency: "CNY",
    total,
    milestones: [
      { title: "工艺包与图纸", amount: firstPart, deliverBy: inDays(30) },
      { title: "产线调试与验收", amount: total - firstPart, deliverBy: inDays(90) },
    ],
    arbitratorId: arbitrator.user.id,
    inspectionPeriodSeconds: 7 * 86400,
    rulingPeriodSeconds: 14 * 86400,
  };
  const held = await refusedWith("DEAL_APPROVAL_REQUIRED", () => company.client.proposeEscrowTerms(terms));
  ok(`terms of ${yuan(total)} held: 409 DEAL_APPROVAL_REQUIRED (${held})`);
  const wang = await manager(gateway, clients);
  const { alerts } = await wang.client.listRiskAlerts({ rule: "largeDeal", status: "open" });
  const alert = alerts.find((candidate) => candidate.evidence.objects.dealId === dealId);
  if (!alert) throw new Error(`no large-deal alert for ${dealId}`);
  ok(`alert ${alert.id} in the managers' queue: ${alert.summary}`, alert.recordId);
  const approval = await wang.client.approveLargeDeal({
    dealId,
    reason: "Both boards' resolutions and the bank's proof of funds seen",
  });
  ok(`approved by the technology manager for ${yuan(approval.total)}`, approval.recordId);
  const proposed = await company.client.proposeEscrowTerms(terms);
  ok(`terms proposed now`, (proposed.terms as unknown as { recordId: string }).recordId);
  for (const party of [university, company]) await party.client.signEscrowTerms({ dealId, signer: party.wallet });
  const escrow = await until("the deal on chain", async () => {
    const view = await company.client.getEscrow({ dealId });
    return view.status === "created" ? view : undefined;
  });
  ok(`both parties signed; the terms are on the escrow`, escrow.creation?.recordId);
  const figures = await operator.getRiskFigures();
  ok(
    `risk figures: ${figures.overall.raised} alerts raised, ${figures.overall.accepted} accepted, ${figures.overall.dismissed} dismissed, false-positive rate ${figures.overall.falsePositiveRate ?? "n/a"}`,
  );
}

/**
 * Risk control's whole part of the demo: the shill bidder, then the large deal.
 *
 * @example
 * await demoServicesRisk(baseUrl, { operator, reviewer });
 */
export async function demoServicesRisk(baseUrl: string, clients: RiskDemoClients): Promise<void> {
  await demoShillBidding(baseUrl, clients);
  await demoLargeDealApproval(baseUrl, clients);
}

/** A reviewer for a demo that has none yet: registered, granted the role by the operator, signed in. */
export async function demoReviewer(baseUrl: string, operator: GatewayClient): Promise<GatewayClient> {
  const gateway = createGatewayClient({ baseUrl });
  const key = new Wallet(Wallet.createRandom().privateKey);
  const { user } = await gateway.register({
    signer: key,
    type: "individual",
    names: { zh: "审核员" },
    encryptionRecipient: RECIPIENT,
  });
  await operator.grantRole({ userId: user.id, role: "reviewer" });
  return (await gateway.signIn({ signer: key })).client;
}
