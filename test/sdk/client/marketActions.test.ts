import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGatewayClient,
  InvalidArgumentError,
  sealedBidCommitment,
  type GatewayClient,
  type ListingContent,
} from "tech-transfer-ledger/sdk";
import { lineDigest } from "../../../gateway/market/imports";
import { account } from "../../../scripts/lib/demoAccounts";
import { pvRecyclingSupply, solarRecyclingDemand } from "../../helpers/listings";
import { startTestPlatform, type TestPlatform } from "../../helpers/platform";

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe("the SDK's market, trading and deal actions against a running gateway", () => {
  let t: TestPlatform;
  let anonymous: GatewayClient;
  let operator: GatewayClient;
  let reviewer: GatewayClient;
  let university: GatewayClient;
  let company: GatewayClient;
  let supplyId: string;
  let demandId: string;

  beforeAll(async () => {
    t = await startTestPlatform();
    anonymous = createGatewayClient({ baseUrl: t.url });
    operator = anonymous.withToken(t.token);
    reviewer = (await account(anonymous, operator, operator, "reviewer", { zh: "审核员", en: "Reviewer" })).client;
    university = (await account(anonymous, operator, reviewer, "supplier", { zh: "云南某大学", en: "A University" }))
      .client;
    company = (await account(anonymous, operator, reviewer, "demander", { zh: "某公司", en: "A Company" }, true))
      .client;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("publishes, reviews and finds listings across languages", async () => {
    const supply = await university.createListing({ content: pvRecyclingSupply() as ListingContent });
    const demand = await company.createListing({ content: solarRecyclingDemand() as ListingContent });
    expect(supply).toMatchObject({ side: "supply", status: "submitted" });
    expect((await reviewer.getReviewQueue()).listings.map((listing) => listing.id)).toEqual(
      expect.arrayContaining([supply.id, demand.id]),
    );
    for (const listingId of [supply.id, demand.id]) {
      expect(await reviewer.reviewListing({ listingId, approved: true })).toMatchObject({ status: "approved" });
    }
    ({ id: supplyId } = supply);
    ({ id: demandId } = demand);

    const found = await anonymous.searchListings({ q: "solar panel recycling", side: "supply" });
    expect(found.results.map((result) => result.id)).toContain(supplyId);
    const { matches } = await company.findMatches({ listingId: demandId, limit: 5 });
    expect(matches[0]).toMatchObject({ id: supplyId });
    expect(matches[0].reasons.length).toBeGreaterThan(0);
    expect((await university.listMyListings()).listings.map((listing) => listing.id)).toEqual([supplyId]);
    expect(await anonymous.getListing({ listingId: supplyId })).toMatchObject({ id: supplyId });
  });

  it("confirms a match into a deal that both parties see, and tells them in their inbox", async () => {
    const match = await company.proposeMatch({ supplyId, demandId });
    expect(match).toMatchObject({ status: "proposed", supplyId, demandId });
    expect((await company.answerMatch({ matchId: match.id, accept: true })).deal).toBeUndefined();
    const { deal } = await university.answerMatch({ matchId: match.id, accept: true });
    expect(deal).toMatchObject({ supplyId, demandId, status: "negotiating" });
    expect(await university.getMatch({ matchId: match.id })).toMatchObject({ status: "confirmed", dealId: deal!.id });
    expect(await company.getDeal({ dealId: deal!.id })).toMatchObject({ id: deal!.id, escrow: { status: "none" } });
    expect((await university.listDeals()).deals.map((d) => d.id)).toContain(deal!.id);
    const { notifications } = await university.getInbox({ limit: 10 });
    expect(notifications.map((notification) => notification.kind)).toContain("deal.opened");
  });

  it("saves, lists and deletes a search", async () => {
    const saved = await company.saveSearch({ q: "光伏", filters: { side: "supply" } });
    expect((await company.listSavedSearches()).searches.map((search) => search.id)).toEqual([saved.id]);
    await company.deleteSavedSearch({ searchId: saved.id });
    expect((await company.listSavedSearches()).searches).toEqual([]);
  });

  it("runs an auction and takes sealed-bid commitments", async () => {
    const auction = await university.openAuction({
      listingId: supplyId,
      currency: "CNY",
      startingPrice: 100_000_000,
      reservePrice: 110_000_000,
      minIncrement: 5_000_000,
      endsAt: inSeconds(60),
    });
    const bid = await company.placeBid({ auctionId: auction.id, amount: 100_000_000 });
    expect(bid.bids).toHaveLength(1);
    expect((await company.getAuction({ auctionId: auction.id })).bids[0]).toMatchObject({ amount: 100_000_000 });

    const bidding = await university.openSealedBidding({
      listingId: supplyId,
      currency: "CNY",
      reservePrice: 100_000_000,
      commitDeadline: inSeconds(60),
      revealDeadline: inSeconds(120),
    });
    const me = await company.getMe();
    const commitment = sealedBidCommitment({
      bidding: bidding.id,
      bidder: me.id,
      amount: 120_000_000,
      currency: "CNY",
      salt: `0x${randomBytes(32).toString("hex")}`,
    });
    await company.commitSealedBid({ biddingId: bidding.id, commitment });
    expect((await anonymous.withToken(t.token).getSealedBidding({ biddingId: bidding.id })).commitments).toEqual([
      expect.objectContaining({ bidderId: me.id, commitment }),
    ]);
  });

  it("imports a catalogue line for a user: checked, batched by its manifest, published", async () => {
    const asUser = (await university.getMe()).id;
    const content = pvRecyclingSupply({ title: { zh: "导入的光伏回收技术", en: "Imported PV recycling" } });
    const lines = [{ line: 1, importId: "CAT-1", content }];
    expect((await operator.dryRunImport({ asUser, lines })).lines).toEqual([
      expect.objectContaining({ line: 1, status: "valid" }),
    ]);
    const batch = await operator.openImportBatch({ asUser, manifest: { "CAT-1": lineDigest(content) } });
    expect(batch).toMatchObject({ asUser, imported: 0 });
    const published = await operator.publishImportLines({ batchId: batch.id, lines });
    expect(published.lines).toEqual([expect.objectContaining({ importId: "CAT-1", status: "published" })]);
    expect((await operator.openImportBatch({ asUser, manifest: { "CAT-1": lineDigest(content) } })).imported).toBe(1);
  });

  it("refuses a malformed id before sending anything", async () => {
    const unreachable = createGatewayClient({ baseUrl: "http://127.0.0.1:9", token: "ttl.x" });
    await expect(unreachable.getDeal({ dealId: "lst_0123456789abcdef01234567" })).rejects.toThrow(InvalidArgumentError);
    await expect(unreachable.getMatch({ matchId: "deal_1" })).rejects.toThrow(/matchId must be a match id/);
    await expect(unreachable.revealSealedBid({ biddingId: "bid_1", amount: 1, salt: "0x00" })).rejects.toThrow(
      /biddingId must be a sealed bidding id/,
    );
  });
});
