import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { encodeBytes32String, JsonRpcProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "../../sdk";
import { DealEscrow__factory } from "../../sdk/typechain/factories/contracts/DealEscrow__factory";
import {
  agreeTerms,
  bankFolder,
  certifiedOnChain,
  move,
  openDeal,
  runBank,
  serveBank,
  signedBankClient,
} from "../helpers/escrow";
import { makeUser, type TestUser } from "../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../helpers/platform";

const CONTRACT_PDF = Buffer.from("%PDF-1.4\n% technology transfer contract\n%%EOF\n");
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Instruction {
  id: string;
  dealId: string;
  milestone: number;
  attempt: number;
  kind: string;
  release: number;
  refund: number;
  bankStatus: string;
  chainStatus: string;
  bankRef?: string;
  reason?: string;
  version: number;
}

interface BankBooks {
  webhooks: string[];
  payments: Record<string, { bankRef: string; release: number; refund: number; currency: string }>;
}

/**
 * The bank's faults, end to end: the gateway and the bank client (its own
 * process, `serveBank`) on one deal of four milestones: m0 rejected once then
 * reissued, m2 reported but never locked, m3 locked on chain without a report
 * and then paid while the bank was down.
 */
describe("a bank that rejects, repeats, contradicts, skips reports and goes down", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let bankDir: string;
  let bank: Awaited<ReturnType<typeof serveBank>>;
  let deal: { id: string; price?: { amount: number; currency: string } };
  let credentials: { keyId: string; secret: string };
  let amounts: number[];
  let currency: string;
  const as = (user?: TestUser) => client(t.url, user?.token);

  /** A signed bank request, as a bank system sends it. */
  const asBank = (method: string, pathname: string, body?: unknown, key?: string) =>
    signedBankClient(t.url, () => credentials)(method, pathname, body, key);
  const milestoneOf = async (index: number) =>
    (await as(demander)("GET", `/v1/deals/${deal.id}/escrow`)).body.milestones[index];
  const instructionsOf = async (milestone: number): Promise<Instruction[]> =>
    (await asBank("GET", "/v1/bank/instructions?status=all")).body.instructions.filter(
      (i: Instruction) => i.dealId === deal.id && i.milestone === milestone,
    );
  const books = async (): Promise<BankBooks> =>
    JSON.parse(await readFile(path.join(bankDir, "bank-client", "ledger.json"), "utf8"));
  const paymentsOf = async (milestone: number) =>
    Object.entries((await books()).payments).filter(([id]) => id.startsWith(`${deal.id}.m${milestone}.`));
  const reconciliation = async () => {
    const answer = await asBank("GET", "/v1/bank/reconciliation");
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body as { breaks: Array<{ code: string; dealId: string; milestone?: number; detail: string }> };
  };
  /** Waits for the milestone to reach `state`, showing the bank's output when it does not. */
  const reaches = (index: number, state: string, timeoutMs = 40_000) =>
    eventually(
      async () => {
        const m = await milestoneOf(index);
        return m.state === state ? m : undefined;
      },
      timeoutMs,
      `milestone ${index} ${state}`,
    ).catch(async (error) => {
      throw new Error(
        `${error.message}; milestone ${JSON.stringify(await milestoneOf(index))}; the bank said:\n${bank.output()}`,
      );
    });
  const deliverAndAccept = async (index: number) => {
    const delivered = await move(t, supplier, deal.id, index, "deliver", {
      statement: { text: `Deliverable of milestone ${index}` },
    });
    expect(delivered.status, `deliver m${index}: ${JSON.stringify(delivered.body)}`).toBe(200);
    const accepted = await move(t, demander, deal.id, index, "accept");
    expect(accepted.status, `accept m${index}: ${JSON.stringify(accepted.body)}`).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestPlatform({
      anchoring: { maxAgeMs: 100 },
      // The bank client listens on loopback, which webhooks reach only when the operator allows it.
      webhooks: { minBackoffMs: 100, maxBackoffMs: 1000, pollMs: 50, timeoutMs: 2000, allowedHosts: ["127.0.0.1"] },
    });
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    const arbitrator = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    deal = await openDeal(t, supplier, demander, reviewer);
    await certifiedOnChain(t, supplier, demander);
    const total = deal.price?.amount ?? 120_000_000;
    currency = deal.price?.currency ?? "CNY";
    const quarter = Math.floor(total / 4);
    amounts = [quarter, quarter, quarter, total - 3 * quarter];
    await agreeTerms(t, deal, supplier, demander, {
      contract: { name: "contract.pdf", mediaType: "application/pdf", contentBase64: CONTRACT_PDF.toString("base64") },
      currency,
      total,
      milestones: amounts.map((amount, i) => ({ title: `Milestone ${i}`, amount, deliverBy: inDays(30 + i) })),
      arbitratorId: arbitrator.id,
      inspectionPeriodSeconds: 7 * 86400,
      rulingPeriodSeconds: 14 * 86400,
      appealWindowSeconds: 0,
    });
    bankDir = await bankFolder(t);
    credentials = JSON.parse(await readFile(path.join(bankDir, "bank-credentials.json"), "utf8"));
    bank = await serveBank(t, bankDir, ["--reject-first", "AC04"]);
  }, 120_000);
  afterAll(async () => {
    await bank?.stop();
    await t?.close();
    if (bankDir) await rm(bankDir, { recursive: true, force: true });
  });

  it("keeps the money locked when the bank rejects a payment (AC04), and pays once after the operator reissues it", async () => {
    const deposited = await runBank(t, bankDir, [
      "deposit",
      "--deal",
      deal.id,
      "--milestone",
      "0",
      "--amount",
      String(amounts[0]),
      "--currency",
      currency,
    ]);
    expect(deposited.code, deposited.stderr + deposited.stdout).toBe(0);
    await reaches(0, "locked");
    await deliverAndAccept(0);

    const rejected = await eventually(
      async () => (await instructionsOf(0)).find((i) => i.chainStatus === "failed"),
      30_000,
      "the first instruction failed on chain",
    ).catch(async (error) => {
      throw new Error(`${error.message}; the bank said:\n${bank.output()}`);
    });
    expect(rejected, "the rejected instruction").toMatchObject({
      attempt: 1,
      kind: "release",
      bankStatus: "rejected",
      chainStatus: "failed",
      reason: "AC04",
      release: amounts[0],
    });
    expect(bank.output(), "the bank logged its rejection").toContain("rejected (AC04)");
    // Two pulls of the bank client (every 2 s) later, still nothing moved.
    await sleep(4500);
    const held = await milestoneOf(0);
    expect(held, "the money stays locked after the rejection").toMatchObject({
      state: "releasing",
      locked: amounts[0],
      released: 0,
      instructionFailed: true,
    });
    expect(await paymentsOf(0), "the bank paid nothing for a rejected instruction").toEqual([]);
    const pending = (await asBank("GET", "/v1/bank/instructions")).body.instructions as Instruction[];
    expect(
      pending.map((i) => i.id),
      "a rejected payment is off the pull list",
    ).not.toContain(rejected.id);

    const notOperator = await as(demander)("POST", `/v1/deals/${deal.id}/milestones/0/reissue`);
    expect(notOperator.status, "only the operator reissues").toBe(403);
    const reissued = await client(t.url, t.token)("POST", `/v1/deals/${deal.id}/milestones/0/reissue`, undefined, {
      "idempotency-key": `reissue-${deal.id}-0`,
    });
    expect(reissued.status, JSON.stringify(reissued.body)).toBe(200);
    expect(reissued.body.milestone.instructionFailed, "the reissue clears the failure").toBe(false);

    const released = await reaches(0, "released");
    expect(released, "the milestone is released in full").toMatchObject({ locked: amounts[0], released: amounts[0] });
    // The escrow view reads the chain; the gateway's copy follows once it ingested the release.
    const all = await eventually(
      async () => {
        const found = await instructionsOf(0);
        return found.some((i) => i.chainStatus === "confirmed") ? found : undefined;
      },
      20_000,
      "the reissued instruction confirmed in the gateway",
    );
    expect(all.length, "two instructions for the milestone: the rejected one and its reissue").toBe(2);
    const second = all.find((i) => i.id !== rejected.id)!;
    expect(second, "the reissued instruction was paid and confirmed").toMatchObject({
      kind: "release",
      bankStatus: "settled",
      chainStatus: "confirmed",
      release: amounts[0],
      refund: 0,
    });
    expect(second.attempt, "the reissue is a later attempt").toBeGreaterThan(1);
    expect(
      (await instructionsOf(0)).find((i) => i.id === rejected.id),
      "the first stays failed",
    ).toMatchObject({
      bankStatus: "rejected",
      chainStatus: "failed",
    });
    const payments = await paymentsOf(0);
    expect(payments.length, `exactly one payment for milestone 0: ${JSON.stringify(payments)}`).toBe(1);
    expect(payments[0][0], "paid under the reissued instruction").toBe(second.id);
    expect(payments[0][1], "the payment's amounts and reference").toMatchObject({
      release: amounts[0],
      refund: 0,
      bankRef: second.bankRef,
    });
  });

  it("numbers the first reissue attempt 2", async () => {
    const second = (await instructionsOf(0)).find((i) => i.chainStatus === "confirmed");
    if (!second) throw new Error("set-up: the reissued instruction is not confirmed (see the test before)");
    expect(second!.attempt, "the reissued instruction's attempt").toBe(2);
    expect(second!.id, "the reissued instruction's id").toBe(`${deal.id}.m0.release.2`);
  });

  it("answers a repeated final report as before and refuses contradicting or late ones", async () => {
    const [rejected, settled] = (await instructionsOf(0)).sort((a, b) => a.attempt - b.attempt);
    const statusPath = (id: string) => `/v1/bank/instructions/${encodeURIComponent(id)}/status`;

    const again = await asBank("POST", statusPath(settled.id), { status: "settled", bankRef: settled.bankRef });
    expect(again.status, `a repeated settled: ${JSON.stringify(again.body)}`).toBe(200);
    expect(again.body.instruction, "answered with the same instruction, unchanged").toEqual(settled);
    expect(again.body.attest, "nothing left to attest on a confirmed instruction").toBeUndefined();

    const otherRef = await asBank("POST", statusPath(settled.id), { status: "settled", bankRef: "OTHER-REF-1" });
    expect([otherRef.status, otherRef.body.error?.code], "settled with another reference").toEqual([
      409,
      "INSTRUCTION_FINISHED",
    ]);
    const late = await asBank("POST", statusPath(settled.id), { status: "accepted" });
    expect([late.status, late.body.error?.code], "accepted after settled").toEqual([409, "INSTRUCTION_FINISHED"]);
    const rejectedLate = await asBank("POST", statusPath(settled.id), { status: "rejected", reason: "AM04" });
    expect([rejectedLate.status, rejectedLate.body.error?.code], "rejected after settled").toEqual([
      409,
      "INSTRUCTION_FINISHED",
    ]);

    const rejectedAgain = await asBank("POST", statusPath(rejected.id), { status: "rejected", reason: "AC04" });
    expect(rejectedAgain.status, "a repeated rejection").toBe(200);
    expect(rejectedAgain.body.instruction.version, "the repeat changes nothing").toBe(rejected.version);
    const settledAfterRejected = await asBank("POST", statusPath(rejected.id), {
      status: "settled",
      bankRef: "LATE-PAY-1",
    });
    expect([settledAfterRejected.status, settledAfterRejected.body.error?.code], "settled after rejected").toEqual([
      409,
      "INSTRUCTION_FINISHED",
    ]);
    expect(await instructionsOf(0), "nothing changed by the refused reports").toEqual(
      expect.arrayContaining([rejected, settled]),
    );
  });

  it("refuses an Idempotency-Key reused on another instruction instead of replaying the first one's answer", async () => {
    const [rejected, settled] = (await instructionsOf(0)).sort((a, b) => a.attempt - b.attempt);
    const statusPath = (id: string) => `/v1/bank/instructions/${encodeURIComponent(id)}/status`;
    const report = { status: "rejected", reason: "AC04" };
    const key = `status-reuse-${deal.id}`;
    const first = await asBank("POST", statusPath(rejected.id), report, key);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    // The same key and body on another instruction: before keys were scoped to their request,
    // this answered 200 with the first instruction's answer and Idempotent-Replayed: true.
    const elsewhere = await asBank("POST", statusPath(settled.id), report, key);
    expect([elsewhere.status, elsewhere.body.error?.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    expect(elsewhere.body.error.message).toContain(statusPath(rejected.id));
    expect(elsewhere.headers.get("idempotent-replayed")).toBeNull();
    const retried = await asBank("POST", statusPath(rejected.id), report, key);
    expect([retried.status, retried.headers.get("idempotent-replayed")]).toEqual([200, "true"]);
    expect((await instructionsOf(0)).find((i) => i.id === settled.id)).toEqual(settled);
  });

  it("answers a retried deposit report with the same deposit, and refuses a reused key or a second deposit", async () => {
    const report = { dealId: deal.id, milestone: 2, currency, amount: amounts[2], bankRef: "DEP-NOLOCK-1" };
    const key = `deposit-${deal.id}-m2`;
    const first = await asBank("POST", "/v1/bank/deposits", report, key);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.attest, "the lock to attest").toMatchObject({ function: "lockDeposit" });
    const retried = await asBank("POST", "/v1/bank/deposits", report, key);
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(retried.body.deposit.id, "the retry answers the same deposit").toBe(first.body.deposit.id);
    expect(retried.headers.get("idempotent-replayed"), "marked as a replayed answer").toBe("true");

    const otherBody = await asBank("POST", "/v1/bank/deposits", { ...report, amount: amounts[2] + 1 }, key);
    expect([otherBody.status, otherBody.body.error?.code], "the same key with another body").toEqual([
      422,
      "IDEMPOTENCY_KEY_REUSED",
    ]);
    const second = await asBank("POST", "/v1/bank/deposits", { ...report, bankRef: "DEP-NOLOCK-2" }, `${key}-second`);
    expect([second.status, second.body.error?.code], "a second deposit for the milestone").toEqual([
      409,
      "DEPOSIT_ALREADY_REPORTED",
    ]);
    const deposit = await asBank("GET", `/v1/bank/deposits/${first.body.deposit.id}`);
    expect(deposit.body.deposit, "one deposit, reported, not locked").toMatchObject({
      amount: amounts[2],
      bankRef: "DEP-NOLOCK-1",
      status: "reported",
    });
    expect((await milestoneOf(2)).state, "nothing locked on chain").toBe("pending");
  });

  it("refuses a replayed signed request", async () => {
    const pathname = "/v1/bank/instructions";
    const headers = signRequest({ ...credentials, method: "GET", path: pathname, body: "" });
    const first = await client(t.url)("GET", pathname, undefined, headers);
    expect(first.status, "the first sending").toBe(200);
    const replayed = await client(t.url)("GET", pathname, undefined, headers);
    expect([replayed.status, replayed.body.error?.code], "the same request id again").toEqual([
      401,
      "REQUEST_REPLAYED",
    ]);

    // A short deposit: the first sending is handled (and refused for its amount), leaving nothing behind.
    const body = JSON.stringify({ dealId: deal.id, milestone: 1, currency, amount: 1, bankRef: "DEP-RPL-1" });
    const write = {
      ...signRequest({ ...credentials, method: "POST", path: "/v1/bank/deposits", body }),
      "idempotency-key": `replay-${deal.id}`,
    };
    const handled = await client(t.url)("POST", "/v1/bank/deposits", body, write);
    expect([handled.status, handled.body.error?.code], "the first sending reaches the service").toEqual([
      422,
      "DEPOSIT_BELOW_AMOUNT",
    ]);
    const replayedWrite = await client(t.url)("POST", "/v1/bank/deposits", body, write);
    expect([replayedWrite.status, replayedWrite.body.error?.code], "a replayed write, even with its key").toEqual([
      401,
      "REQUEST_REPLAYED",
    ]);
  });

  it("shows REPORTED_NOT_LOCKED for a deposit never locked and LOCKED_NOT_REPORTED for a lock never reported", async () => {
    const provider = new JsonRpcProvider(t.chain.rpcUrl, undefined, { cacheTimeout: -1 });
    try {
      const escrow = DealEscrow__factory.connect(t.deployment.escrow!, new Wallet(t.bankKey, provider));
      const agreement = (await as(demander)("GET", `/v1/deals/${deal.id}/escrow`)).body;
      const tx = await escrow.lockDeposit(
        agreement.chainDealId,
        3,
        `0x${Buffer.from(currency, "ascii").toString("hex")}`,
        amounts[3],
        encodeBytes32String("DIRECT-LOCK-1"),
        { gasPrice: 0, type: 0 },
      );
      await tx.wait();
    } finally {
      provider.destroy();
    }
    await reaches(3, "locked");
    const statement = await eventually(
      async () => {
        const answer = await reconciliation();
        return answer.breaks.some((b) => b.code === "LOCKED_NOT_REPORTED") ? answer : undefined;
      },
      20_000,
      "the lock ingested into the reconciliation",
    );
    const ours = statement.breaks.filter((b) => b.dealId === deal.id);
    expect(ours.map((b) => [b.code, b.milestone]).sort(), `exactly the two breaks: ${JSON.stringify(ours)}`).toEqual(
      [
        ["LOCKED_NOT_REPORTED", 3],
        ["REPORTED_NOT_LOCKED", 2],
      ].sort(),
    );
    expect(ours.find((b) => b.code === "LOCKED_NOT_REPORTED")!.detail).toContain("DIRECT-LOCK-1");
    expect(ours.find((b) => b.milestone === 2)!.detail).toContain("DEP-NOLOCK-1");
  });

  it("keeps an instruction for a bank that is down, logs the failed deliveries, and pays once when it is back", async () => {
    await eventually(
      async () => ((await t.platform.webhooks.undelivered()).length === 0 ? true : undefined),
      20_000,
      "every webhook so far delivered",
    );
    await bank.stop();
    const downUrl = (await asBank("GET", "/v1/bank/webhook/deliveries")).body.endpoint;
    await deliverAndAccept(3);
    const instructionId = await eventually(
      async () => (await instructionsOf(3)).find((i) => i.chainStatus === "issued")?.id,
      20_000,
      "the instruction for milestone 3",
    );
    const log = await eventually(
      async () => {
        const answer = await asBank("GET", "/v1/bank/webhook/deliveries");
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        const waiting = answer.body.waiting.find(
          (m: { payload: { instruction?: { id: string } } }) => m.payload.instruction?.id === instructionId,
        );
        const failed = waiting
          ? answer.body.attempts.filter((a: { messageId: string }) => a.messageId === waiting.id)
          : [];
        return failed.length >= 3 ? { waiting, failed } : undefined;
      },
      20_000,
      "three failed deliveries of the instruction",
    );
    expect(log.waiting.type, "the instruction waits in the outbox").toBe("instruction.issued");
    expect(log.waiting.deliveredAt, "not delivered").toBeUndefined();
    for (const attempt of log.failed) {
      expect(attempt, `attempt ${attempt.attempt}: to the old endpoint, with an error and no status`).toMatchObject({
        url: downUrl,
        error: expect.any(String),
      });
      expect(attempt.status, `attempt ${attempt.attempt} got no answer`).toBeUndefined();
    }
    expect((await milestoneOf(3)).state, "the money waits for the bank").toBe("releasing");
    expect(
      ((await asBank("GET", "/v1/bank/instructions")).body.instructions as Instruction[]).map((i) => i.id),
      "the instruction is on the pull list",
    ).toContain(instructionId);

    bank = await serveBank(t, bankDir);
    const released = await reaches(3, "released");
    expect(released, "released in full once the bank is back").toMatchObject({
      locked: amounts[3],
      released: amounts[3],
    });
    const payments = await paymentsOf(3);
    expect(payments.length, `exactly one payment for milestone 3: ${JSON.stringify(payments)}`).toBe(1);
    expect(payments[0][0]).toBe(instructionId);
    const delivered = await eventually(
      async () => {
        const answer = (await asBank("GET", "/v1/bank/webhook/deliveries")).body;
        const done = answer.attempts.find(
          (a: { messageId: string; status?: number }) => a.messageId === log.waiting.id && a.status === 204,
        );
        return done ? { answer, done } : undefined;
      },
      20_000,
      "the waiting webhook delivered to the new endpoint",
    );
    expect(delivered.answer.endpoint, "the bank registered a new endpoint").not.toBe(downUrl);
    expect(delivered.done.url, "delivered to the new endpoint").toBe(delivered.answer.endpoint);
    expect(
      delivered.answer.waiting.map((m: { id: string }) => m.id),
      "nothing for the instruction waits any more",
    ).not.toContain(log.waiting.id);
    expect((await paymentsOf(3)).length, "the late webhook paid nothing more").toBe(1);
  });
});
