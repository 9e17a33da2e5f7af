import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEAL_MOVE_NAMES, DEAL_MOVES, DEAL_STATES, type DealMoveRule } from "../../../gateway/deal/states";
import type { DealWorkspace } from "../../../gateway/deal/types";
import { openDeal } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";

/**
 * The deal's state machine through the gateway: every move of the table from
 * every state, by someone who may make it; who else may not; and the record
 * each move leaves on the deal's subject.
 */
describe("the deal workspace: states, moves and participants", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let reviewer: TestUser;
  let broker: TestUser;
  let manager: TestUser;
  let evaluator: TestUser;
  let stranger: TestUser;
  let auditor: TestUser;
  let dealId: string;
  let deal: Awaited<ReturnType<typeof openDeal>>;
  const as = (user?: TestUser) => client(t.url, user?.token);
  const operator = () => client(t.url, t.token);

  beforeAll(async () => {
    t = await startTestPlatform();
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
    broker = await makeUser(t, { roles: ["broker"] });
    manager = await makeUser(t, { roles: ["manager"] });
    evaluator = await makeUser(t, { roles: ["evaluator"] });
    stranger = await makeUser(t, { roles: ["supplier", "demander"] });
    auditor = await makeUser(t, { roles: ["auditor"] });
    deal = await openDeal(t, supplier, demander, reviewer);
    dealId = deal.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("shows a deal opened by a match in its workspace, opened, and opens each listing's details to the other side", async () => {
    const summary = await as(demander)("GET", `/v1/deals/${dealId}`);
    expect(summary.body).toMatchObject({ status: "negotiating", workspace: { state: "opened" } });
    const workspace = await as(demander)("GET", `/v1/deals/${dealId}/workspace`);
    expect(workspace.status, JSON.stringify(workspace.body)).toBe(200);
    expect(workspace.body).toMatchObject({
      state: "opened",
      supplierId: supplier.id,
      demanderId: demander.id,
      roles: ["demander"],
      threads: [{ id: "thr_main", confidential: false }],
    });
    expect(workspace.body.moves).toEqual(["begin_negotiation", "cancel"]);
    // The NDA-gated details of the supply (its process parameters) are the demander's to read now.
    const listing = await as(demander)("GET", `/v1/listings/${deal.supplyId}`);
    expect(listing.body.detailsGranted).toBe(true);
    expect(listing.body.current.details.process).toContain("热解温度");
    const grants = workspace.body.detailsGranted as Array<{ listingId: string; granteeId: string; recordId: string }>;
    expect(grants.map((g) => [g.listingId, g.granteeId])).toEqual([
      [deal.supplyId, demander.id],
      [deal.demandId, supplier.id],
    ]);
    const record = await operator()("GET", `/v1/evidence/${grants[0].recordId}`);
    expect(record.body).toMatchObject({ kind: "listing.access.granted", subject: `listing:${deal.supplyId}` });
    expect((await as(stranger)("GET", `/v1/deals/${dealId}/workspace`)).body.error.code).toBe("NOT_A_PARTICIPANT");
    expect((await as(auditor)("GET", `/v1/deals/${dealId}/workspace`)).status).toBe(200);
  });

  it("appoints a broker both parties nominate, a manager the operator assigns, and refuses a user without the role", async () => {
    const first = await as(supplier)("POST", `/v1/deals/${dealId}/participants`, { role: "broker", userId: broker.id });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.broker).toMatchObject({ nominations: { supplier: broker.id } });
    expect(first.body.broker.userId).toBeUndefined();
    const second = await as(demander)("POST", `/v1/deals/${dealId}/participants`, {
      role: "broker",
      userId: broker.id,
    });
    expect(second.body.broker).toMatchObject({ userId: broker.id, assignedBy: "parties" });
    const assigned = await operator()("POST", `/v1/deals/${dealId}/participants`, {
      role: "manager",
      userId: manager.id,
    });
    expect(assigned.body.manager).toMatchObject({ userId: manager.id, assignedBy: "operator" });
    const notABroker = await as(supplier)("POST", `/v1/deals/${dealId}/participants`, {
      role: "broker",
      userId: stranger.id,
    });
    expect(notABroker.status).toBe(422);
    expect(notABroker.body.error.code).toBe("NOT_A_BROKER");
    const byBroker = await as(broker)("POST", `/v1/deals/${dealId}/participants`, {
      role: "manager",
      userId: manager.id,
    });
    expect(byBroker.status).toBe(403);
    expect((await as(broker)("GET", `/v1/deals/${dealId}/workspace`)).body.roles).toEqual(["broker"]);
    expect((await as(manager)("GET", `/v1/deals/${dealId}/workspace`)).body.roles).toEqual(["manager"]);
    // Each finds the deal among theirs.
    for (const user of [broker, manager]) {
      expect((await as(user)("GET", "/v1/deals")).body.deals.map((d: { id: string }) => d.id)).toEqual([dealId]);
    }
    const records = await operator()("GET", `/v1/subjects/deal:${dealId}/evidence`);
    expect(records.body.records.filter((r: { kind: string }) => r.kind === "deal.participant.changed")).toHaveLength(3);
  });

  it("engages an evaluator for a party, whom the report's route can check, and no one else", async () => {
    const engaged = await as(demander)("POST", `/v1/deals/${dealId}/evaluators`, {
      userId: evaluator.id,
      kinds: ["value", "patent"],
    });
    expect(engaged.status, JSON.stringify(engaged.body)).toBe(200);
    expect(engaged.body.evaluators).toMatchObject([{ userId: evaluator.id, kinds: ["value", "patent"] }]);
    expect(
      (await as(broker)("POST", `/v1/deals/${dealId}/evaluators`, { userId: evaluator.id, kinds: ["value"] })).status,
    ).toBe(403);
    const again = await as(supplier)("POST", `/v1/deals/${dealId}/evaluators`, {
      userId: evaluator.id,
      kinds: ["value"],
    });
    expect(again.body.error.code).toBe("ALREADY_ENGAGED");
    const principal = (user: TestUser) => ({
      kind: "user" as const,
      id: user.id,
      address: user.wallet.address,
      roles: ["evaluator" as const],
      certified: true,
    });
    const { engagement } = await t.platform.dealWorkspaces.assertEngagedEvaluator(
      principal(evaluator),
      dealId,
      "value",
    );
    expect(engagement.engagedBy).toBe(demander.id);
    await expect(
      t.platform.dealWorkspaces.assertEngagedEvaluator(principal(evaluator), dealId, "financing"),
    ).rejects.toMatchObject({ code: "NOT_ENGAGED" });
    const other = await makeUser(t, { roles: ["evaluator"] });
    await expect(t.platform.dealWorkspaces.assertEngagedEvaluator(principal(other), dealId)).rejects.toMatchObject({
      status: 403,
    });
    const view = await as(evaluator)("GET", `/v1/deals/${dealId}/workspace`);
    expect(view.body).toMatchObject({ roles: ["evaluator"], moves: [] });
  });

  it("makes every move of the table from every state for one who may make it, and refuses it with 409 elsewhere", async () => {
    const actor = (rule: DealMoveRule) => {
      const who = rule.by.find((a) => a !== "escrow" && a !== "arbitrator")!;
      return { supplier, demander, broker, manager, operator: undefined }[who as "supplier"];
    };
    const put = async (state: DealWorkspace["state"]) => {
      const current = (await t.platform.tables.deal.workspaces.get(dealId))!;
      await t.platform.database.write([
        { type: "put", sublevel: t.platform.tables.deal.workspaces, key: dealId, value: { ...current, state } },
      ]);
    };
    let legal = 0;
    let illegal = 0;
    for (const state of DEAL_STATES) {
      for (const move of DEAL_MOVE_NAMES) {
        const rule: DealMoveRule = DEAL_MOVES[move];
        const label = `${state} × ${move}`;
        await put(state);
        const who = actor(rule);
        const request = who ? as(who) : operator();
        const response = await request("POST", `/v1/deals/${dealId}/moves`, { move, reason: label });
        if (rule.by.every((a) => a === "escrow")) {
          expect(response.status, label).toBe(403);
          expect(response.body.error.code, label).toBe("DEAL_MOVE_FOLLOWS_ESCROW");
          continue;
        }
        if (rule.from.includes(state)) {
          expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBe(200);
          expect(response.body.state, label).toBe(rule.to);
          const last = response.body.history.at(-1);
          expect(last, label).toMatchObject({ move, from: state, to: rule.to, reason: label });
          const record = await operator()("GET", `/v1/evidence/${last.recordId}`);
          expect(record.body, label).toMatchObject({ kind: "deal.moved", subject: `deal:${dealId}` });
          legal++;
        } else {
          expect(response.status, label).toBe(409);
          expect(response.body.error.code, label).toBe("DEAL_MOVE_NOT_ALLOWED");
          expect(response.body.error.message, label).toContain(`the deal is ${state}: ${move} is not allowed`);
          illegal++;
        }
      }
    }
    expect(legal).toBeGreaterThan(15);
    expect(illegal).toBeGreaterThan(100);
  });

  it("refuses a move to whoever the table does not name, with the capacities they hold", async () => {
    const put = async (state: DealWorkspace["state"]) => {
      const current = (await t.platform.tables.deal.workspaces.get(dealId))!;
      await t.platform.database.write([
        { type: "put", sublevel: t.platform.tables.deal.workspaces, key: dealId, value: { ...current, state } },
      ]);
    };
    await put("opened");
    const byManager = await as(manager)("POST", `/v1/deals/${dealId}/moves`, { move: "begin_negotiation" });
    expect(byManager.status).toBe(403);
    expect(byManager.body.error).toMatchObject({ code: "DEAL_MOVE_NOT_YOURS" });
    expect(byManager.body.error.message).toContain("you act in this deal as manager");
    const byEvaluator = await as(evaluator)("POST", `/v1/deals/${dealId}/moves`, { move: "cancel" });
    expect(byEvaluator.body.error.code).toBe("DEAL_MOVE_NOT_YOURS");
    expect((await as(stranger)("POST", `/v1/deals/${dealId}/moves`, { move: "cancel" })).body.error.code).toBe(
      "NOT_A_PARTICIPANT",
    );
    expect((await as(auditor)("POST", `/v1/deals/${dealId}/moves`, { move: "cancel" })).status).toBe(403);
    await put("following_up");
    const partyCloses = await as(supplier)("POST", `/v1/deals/${dealId}/moves`, { move: "close" });
    expect(partyCloses.body.error.code).toBe("DEAL_MOVE_NOT_YOURS");
    expect((await as(supplier)("POST", `/v1/deals/${dealId}/moves`, { move: "fly" })).status).toBe(400);
  });

  it("follows the escrow's events where the table lets the escrow move the deal, and ignores them elsewhere", async () => {
    const put = async (state: DealWorkspace["state"]) => {
      const current = (await t.platform.tables.deal.workspaces.get(dealId))!;
      await t.platform.database.write([
        { type: "put", sublevel: t.platform.tables.deal.workspaces, key: dealId, value: { ...current, state } },
      ]);
    };
    const stateNow = async () => (await t.platform.tables.deal.workspaces.get(dealId))!.state;
    await put("negotiating");
    await t.platform.dealWorkspaces.followEscrow(dealId, "DealCreated");
    expect(await stateNow()).toBe("signed");
    await t.platform.dealWorkspaces.followEscrow(dealId, "DealCreated");
    expect(await stateNow()).toBe("signed");
    await t.platform.dealWorkspaces.followEscrow(dealId, "DepositLocked", 0);
    expect(await stateNow()).toBe("performing");
    await t.platform.dealWorkspaces.followEscrow(dealId, "DisputeOpened", 0);
    expect(await stateNow()).toBe("disputed");
    await t.platform.dealWorkspaces.followEscrow(dealId, "RulingFinalized", 0);
    expect(await stateNow()).toBe("performing");
    const workspace = (await t.platform.tables.deal.workspaces.get(dealId))!;
    const escrowMoves = workspace.history.filter((h) => h.as === "escrow").map((h) => h.move);
    expect(escrowMoves.slice(-4)).toEqual(["sign", "begin_performance", "dispute", "resume_performance"]);
    const record = await operator()("GET", `/v1/evidence/${workspace.history.at(-1)!.recordId}`);
    expect(record.body).toMatchObject({ kind: "deal.moved", subject: `deal:${dealId}` });
  });
});
