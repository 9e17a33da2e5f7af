import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, type TestUser } from "../../helpers/identity";
import { pvRecyclingSupply, solarRecyclingDemand } from "../../helpers/listings";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";

describe("exchange rates (PUT /v1/exchange-rates) and price fit across currencies", () => {
  let t: TestPlatform;
  let admin: TestUser;
  let reviewer: TestUser;
  let supplier: TestUser;
  let demander: TestUser;
  const as = (user?: TestUser) => client(t.url, user?.token);

  beforeAll(async () => {
    t = await startTestPlatform();
    admin = await makeUser(t, { roles: ["admin"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("lets an administrator set the rates, records them as evidence, and refuses bad tables with the field named", async () => {
    expect((await as()("GET", "/v1/exchange-rates")).body).toEqual({ rates: null });
    const bad = await as(admin)("PUT", "/v1/exchange-rates", { date: "2026-11-27", base: "CNY", rates: { XXX: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("rates");
    const negative = await as(admin)("PUT", "/v1/exchange-rates", {
      date: "2026-11-27",
      base: "CNY",
      rates: { USD: -7 },
    });
    expect(negative.status).toBe(400);
    expect(
      (await as(supplier)("PUT", "/v1/exchange-rates", { date: "2026-11-27", base: "CNY", rates: { USD: 7.1 } }))
        .status,
    ).toBe(403);

    const set = await as(admin)("PUT", "/v1/exchange-rates", {
      date: "2026-11-27",
      base: "CNY",
      rates: { USD: 7.1, THB: 0.2 },
    });
    expect(set.status).toBe(200);
    expect(set.body.rates).toMatchObject({
      date: "2026-11-27",
      base: "CNY",
      rates: { USD: 7.1, THB: 0.2 },
      setBy: admin.id,
    });
    expect((await as()("GET", "/v1/exchange-rates")).body.rates.recordId).toBe(set.body.rates.recordId);
    const records = await as({ token: t.token } as TestUser)("GET", "/v1/subjects/market:exchange-rates/evidence");
    expect(records.body.records.map((r: { kind: string }) => r.kind)).toEqual(["market.rates.set"]);
    expect(records.body.records[0].id).toBe(set.body.rates.recordId);
  });

  it("scores a USD budget against a CNY price after conversion, and the reason says at which rates", async () => {
    const publish = async (owner: TestUser, body: unknown) => {
      const created = await as(owner)("POST", "/v1/listings", body);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      await as(reviewer)("POST", `/v1/listings/${created.body.id}/review`, { approved: true });
      return created.body.id as string;
    };
    const supplyId = await publish(supplier, pvRecyclingSupply({ price: { amount: 100_000_000, currency: "CNY" } }));
    const demandId = await publish(
      demander,
      solarRecyclingDemand({ budget: { min: 5_000_000, max: 20_000_000, currency: "USD" } }),
    );
    const { body } = await as(demander)("GET", `/v1/listings/${demandId}/matches`);
    const match = body.matches.find((m: { id: string }) => m.id === supplyId);
    const price = match.reasons.find((r: { factor: string }) => r.factor === "price");
    expect(price.score).toBe(1);
    expect(price.detail).toContain("≈ 140,845.07 USD at the operator's rates of 2026-11-27, fits the budget");
  });
});
