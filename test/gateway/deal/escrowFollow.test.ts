import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agreeTerms, certifiedOnChain, openDeal } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString();

/** The deal follows its escrow: terms on chain sign it, whatever stage the talks had reached. */
describe("the deal workspace follows the escrow's events", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let arbitrator: TestUser;

  beforeAll(async () => {
    t = await startTestPlatform();
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    arbitrator = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
    await certifiedOnChain(t, supplier, demander);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("signs the deal once the escrow holds both parties' terms, with the move recorded on the deal", async () => {
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    const deal = await openDeal(t, supplier, demander, reviewer);
    const as = (user: TestUser) => client(t.url, user.token);
    expect((await as(demander)("POST", `/v1/deals/${deal.id}/moves`, { move: "begin_negotiation" })).status).toBe(200);
    expect((await as(supplier)("POST", `/v1/deals/${deal.id}/moves`, { move: "begin_contracting" })).status).toBe(200);
    await agreeTerms(t, deal, supplier, demander, {
      contract: {
        name: "contract.pdf",
        mediaType: "application/pdf",
        contentBase64: Buffer.from("%PDF-1.4").toString("base64"),
      },
      currency: "CNY",
      total: 5_000_000,
      milestones: [{ title: "Process package", amount: 5_000_000, deliverBy: inDays(30) }],
      arbitratorId: arbitrator.id,
      inspectionPeriodSeconds: 7 * 86400,
      rulingPeriodSeconds: 14 * 86400,
    });
    const signed = await eventually(
      async () => {
        const workspace = await as(supplier)("GET", `/v1/deals/${deal.id}/workspace`);
        return workspace.body.state === "signed" ? workspace.body : undefined;
      },
      20_000,
      "the deal signed",
    );
    const last = signed.history.at(-1);
    expect(last).toMatchObject({ move: "sign", from: "contracting", to: "signed", as: "escrow" });
    // The arbitrator named in the terms reads the workspace and may resume performance after a dispute.
    const view = await as(arbitrator)("GET", `/v1/deals/${deal.id}/workspace`);
    expect(view.body.roles).toEqual(["arbitrator"]);
    const record = await client(t.url, t.token)("GET", `/v1/evidence/${last.recordId}`);
    expect(record.body).toMatchObject({ kind: "deal.moved", subject: `deal:${deal.id}` });

    // An event a stop left untold (the workspace as it was before it) is caught up at the next read.
    const current = (await t.platform.tables.deal.workspaces.get(deal.id))!;
    await t.platform.database.write([
      {
        type: "put",
        sublevel: t.platform.tables.deal.workspaces,
        key: deal.id,
        value: { ...current, state: "contracting", history: current.history.slice(0, -1) },
      },
    ]);
    const caughtUp = await as(demander)("GET", `/v1/deals/${deal.id}/workspace`);
    expect(caughtUp.body.state).toBe("signed");
    expect(caughtUp.body.history.at(-1)).toMatchObject({ move: "sign", as: "escrow" });
  }, 60_000);
});
