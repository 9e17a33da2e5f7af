import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayClient, royaltyDue, type ContractFieldsInput, type RoyaltyPayment } from "../../../sdk";
import { CONTRACT_FIXTURES } from "../../sdk/deal/contractFixtures";
import { certifiedOnChain, openDeal } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";

/** Royalty statements (art. 846): a licensee's periods under a signed royalty contract, each a record. */
describe("the deal workspace: royalty statements", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let broker: TestUser;
  let outsider: TestUser;
  let dealId: string;
  const as = (user?: TestUser) => client(t.url, user?.token);
  const sdk = (user: TestUser) => createGatewayClient({ baseUrl: t.url, token: user.token });
  const licence = CONTRACT_FIXTURES.licence as ContractFieldsInput;
  const payment = (licence as { payment: RoyaltyPayment }).payment;
  const q1 = { from: "2027-01-01", to: "2027-03-31" };

  beforeAll(async () => {
    t = await startTestPlatform();
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    broker = await makeUser(t, { roles: ["broker"] });
    outsider = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    await certifiedOnChain(t, supplier, demander);
    dealId = (await openDeal(t, supplier, demander, reviewer)).id;
    await as(supplier)("POST", `/v1/deals/${dealId}/participants`, { role: "broker", userId: broker.id });
    await as(demander)("POST", `/v1/deals/${dealId}/participants`, { role: "broker", userId: broker.id });
    await as(demander)("POST", `/v1/deals/${dealId}/moves`, { move: "begin_negotiation" });
    await as(broker)("POST", `/v1/deals/${dealId}/moves`, { move: "begin_contracting" });
    const drafted = await as(broker)("POST", `/v1/deals/${dealId}/contract`, { language: "zh", fields: licence });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("refuses a statement before the contract is signed", async () => {
    const early = await sdk(demander)
      .reportRoyalty({ dealId, period: q1, baseAmount: 1 })
      .catch((error: { code?: string }) => error);
    expect((early as { code?: string }).code).toBe("CONTRACT_NOT_SIGNED");
  });

  it("works out the royalty at the signed contract's rate, keeps it as a record, and takes each period once", async () => {
    await sdk(supplier).signContract({ dealId, signer: supplier.wallet });
    const signed = await sdk(demander).signContract({ dealId, signer: demander.wallet });
    expect(signed.status).toBe("signed");

    // 123,456.70 yuan of sales (12,345,670 fen) at 3.5 %: 432,098.45 fen, rounded half up to the fen: 432,098.
    const statement = await sdk(demander).reportRoyalty({ dealId, period: q1, baseAmount: 12_345_670, note: "Q1" });
    expect(statement).toMatchObject({
      dealId,
      period: q1,
      currency: "CNY",
      base: "sales",
      baseAmount: 12_345_670,
      rate: "0.035",
      royalty: 432_098,
      dueBy: "2027-04-30",
      note: "Q1",
      reportedBy: demander.id,
    });
    expect(statement.royalty).toBe(royaltyDue(payment, 12_345_670).royalty);
    // Exactly half a fen rounds up: 10 fen at 3.5 % is 0.35 fen → 0; 100 → 3.5 → 4.
    expect(royaltyDue(payment, 100).royalty).toBe(4);
    expect(royaltyDue(payment, 10).royalty).toBe(0);

    const record = await t.platform.tables.evidence.records.get(statement.recordId);
    expect(record!.header).toMatchObject({ kind: "royalty.reported", subject: `deal:${dealId}` });
    expect(record!.data).toMatchObject({ period: q1, baseAmount: 12_345_670, royalty: 432_098, rate: "0.035" });

    const again = await as(demander)("POST", `/v1/deals/${dealId}/royalty-statements`, { period: q1, baseAmount: 5 });
    expect([again.status, again.body.error.code]).toEqual([409, "PERIOD_ALREADY_REPORTED"]);
    const reversed = await as(demander)("POST", `/v1/deals/${dealId}/royalty-statements`, {
      period: { from: "2027-06-30", to: "2027-04-01" },
      baseAmount: 5,
    });
    expect([reversed.status, reversed.body.error.code]).toEqual([422, "PERIOD_REVERSED"]);
    const negative = await as(demander)("POST", `/v1/deals/${dealId}/royalty-statements`, {
      period: { from: "2027-04-01", to: "2027-06-30" },
      baseAmount: -1,
    });
    expect(negative.status).toBe(400);
  });

  it("takes statements from the licensee only, and shows them to the deal's participants", async () => {
    const q2 = { period: { from: "2027-04-01", to: "2027-06-30" }, baseAmount: 1_000_000 };
    const bySupplier = await as(supplier)("POST", `/v1/deals/${dealId}/royalty-statements`, q2);
    expect([bySupplier.status, bySupplier.body.error.code]).toEqual([403, "LICENSEE_ONLY"]);
    const byBroker = await as(broker)("POST", `/v1/deals/${dealId}/royalty-statements`, q2);
    expect(byBroker.body.error.code).toBe("LICENSEE_ONLY");
    expect((await as(demander)("POST", `/v1/deals/${dealId}/royalty-statements`, q2)).status).toBe(201);

    const { statements } = await sdk(supplier).listRoyaltyStatements({ dealId });
    expect(statements.map((s) => [s.period.from, s.royalty])).toEqual([
      ["2027-01-01", 432_098],
      ["2027-04-01", 35_000],
    ]);
    expect((await as(broker)("GET", `/v1/deals/${dealId}/royalty-statements`)).status).toBe(200);
    expect((await as(outsider)("GET", `/v1/deals/${dealId}/royalty-statements`)).status).toBe(403);
  });
});
