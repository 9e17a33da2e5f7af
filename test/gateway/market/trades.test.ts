import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealedBidCommitment, sealedBiddingOutcome, verifyCertificate } from "../../../sdk";
import { makeUser, type TestUser } from "../../helpers/identity";
import { pvRecyclingSupply } from "../../helpers/listings";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const MINUTE = 60_000;

describe("trading modes: auction and sealed bidding", () => {
  let t: TestPlatform;
  let now = Date.now();
  let seller: TestUser;
  let buyers: TestUser[];
  let reviewer: TestUser;
  let listingId: string;
  const as = (user?: TestUser) => client(t.url, user?.token);
  const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();

  beforeAll(async () => {
    t = await startTestPlatform({ clock: () => new Date(now) });
    seller = await makeUser(t, { type: "institute", roles: ["supplier"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
    buyers = [
      await makeUser(t, { type: "enterprise", roles: ["demander"] }),
      await makeUser(t, { type: "enterprise", roles: ["demander"] }),
      await makeUser(t, { type: "enterprise", roles: ["demander"] }),
    ];
    const created = await as(seller)("POST", "/v1/listings", pvRecyclingSupply());
    await as(reviewer)("POST", `/v1/listings/${created.body.id}/review`, { approved: true });
    listingId = created.body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("runs an ascending auction: increments, a sniping bid extends the end, the best bid above the reserve wins a deal", async () => {
    const opened = await as(seller)("POST", "/v1/auctions", {
      listingId,
      currency: "CNY",
      startingPrice: 100_000_000,
      reservePrice: 120_000_000,
      minIncrement: 5_000_000,
      endsAt: at(30 * MINUTE),
      extensionSeconds: 300,
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id;
    const low = await as(buyers[0])("POST", `/v1/auctions/${id}/bids`, { amount: 90_000_000 });
    expect([low.status, low.body.error.code]).toEqual([400, "BID_TOO_LOW"]);
    expect((await as(buyers[0])("POST", `/v1/auctions/${id}/bids`, { amount: 100_000_000 })).status).toBe(200);
    const small = await as(buyers[1])("POST", `/v1/auctions/${id}/bids`, { amount: 102_000_000 });
    expect([small.status, small.body.error.code]).toEqual([400, "BID_TOO_LOW"]);
    const fraction = await as(buyers[1])("POST", `/v1/auctions/${id}/bids`, { amount: 105_000_000.5 });
    expect(fraction.status).toBe(400);
    expect((await as(seller)("POST", `/v1/auctions/${id}/bids`, { amount: 200_000_000 })).status).toBe(403);
    now += 28 * MINUTE;
    const late = await as(buyers[1])("POST", `/v1/auctions/${id}/bids`, { amount: 125_000_000 });
    expect(late.body.endsAt).toBe(at(5 * MINUTE));
    const view = await as(buyers[1])("GET", `/v1/auctions/${id}`);
    expect(view.body.bids.map((b: { bidder: string }) => b.bidder)).toEqual(["bidder 1", "you"]);
    expect((await as(buyers[2])("POST", `/v1/auctions/${id}/close`)).body.error.code).toBe("TRADE_OPEN");
    now += 6 * MINUTE;
    const after = await as(buyers[0])("POST", `/v1/auctions/${id}/bids`, { amount: 200_000_000 });
    expect([after.status, after.body.error.code]).toEqual([409, "TRADE_CLOSED"]);
    const closed = await as(seller)("POST", `/v1/auctions/${id}/close`);
    expect(closed.body.outcome).toMatchObject({ winnerId: buyers[1].id, amount: 125_000_000 });
    const deal = await as(buyers[1])("GET", `/v1/deals/${closed.body.outcome.dealId}`);
    expect(deal.body).toMatchObject({
      tradeId: id,
      price: { amount: 125_000_000, currency: "CNY" },
      supplierId: seller.id,
      demanderId: buyers[1].id,
    });
    const records = await client(t.url, t.token)("GET", `/v1/subjects/trade:${id}/evidence`);
    expect(records.body.records.map((r: { kind: string }) => r.kind)).toEqual([
      "trade.opened",
      "trade.bid",
      "trade.bid",
      "trade.outcome",
    ]);
  });

  it("runs a sealed bidding whose outcome anyone recomputes, refusing altered and late bids", async () => {
    now = Date.now();
    const opened = await as(seller)("POST", "/v1/biddings", {
      listingId,
      currency: "CNY",
      reservePrice: 110_000_000,
      commitDeadline: at(60 * MINUTE),
      revealDeadline: at(120 * MINUTE),
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id;
    const bids = [130_000_000, 150_000_000, 100_000_000];
    const salts = bids.map(() => `0x${randomBytes(32).toString("hex")}`);
    const commitmentRecords: string[] = [];
    for (const [i, buyer] of buyers.entries()) {
      const commitment = sealedBidCommitment({
        bidding: id,
        bidder: buyer.id,
        amount: bids[i],
        currency: "CNY",
        salt: salts[i],
      });
      const committed = await as(buyer)("POST", `/v1/biddings/${id}/commitments`, { commitment });
      expect(committed.status).toBe(201);
      commitmentRecords.push(committed.body.recordId);
    }
    // The operator sees only digests: no amount appears before the reveal.
    const sealed = await as()("GET", `/v1/biddings/${id}`);
    expect(JSON.stringify(sealed.body)).not.toContain("150000000");
    const early = await as(buyers[0])("POST", `/v1/biddings/${id}/reveals`, { amount: bids[0], salt: salts[0] });
    expect([early.status, early.body.error.code]).toEqual([409, "TOO_EARLY"]);
    now += 61 * MINUTE;
    const lateBidder = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    const late = await as(lateBidder)("POST", `/v1/biddings/${id}/commitments`, { commitment: `0x${"ab".repeat(32)}` });
    expect([late.status, late.body.error.code]).toEqual([409, "TRADE_CLOSED"]);
    // Buyer 1 tries to raise the bid after seeing nothing: the reveal must match the commitment.
    const altered = await as(buyers[1])("POST", `/v1/biddings/${id}/reveals`, { amount: 160_000_000, salt: salts[1] });
    expect([altered.status, altered.body.error.code]).toEqual([400, "REVEAL_MISMATCH"]);
    for (const [i, buyer] of buyers.entries()) {
      expect((await as(buyer)("POST", `/v1/biddings/${id}/reveals`, { amount: bids[i], salt: salts[i] })).status).toBe(
        200,
      );
    }
    now += 60 * MINUTE;
    const closed = await as(buyers[2])("POST", `/v1/biddings/${id}/close`);
    expect(closed.body.outcome).toMatchObject({ winnerId: buyers[1].id, amount: 150_000_000 });

    // Anyone: take the published bidding, recompute, compare; and check the commitments were anchored.
    const published = (await as()("GET", `/v1/biddings/${id}`)).body;
    const recomputed = sealedBiddingOutcome(published);
    expect([recomputed.winnerId, recomputed.amount]).toEqual([published.outcome.winnerId, published.outcome.amount]);
    expect(recomputed.invalid).toEqual([{ bidderId: buyers[2].id, reason: "below the reserve price" }]);
    const certificate = await eventually(async () => {
      const response = await client(t.url, t.token)("GET", `/v1/evidence/${commitmentRecords[1]}/certificate`);
      return response.status === 200 ? response.body : undefined;
    });
    expect(certificate.record.fields.commitment.value).toBe(published.commitments[1].commitment);
    expect((await verifyCertificate(certificate, { rpcUrl: t.chain.rpcUrl, trust: t.trust })).valid).toBe(true);
    expect(Date.parse(certificate.record.header.recordedAt)).toBeLessThan(Date.parse(published.commitDeadline));
  });
});
