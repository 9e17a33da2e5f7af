import { JsonRpcProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayClient, type InboxNotification } from "../../../sdk";
import { DealEscrow__factory } from "../../../sdk/typechain/factories/contracts/DealEscrow__factory";
import { Reminders } from "../../../gateway/notifications/reminders";
import { agreeTerms, certifiedOnChain, move, openDeal, signedBankClient } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const CONTRACT_PDF = Buffer.from("%PDF-1.4\n% technology transfer contract, notifications\n%%EOF\n");
const DAY = 86_400;
const HOUR = 3600;
const inDays = (days: number) => new Date(Date.now() + days * DAY * 1000).toISOString();
const MILESTONES = 4;
const M = { inspection: 0, changes: 1, dispute: 2 } as const;

/** Escrow events reach the parties (inbox), and reminders go out once, an hour before a deadline on the escrow's clock. */
describe("deal notifications from the escrow: deliveries, changes, instructions, disputes, and reminders before deadlines", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let arbitrator: TestUser;
  let deal: { id: string; price?: { amount: number; currency: string } };
  let credentials: { keyId: string; secret: string };
  let provider: JsonRpcProvider;
  let amounts: number[];
  let currency: string;
  const inboxOf = async (user: TestUser) =>
    (await createGatewayClient({ baseUrl: t.url, token: user.token }).getInbox({ limit: 200 })).notifications;
  const notified = (user: TestUser, match: (n: InboxNotification) => boolean, what: string) =>
    eventually(async () => (await inboxOf(user)).find(match), 15_000, `${what} for ${user.id}`);
  const pendingKeys = async () => (await t.platform.reminders.pending()).map((r) => r.key);
  const escrowClock = async () => Number(await t.platform.chain.escrow.clock());

  async function lock(m: number) {
    const asBank = signedBankClient(t.url, () => credentials);
    const report = await asBank("POST", "/v1/bank/deposits", {
      dealId: deal.id,
      milestone: m,
      currency,
      amount: amounts[m],
      bankRef: `REF-NTF-${m}`,
    });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    const [id, milestone, code, deposited, bankRef] = report.body.attest.args as [
      string,
      number,
      string,
      number,
      string,
    ];
    const escrow = DealEscrow__factory.connect(t.deployment.escrow!, new Wallet(t.bankKey, provider));
    await (await escrow.lockDeposit(id, milestone, code, deposited, bankRef, { gasPrice: 0, type: 0 })).wait();
    await t.platform.escrowEvents.catchUp();
  }

  /** The bank reports the milestone's open instruction settled, then attests it on the escrow with its own key. */
  async function settle(m: number) {
    const asBank = signedBankClient(t.url, () => credentials);
    const instruction = await eventually(async () => {
      const { instructions } = (await asBank("GET", "/v1/bank/instructions")).body;
      return (instructions as Array<{ id: string; dealId: string; milestone: number }>).find(
        (i) => i.dealId === deal.id && i.milestone === m,
      );
    });
    const report = await asBank("POST", `/v1/bank/instructions/${instruction.id}/status`, {
      status: "settled",
      bankRef: `REL-NTF-${m}`,
    });
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const { function: name, args } = report.body.attest as { function: string; args: unknown[] };
    const escrow = DealEscrow__factory.connect(t.deployment.escrow!, new Wallet(t.bankKey, provider));
    const send = escrow.getFunction(name);
    await (await send(...args, { gasPrice: 0, type: 0 })).wait();
    await t.platform.escrowEvents.catchUp();
  }

  async function advanceChain(seconds: number) {
    await provider.send("evm_increaseTime", [seconds]);
    await provider.send("evm_mine", []);
  }

  beforeAll(async () => {
    t = await startTestPlatform({ reminders: { leadSeconds: HOUR, pollMs: 100 } });
    provider = new JsonRpcProvider(t.chain.rpcUrl, undefined, { cacheTimeout: -1 });
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    arbitrator = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    deal = await openDeal(t, supplier, demander, reviewer);
    await certifiedOnChain(t, supplier, demander);
    credentials = await t.platform.credentials.createSigningKey({ label: "test bank", roles: ["bank"] });
    const total = deal.price?.amount ?? 4_000_000;
    currency = deal.price?.currency ?? "CNY";
    const share = Math.floor(total / MILESTONES);
    amounts = Array.from({ length: MILESTONES }, (_, i) => (i === MILESTONES - 1 ? total - share * i : share));
    await agreeTerms(t, deal, supplier, demander, {
      contract: { name: "contract.pdf", mediaType: "application/pdf", contentBase64: CONTRACT_PDF.toString("base64") },
      currency,
      total,
      milestones: amounts.map((amount, i) => ({ title: `Milestone ${i}`, amount, deliverBy: inDays(30) })),
      arbitratorId: arbitrator.id,
      inspectionPeriodSeconds: DAY,
      gracePeriodSeconds: DAY,
      maxChangeRounds: 2,
      rulingPeriodSeconds: 7 * DAY,
      appealWindowSeconds: HOUR,
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("tells both parties the terms are on chain work, and keeps a reminder of each milestone's delivery date", async () => {
    await notified(demander, (n) => n.kind === "escrow.terms", "the terms proposed or signed");
    const keys = await eventually(
      async () => ((await pendingKeys()).length >= MILESTONES ? pendingKeys() : undefined),
      10_000,
      "the delivery reminders",
    );
    for (let m = 0; m < MILESTONES; m++) expect(keys).toContain(`${deal.id}:${m}:deliver`);
    const reminder = (await t.platform.reminders.pending()).find((r) => r.key === `${deal.id}:0:deliver`)!;
    expect(reminder).toMatchObject({ clock: "escrow", userIds: [supplier.id] });
    expect(reminder.dueAt).toBe(Math.floor(Date.parse(reminder.deadline) / 1000) - HOUR);
  });

  it("tells the demander of a delivery with its inspection deadline, and reminds them once an hour before it lapses", async () => {
    const m = M.inspection;
    await lock(m);
    await notified(supplier, (n) => n.kind === "escrow.milestone" && n.milestone === m, "the deposit locked");
    const delivered = await move(t, supplier, deal.id, m, "deliver", { statement: { text: "Process package v1" } });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    const notice = await notified(
      demander,
      (n) => n.kind === "delivery.submitted" && n.milestone === m,
      "the delivery",
    );
    const inspectionEnds = new Date(delivered.body.milestone.timer * 1000).toISOString();
    expect(notice).toMatchObject({ dealId: deal.id, deadline: inspectionEnds, link: `/v1/deals/${deal.id}/escrow` });
    expect(notice.text).toContain(inspectionEnds);
    expect(
      (await inboxOf(supplier)).some((n) => n.kind === "delivery.submitted"),
      "not the one who delivered",
    ).toBe(false);
    await t.platform.dealNotices.idle();
    const keys = await pendingKeys();
    expect(keys).toContain(`${deal.id}:${m}:inspection`);
    expect(keys, "the delivery date's reminder is struck off once delivered").not.toContain(`${deal.id}:${m}:deliver`);

    // Not yet: two hours before the end.
    await advanceChain(delivered.body.milestone.timer - (await escrowClock()) - 2 * HOUR);
    t.platform.reminders.poke();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await inboxOf(demander)).filter((n) => n.kind === "reminder.deadline")).toEqual([]);

    // Within the hour before it lapses: once.
    await advanceChain(HOUR + 60);
    const reminded = await notified(
      demander,
      (n) => n.kind === "reminder.deadline" && n.milestone === m,
      "the inspection reminder",
    );
    expect(reminded).toMatchObject({ dealId: deal.id, deadline: inspectionEnds });
    await advanceChain(60);
    t.platform.reminders.poke();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const reminders = (await inboxOf(demander)).filter((n) => n.kind === "reminder.deadline" && n.milestone === m);
    expect(reminders, "sent once").toHaveLength(1);
    expect(await pendingKeys()).not.toContain(`${deal.id}:${m}:inspection`);
  });

  it("tells the supplier of a change request and of the acceptance, both parties of the instruction, and drops the inspection reminder", async () => {
    const m = M.changes;
    await lock(m);
    await move(t, supplier, deal.id, m, "deliver", { statement: { text: "Yield tables v1" } });
    await t.platform.dealNotices.idle();
    expect(await pendingKeys()).toContain(`${deal.id}:${m}:inspection`);
    const changes = await move(t, demander, deal.id, m, "request-changes", {
      statement: { text: "The yield table is missing for 450 °C" },
    });
    expect(changes.status, JSON.stringify(changes.body)).toBe(200);
    const asked = await notified(
      supplier,
      (n) => n.kind === "delivery.changes-requested" && n.milestone === m,
      "the change request",
    );
    expect(asked.dealId).toBe(deal.id);
    await t.platform.dealNotices.idle();
    expect(await pendingKeys(), "the inspection ended early").not.toContain(`${deal.id}:${m}:inspection`);

    await move(t, supplier, deal.id, m, "deliver", { statement: { text: "Yield tables v2" } });
    const accepted = await move(t, demander, deal.id, m, "accept");
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await notified(supplier, (n) => n.kind === "delivery.accepted" && n.milestone === m, "the acceptance");
    for (const party of [supplier, demander]) {
      const instruction = await notified(
        party,
        (n) => n.kind === "escrow.instruction" && n.milestone === m,
        "the instruction",
      );
      expect(instruction.text).toContain("release");
    }
    await t.platform.dealNotices.idle();
    expect((await pendingKeys()).filter((key) => key.startsWith(`${deal.id}:${m}:`))).toEqual([]);

    // The bank pays and attests it on the escrow: the deal's people hear of the release.
    await settle(m);
    const released = await notified(demander, (n) => n.kind === "escrow.released" && n.milestone === m, "the release");
    expect(released.text).toContain(`${(amounts[m] / 100).toFixed(2)} ${currency}`);
    await notified(supplier, (n) => n.kind === "escrow.released" && n.milestone === m, "the release");
  });

  it("tells the arbitrator of a dispute, and reminds them of the ruling deadline once, across a restart of the reminders", async () => {
    const m = M.dispute;
    await lock(m);
    await move(t, demander, deal.id, m, "open-dispute", { statement: { text: "Nothing was delivered" } });
    for (const user of [arbitrator, supplier]) {
      await notified(user, (n) => n.kind === "dispute.opened" && n.milestone === m, "the dispute");
    }
    const escalated = await move(t, supplier, deal.id, m, "escalate");
    expect(escalated.status, JSON.stringify(escalated.body)).toBe(200);
    const notice = await notified(arbitrator, (n) => n.kind === "dispute.escalated", "the escalation");
    await t.platform.dealNotices.idle();
    const pending = (await t.platform.reminders.pending()).find((r) => r.key === `${deal.id}:${m}:ruling`);
    expect(pending).toMatchObject({ userIds: [arbitrator.id], deadline: notice.deadline, clock: "escrow" });

    // The gateway stops before the reminder is due; a new one, on the same store, sends it.
    await t.platform.reminders.stop();
    await advanceChain(Math.floor(Date.parse(notice.deadline!) / 1000) - (await escrowClock()) - HOUR + 60);
    const restarted = new Reminders(t.platform.tables.notifications, t.platform.notifier, escrowClock, {
      leadSeconds: HOUR,
      pollMs: 100,
    });
    restarted.start();
    try {
      const reminded = await notified(
        arbitrator,
        (n) => n.kind === "reminder.deadline" && n.milestone === m,
        "the ruling reminder",
      );
      expect(reminded.text).toContain("ruling");
    } finally {
      await restarted.stop();
    }
    t.platform.reminders.start();
    t.platform.reminders.poke();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      (await inboxOf(arbitrator)).filter((n) => n.kind === "reminder.deadline" && n.milestone === m),
      "sent once",
    ).toHaveLength(1);

    // The ruling: the parties hear of it, and of the appeal window (an hour, no longer than the lead) halfway through.
    const half = Math.floor(amounts[m] / 2);
    const ruled = await move(t, arbitrator, deal.id, m, "rule", {
      statement: { text: "Half each" },
      release: half,
      refund: amounts[m] - half,
    });
    expect(ruled.status, JSON.stringify(ruled.body)).toBe(200);
    const ruling = await notified(demander, (n) => n.kind === "dispute.ruled" && n.milestone === m, "the ruling");
    await t.platform.dealNotices.idle();
    const appeal = (await t.platform.reminders.pending()).find((r) => r.key === `${deal.id}:${m}:appeal`)!;
    expect(appeal).toMatchObject({ deadline: ruling.deadline, userIds: [supplier.id, demander.id] });
    expect(Math.floor(Date.parse(ruling.deadline!) / 1000) - appeal.dueAt).toBeGreaterThanOrEqual(HOUR / 2 - 1);
    expect(await pendingKeys(), "the ruling ended the ruling deadline").not.toContain(`${deal.id}:${m}:ruling`);
    await advanceChain(HOUR / 2 + 60);
    for (const party of [supplier, demander]) {
      await notified(party, (n) => n.kind === "reminder.deadline" && n.milestone === m, "the appeal reminder");
    }
  });
});
