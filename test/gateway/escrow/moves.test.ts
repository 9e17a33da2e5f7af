import { JsonRpcProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ESCROW_ACTION_TYPES, ESCROW_ACTIONS, statementDigest, ZERO_HASH, type EscrowActionName } from "../../../sdk";
import { DealEscrow__factory } from "../../../sdk/typechain/factories/contracts/DealEscrow__factory";
import { agreeTerms, certifiedOnChain, move, openDeal, signedBankClient } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const CONTRACT_PDF = Buffer.from("%PDF-1.4\n% technology transfer contract, ten milestones\n%%EOF\n");
const DAY = 86_400;
const inDays = (days: number) => new Date(Date.now() + days * DAY * 1000).toISOString();

/** The milestones of the one deal, each for one behaviour. */
const M = {
  cancelPending: 0,
  cancelFunded: 1,
  changes: 2,
  appeal: 3,
  finalize: 4,
  lapsedInspection: 5,
  lateDelivery: 6,
  cancelTwoAtOnce: [7, 8],
  cancelBothAtOnce: 9,
} as const;
const MILESTONES = 10;

const PERIODS = {
  inspectionPeriodSeconds: DAY,
  gracePeriodSeconds: DAY,
  maxChangeRounds: 2,
  rulingPeriodSeconds: 7 * DAY,
  appealWindowSeconds: 3600,
};

interface MoveExtra {
  statement?: { text: string };
  release?: number;
  refund?: number;
}

describe("EscrowMoves through the HTTP API: cancellation, change requests, refusals, appeals, lapsed periods", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let arbitrator: TestUser;
  let stranger: TestUser;
  let deal: { id: string; price?: { amount: number; currency: string } };
  let credentials: { keyId: string; secret: string };
  let provider: JsonRpcProvider;
  let amounts: number[];
  let currency: string;
  const as = (user?: TestUser) => client(t.url, user?.token);

  /** A signed bank request, as a bank system sends it. */
  const asBank = (method: string, pathname: string, body?: unknown, key?: string) =>
    signedBankClient(t.url, () => credentials)(method, pathname, body, key);

  const escrowView = async () => (await as(demander)("GET", `/v1/deals/${deal.id}/escrow`)).body;
  const milestoneOf = async (m: number) => (await escrowView()).milestones[m];

  /** The bank reports the deposit, then attests the answered `lockDeposit` with its own key. */
  async function lock(m: number) {
    const report = await asBank("POST", "/v1/bank/deposits", {
      dealId: deal.id,
      milestone: m,
      currency,
      amount: amounts[m],
      bankRef: `REF-MOVES-${m}`,
    });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    expect(report.body.attest.function).toBe("lockDeposit");
    const [id, milestone, code, deposited, bankRef] = report.body.attest.args as [
      string,
      number,
      string,
      number,
      string,
    ];
    const escrow = DealEscrow__factory.connect(t.deployment.escrow!, new Wallet(t.bankKey, provider));
    const tx = await escrow.lockDeposit(id, milestone, code, deposited, bankRef, { gasPrice: 0, type: 0 });
    await tx.wait();
    await t.platform.escrowEvents.catchUp();
    expect((await milestoneOf(m)).state).toBe("locked");
  }

  /** A `MilestoneAction` signature, with the nonce and data overridable to make bad ones. */
  async function sign(
    user: TestUser,
    m: number,
    action: EscrowActionName,
    extra: MoveExtra = {},
    override: { nonce?: number; data?: string } = {},
  ) {
    const escrow = await escrowView();
    return user.wallet.signTypedData(escrow.actionTypes.domain, ESCROW_ACTION_TYPES, {
      dealId: escrow.chainDealId,
      milestone: m,
      action: ESCROW_ACTIONS[action].action,
      data: override.data ?? (extra.statement ? statementDigest(extra.statement) : ZERO_HASH),
      release: extra.release ?? 0,
      refund: extra.refund ?? 0,
      nonce: override.nonce ?? escrow.milestones[m].nonce,
    });
  }

  const post = (user: TestUser, m: number, body: Record<string, unknown>) =>
    as(user)("POST", `/v1/deals/${deal.id}/milestones/${m}/moves`, body);

  /** The deal's evidence records about milestone `m`, as `kind:move` or `kind:event` (with the record's data). */
  async function recordsOf(m: number) {
    const chain = await client(t.url, t.token)("GET", `/v1/subjects/deal:${deal.id}/evidence`);
    expect(chain.status).toBe(200);
    expect(chain.body.intact).toBe(true);
    const all = await Promise.all(
      (chain.body.records as Array<{ id: string; kind: string }>).map(async (r) => ({
        id: r.id,
        kind: r.kind,
        data: (await t.platform.tables.evidence.records.get(r.id))!.data as Record<string, unknown>,
      })),
    );
    return all
      .filter((r) => r.data.milestone === m)
      .map((r) => ({ ...r, label: `${r.kind}:${String(r.data.move ?? r.data.event ?? r.data.report)}` }));
  }
  const labelsOf = async (m: number) => (await recordsOf(m)).map((r) => r.label);

  /** Moves the chain's clock: anvil's `evm_increaseTime`, then a block at the new time. */
  async function advanceChain(seconds: number) {
    await provider.send("evm_increaseTime", [seconds]);
    await provider.send("evm_mine", []);
  }

  beforeAll(async () => {
    t = await startTestPlatform();
    provider = new JsonRpcProvider(t.chain.rpcUrl, undefined, { cacheTimeout: -1 });
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    arbitrator = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
    stranger = await makeUser(t, { type: "institute", roles: ["supplier"] });
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    deal = await openDeal(t, supplier, demander, reviewer);
    await certifiedOnChain(t, supplier, demander);
    credentials = await t.platform.credentials.createSigningKey({ label: "test bank", roles: ["bank"] });

    // One deal, every milestone agreed now: nothing is proposed once the chain's clock moved.
    const total = deal.price?.amount ?? 7_000_000;
    currency = deal.price?.currency ?? "CNY";
    const share = Math.floor(total / MILESTONES);
    amounts = Array.from({ length: MILESTONES }, (_, i) => (i === MILESTONES - 1 ? total - share * i : share));
    const escrow = await agreeTerms(t, deal, supplier, demander, {
      contract: { name: "contract.pdf", mediaType: "application/pdf", contentBase64: CONTRACT_PDF.toString("base64") },
      currency,
      total,
      milestones: amounts.map((amount, i) => ({ title: `Milestone ${i}`, amount, deliverBy: inDays(2) })),
      arbitratorId: arbitrator.id,
      ...PERIODS,
    });
    expect(escrow.milestones.map((m: { state: string }) => m.state)).toEqual(Array(MILESTONES).fill("pending"));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("cancels an unfunded milestone with both parties' signatures, and refuses a stranger's", async () => {
    const m = M.cancelPending;
    const strangers = await post(stranger, m, { action: "cancel", signature: await sign(stranger, m, "cancel") });
    expect([strangers.status, strangers.body.error.code]).toEqual([403, "NOT_A_PARTY"]);
    const arbitrators = await post(arbitrator, m, { action: "cancel", signature: await sign(arbitrator, m, "cancel") });
    expect([arbitrators.status, arbitrators.body.error.code]).toEqual([403, "WRONG_ACTOR"]);

    const first = await move(t, supplier, deal.id, m, "cancel");
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body).toMatchObject({ waitingFor: "demander", milestone: { state: "pending", nonce: 0 } });
    const second = await move(t, demander, deal.id, m, "cancel");
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.move.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(second.body.milestone).toMatchObject({ state: "cancelled", locked: 0 });
    const { chainDealId } = await escrowView();
    expect((await t.platform.chain.escrow.milestoneOf(chainDealId, m)).state).toBe(13n); // Cancelled

    const records = await recordsOf(m);
    expect(records.map((r) => r.label)).toEqual(
      expect.arrayContaining(["escrow.move:cancel", "escrow.move:cancel", "escrow.event:MilestoneCancelled"]),
    );
    expect(records.filter((r) => r.label === "escrow.move:cancel").map((r) => r.data.side)).toEqual([
      "supplier",
      "demander",
    ]);
    expect(records.find((r) => r.label === "escrow.move:cancel")!.data.waitingForOtherParty).toBe(true);
    const cancelled = records.find((r) => r.label === "escrow.event:MilestoneCancelled")!;
    expect((cancelled.data.args as Record<string, unknown>).refundDue).toBe(false);
    expect(records.some((r) => r.label.startsWith("escrow.event:Instruction"))).toBe(false);
  });

  // A waiting cancellation signature is kept under its milestone's own key, under its lock:
  // first signatures on two milestones at once must both survive.
  it("keeps the first cancellation signatures of two milestones signed at the same time", async () => {
    const [a, b] = M.cancelTwoAtOnce;
    const firsts = await Promise.all([
      move(t, supplier, deal.id, a, "cancel"),
      move(t, supplier, deal.id, b, "cancel"),
    ]);
    expect(firsts.map((r) => [r.status, r.body.waitingFor])).toEqual([
      [202, "demander"],
      [202, "demander"],
    ]);
    const seconds = [await move(t, demander, deal.id, a, "cancel"), await move(t, demander, deal.id, b, "cancel")];
    expect(seconds.map((r) => [r.status, r.body.milestone?.state])).toEqual([
      [200, "cancelled"],
      [200, "cancelled"],
    ]);
  });

  // Both parties signing at once: the second to take the milestone's lock finds the first's signature.
  it("cancels when both parties sign the cancellation at the same time", async () => {
    const m = M.cancelBothAtOnce;
    const answers = await Promise.all([
      move(t, supplier, deal.id, m, "cancel"),
      move(t, demander, deal.id, m, "cancel"),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 202]);
    expect((await milestoneOf(m)).state).toBe("cancelled");
  });

  it("cancels a funded milestone into a refund instruction for the bank", async () => {
    const m = M.cancelFunded;
    await lock(m);
    const first = await move(t, demander, deal.id, m, "cancel");
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body).toMatchObject({ waitingFor: "supplier", milestone: { state: "locked" } });
    const second = await move(t, supplier, deal.id, m, "cancel");
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.milestone).toMatchObject({ state: "refunding", locked: amounts[m] });

    const pending = await asBank("GET", "/v1/bank/instructions");
    expect(pending.status).toBe(200);
    const instruction = pending.body.instructions.find(
      (i: { dealId: string; milestone: number }) => i.dealId === deal.id && i.milestone === m,
    );
    expect(instruction).toMatchObject({
      kind: "refund",
      release: 0,
      refund: amounts[m],
      chainStatus: "issued",
      bankStatus: "pending",
      currency,
    });
    expect(second.body.milestone.instruction).toBe(instruction.id);

    const labels = await labelsOf(m);
    expect(labels).toEqual(
      expect.arrayContaining([
        "bank.report:deposit",
        "escrow.event:DepositLocked",
        "escrow.move:cancel",
        "escrow.event:MilestoneCancelled",
        "escrow.event:InstructionIssued",
      ]),
    );
    expect(labels.filter((l) => l === "escrow.move:cancel")).toHaveLength(2);
  });

  it("takes a change request (with its statement), a second delivery, and the acceptance", async () => {
    const m = M.changes;
    await lock(m);
    const delivered = await move(t, supplier, deal.id, m, "deliver", { statement: { text: "Process package v1" } });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect(delivered.body.milestone).toMatchObject({ state: "delivered", changeRounds: 0 });

    const bare = await post(demander, m, {
      action: "request-changes",
      signature: await sign(demander, m, "request-changes"),
    });
    expect([bare.status, bare.body.error.code]).toEqual([400, "STATEMENT_REQUIRED"]);

    const request = { text: "The yield table is missing for 450 °C" };
    const changes = await move(t, demander, deal.id, m, "request-changes", { statement: request });
    expect(changes.status, JSON.stringify(changes.body)).toBe(200);
    expect(changes.body.milestone).toMatchObject({ state: "locked", changeRounds: 1, timer: 0 });

    const again = await move(t, supplier, deal.id, m, "deliver", { statement: { text: "Process package v2" } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.milestone).toMatchObject({ state: "delivered", changeRounds: 1 });
    expect(again.body.milestone.deliveryDigest).toBe(statementDigest({ text: "Process package v2" }));

    const accepted = await move(t, demander, deal.id, m, "accept");
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.milestone).toMatchObject({ state: "releasing", changeRounds: 1 });

    const records = await recordsOf(m);
    const labels = records.map((r) => r.label);
    expect(labels.filter((l) => l === "escrow.move:deliver")).toHaveLength(2);
    expect(labels.filter((l) => l === "escrow.event:DeliverySubmitted")).toHaveLength(2);
    expect(labels).toEqual(
      expect.arrayContaining([
        "escrow.move:request-changes",
        "escrow.event:ChangesRequested",
        "escrow.move:accept",
        "escrow.event:DeliveryAccepted",
        "escrow.event:InstructionIssued",
      ]),
    );
    const requested = records.find((r) => r.label === "escrow.move:request-changes")!;
    expect(requested.data.statement).toEqual({ text: request.text, records: [] });
    expect((requested.data.signedAction as { data: string }).data).toBe(statementDigest(request));

    // One transition, one story: the acceptance's record lists the events it caused, and
    // their records name it; the move comes first on the deal's subject.
    const acceptance = records.find((r) => r.label === "escrow.move:accept")!;
    expect(acceptance.id).toBe(accepted.body.move.recordId);
    expect((acceptance.data.events as Array<{ event: string }>).map((e) => e.event)).toEqual([
      "DeliveryAccepted",
      "InstructionIssued",
    ]);
    const caused = records.filter((r) => r.data.moveRecordId === acceptance.id);
    expect(caused.map((r) => [r.label, r.data.transactionHash, r.data.logIndex])).toEqual(
      (acceptance.data.events as Array<{ event: string; logIndex: number }>).map((e) => [
        `escrow.event:${e.event}`,
        acceptance.data.transactionHash,
        e.logIndex,
      ]),
    );
    expect(records.indexOf(caused[0])).toBeGreaterThan(records.indexOf(acceptance));
  });

  it("refuses a stale nonce, a signature over other data, and a move the state does not allow, sending nothing", async () => {
    const m = M.lateDelivery;
    await lock(m);
    const before = await milestoneOf(m);
    expect(before.nonce).toBeGreaterThan(0);
    const recordsBefore = (await recordsOf(m)).length;

    const stale = await post(supplier, m, {
      action: "deliver",
      signature: await sign(supplier, m, "deliver", { statement: { text: "v1" } }, { nonce: before.nonce - 1 }),
      statement: { text: "v1" },
    });
    expect([stale.status, stale.body.error.code]).toEqual([422, "WRONG_SIGNER"]);
    expect(stale.body.error.message).toContain("sign MilestoneAction");
    expect(stale.body.error.message).toContain(`nonce ${before.nonce}`);
    expect(stale.body.error.message).toContain(statementDigest({ text: "v1" }));

    const sent = { text: "Process package, the version actually sent" };
    const otherData = await post(supplier, m, {
      action: "deliver",
      signature: await sign(supplier, m, "deliver", { statement: { text: "a different package" } }),
      statement: sent,
    });
    expect([otherData.status, otherData.body.error.code]).toEqual([422, "WRONG_SIGNER"]);
    expect(otherData.body.error.message).toContain(`data ${statementDigest(sent)}`);
    expect(otherData.body.error.message).toContain(supplier.wallet.address);

    const early = await move(t, demander, deal.id, m, "accept");
    expect([early.status, early.body.error.code]).toEqual([409, "WRONG_MILESTONE_STATE"]);
    expect(early.body.error.message).toContain("locked");

    const after = await milestoneOf(m);
    expect(after).toMatchObject({ state: "locked", nonce: before.nonce, deliveryDigest: ZERO_HASH });
    expect((await recordsOf(m)).length).toBe(recordsBefore);
  });

  it("takes a dispute through a ruling, an appeal, and a final ruling on appeal", async () => {
    const m = M.appeal;
    const disputeId = `${deal.id}.m${m}`;
    await lock(m);
    const opened = await move(t, demander, deal.id, m, "open-dispute", {
      statement: { text: "Nothing was delivered and the supplier does not answer" },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body.milestone).toMatchObject({ state: "disputed", dispute: disputeId });
    const escalated = await move(t, supplier, deal.id, m, "escalate");
    expect(escalated.status, JSON.stringify(escalated.body)).toBe(200);
    expect(escalated.body.milestone.state).toBe("arbitration");

    const half = Math.floor(amounts[m] / 2);
    const ruled = await move(t, arbitrator, deal.id, m, "rule", {
      statement: { text: "First ruling: half each" },
      release: half,
      refund: amounts[m] - half,
    });
    expect(ruled.status, JSON.stringify(ruled.body)).toBe(200);
    expect(ruled.body.milestone).toMatchObject({
      state: "ruled",
      standingSplit: { release: half, refund: amounts[m] - half },
    });
    const dispute = async () => (await as(arbitrator)("GET", `/v1/disputes/${disputeId}`)).body.dispute;
    expect(await dispute()).toMatchObject({ status: "ruled", ruling: { release: half, final: false } });

    const appealed = await move(t, supplier, deal.id, m, "appeal", {
      statement: { text: "Grounds: the acceptance tests were run on out-of-spec feedstock" },
    });
    expect(appealed.status, JSON.stringify(appealed.body)).toBe(200);
    expect(appealed.body.milestone.state).toBe("arbitration");
    expect(await dispute()).toMatchObject({ status: "appealed", appeal: { by: supplier.id } });

    const release = Math.floor(amounts[m] * 0.7);
    const final = await move(t, arbitrator, deal.id, m, "rule", {
      statement: { text: "Ruling on appeal: 70% to the supplier" },
      release,
      refund: amounts[m] - release,
    });
    expect(final.status, JSON.stringify(final.body)).toBe(200);
    expect(final.body.milestone).toMatchObject({ state: "splitting", standingSplit: { release } });
    expect(await dispute()).toMatchObject({ status: "final", ruling: { release, final: true } });

    const labels = await labelsOf(m);
    expect(labels.filter((l) => l === "dispute.recorded:rule")).toHaveLength(2);
    expect(labels.filter((l) => l === "escrow.event:RulingIssued")).toHaveLength(2);
    expect(labels).toEqual(
      expect.arrayContaining([
        "dispute.recorded:open-dispute",
        "escrow.event:DisputeOpened",
        "escrow.move:escalate",
        "escrow.event:DisputeEscalated",
        "dispute.recorded:appeal",
        "escrow.event:RulingAppealed",
        "escrow.event:InstructionIssued",
      ]),
    );
  });

  // Last: these move the chain's clock, after which no new terms could be agreed.
  describe("once a period lapsed on the chain's clock", () => {
    it("releases a delivery whose inspection period lapsed, at anyone's request, not before", async () => {
      const m = M.lapsedInspection;
      await lock(m);
      const delivered = await move(t, supplier, deal.id, m, "deliver", { statement: { text: "Training records" } });
      expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
      const release = () => as(stranger)("POST", `/v1/deals/${deal.id}/milestones/${m}/release`);
      const early = await release();
      expect([early.status, early.body.error.code]).toEqual([409, "TOO_EARLY"]);

      const { clock, milestones } = await escrowView();
      await advanceChain(milestones[m].timer - clock + 1);
      const released = await release();
      expect(released.status, JSON.stringify(released.body)).toBe(200);
      expect(released.body.move.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(released.body.milestone).toMatchObject({ state: "releasing", timer: 0 });
      expect(await labelsOf(m)).toEqual(
        expect.arrayContaining(["escrow.event:InspectionLapsed", "escrow.event:InstructionIssued"]),
      );
    });

    it("makes a ruling final once its appeal window lapsed, not before", async () => {
      const m = M.finalize;
      await lock(m);
      await move(t, supplier, deal.id, m, "open-dispute", { statement: { text: "The demander refuses access" } });
      await move(t, demander, deal.id, m, "escalate");
      const release = Math.floor(amounts[m] / 4);
      const ruled = await move(t, arbitrator, deal.id, m, "rule", {
        statement: { text: "A quarter to the supplier" },
        release,
        refund: amounts[m] - release,
      });
      expect(ruled.status, JSON.stringify(ruled.body)).toBe(200);
      expect(ruled.body.milestone.state).toBe("ruled");
      const finalize = () => as(stranger)("POST", `/v1/deals/${deal.id}/milestones/${m}/finalize`);
      const early = await finalize();
      expect([early.status, early.body.error.code]).toEqual([409, "TOO_EARLY"]);

      const { clock, milestones } = await escrowView();
      await advanceChain(milestones[m].timer - clock + 1);
      const finalized = await finalize();
      expect(finalized.status, JSON.stringify(finalized.body)).toBe(200);
      expect(finalized.body.milestone).toMatchObject({ state: "splitting", standingSplit: { release } });
      const dispute = (await as(supplier)("GET", `/v1/disputes/${deal.id}.m${m}`)).body.dispute;
      expect(dispute).toMatchObject({ status: "final", ruling: { release, final: true } });
      expect(await labelsOf(m)).toEqual(
        expect.arrayContaining(["escrow.event:RulingFinalized", "escrow.event:InstructionIssued"]),
      );
    });

    it("refunds a milestone not delivered by its deadline plus grace, at the demander's claim, not before", async () => {
      const m = M.lateDelivery; // locked since the refusals above
      const early = await move(t, demander, deal.id, m, "claim-refund");
      expect([early.status, early.body.error.code]).toEqual([409, "TOO_EARLY"]);

      const { clock, milestones } = await escrowView();
      await advanceChain(milestones[m].deadline + PERIODS.gracePeriodSeconds - clock + 1);
      const late = await move(t, supplier, deal.id, m, "deliver", { statement: { text: "Too late" } });
      expect([late.status, late.body.error.code]).toEqual([409, "TOO_LATE"]);
      const claimed = await move(t, demander, deal.id, m, "claim-refund");
      expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
      expect(claimed.body.milestone).toMatchObject({ state: "refunding" });

      const instructions = (await asBank("GET", "/v1/bank/instructions")).body.instructions;
      expect(
        instructions.find((i: { dealId: string; milestone: number }) => i.dealId === deal.id && i.milestone === m),
      ).toMatchObject({ kind: "refund", refund: amounts[m], release: 0 });
      expect(await labelsOf(m)).toEqual(
        expect.arrayContaining([
          "escrow.move:claim-refund",
          "escrow.event:RefundClaimed",
          "escrow.event:InstructionIssued",
        ]),
      );
    });
  });
});
