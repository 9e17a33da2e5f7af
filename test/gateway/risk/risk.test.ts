import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayClient, type SealedRecord } from "../../../sdk";
import { DEFAULT_RISK_RULES, riskRulesFile, type RiskRules } from "../../../gateway/risk/rules";
import { openDeal } from "../../helpers/escrow";
import { creditCode, LICENCE_PDF, makeUser, type TestUser } from "../../helpers/identity";
import { batterySoftwareSupply, pvRecyclingSupply, solarRecyclingDemand } from "../../helpers/listings";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const MINUTE = 60_000;
const DAY = 86_400;
const CONTRACT_PDF = Buffer.from("%PDF-1.4\n% technology transfer contract, risk control test\n%%EOF\n");
const inDays = (days: number) => new Date(Date.now() + days * DAY * 1000).toISOString();

describe("risk control: rules, alerts, approvals, blacklist, a party's record", () => {
  let t: TestPlatform;
  let reviewer: TestUser;
  let manager: TestUser;
  let auditor: TestUser;
  let seller: TestUser;
  let arbitrator: TestUser;
  const as = (user?: TestUser) => client(t.url, user?.token);
  const operator = () => client(t.url, t.token);

  /** Writes the rules file with `change` applied to the defaults, and reloads it as the operator. */
  async function useRules(change: (rules: RiskRules["rules"]) => void) {
    const rules = structuredClone(DEFAULT_RISK_RULES);
    change(rules.rules);
    await writeFile(riskRulesFile(t.dataDir), JSON.stringify(rules));
    const reloaded = await operator()("POST", "/v1/risk/rules/reload", {});
    expect(reloaded.status, JSON.stringify(reloaded.body)).toBe(200);
  }

  /** Signs in over HTTP as `user` from `deviceId`, as an app would. */
  async function signInFrom(user: TestUser, deviceId: string) {
    return createGatewayClient({ baseUrl: t.url }).signIn({ signer: user.wallet, deviceId });
  }

  async function alertsOf(rule: string) {
    return (await operator()("GET", `/v1/risk/alerts?rule=${rule}`)).body.alerts as Array<{
      id: string;
      rule: string;
      userIds: string[];
      outcome: string;
      status: string;
      evidence: { objects: Record<string, string>; facts: Record<string, unknown>; recordIds: string[] };
    }>;
  }

  async function openAuction() {
    const listing = await as(seller)("POST", "/v1/listings", batterySoftwareSupply());
    await as(reviewer)("POST", `/v1/listings/${listing.body.id}/review`, { approved: true });
    const opened = await as(seller)("POST", "/v1/auctions", {
      listingId: listing.body.id,
      currency: "CNY",
      startingPrice: 1_000_000,
      reservePrice: 1_000_000,
      minIncrement: 100_000,
      endsAt: new Date(Date.now() + 30 * MINUTE).toISOString(),
      extensionSeconds: 60,
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    return opened.body.id as string;
  }

  const demander = () => makeUser(t, { type: "enterprise", roles: ["demander"] });

  beforeAll(async () => {
    t = await startTestPlatform();
    reviewer = await makeUser(t, { roles: ["reviewer"] });
    manager = await makeUser(t, { roles: ["manager"] });
    auditor = await makeUser(t, { roles: ["auditor"] });
    seller = await makeUser(t, { type: "institute", roles: ["supplier"] });
    arbitrator = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe("the rules file", () => {
    it("is written with the defaults on first start and shown as it is", async () => {
      const file = JSON.parse(await readFile(riskRulesFile(t.dataDir), "utf8"));
      expect(file).toEqual(DEFAULT_RISK_RULES);
      const shown = await as(auditor)("GET", "/v1/risk/rules");
      expect(shown.body).toMatchObject({ file: riskRulesFile(t.dataDir), rules: DEFAULT_RISK_RULES });
    });

    it("refuses a reload of a bad file, names every problem, and keeps the rules in force", async () => {
      const bad = structuredClone(DEFAULT_RISK_RULES) as unknown as { rules: Record<string, Record<string, unknown>> };
      bad.rules.failedSignIns.attempts = 1;
      bad.rules.shillBidding.action = "ignore";
      await writeFile(riskRulesFile(t.dataDir), JSON.stringify(bad));
      const refused = await operator()("POST", "/v1/risk/rules/reload", {});
      expect([refused.status, refused.body.error.code]).toEqual([422, "RISK_RULES_INVALID"]);
      expect(refused.body.error.message).toContain("rules.failedSignIns.attempts");
      expect(refused.body.error.message).toContain("rules.shillBidding.action");
      await writeFile(riskRulesFile(t.dataDir), "{ not json");
      expect((await operator()("POST", "/v1/risk/rules/reload", {})).body.error.code).toBe("RISK_RULES_INVALID");
      expect((await operator()("GET", "/v1/risk/rules")).body.rules).toEqual(DEFAULT_RISK_RULES);
      await useRules(() => {});
    });

    it("a reload is a record with the file's digest; a manager may not reload", async () => {
      const reloaded = await operator()("POST", "/v1/risk/rules/reload", {});
      expect(reloaded.status).toBe(200);
      const chain = await operator()("GET", "/v1/subjects/risk-rules/evidence");
      expect(chain.body.records.at(-1).kind).toBe("risk.rules.reloaded");
      expect((await as(manager)("POST", "/v1/risk/rules/reload", {})).status).toBe(403);
    });
  });

  describe("shill bidding", () => {
    it("refuses a bid by an account signed in from the same device as an earlier bidder, and records the alert", async () => {
      const [first, shill, honest] = [await demander(), await demander(), await demander()];
      const a = await signInFrom(first, "device-shared-0001");
      const b = await signInFrom(shill, "device-shared-0001");
      const c = await signInFrom(honest, "device-honest-0002");
      const auctionId = await openAuction();
      await a.client.request("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_000_000 });
      await c.client.request("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_100_000 });
      const refused = await client(t.url, b.token)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_200_000 });
      expect([refused.status, refused.body.error.code]).toEqual([409, "SHILL_BIDDING_SUSPECTED"]);
      const [alert] = (await alertsOf("shillBidding")).filter((x) => x.evidence.objects.auctionId === auctionId);
      expect(alert).toMatchObject({ outcome: "refused", status: "open", userIds: [shill.id, first.id] });
      expect(alert.evidence.facts.shared).toEqual([`${first.id} device`]);
      const auction = await as(seller)("GET", `/v1/auctions/${auctionId}`);
      expect(auction.body.bids).toHaveLength(2);
    });

    it("catches one bank account behind the seller and a bidder", async () => {
      const bidder = await demander();
      await createGatewayClient({ baseUrl: t.url, token: seller.token }).declareBankAccount({
        userId: seller.id,
        bank: "ICBC Kunming",
        accountNumber: "6222 0000 1111 2222",
      });
      await createGatewayClient({ baseUrl: t.url, token: bidder.token }).declareBankAccount({
        userId: bidder.id,
        bank: "ICBC Kunming",
        accountNumber: "6222-0000-1111-2222",
      });
      const auctionId = await openAuction();
      const refused = await as(bidder)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_000_000 });
      expect(refused.body.error.code).toBe("SHILL_BIDDING_SUSPECTED");
      const [alert] = (await alertsOf("shillBidding")).filter((x) => x.evidence.objects.auctionId === auctionId);
      expect(alert.evidence.facts.shared).toEqual([`${seller.id} bankAccount`]);
      // The seller's account changes: the link goes with it only for new declarations, so the next test starts clean.
      await createGatewayClient({ baseUrl: t.url, token: seller.token }).declareBankAccount({
        userId: seller.id,
        bank: "ICBC Kunming",
        accountNumber: "6222 0000 9999 0000",
      });
    });

    it("flags instead of refusing when the rule says flag, and stays quiet for unrelated bidders", async () => {
      await useRules((rules) => {
        rules.shillBidding.action = "flag";
      });
      const [first, second, third] = [await demander(), await demander(), await demander()];
      await signInFrom(first, "device-flagged-0003");
      await signInFrom(second, "device-flagged-0003");
      await signInFrom(third, "device-other-0004");
      const auctionId = await openAuction();
      expect((await as(first)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_000_000 })).status).toBe(200);
      expect((await as(third)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_100_000 })).status).toBe(200);
      expect((await alertsOf("shillBidding")).filter((x) => x.evidence.objects.auctionId === auctionId)).toEqual([]);
      expect((await as(second)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_200_000 })).status).toBe(200);
      const [alert] = (await alertsOf("shillBidding")).filter((x) => x.evidence.objects.auctionId === auctionId);
      expect(alert).toMatchObject({ outcome: "flagged", userIds: [second.id, first.id] });
      await useRules(() => {});
    });

    it("lets related accounts bid when the rule is off", async () => {
      await useRules((rules) => {
        rules.shillBidding.enabled = false;
      });
      const [first, second] = [await demander(), await demander()];
      await signInFrom(first, "device-rule-off-0005");
      await signInFrom(second, "device-rule-off-0005");
      const auctionId = await openAuction();
      expect((await as(first)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_000_000 })).status).toBe(200);
      expect((await as(second)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_100_000 })).status).toBe(200);
      await useRules(() => {});
    });

    it("refuses a malformed device id at sign-in", async () => {
      const user = await demander();
      await expect(signInFrom(user, "bad id!")).rejects.toMatchObject({ code: "DEVICE_ID_FORMAT" });
    });
  });

  describe("new accounts", () => {
    it("flags a bid above the amount by an account certified less than N days ago, and not one below it", async () => {
      await useRules((rules) => {
        rules.newAccount.amountAbove = { CNY: 1_050_000 };
      });
      const [fresh, small] = [await demander(), await demander()];
      const auctionId = await openAuction();
      await as(small)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_000_000 });
      await as(fresh)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_100_000 });
      const alerts = (await alertsOf("newAccount")).filter((x) => x.evidence.objects.auctionId === auctionId);
      expect(alerts.map((x) => x.userIds)).toEqual([[fresh.id]]);
      expect(alerts[0]).toMatchObject({
        outcome: "flagged",
        evidence: { facts: { amount: 1_100_000, threshold: 1_050_000 } },
      });
      await useRules((rules) => {
        rules.newAccount.amountAbove = { CNY: 1_050_000 };
        rules.newAccount.certifiedWithinDays = 0.000001;
      });
      const later = await demander();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const other = await openAuction();
      await as(later)("POST", `/v1/auctions/${other}/bids`, { amount: 1_100_000 });
      expect((await alertsOf("newAccount")).filter((x) => x.evidence.objects.auctionId === other)).toEqual([]);
      await useRules(() => {});
    });
  });

  describe("large deals", () => {
    it("holds the escrow terms of a deal above the amount until a manager approves; the approval is a record", async () => {
      await useRules((rules) => {
        rules.largeDeal.amountAbove = { CNY: 100_000_000 };
      });
      const supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const buyer = await demander();
      const deal = await openDeal(t, supplier, buyer, reviewer);
      const total = deal.price?.amount ?? 120_000_000;
      const terms = {
        contract: {
          name: "contract.pdf",
          mediaType: "application/pdf",
          contentBase64: CONTRACT_PDF.toString("base64"),
        },
        currency: "CNY",
        total,
        milestones: [{ title: "Whole delivery", amount: total, deliverBy: inDays(5) }],
        arbitratorId: arbitrator.id,
        inspectionPeriodSeconds: DAY,
        gracePeriodSeconds: DAY,
        maxChangeRounds: 1,
        rulingPeriodSeconds: 7 * DAY,
        appealWindowSeconds: 0,
      };
      const held = await as(buyer)("POST", `/v1/deals/${deal.id}/terms`, terms);
      expect([held.status, held.body.error.code]).toEqual([409, "DEAL_APPROVAL_REQUIRED"]);
      const again = await as(buyer)("POST", `/v1/deals/${deal.id}/terms`, terms);
      expect(again.body.error.code).toBe("DEAL_APPROVAL_REQUIRED");
      const alerts = (await alertsOf("largeDeal")).filter((x) => x.evidence.objects.dealId === deal.id);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ outcome: "refused", evidence: { facts: { total, threshold: 100_000_000 } } });

      const notManager = await operator()("POST", `/v1/deals/${deal.id}/risk-approval`, { reason: "ok" });
      expect(notManager.status).toBe(403);
      const approval = await createGatewayClient({ baseUrl: t.url, token: manager.token }).approveLargeDeal({
        dealId: deal.id,
        reason: "Board minutes seen; funds confirmed by the bank",
      });
      expect(approval).toMatchObject({ dealId: deal.id, total, currency: "CNY", by: manager.id });
      const twice = await as(manager)("POST", `/v1/deals/${deal.id}/risk-approval`, { reason: "again" });
      expect([twice.status, twice.body.error.code]).toEqual([409, "DEAL_APPROVED"]);
      expect((await operator()("GET", `/v1/risk/alerts/${alerts[0].id}`)).body).toMatchObject({
        status: "accepted",
        decision: { by: manager.id },
      });
      const records = await operator()("GET", `/v1/subjects/risk-approval:${deal.id}/evidence`);
      expect(records.body.records.map((r: { kind: string }) => r.kind)).toEqual(["risk.approval.granted"]);
      const proposed = await as(buyer)("POST", `/v1/deals/${deal.id}/terms`, terms);
      expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    });

    it("lets a deal at or below the amount through, and refuses an approval nobody asked for", async () => {
      await useRules((rules) => {
        rules.largeDeal.amountAbove = { CNY: 500_000_000 };
      });
      const supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const buyer = await demander();
      const deal = await openDeal(t, supplier, buyer, reviewer);
      const total = deal.price?.amount ?? 120_000_000;
      const proposed = await as(buyer)("POST", `/v1/deals/${deal.id}/terms`, {
        contract: {
          name: "contract.pdf",
          mediaType: "application/pdf",
          contentBase64: CONTRACT_PDF.toString("base64"),
        },
        currency: "CNY",
        total,
        milestones: [{ title: "Whole delivery", amount: total, deliverBy: inDays(5) }],
        arbitratorId: arbitrator.id,
        inspectionPeriodSeconds: DAY,
        gracePeriodSeconds: DAY,
        maxChangeRounds: 1,
        rulingPeriodSeconds: 7 * DAY,
        appealWindowSeconds: 0,
      });
      expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
      const unasked = await as(manager)("POST", `/v1/deals/${deal.id}/risk-approval`, { reason: "just in case" });
      expect([unasked.status, unasked.body.error.code]).toEqual([409, "NO_APPROVAL_PENDING"]);
      await useRules(() => {});

      // A payment after a bank account changed within the window is flagged; the party that changed nothing is not.
      await createGatewayClient({ baseUrl: t.url, token: supplier.token }).declareBankAccount({
        userId: supplier.id,
        bank: "Bank of Yunnan",
        accountNumber: "6210 9800 0000 1234",
      });
      const payment = {
        header: {
          id: "rec_payment_test",
          kind: "escrow.event",
          subject: `deal:${deal.id}`,
          recordedAt: new Date().toISOString(),
        },
        data: { event: "DepositLocked", dealId: deal.id, milestone: 0 },
      } as unknown as SealedRecord;
      t.platform.risk.recorded([payment]);
      await t.platform.risk.idle();
      const flagged = (await alertsOf("changedBeforePayment")).filter((x) => x.evidence.objects.dealId === deal.id);
      expect(flagged.map((x) => x.userIds)).toEqual([[supplier.id]]);
      expect(flagged[0].evidence.recordIds[0]).toBe("rec_payment_test");
    });
  });

  describe("failed sign-ins", () => {
    it("raises one alert at N failures within M minutes for an address, none below", async () => {
      await useRules((rules) => {
        rules.failedSignIns.attempts = 3;
      });
      const victim = await demander();
      const quiet = await demander();
      const fail = async (user: TestUser) => {
        const { message } = (await client(t.url)("POST", "/v1/auth/challenge", { address: user.wallet.address })).body;
        const other = await makeUser(t, { certified: false });
        const signature = await other.wallet.signMessage(message);
        const answer = await client(t.url)("POST", "/v1/auth/session", { message, signature });
        expect(answer.status).toBe(401);
      };
      await fail(quiet);
      await fail(quiet);
      for (let i = 0; i < 3; i++) await fail(victim);
      await t.platform.risk.idle();
      const alerts = await alertsOf("failedSignIns");
      expect(alerts.filter((x) => x.evidence.objects.address === victim.wallet.address)).toHaveLength(1);
      expect(alerts.filter((x) => x.evidence.objects.address === quiet.wallet.address)).toHaveLength(0);
      expect(alerts.find((x) => x.evidence.objects.address === victim.wallet.address)).toMatchObject({
        userIds: [victim.id],
        evidence: { facts: { attempts: 3, threshold: 3, lastCode: "SIGNATURE_INVALID" } },
      });
      await useRules(() => {});
    });
  });

  describe("near-duplicate listings", () => {
    it("flags a listing whose text copies another owner's, not a different text", async () => {
      const copier = await makeUser(t, { type: "enterprise", roles: ["supplier"] });
      const original = await as(seller)("POST", "/v1/listings", pvRecyclingSupply());
      await as(reviewer)("POST", `/v1/listings/${original.body.id}/review`, { approved: true });
      const copy = await as(copier)("POST", "/v1/listings", pvRecyclingSupply());
      await as(reviewer)("POST", `/v1/listings/${copy.body.id}/review`, { approved: true });
      const different = await as(copier)("POST", "/v1/listings", solarRecyclingDemand());
      await as(reviewer)("POST", `/v1/listings/${different.body.id}/review`, { approved: true });
      const alerts = await alertsOf("nearDuplicateListing");
      const ofCopy = alerts.filter((x) => x.evidence.objects.listingId === copy.body.id);
      expect(ofCopy).toHaveLength(1);
      expect(ofCopy[0].evidence.objects.similarListingId).toBeDefined();
      expect(Number(ofCopy[0].evidence.facts.similarity)).toBeGreaterThanOrEqual(0.8);
      expect(alerts.filter((x) => x.evidence.objects.listingId === different.body.id)).toEqual([]);
    });
  });

  describe("the blacklist", () => {
    it("refuses a blacklisted party as a counter-party until it is removed; each change is a record", async () => {
      const supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const buyer = await demander();
      const supply = await as(supplier)("POST", "/v1/listings", pvRecyclingSupply());
      await as(reviewer)("POST", `/v1/listings/${supply.body.id}/review`, { approved: true });
      const demand = await as(buyer)("POST", "/v1/listings", solarRecyclingDemand());
      await as(reviewer)("POST", `/v1/listings/${demand.body.id}/review`, { approved: true });
      const match = await as(buyer)("POST", "/v1/matches", { supplyId: supply.body.id, demandId: demand.body.id });
      expect(match.status, JSON.stringify(match.body)).toBe(201);
      const added = await operator()("POST", "/v1/risk/blacklist", {
        kind: "user",
        value: supplier.id,
        reason: "Fraud ruling of the Kunming court",
      });
      expect(added.status).toBe(201);
      const twice = await operator()("POST", "/v1/risk/blacklist", { kind: "user", value: supplier.id, reason: "x" });
      expect(twice.body.error.code).toBe("ALREADY_BLACKLISTED");
      const refused = await as(buyer)("POST", `/v1/matches/${match.body.id}/answer`, { accept: true });
      expect([refused.status, refused.body.error.code]).toEqual([409, "COUNTERPARTY_BLACKLISTED"]);
      const record = await as(manager)("GET", `/v1/users/${supplier.id}/risk-record`);
      expect(record.body).toMatchObject({ blacklisted: true, suspended: false });
      const removed = await operator()("POST", `/v1/risk/blacklist/${added.body.id}/removal`, {
        reason: "Ruling overturned on appeal",
      });
      expect(removed.body.removal).toMatchObject({ reason: "Ruling overturned on appeal" });
      const again = await operator()("POST", `/v1/risk/blacklist/${added.body.id}/removal`, { reason: "x" });
      expect(again.body.error.code).toBe("BLACKLIST_ENTRY_REMOVED");
      expect((await as(buyer)("POST", `/v1/matches/${match.body.id}/answer`, { accept: true })).status).toBe(200);
      const chain = await operator()("GET", `/v1/subjects/risk-blacklist:${added.body.id}/evidence`);
      expect(chain.body.records.map((r: { kind: string }) => r.kind)).toEqual([
        "risk.blacklist.changed",
        "risk.blacklist.changed",
      ]);
    });

    it("flags a running deal's move while a party of it is on the blacklist, once per deal and party", async () => {
      const supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const buyer = await demander();
      const deal = await openDeal(t, supplier, buyer, reviewer);
      const moved = await as(buyer)("POST", `/v1/deals/${deal.id}/moves`, { move: "begin_negotiation" });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      await t.platform.risk.idle();
      expect((await alertsOf("blacklist")).filter((x) => x.evidence.objects.dealId === deal.id)).toEqual([]);
      const added = await operator()("POST", "/v1/risk/blacklist", { kind: "user", value: buyer.id, reason: "Fraud" });
      await as(buyer)("POST", `/v1/deals/${deal.id}/moves`, { move: "begin_investigation" });
      await as(buyer)("POST", `/v1/deals/${deal.id}/moves`, { move: "resume_negotiation" });
      await t.platform.risk.idle();
      const flagged = (await alertsOf("blacklist")).filter((x) => x.evidence.objects.dealId === deal.id);
      expect(flagged).toHaveLength(1);
      expect(flagged[0]).toMatchObject({ outcome: "flagged", userIds: [buyer.id] });
      await operator()("POST", `/v1/risk/blacklist/${added.body.id}/removal`, { reason: "Cleared" });
    });

    it("refuses a suspended party as a counter-party", async () => {
      const supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const buyer = await demander();
      const supply = await as(supplier)("POST", "/v1/listings", pvRecyclingSupply());
      await as(reviewer)("POST", `/v1/listings/${supply.body.id}/review`, { approved: true });
      await t.platform.users.setSuspended(supplier.id, true, "under investigation", "setup");
      const refused = await as(buyer)("POST", `/v1/listings/${supply.body.id}/accept`);
      expect([refused.status, refused.body.error.code]).toEqual([409, "COUNTERPARTY_BLACKLISTED"]);
    });

    it("refuses a certification with a blacklisted credit code", async () => {
      const code = creditCode(987_654);
      const bad = await operator()("POST", "/v1/risk/blacklist", { kind: "credit-code", value: "12345", reason: "x" });
      expect(bad.body.error.code).toBe("CREDIT_CODE_FORMAT");
      await operator()("POST", "/v1/risk/blacklist", { kind: "credit-code", value: code, reason: "Revoked licence" });
      const company = await makeUser(t, { type: "enterprise", certified: false });
      await expect(
        t.platform.users.submitCertification(
          company.id,
          { kind: "credit-code", name: "黑名单公司", number: code, legalRepresentative: "李四" },
          { name: "licence.pdf", mediaType: "application/pdf", bytes: LICENCE_PDF },
        ),
      ).rejects.toMatchObject({ status: 403, code: "CREDIT_CODE_BLACKLISTED" });
    });
  });

  describe("a party's record and the queue", () => {
    it("shows a match's counter-party its record, and refuses anyone else", async () => {
      const supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const buyer = await demander();
      const stranger = await demander();
      const supply = await as(supplier)("POST", "/v1/listings", pvRecyclingSupply());
      await as(reviewer)("POST", `/v1/listings/${supply.body.id}/review`, { approved: true });
      const demand = await as(buyer)("POST", "/v1/listings", solarRecyclingDemand());
      await as(reviewer)("POST", `/v1/listings/${demand.body.id}/review`, { approved: true });
      const match = await as(buyer)("POST", "/v1/matches", { supplyId: supply.body.id, demandId: demand.body.id });
      const record = await createGatewayClient({ baseUrl: t.url, token: buyer.token }).getCounterpartyRecord({
        matchId: match.body.id,
      });
      expect(record).toMatchObject({
        userId: supplier.id,
        deals: { total: 0, completed: 0, cancelled: 0 },
        disputes: { opened: 0, lost: 0 },
        openAlerts: 0,
      });
      const refused = await as(stranger)("GET", `/v1/matches/${match.body.id}/counterparty-record`);
      expect(refused.status).toBe(403);
    });

    it("counts a party's deals in its record", async () => {
      const supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const buyer = await demander();
      await openDeal(t, supplier, buyer, reviewer);
      const record = await as(auditor)("GET", `/v1/users/${buyer.id}/risk-record`);
      expect(record.body.deals).toEqual({ total: 1, completed: 0, cancelled: 0, inProgress: 1 });
      expect((await as(buyer)("GET", `/v1/users/${buyer.id}/risk-record`)).status).toBe(403);
    });

    it("takes one decision per alert with a reason, as a record, and counts the figures", async () => {
      const open = (await operator()("GET", "/v1/risk/alerts?status=open")).body.alerts as Array<{ id: string }>;
      expect(open.length).toBeGreaterThanOrEqual(2);
      const before = (await as(auditor)("GET", "/v1/risk/figures")).body;
      const accepted = await as(manager)("POST", `/v1/risk/alerts/${open[0].id}/decision`, {
        decision: "accept",
        reason: "Same office, same bank: a shill",
      });
      expect(accepted.body).toMatchObject({ status: "accepted", decision: { decision: "accept", by: manager.id } });
      const dismissed = await operator()("POST", `/v1/risk/alerts/${open[1].id}/decision`, {
        decision: "dismiss",
        reason: "Known family business",
      });
      expect(dismissed.body.status).toBe("dismissed");
      const twice = await operator()("POST", `/v1/risk/alerts/${open[1].id}/decision`, {
        decision: "accept",
        reason: "changed my mind",
      });
      expect([twice.status, twice.body.error.code]).toEqual([409, "ALERT_DECIDED"]);
      const noReason = await operator()("POST", `/v1/risk/alerts/${open[2]?.id ?? open[0].id}/decision`, {
        decision: "accept",
      });
      expect(noReason.status).toBe(400);
      expect(
        (await as(auditor)("POST", `/v1/risk/alerts/${open[0].id}/decision`, { decision: "accept", reason: "x" }))
          .status,
      ).toBe(403);
      const chain = await as(auditor)("GET", `/v1/subjects/risk-alert:${open[0].id}/evidence`);
      expect(chain.body.records.map((r: { kind: string }) => r.kind)).toEqual([
        "risk.alert.raised",
        "risk.alert.decided",
      ]);
      const after = (await as(auditor)("GET", "/v1/risk/figures")).body;
      expect(after.overall.accepted).toBe(before.overall.accepted + 1);
      expect(after.overall.dismissed).toBe(before.overall.dismissed + 1);
      expect(after.overall.falsePositiveRate).toBeCloseTo(
        after.overall.dismissed / (after.overall.accepted + after.overall.dismissed),
      );
      expect(after.overall.medianSecondsToDecision).toBeGreaterThanOrEqual(0);
      expect(Object.keys(after.byRule)).toEqual(
        expect.arrayContaining(["largeDeal", "shillBidding", "nearDuplicateListing", "blacklist"]),
      );
    });
  });
});
