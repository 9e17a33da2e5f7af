import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayClient, type ListingContent } from "../../../sdk";
import { makeUser, type TestUser } from "../../helpers/identity";
import { pvRecyclingSupply } from "../../helpers/listings";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";

/** Accepting a listed price (挂牌, T/TMAC-002-2017): a fixed price taken as it stands opens a deal at that price. */
describe("accepting a listed price", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let buyer: TestUser;
  let reviewer: TestUser;
  const sdk = (user: TestUser) => createGatewayClient({ baseUrl: t.url, token: user.token });
  const as = (user: TestUser) => client(t.url, user.token);

  async function publish(content: Record<string, unknown>): Promise<string> {
    const created = await sdk(supplier).createListing({ content: content as ListingContent });
    await sdk(reviewer).reviewListing({ listingId: created.id, approved: true });
    return created.id;
  }

  beforeAll(async () => {
    t = await startTestPlatform();
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    buyer = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("opens a deal at the listed price, recorded as the deal's opening, and the escrow total must be that price", async () => {
    const listingId = await publish(pvRecyclingSupply());
    const deal = await sdk(buyer).acceptListedPrice({ listingId });
    expect(deal).toMatchObject({
      supplyId: listingId,
      supplierId: supplier.id,
      demanderId: buyer.id,
      price: { amount: 120_000_000, currency: "CNY" },
      status: "negotiating",
    });
    const record = await client(t.url, t.token)("GET", `/v1/evidence/${deal.recordId}`);
    expect(record.body).toMatchObject({ kind: "deal.opened", subject: `deal:${deal.id}` });
    expect((await t.platform.tables.evidence.records.get(deal.recordId))!.data).toMatchObject({
      mode: "listed-price",
      price: { amount: 120_000_000, currency: "CNY" },
    });
    expect((await sdk(supplier).getDeal({ dealId: deal.id })).workspace.state).toBe("opened");
    expect((await sdk(buyer).listDeals()).deals.map((d) => d.id)).toContain(deal.id);
    const workspace = await sdk(buyer).getDealWorkspace({ dealId: deal.id });
    expect(workspace.price).toEqual({ amount: 120_000_000, currency: "CNY" });
    // The escrow holds the parties to the price agreed.
    const terms = await as(buyer)("POST", `/v1/deals/${deal.id}/terms`, {
      contract: {
        name: "c.pdf",
        mediaType: "application/pdf",
        contentBase64: Buffer.from("%PDF-1.4").toString("base64"),
      },
      currency: "CNY",
      total: 100,
      milestones: [{ title: "all", amount: 100, deliverBy: new Date(Date.now() + 86400_000).toISOString() }],
      arbitratorId: supplier.id,
      inspectionPeriodSeconds: 86400,
      rulingPeriodSeconds: 86400,
    });
    expect([terms.status, terms.body.error.code]).toEqual([422, "TOTAL_NOT_DEAL_PRICE"]);
    const again = await as(buyer)("POST", `/v1/listings/${listingId}/accept`);
    expect([again.status, again.body.error.code]).toEqual([409, "DEAL_EXISTS"]);
  });

  it("refuses a price that is a range or negotiable, the seller itself, and a non-demander", async () => {
    const ranged = await publish(pvRecyclingSupply({ price: { min: 1_000_000, max: 2_000_000, currency: "CNY" } }));
    const refused = await as(buyer)("POST", `/v1/listings/${ranged}/accept`);
    expect([refused.status, refused.body.error.code]).toEqual([409, "PRICE_NOT_FIXED"]);
    const fixed = await publish(pvRecyclingSupply());
    const own = await makeUser(t, { roles: ["demander"] });
    expect((await as(own)("POST", `/v1/listings/${fixed}/accept`)).status).toBe(201);
    expect((await as(supplier)("POST", `/v1/listings/${fixed}/accept`)).body.error.code).toBe("ROLE_REQUIRED");
    const uncertified = await makeUser(t, { roles: ["demander"], certified: false });
    expect((await as(uncertified)("POST", `/v1/listings/${fixed}/accept`)).body.error.code).toBe("NOT_CERTIFIED");
  });
});
