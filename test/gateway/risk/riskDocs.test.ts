// Written from docs/RISK.md alone (plus the public test helpers), as an outsider would.
import { readFile, rm, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDeal } from "../../helpers/escrow";
import { creditCode, LICENCE_PDF, makeUser, type TestUser } from "../../helpers/identity";
import { createGatewayClient } from "../../../sdk";
import { batterySoftwareSupply, pvRecyclingSupply, solarRecyclingDemand } from "../../helpers/listings";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const DAY = 86_400;
const CONTRACT_PDF = Buffer.from("%PDF-1.4\n% outsider contract\n%%EOF\n");
const inDays = (days: number) => new Date(Date.now() + days * DAY * 1000).toISOString();
const RULES = [
  "largeDeal",
  "newAccount",
  "changedBeforePayment",
  "failedSignIns",
  "shillBidding",
  "nearDuplicateListing",
  "blacklist",
];

const DEFAULTS = {
  version: 1,
  rules: {
    largeDeal: { enabled: true, amountAbove: { CNY: 500000000 } },
    newAccount: { enabled: true, certifiedWithinDays: 30, amountAbove: { CNY: 50000000 } },
    changedBeforePayment: { enabled: true, withinHours: 72 },
    failedSignIns: { enabled: true, attempts: 5, withinMinutes: 15 },
    shillBidding: { enabled: true, action: "refuse", identifiers: ["device", "signingKey", "bankAccount"] },
    nearDuplicateListing: { enabled: true, similarityAtLeast: 0.8 },
    blacklist: { enabled: true },
  },
};

describe("outsider: docs/RISK.md", () => {
  let t: TestPlatform;
  let reviewer: TestUser, manager: TestUser, auditor: TestUser, admin: TestUser, supplierRole: TestUser;
  let arbitrator: TestUser;
  const as = (u?: TestUser) => client(t.url, u?.token);
  const operator = () => client(t.url, t.token);
  const rulesFile = () => path.join(t.dataDir, "risk-rules.json");

  async function writeRules(change: (r: any) => void) {
    const rules = structuredClone(DEFAULTS) as any;
    change(rules);
    await writeFile(rulesFile(), JSON.stringify(rules));
    const r = await operator()("POST", "/v1/risk/rules/reload", {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }

  function terms(total: number) {
    return {
      contract: { name: "contract.pdf", mediaType: "application/pdf", contentBase64: CONTRACT_PDF.toString("base64") },
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
  }

  async function proposedMatch() {
    const supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    const buyer = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    const supply = await as(supplier)("POST", "/v1/listings", pvRecyclingSupply());
    await as(reviewer)("POST", `/v1/listings/${supply.body.id}/review`, { approved: true });
    const demand = await as(buyer)("POST", "/v1/listings", solarRecyclingDemand());
    await as(reviewer)("POST", `/v1/listings/${demand.body.id}/review`, { approved: true });
    const match = await as(buyer)("POST", "/v1/matches", { supplyId: supply.body.id, demandId: demand.body.id });
    expect(match.status, JSON.stringify(match.body)).toBe(201);
    return { supplier, buyer, matchId: match.body.id as string };
  }

  beforeAll(async () => {
    t = await startTestPlatform();
    reviewer = await makeUser(t, { roles: ["reviewer"] });
    manager = await makeUser(t, { roles: ["manager"] });
    auditor = await makeUser(t, { roles: ["auditor"] });
    admin = await makeUser(t, { roles: ["admin"] });
    supplierRole = await makeUser(t, { type: "institute", roles: ["supplier"] });
    arbitrator = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  describe("the rules file", () => {
    it("is written with the documented defaults on first start", async () => {
      expect(JSON.parse(await readFile(rulesFile(), "utf8"))).toEqual(DEFAULTS);
    });

    it("GET /v1/risk/rules answers {file, loadedAt, rules} to staff, 403 FORBIDDEN to others", async () => {
      for (const who of [auditor, manager, admin]) {
        const r = await as(who)("GET", "/v1/risk/rules");
        expect(r.status).toBe(200);
        expect(Object.keys(r.body).sort()).toEqual(["file", "loadedAt", "rules"]);
        expect(r.body.rules).toEqual(DEFAULTS);
      }
      const refused = await as(supplierRole)("GET", "/v1/risk/rules");
      expect([refused.status, refused.body.error.code]).toEqual([403, "FORBIDDEN"]);
    });

    it("reload: operator and admin 200; manager and auditor 403", async () => {
      for (const who of [operator(), as(admin)]) {
        const r = await who("POST", "/v1/risk/rules/reload", {});
        expect(r.status).toBe(200);
        expect(r.body).toHaveProperty("file");
        expect(r.body).toHaveProperty("loadedAt");
        expect(r.body.rules).toEqual(DEFAULTS);
      }
      for (const who of [manager, auditor]) {
        const r = await as(who)("POST", "/v1/risk/rules/reload", {});
        expect([r.status, r.body.error.code]).toEqual([403, "FORBIDDEN"]);
      }
    });

    it("a successful reload is a risk.rules.reloaded record on subject risk-rules", async () => {
      await operator()("POST", "/v1/risk/rules/reload", {});
      const ev = await operator()("GET", "/v1/subjects/risk-rules/evidence");
      expect(ev.status).toBe(200);
      expect(ev.body.records.map((r: any) => r.kind)).toContain("risk.rules.reloaded");
    });

    it("an invalid file is refused 422 RISK_RULES_INVALID naming every problem; the rules in force stay", async () => {
      const bad = structuredClone(DEFAULTS) as any;
      bad.rules.failedSignIns.attempts = 1;
      bad.rules.nearDuplicateListing.similarityAtLeast = 0.3;
      await writeFile(rulesFile(), JSON.stringify(bad));
      const r = await operator()("POST", "/v1/risk/rules/reload", {});
      expect([r.status, r.body.error.code]).toEqual([422, "RISK_RULES_INVALID"]);
      expect(r.body.error.message).toContain("rules.failedSignIns.attempts");
      expect(r.body.error.message).toContain("rules.nearDuplicateListing.similarityAtLeast");
      expect((await operator()("GET", "/v1/risk/rules")).body.rules).toEqual(DEFAULTS);
      // an extra key is not allowed
      const extra = structuredClone(DEFAULTS) as any;
      extra.rules.blacklist.other = 1;
      await writeFile(rulesFile(), JSON.stringify(extra));
      const r2 = await operator()("POST", "/v1/risk/rules/reload", {});
      expect([r2.status, r2.body.error.code]).toEqual([422, "RISK_RULES_INVALID"]);
      await writeRules(() => {});
    });

    it("an unreadable file is refused 422 RISK_RULES_UNREADABLE", async () => {
      await rm(rulesFile());
      await mkdir(rulesFile());
      const r = await operator()("POST", "/v1/risk/rules/reload", {});
      expect([r.status, r.body.error.code]).toEqual([422, "RISK_RULES_UNREADABLE"]);
      await rm(rulesFile(), { recursive: true });
      await writeRules(() => {});
    });
  });

  describe("the rules file, constraints", () => {
    async function reloadWith(change: (r: any) => void) {
      const rules = structuredClone(DEFAULTS) as any;
      change(rules);
      await writeFile(rulesFile(), JSON.stringify(rules));
      return operator()("POST", "/v1/risk/rules/reload", {});
    }
    it("accepts what the table allows and refuses what it does not", async () => {
      try {
        expect((await reloadWith((r) => (r.rules.newAccount.certifiedWithinDays = 0.5))).status).toBe(200);
        expect((await reloadWith((r) => (r.rules.shillBidding.action = "flag"))).status).toBe(200);
        expect((await reloadWith((r) => (r.rules.largeDeal.amountAbove = { CNY: 0, USD: 10 }))).status).toBe(200);
        expect((await reloadWith((r) => (r.rules.nearDuplicateListing.similarityAtLeast = 1))).status).toBe(200);
        for (const bad of [
          (r: any) => (r.version = 2),
          (r: any) => (r.rules.largeDeal.amountAbove = { cny: 1 }),
          (r: any) => (r.rules.largeDeal.amountAbove = { CNY: -1 }),
          (r: any) => (r.rules.largeDeal.amountAbove = { CNY: 1.5 }),
          (r: any) => (r.rules.newAccount.certifiedWithinDays = 0),
          (r: any) => (r.rules.changedBeforePayment.withinHours = 0),
          (r: any) => (r.rules.failedSignIns.attempts = 2.5),
          (r: any) => (r.rules.failedSignIns.withinMinutes = 0),
          (r: any) => (r.rules.shillBidding.action = "ignore"),
          (r: any) => (r.rules.shillBidding.identifiers = []),
          (r: any) => (r.rules.shillBidding.identifiers = ["email"]),
          (r: any) => (r.rules.nearDuplicateListing.similarityAtLeast = 1.1),
          (r: any) => delete r.rules.blacklist.enabled,
          (r: any) => delete r.rules.newAccount,
          (r: any) => (r.extra = true),
        ]) {
          const r = await reloadWith(bad);
          expect([r.status, r.body.error?.code], bad.toString()).toEqual([422, "RISK_RULES_INVALID"]);
        }
      } finally {
        await writeRules(() => {});
      }
    });
  });

  describe("the blacklist", () => {
    it("add (201 entry), list, ALREADY_BLACKLISTED, removal (200), BLACKLIST_ENTRY_REMOVED; roles", async () => {
      const target = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      const refusedAdd = await as(manager)("POST", "/v1/risk/blacklist", {
        kind: "user",
        value: target.id,
        reason: "x",
      });
      expect([refusedAdd.status, refusedAdd.body.error.code]).toEqual([403, "FORBIDDEN"]);
      const added = await as(admin)("POST", "/v1/risk/blacklist", { kind: "user", value: target.id, reason: "Fraud" });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      expect(added.body.id).toMatch(/^bl_[0-9a-f]{16}$/);
      const twice = await operator()("POST", "/v1/risk/blacklist", { kind: "user", value: target.id, reason: "x" });
      expect([twice.status, twice.body.error.code]).toEqual([409, "ALREADY_BLACKLISTED"]);
      const list = await as(auditor)("GET", "/v1/risk/blacklist");
      expect(list.status).toBe(200);
      expect(list.body.entries.map((e: any) => e.id)).toContain(added.body.id);
      const notStaff = await as(supplierRole)("GET", "/v1/risk/blacklist");
      expect([notStaff.status, notStaff.body.error.code]).toEqual([403, "FORBIDDEN"]);
      const refusedRemove = await as(auditor)("POST", `/v1/risk/blacklist/${added.body.id}/removal`, { reason: "ok" });
      expect([refusedRemove.status, refusedRemove.body.error.code]).toEqual([403, "FORBIDDEN"]);
      const removed = await operator()("POST", `/v1/risk/blacklist/${added.body.id}/removal`, { reason: "Cleared" });
      expect(removed.status).toBe(200);
      expect(removed.body.id).toBe(added.body.id);
      const again = await operator()("POST", `/v1/risk/blacklist/${added.body.id}/removal`, { reason: "x" });
      expect([again.status, again.body.error.code]).toEqual([409, "BLACKLIST_ENTRY_REMOVED"]);
      const ev = await operator()("GET", `/v1/subjects/risk-blacklist:${added.body.id}/evidence`);
      expect(ev.body.records.map((r: any) => r.kind)).toEqual(["risk.blacklist.changed", "risk.blacklist.changed"]);
    });

    it("refusals: unknown entry 404, unknown user 404, bad credit code 422, empty reason 400", async () => {
      const none = await operator()("POST", "/v1/risk/blacklist/bl_0000000000000000/removal", { reason: "x" });
      expect([none.status, none.body.error.code]).toEqual([404, "BLACKLIST_ENTRY_NOT_FOUND"]);
      const noUser = await operator()("POST", "/v1/risk/blacklist", { kind: "user", value: "usr_nobody", reason: "x" });
      expect([noUser.status, noUser.body.error.code]).toEqual([404, "USER_NOT_FOUND"]);
      const code = await operator()("POST", "/v1/risk/blacklist", { kind: "credit-code", value: "12345", reason: "x" });
      expect([code.status, code.body.error.code]).toEqual([422, "CREDIT_CODE_FORMAT"]);
      const empty = await operator()("POST", "/v1/risk/blacklist", { kind: "user", value: admin.id, reason: "   " });
      expect([empty.status, empty.body.error.code]).toEqual([400, "INVALID_REQUEST"]);
      const long = await operator()("POST", "/v1/risk/blacklist", {
        kind: "user",
        value: admin.id,
        reason: "x".repeat(2001),
      });
      expect([long.status, long.body.error.code]).toEqual([400, "INVALID_REQUEST"]);
    });

    it("refuses a match's confirmation with a blacklisted party: 409 COUNTERPARTY_BLACKLISTED and a refused alert", async () => {
      const { supplier, buyer, matchId } = await proposedMatch();
      const added = await operator()("POST", "/v1/risk/blacklist", {
        kind: "user",
        value: supplier.id,
        reason: "Fraud",
      });
      const refused = await as(buyer)("POST", `/v1/matches/${matchId}/answer`, { accept: true });
      expect([refused.status, refused.body.error.code]).toEqual([409, "COUNTERPARTY_BLACKLISTED"]);
      const alerts = (await operator()("GET", "/v1/risk/alerts?rule=blacklist")).body.alerts;
      expect(alerts.some((a: any) => a.outcome === "refused" && a.userIds.includes(supplier.id))).toBe(true);
      const record = await as(manager)("GET", `/v1/users/${supplier.id}/risk-record`);
      expect(record.body).toMatchObject({ blacklisted: true, suspended: false });
      await operator()("POST", `/v1/risk/blacklist/${added.body.id}/removal`, { reason: "Cleared" });
      const ok = await as(buyer)("POST", `/v1/matches/${matchId}/answer`, { accept: true });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    });
  });

  describe("a party's record", () => {
    it("GET /v1/users/:id/risk-record: staff 200 with the documented fields; others 403; unknown 404", async () => {
      for (const who of [operator(), as(manager), as(auditor), as(admin)]) {
        const r = await who("GET", `/v1/users/${supplierRole.id}/risk-record`);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({
          deals: {
            total: expect.any(Number),
            completed: expect.any(Number),
            cancelled: expect.any(Number),
            inProgress: expect.any(Number),
          },
          disputes: { total: expect.any(Number), opened: expect.any(Number), lost: expect.any(Number) },
          lateDeliveries: expect.any(Number),
          refunds: expect.any(Number),
          complaints: { against: expect.any(Number), upheld: expect.any(Number) },
          ratings: { count: 0, mean: null },
          blacklisted: false,
          suspended: false,
          openAlerts: expect.any(Number),
          asOf: expect.any(String),
        });
      }
      const refused = await as(supplierRole)("GET", `/v1/users/${supplierRole.id}/risk-record`);
      expect([refused.status, refused.body.error.code]).toEqual([403, "FORBIDDEN"]);
      const none = await operator()("GET", `/v1/users/usr_${"0".repeat(24)}/risk-record`);
      expect([none.status, none.body.error.code]).toEqual([404, "USER_NOT_FOUND"]);
    });

    it("GET /v1/matches/:id/counterparty-record: a party reads the other side's (openAlerts 0); a stranger 403 NOT_A_PARTY", async () => {
      const { supplier, buyer, matchId } = await proposedMatch();
      const r = await as(buyer)("GET", `/v1/matches/${matchId}/counterparty-record`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ openAlerts: 0, blacklisted: false, deals: { total: expect.any(Number) } });
      expect((await as(supplier)("GET", `/v1/matches/${matchId}/counterparty-record`)).status).toBe(200);
      const stranger = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      const refused = await as(stranger)("GET", `/v1/matches/${matchId}/counterparty-record`);
      expect([refused.status, refused.body.error.code]).toEqual([403, "NOT_A_PARTY"]);
    });
  });

  describe("large deals, alerts and figures", () => {
    let alertId: string;
    it("holds terms above amountAbove (409 DEAL_APPROVAL_REQUIRED) until a manager approves (201)", async () => {
      await writeRules((r) => {
        r.rules.largeDeal.amountAbove = { CNY: 1000 };
      });
      const supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const buyer = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      const deal = await openDeal(t, supplier, buyer, reviewer);
      const total = (deal as any).price?.amount ?? 120_000_000;
      const held = await as(buyer)("POST", `/v1/deals/${deal.id}/terms`, terms(total));
      expect([held.status, held.body.error.code]).toEqual([409, "DEAL_APPROVAL_REQUIRED"]);
      const alerts = (await as(auditor)("GET", "/v1/risk/alerts?rule=largeDeal&status=open")).body.alerts.filter(
        (a: any) => a.evidence.objects.dealId === deal.id,
      );
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({
        rule: "largeDeal",
        outcome: "refused",
        status: "open",
        evidence: { facts: { total, currency: "CNY", threshold: 1000 } },
      });
      expect(alerts[0].id).toMatch(/^ra_[0-9a-f]{16}$/);
      const notManager = await operator()("POST", `/v1/deals/${deal.id}/risk-approval`, { reason: "ok" });
      expect([notManager.status, notManager.body.error.code]).toEqual([403, "FORBIDDEN"]);
      const approval = await as(manager)("POST", `/v1/deals/${deal.id}/risk-approval`, { reason: "Funds seen" });
      expect(approval.status, JSON.stringify(approval.body)).toBe(201);
      const twice = await as(manager)("POST", `/v1/deals/${deal.id}/risk-approval`, { reason: "again" });
      expect([twice.status, twice.body.error.code]).toEqual([409, "DEAL_APPROVED"]);
      const decided = await as(auditor)("GET", `/v1/risk/alerts/${alerts[0].id}`);
      expect(decided.body).toMatchObject({
        status: "accepted",
        decision: { decision: "accept", reason: "approved: Funds seen", by: manager.id },
      });
      const ev = await operator()("GET", `/v1/subjects/risk-approval:${deal.id}/evidence`);
      expect(ev.body.records.map((r: any) => r.kind)).toEqual(["risk.approval.granted"]);
      const proposed = await as(buyer)("POST", `/v1/deals/${deal.id}/terms`, terms(total));
      expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);

      const other = await openDeal(t, await makeUser(t, { type: "institute", roles: ["supplier"] }), buyer, reviewer);
      const unasked = await as(manager)("POST", `/v1/deals/${other.id}/risk-approval`, { reason: "just in case" });
      expect([unasked.status, unasked.body.error.code]).toEqual([409, "NO_APPROVAL_PENDING"]);

      // a second held deal gives an open alert to decide
      const third = await openDeal(t, await makeUser(t, { type: "institute", roles: ["supplier"] }), buyer, reviewer);
      await as(buyer)("POST", `/v1/deals/${third.id}/terms`, terms(total));
      alertId = (await operator()("GET", "/v1/risk/alerts?status=open&rule=largeDeal")).body.alerts.find(
        (a: any) => a.evidence.objects.dealId === third.id,
      ).id;
      await writeRules(() => {});
    }, 120_000);

    it("alerts: list/get to staff, 403 to others; decide as manager (200), not auditor/admin (403); ALERT_DECIDED; ALERT_NOT_FOUND", async () => {
      const list = await as(admin)("GET", "/v1/risk/alerts");
      expect(list.status).toBe(200);
      expect(Array.isArray(list.body.alerts)).toBe(true);
      const times = list.body.alerts.map((a: any) => a.raisedAt);
      expect([...times].sort().reverse()).toEqual(times);
      expect((await as(admin)("GET", "/v1/risk/alerts?limit=1")).body.alerts).toHaveLength(1);
      expect((await as(admin)("GET", "/v1/risk/alerts?limit=1000")).status).toBe(200);
      expect((await as(admin)("GET", "/v1/risk/alerts?limit=1001")).body.error?.code).toBe("INVALID_REQUEST");
      const bad = await as(admin)("GET", "/v1/risk/alerts?limit=0");
      expect([bad.status, bad.body.error.code]).toEqual([400, "INVALID_REQUEST"]);
      const notStaff = await as(supplierRole)("GET", "/v1/risk/alerts");
      expect([notStaff.status, notStaff.body.error.code]).toEqual([403, "FORBIDDEN"]);
      const one = await as(auditor)("GET", `/v1/risk/alerts/${alertId}`);
      expect(one.status).toBe(200);
      for (const k of ["id", "rule", "userIds", "summary", "evidence", "outcome", "status", "raisedAt", "recordId"]) {
        expect(one.body).toHaveProperty(k);
      }
      expect(one.body).not.toHaveProperty("decision");
      for (const who of [auditor, admin]) {
        const r = await as(who)("POST", `/v1/risk/alerts/${alertId}/decision`, { decision: "dismiss", reason: "x" });
        expect([r.status, r.body.error.code]).toEqual([403, "FORBIDDEN"]);
      }
      const decided = await as(manager)("POST", `/v1/risk/alerts/${alertId}/decision`, {
        decision: "dismiss",
        reason: "False positive",
      });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      expect(decided.body).toMatchObject({
        status: "dismissed",
        decision: {
          decision: "dismiss",
          reason: "False positive",
          by: manager.id,
          at: expect.any(String),
          recordId: expect.any(String),
        },
      });
      const again = await operator()("POST", `/v1/risk/alerts/${alertId}/decision`, {
        decision: "accept",
        reason: "x",
      });
      expect([again.status, again.body.error.code]).toEqual([409, "ALERT_DECIDED"]);
      const none = await operator()("GET", "/v1/risk/alerts/ra_0000000000000000");
      expect([none.status, none.body.error.code]).toEqual([404, "ALERT_NOT_FOUND"]);
      const ev = await operator()("GET", `/v1/subjects/risk-alert:${alertId}/evidence`);
      expect(ev.body.records.map((r: any) => r.kind)).toEqual(["risk.alert.raised", "risk.alert.decided"]);
    });

    it("figures: overall and byRule (every rule), to staff; 403 to others", async () => {
      const r = await as(auditor)("GET", "/v1/risk/figures");
      expect(r.status).toBe(200);
      const keys = ["raised", "open", "accepted", "dismissed", "medianSecondsToDecision", "falsePositiveRate"];
      // the doc says "overall and byRule"; the gateway answers { overall, byRule, asOf }
      expect(Object.keys(r.body).sort()).toEqual(["asOf", "byRule", "overall"]);
      for (const k of keys) expect(r.body.overall).toHaveProperty(k);
      expect(Object.keys(r.body.byRule).sort()).toEqual([...RULES].sort());
      for (const rule of RULES) for (const k of keys) expect(r.body.byRule[rule]).toHaveProperty(k);
      expect(r.body.byRule.largeDeal.dismissed).toBeGreaterThanOrEqual(1);
      expect(r.body.byRule.largeDeal.falsePositiveRate).toBeTypeOf("number");
      expect(r.body.byRule.changedBeforePayment).toMatchObject({
        raised: 0,
        medianSecondsToDecision: null,
        falsePositiveRate: null,
      });
      const refused = await as(supplierRole)("GET", "/v1/risk/figures");
      expect([refused.status, refused.body.error.code]).toEqual([403, "FORBIDDEN"]);
    });
  });

  describe("bank accounts", () => {
    it("the owner declares (200) and reads; staff read; others 403; NO_BANK_ACCOUNT; BANK_ACCOUNT_FORMAT", async () => {
      const owner = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      const none = await as(owner)("GET", `/v1/users/${owner.id}/bank-account`);
      expect([none.status, none.body.error.code]).toEqual([404, "NO_BANK_ACCOUNT"]);
      const other = await as(supplierRole)("PUT", `/v1/users/${owner.id}/bank-account`, {
        bank: "ICBC",
        accountNumber: "6222 0000 1111 2222",
      });
      expect([other.status, other.body.error.code]).toEqual([403, "FORBIDDEN"]);
      const bad = await as(owner)("PUT", `/v1/users/${owner.id}/bank-account`, { bank: "ICBC", accountNumber: "1234" });
      expect([bad.status, bad.body.error.code]).toEqual([422, "BANK_ACCOUNT_FORMAT"]);
      const put = await as(owner)("PUT", `/v1/users/${owner.id}/bank-account`, {
        bank: "ICBC",
        accountNumber: "6222-0000 1111 2222",
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body).toMatchObject({ digest: expect.any(String), last4: "2222", since: expect.any(String) });
      expect(put.body).not.toHaveProperty("accountNumber");
      // Keyed by the installation's key: the same number gives the same digest, the plain hash does not show.
      const { createHash, createHmac } = await import("node:crypto");
      const key = Buffer.from((await readFile(path.join(t.dataDir, "risk-identifier.key"), "utf8")).trim(), "hex");
      const digest = createHmac("sha256", key).update("bank-account:6222000011112222").digest("hex");
      expect(put.body.digest).toBe(digest);
      expect(JSON.stringify(put.body)).not.toContain(
        createHash("sha256").update("bank-account:6222000011112222").digest("hex"),
      );
      const changed = await as(owner)("PUT", `/v1/users/${owner.id}/bank-account`, {
        bank: "ICBC",
        accountNumber: "6222000011113333",
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toHaveProperty("replaced");
      for (const who of [owner, auditor, manager, admin]) {
        const r = await as(who)("GET", `/v1/users/${owner.id}/bank-account`);
        expect(r.status).toBe(200);
        expect(r.body.last4).toBe("3333");
      }
      expect((await operator()("GET", `/v1/users/${owner.id}/bank-account`)).status).toBe(200);
      const refused = await as(supplierRole)("GET", `/v1/users/${owner.id}/bank-account`);
      expect([refused.status, refused.body.error.code]).toEqual([403, "FORBIDDEN"]);
    });
  });

  describe("shill bidding and device ids", () => {
    it("refuses a bid by an account sharing a bank account with the seller: 409 SHILL_BIDDING_SUSPECTED", async () => {
      const seller = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const listing = await as(seller)("POST", "/v1/listings", batterySoftwareSupply());
      await as(reviewer)("POST", `/v1/listings/${listing.body.id}/review`, { approved: true });
      const opened = await as(seller)("POST", "/v1/auctions", {
        listingId: listing.body.id,
        currency: "CNY",
        startingPrice: 1_000_000,
        reservePrice: 1_000_000,
        minIncrement: 100_000,
        endsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
        extensionSeconds: 60,
      });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      const shill = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      for (const u of [seller, shill]) {
        const r = await as(u)("PUT", `/v1/users/${u.id}/bank-account`, {
          bank: "ABC",
          accountNumber: "6228480012345678",
        });
        expect(r.status).toBe(200);
      }
      const bid = await as(shill)("POST", `/v1/auctions/${opened.body.id}/bids`, { amount: 1_000_000 });
      expect([bid.status, bid.body.error?.code]).toEqual([409, "SHILL_BIDDING_SUSPECTED"]);
      const alert = (await operator()("GET", "/v1/risk/alerts?rule=shillBidding")).body.alerts.find(
        (a: any) => a.evidence.objects.auctionId === opened.body.id,
      );
      expect(alert).toMatchObject({
        outcome: "refused",
        evidence: {
          objects: { auctionId: opened.body.id, bidderId: shill.id },
          facts: {
            related: [seller.id],
            shared: [`${seller.id} bankAccount`],
            amount: 1_000_000,
            currency: "CNY",
            action: "refuse",
          },
        },
      });
      const seen = await operator()("GET", `/v1/subjects/risk-party:${shill.id}/evidence`);
      expect(seen.body.records.map((r: any) => r.kind)).toContain("risk.identifier.seen");
    });

    it("refuses a malformed X-Device-Id with 400 DEVICE_ID_FORMAT", async () => {
      const challenge = await client(t.url)("POST", "/v1/auth/challenge", { address: supplierRole.wallet.address });
      expect(challenge.status).toBe(201);
      const signature = await supplierRole.wallet.signMessage(challenge.body.message);
      const body = { message: challenge.body.message, signature };
      const r = await client(t.url)("POST", "/v1/auth/session", body, { "x-device-id": "bad id!" });
      expect([r.status, r.body.error.code]).toEqual([400, "DEVICE_ID_FORMAT"]);
      const short = await client(t.url)("POST", "/v1/auth/session", body, { "x-device-id": "abc" });
      expect([short.status, short.body.error.code]).toEqual([400, "DEVICE_ID_FORMAT"]);
    });
  });

  describe("more rules", () => {
    async function openAuction(seller: TestUser) {
      const listing = await as(seller)("POST", "/v1/listings", batterySoftwareSupply());
      await as(reviewer)("POST", `/v1/listings/${listing.body.id}/review`, { approved: true });
      const opened = await as(seller)("POST", "/v1/auctions", {
        listingId: listing.body.id,
        currency: "CNY",
        startingPrice: 1_000_000,
        reservePrice: 1_000_000,
        minIncrement: 100_000,
        endsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
        extensionSeconds: 60,
      });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      return opened.body.id as string;
    }

    it("certification with a blacklisted credit code: 403 CREDIT_CODE_BLACKLISTED", async () => {
      const code = creditCode(876_543);
      const added = await operator()("POST", "/v1/risk/blacklist", {
        kind: "credit-code",
        value: code,
        reason: "Revoked",
      });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      const company = await makeUser(t, { type: "enterprise", certified: false });
      const r = await as(company)("POST", `/v1/users/${company.id}/certification`, {
        identity: { kind: "credit-code", name: "黑名单公司", number: code, legalRepresentative: "李四" },
        licence: { name: "licence.pdf", mediaType: "application/pdf", contentBase64: LICENCE_PDF.toString("base64") },
      });
      expect([r.status, r.body.error?.code]).toEqual([403, "CREDIT_CODE_BLACKLISTED"]);
    });

    it("a blacklisted seller: a bid is refused 409 COUNTERPARTY_BLACKLISTED", async () => {
      const seller = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const auctionId = await openAuction(seller);
      const added = await operator()("POST", "/v1/risk/blacklist", { kind: "user", value: seller.id, reason: "Fraud" });
      const bidder = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      const bid = await as(bidder)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_000_000 });
      expect([bid.status, bid.body.error?.code]).toEqual([409, "COUNTERPARTY_BLACKLISTED"]);
      await operator()("POST", `/v1/risk/blacklist/${added.body.id}/removal`, { reason: "Cleared" });
    });

    it("a blacklisted party: escrow terms are refused 409 COUNTERPARTY_BLACKLISTED", async () => {
      const supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const buyer = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      const deal = await openDeal(t, supplier, buyer, reviewer);
      const added = await operator()("POST", "/v1/risk/blacklist", {
        kind: "user",
        value: supplier.id,
        reason: "Fraud",
      });
      const r = await as(buyer)(
        "POST",
        `/v1/deals/${deal.id}/terms`,
        terms((deal as any).price?.amount ?? 120_000_000),
      );
      expect([r.status, r.body.error?.code]).toEqual([409, "COUNTERPARTY_BLACKLISTED"]);
      await operator()("POST", `/v1/risk/blacklist/${added.body.id}/removal`, { reason: "Cleared" });
    });

    it("shill bidding by a shared device (X-Device-Id at sign-in); a repeat in the same auction raises no second alert", async () => {
      const seller = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const auctionId = await openAuction(seller);
      const first = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      const shill = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      const a = await createGatewayClient({ baseUrl: t.url }).signIn({
        signer: first.wallet,
        deviceId: "outsider-dev-01",
      });
      const b = await createGatewayClient({ baseUrl: t.url }).signIn({
        signer: shill.wallet,
        deviceId: "outsider-dev-01",
      });
      const tokA = (a as any).token ?? (a as any).session?.token;
      const tokB = (b as any).token ?? (b as any).session?.token;
      expect((await client(t.url, tokA)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_000_000 })).status).toBe(
        200,
      );
      const refused = await client(t.url, tokB)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_200_000 });
      expect([refused.status, refused.body.error?.code]).toEqual([409, "SHILL_BIDDING_SUSPECTED"]);
      const alert = (await operator()("GET", "/v1/risk/alerts?rule=shillBidding")).body.alerts.find(
        (x: any) => x.evidence.objects.auctionId === auctionId,
      );
      expect(alert.evidence.facts.shared).toEqual([`${first.id} device`]);

      // A second bid by the same shill in the same auction is refused too, as a repeat of the same occurrence (RISK.md).
      const again = await client(t.url, tokB)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_300_000 });
      expect(again.body.error?.code).toBe("SHILL_BIDDING_SUSPECTED");
      const shillAlerts = (await operator()("GET", "/v1/risk/alerts?rule=shillBidding")).body.alerts.filter(
        (x: any) => x.evidence.objects.auctionId === auctionId,
      );
      expect(shillAlerts.map((x: any) => x.evidence.facts.amount)).toEqual([1_200_000]);
    });

    it("shillBidding action flag: the bid goes through and a flagged alert waits", async () => {
      await writeRules((r) => {
        r.rules.shillBidding.action = "flag";
      });
      try {
        const seller = await makeUser(t, { type: "institute", roles: ["supplier"] });
        const auctionId = await openAuction(seller);
        const shill = await makeUser(t, { type: "enterprise", roles: ["demander"] });
        for (const u of [seller, shill]) {
          await as(u)("PUT", `/v1/users/${u.id}/bank-account`, { bank: "ABC", accountNumber: "6228480099998888" });
        }
        const flagged = await as(shill)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 1_000_000 });
        expect(flagged.status, JSON.stringify(flagged.body)).toBe(200);
        const alerts = (await operator()("GET", "/v1/risk/alerts?rule=shillBidding")).body.alerts.filter(
          (x: any) => x.evidence.objects.auctionId === auctionId,
        );
        expect(alerts.map((x: any) => [x.outcome, x.evidence.facts.action])).toEqual([["flagged", "flag"]]);
      } finally {
        await writeRules(() => {});
      }
    });

    it("newAccount flags a large bid by a freshly certified account", async () => {
      const seller = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const auctionId = await openAuction(seller);
      const bidder = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      const bid = await as(bidder)("POST", `/v1/auctions/${auctionId}/bids`, { amount: 60_000_000 });
      expect(bid.status, JSON.stringify(bid.body)).toBe(200);
      const alert = await eventually(
        async () =>
          (await operator()("GET", "/v1/risk/alerts?rule=newAccount")).body.alerts.find(
            (x: any) => x.evidence.objects.auctionId === auctionId,
          ),
        5000,
        "alert",
      );
      expect(alert).toMatchObject({
        outcome: "flagged",
        evidence: {
          objects: { auctionId, userId: bidder.id },
          facts: { amount: 60_000_000, currency: "CNY", threshold: 50_000_000, certifiedWithinDays: 30 },
        },
      });
      for (const k of ["certifiedAt", "certifiedDaysAgo"]) expect(alert.evidence.facts).toHaveProperty(k);
      expect(alert.evidence.recordIds.length).toBeGreaterThan(0);
    });

    it("failedSignIns flags 5 failed sign-ins for one address", async () => {
      const victim = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      for (let i = 0; i < 5; i++) {
        const challenge = await client(t.url)("POST", "/v1/auth/challenge", { address: victim.wallet.address });
        const wrong = await supplierRole.wallet.signMessage(challenge.body.message);
        const r = await client(t.url)("POST", "/v1/auth/session", {
          message: challenge.body.message,
          signature: wrong,
        });
        expect(r.status).toBe(401);
      }
      const find = async () =>
        (await operator()("GET", "/v1/risk/alerts?rule=failedSignIns")).body.alerts.filter(
          (x: any) => x.evidence.objects.address?.toLowerCase() === victim.wallet.address.toLowerCase(),
        );
      const alerts = await eventually(async () => ((await find()).length ? await find() : undefined), 5000, "alert");
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({
        outcome: "flagged",
        userIds: [victim.id],
        evidence: { facts: { attempts: 5, threshold: 5, withinMinutes: 15 } },
      });
      for (const k of ["first", "last", "lastCode"]) expect(alerts[0].evidence.facts).toHaveProperty(k);
      const rec = await as(auditor)("GET", `/v1/users/${victim.id}/risk-record`);
      expect(rec.body.openAlerts).toBe(1);
    });

    it("nearDuplicateListing flags another owner's copy once approved", async () => {
      const a = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const b = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const first = await as(a)("POST", "/v1/listings", pvRecyclingSupply());
      await as(reviewer)("POST", `/v1/listings/${first.body.id}/review`, { approved: true });
      const copy = await as(b)("POST", "/v1/listings", pvRecyclingSupply());
      await as(reviewer)("POST", `/v1/listings/${copy.body.id}/review`, { approved: true });
      const alert = (await operator()("GET", "/v1/risk/alerts?rule=nearDuplicateListing")).body.alerts.find(
        (x: any) => x.evidence.objects.listingId === copy.body.id,
      );
      expect(alert).toBeDefined();
      expect(alert.outcome).toBe("flagged");
      expect(alert.evidence.facts.similarity).toBeGreaterThanOrEqual(0.8);
      expect(alert.evidence.facts.threshold).toBe(0.8);
      expect(alert.evidence.facts).toHaveProperty("similarListings");
      expect(alert.evidence.objects).toHaveProperty("similarListingId");
      expect(alert.evidence.recordIds.length).toBeGreaterThan(0);
    });

    it("alerts filter by status and rule", async () => {
      const r = await operator()("GET", "/v1/risk/alerts?status=dismissed&rule=largeDeal");
      expect(r.status).toBe(200);
      expect(r.body.alerts.length).toBeGreaterThan(0);
      for (const a of r.body.alerts) expect([a.status, a.rule]).toEqual(["dismissed", "largeDeal"]);
    });
  });

  describe("more: suspension, deal moves, re-hold", () => {
    it("a suspended party: listed price's acceptance refused 409 COUNTERPARTY_BLACKLISTED; record says suspended", async () => {
      const supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const buyer = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      const supply = await as(supplier)("POST", "/v1/listings", pvRecyclingSupply());
      await as(reviewer)("POST", `/v1/listings/${supply.body.id}/review`, { approved: true });
      const s1 = await operator()("POST", `/v1/users/${supplier.id}/suspension`, {
        suspended: true,
        reason: "Investigation",
      });
      expect(s1.status, JSON.stringify(s1.body)).toBe(200);
      const refused = await as(buyer)("POST", `/v1/listings/${supply.body.id}/accept`);
      expect([refused.status, refused.body.error?.code]).toEqual([409, "COUNTERPARTY_BLACKLISTED"]);
      expect((await operator()("GET", `/v1/users/${supplier.id}/risk-record`)).body).toMatchObject({
        suspended: true,
        blacklisted: false,
      });
    });

    it("flags a running deal's move while a party is blacklisted, one alert per deal and party", async () => {
      const supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
      const buyer = await makeUser(t, { type: "enterprise", roles: ["demander"] });
      const deal = await openDeal(t, supplier, buyer, reviewer);
      const added = await operator()("POST", "/v1/risk/blacklist", { kind: "user", value: buyer.id, reason: "Fraud" });
      await as(buyer)("POST", `/v1/deals/${deal.id}/moves`, { move: "begin_negotiation" });
      await as(buyer)("POST", `/v1/deals/${deal.id}/moves`, { move: "begin_investigation" });
      const find = async () =>
        (await operator()("GET", "/v1/risk/alerts?rule=blacklist")).body.alerts.filter(
          (x: any) => x.evidence.objects.dealId === deal.id,
        );
      const flagged = await eventually(async () => ((await find()).length ? await find() : undefined), 5000, "alert");
      await new Promise((r) => setTimeout(r, 300));
      expect(await find()).toHaveLength(1);
      expect(flagged[0]).toMatchObject({
        outcome: "flagged",
        userIds: [buyer.id],
        evidence: { objects: { dealId: deal.id, userId: buyer.id, blacklistEntryId: added.body.id } },
      });
      expect(flagged[0].evidence.recordIds.length).toBeGreaterThan(0);
      const rec = await as(manager)("GET", `/v1/users/${supplier.id}/risk-record`);
      expect(rec.body.deals).toEqual({ total: 1, completed: 0, cancelled: 0, inProgress: 1 });
      const cp = await as(supplier)("GET", `/v1/matches/${(deal as any).matchId}/counterparty-record`);
      expect(cp.body.deals).toMatchObject({ total: 1, inProgress: 1 });
      await operator()("POST", `/v1/risk/blacklist/${added.body.id}/removal`, { reason: "Cleared" });
    });

    it("an approval covers the held total; a later proposal above it is held again", async () => {
      await writeRules((r) => {
        r.rules.largeDeal.amountAbove = { CNY: 1000 };
      });
      try {
        const buyer = await makeUser(t, { type: "enterprise", roles: ["demander"] });
        const deal = await openDeal(t, await makeUser(t, { type: "institute", roles: ["supplier"] }), buyer, reviewer);
        expect((await as(buyer)("POST", `/v1/deals/${deal.id}/terms`, terms(100_000))).status).toBe(409);
        expect((await as(manager)("POST", `/v1/deals/${deal.id}/risk-approval`, { reason: "ok" })).status).toBe(201);
        const lower = await as(buyer)("POST", `/v1/deals/${deal.id}/terms`, terms(90_000));
        expect(lower.status, JSON.stringify(lower.body)).toBe(201);
        const higher = await as(buyer)("POST", `/v1/deals/${deal.id}/terms`, terms(200_000));
        expect([higher.status, higher.body.error?.code]).toEqual([409, "DEAL_APPROVAL_REQUIRED"]);
      } finally {
        await writeRules(() => {});
      }
    });

    it("counterparty-record of a match that does not exist: 403 NOT_A_PARTY", async () => {
      const r = await as(supplierRole)("GET", `/v1/matches/mat_${"0".repeat(24)}/counterparty-record`);
      expect([r.status, r.body.error?.code]).toEqual([403, "NOT_A_PARTY"]);
    });
  });
});
