import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGatewayClient,
  statisticsSchema,
  type ContractFieldsInput,
  type ListingContent,
  type StatisticsSectionView,
  type StatisticsView,
} from "../../../sdk";
import type { Deal, Listing, MatchProposal } from "../../../gateway/market/types";
import { STATISTICS_CSV_COLUMNS } from "../../../gateway/statistics/statistics";
import { CONTRACT_FIXTURES } from "../../sdk/deal/contractFixtures";
import { makeUser, type TestUser } from "../../helpers/identity";
import { batterySoftwareSupply, pvRecyclingSupply, solarRecyclingDemand } from "../../helpers/listings";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";
import { patentSearchOffering, publishOffering } from "../../helpers/services";

const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString();

/** A transfer paid in two instalments (300,000,000 fen), due in the future. */
function transferContract(): ContractFieldsInput {
  const fixture = CONTRACT_FIXTURES.transfer as ContractFieldsInput & {
    payment: { instalments: Array<{ deliverBy: string }> };
  };
  return {
    ...fixture,
    payment: {
      ...fixture.payment,
      instalments: fixture.payment.instalments.map((instalment, i) => ({ ...instalment, deliverBy: inDays(60 + i) })),
    },
  } as ContractFieldsInput;
}

/** A technical service paid at once (8,000,000 fen). */
function serviceContract(): ContractFieldsInput {
  const fixture = CONTRACT_FIXTURES.service as ContractFieldsInput & { payment: Record<string, unknown> };
  return { ...fixture, payment: { ...fixture.payment, deliverBy: inDays(90) } } as ContractFieldsInput;
}

/** The groups of one cut of a section as `{ key: count }`. */
function counts(section: StatisticsSectionView, dimension: string): Record<string, number> {
  const cut = section.cuts.find((c) => c.dimension === dimension);
  expect(cut, `${section.name} has no cut by ${dimension}`).toBeDefined();
  return Object.fromEntries(cut!.groups.map((g) => [g.key, g.count]));
}

/** The amounts of one cut of a section as `{ key: { currency: [count, sum] } }`. */
function amounts(section: StatisticsSectionView, dimension: string) {
  const cut = section.cuts.find((c) => c.dimension === dimension)!;
  return Object.fromEntries(
    cut.groups.map((g) => [g.key, Object.fromEntries((g.amounts ?? []).map((a) => [a.currency, [a.count, a.sum]]))]),
  );
}

const section = (statistics: StatisticsView, name: string) => statistics.sections.find((s) => s.name === name)!;

/**
 * The regulator's figures (GET /v1/statistics): a small market over two periods,
 * counted by hand, and the figures recounted from the store's own rows.
 */
describe("the platform's statistics", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let buyer: TestUser;
  let reviewer: TestUser;
  let auditor: TestUser;
  let manager: TestUser;
  /** The boundary between the two periods. */
  let boundary: string;
  const as = (user?: TestUser) => client(t.url, user?.token);
  const sdk = (user: TestUser) => createGatewayClient({ baseUrl: t.url, token: user.token });

  const publish = async (owner: TestUser, content: Record<string, unknown>, approve = true) => {
    const created = await sdk(owner).createListing({ content: content as ListingContent });
    if (approve) await sdk(reviewer).reviewListing({ listingId: created.id, approved: true });
    return created.id;
  };
  const confirmedMatch = async (supplyId: string, demandId: string) => {
    const match = await sdk(demander).proposeMatch({ supplyId, demandId });
    await sdk(demander).answerMatch({ matchId: match.id, accept: true });
    const { deal } = await sdk(supplier).answerMatch({ matchId: match.id, accept: true });
    return deal!.id;
  };
  const signedContract = async (dealId: string, fields: ContractFieldsInput) => {
    await as(demander)("POST", `/v1/deals/${dealId}/moves`, { move: "begin_negotiation" });
    await as(demander)("POST", `/v1/deals/${dealId}/moves`, { move: "begin_contracting" });
    const drafted = await as(supplier)("POST", `/v1/deals/${dealId}/contract`, { language: "zh", fields });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    await sdk(supplier).signContract({ dealId, signer: supplier.wallet });
    const signed = await sdk(demander).signContract({ dealId, signer: demander.wallet });
    expect(signed.status).toBe("signed");
  };

  beforeAll(async () => {
    t = await startTestPlatform();
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    buyer = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
    auditor = await makeUser(t, { roles: ["auditor"] });
    manager = await makeUser(t, { roles: ["manager"] });

    // First period: three supplies (one still waiting for review), a demand, a transfer by instalments.
    const pv = await publish(supplier, pvRecyclingSupply()); // B, CN-53, patent, zh
    const software = await publish(supplier, batterySoftwareSupply()); // G, CN-53, software, en, 30,000,000 CNY
    await publish(supplier, pvRecyclingSupply({ ipc: ["C01B 33/037"], region: "CN-11" }), false); // C, submitted
    const demand = await publish(demander, solarRecyclingDemand()); // B, TH, en
    await signedContract(await confirmedMatch(pv, demand), transferContract());

    await new Promise((resolve) => setTimeout(resolve, 20));
    boundary = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));

    // Second period: a supply and a demand, a technical service paid at once, a listed price
    // accepted (of the first period's software), and a match nobody answered yet.
    const cell = await publish(supplier, pvRecyclingSupply({ ipc: ["H01L 31/18"], region: "TH" })); // H, TH, zh
    const demand2 = await publish(demander, solarRecyclingDemand({ ipc: ["H01L 31/18"], region: "CN-53" })); // H
    await signedContract(await confirmedMatch(cell, demand2), serviceContract());
    await sdk(buyer).acceptListedPrice({ listingId: software });
    await sdk(demander).proposeMatch({ supplyId: software, demandId: demand2 });
    // Two patent searches ordered from an agency: one it accepted, one still waiting for its answer.
    const agency = await makeUser(t, { type: "service" });
    const search = await publishOffering(t, agency, reviewer, patentSearchOffering());
    const accepted = await sdk(demander).orderService({ offeringId: search.id, brief: "光伏回收专利检索" });
    await sdk(agency).decideServiceOrder({ orderId: accepted.id, accepted: true });
    await sdk(buyer).orderService({ offeringId: search.id, brief: "电池软件自由实施分析" });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("counts every period by hand: listings, demands, matches, deals, amounts in exact fen", async () => {
    const all = await sdk(auditor).getStatistics();
    expect(statisticsSchema.parse(all)).toEqual(all);
    expect(all.sections.map((s) => s.name)).toEqual(["listings", "demands", "matches", "deals", "serviceOrders"]);

    const listings = section(all, "listings");
    expect(listings.count).toBe(4);
    expect(counts(listings, "ipcSection")).toEqual({ B: 1, C: 1, G: 1, H: 1 });
    expect(counts(listings, "region")).toEqual({ "CN-11": 1, "CN-53": 2, TH: 1 });
    expect(counts(listings, "kind")).toEqual({ patent: 3, software: 1 });
    expect(counts(listings, "language")).toEqual({ en: 1, zh: 3 });
    expect(counts(listings, "status")).toEqual({ approved: 3, submitted: 1 });
    const demands = section(all, "demands");
    expect(demands.count).toBe(2);
    expect(counts(demands, "ipcSection")).toEqual({ B: 1, H: 1 });
    expect(counts(demands, "region")).toEqual({ "CN-53": 1, TH: 1 });
    expect(demands.cuts.map((c) => c.dimension)).not.toContain("kind");
    const matches = section(all, "matches");
    expect(matches.count).toBe(3);
    expect(counts(matches, "status")).toEqual({ confirmed: 2, proposed: 1 });
    expect(counts(matches, "origin")).toEqual({ online: 3 });
    expect(counts(matches, "ipcSection")).toEqual({ B: 1, G: 1, H: 1 });

    const deals = section(all, "deals");
    expect(deals.count).toBe(3);
    expect(deals.amounts).toEqual([{ currency: "CNY", count: 3, sum: 300_000_000 + 8_000_000 + 30_000_000 }]);
    expect(counts(deals, "type")).toEqual({ none: 1, service: 1, transfer: 1 });
    expect(amounts(deals, "type")).toEqual({
      none: { CNY: [1, 30_000_000] },
      service: { CNY: [1, 8_000_000] },
      transfer: { CNY: [1, 300_000_000] },
    });
    expect(amounts(deals, "paymentMode")).toEqual({
      instalments: { CNY: [1, 300_000_000] },
      lumpSum: { CNY: [1, 8_000_000] },
      none: { CNY: [1, 30_000_000] },
    });
    expect(counts(deals, "origin")).toEqual({ "listed-price": 1, match: 2 });
    expect(counts(deals, "state")).toEqual({ contracting: 2, opened: 1 });
    expect(counts(deals, "region")).toEqual({ "CN-53": 2, TH: 1 });
    // Time per step is the deal statistics' own figure, not computed again.
    const { overall } = await sdk(auditor).getDealStatistics({});
    expect(deals.steps).toEqual([
      { step: "matchToContract", ...overall.matchToContract },
      { step: "contractToFirstDelivery", ...overall.contractToFirstDelivery },
      { step: "inspection", ...overall.inspection },
      { step: "followUpResponse", ...overall.followUpResponse },
    ]);

    const first = await sdk(auditor).getStatistics({ to: boundary });
    expect(section(first, "listings").count).toBe(3);
    expect(section(first, "demands").count).toBe(1);
    expect(section(first, "matches").count).toBe(1);
    expect(section(first, "deals").amounts).toEqual([{ currency: "CNY", count: 1, sum: 300_000_000 }]);
    expect(counts(section(first, "deals"), "paymentMode")).toEqual({ instalments: 1 });

    const second = await sdk(auditor).getStatistics({ from: boundary });
    expect(counts(section(second, "listings"), "ipcSection")).toEqual({ H: 1 });
    expect(section(second, "matches").count).toBe(2);
    // The listed price was accepted in the second period, of a listing of the first: a deal counts when it opened.
    expect(amounts(section(second, "deals"), "origin")).toEqual({
      "listed-price": { CNY: [1, 30_000_000] },
      match: { CNY: [1, 8_000_000] },
    });
    expect(section(second, "deals").amounts).toEqual([{ currency: "CNY", count: 2, sum: 38_000_000 }]);
    const orders = section(second, "serviceOrders");
    expect(orders.count).toBe(2);
    expect(counts(orders, "kind")).toEqual({ ip: 2 });
    expect(counts(orders, "evaluationKind")).toEqual({ none: 2 });
    expect(counts(orders, "state")).toEqual({ accepted: 1, ordered: 1 });
    expect(section(first, "serviceOrders").count).toBe(0);

    const none = await sdk(auditor).getStatistics({ from: "2020-01-01", to: "2020-02-01" });
    for (const s of none.sections) expect([s.name, s.count]).toEqual([s.name, 0]);
  });

  it("equals a recount from the store's own rows, in both periods", async () => {
    const { listings, matches, deals } = t.platform.tables.market;
    const rows = async <T>(table: { values(): AsyncIterable<T> }) => {
      const all: T[] = [];
      for await (const row of table.values()) all.push(row);
      return all;
    };
    const storedListings = await rows<Listing>(listings);
    const storedMatches = await rows<MatchProposal>(matches);
    const storedDeals = await rows<Deal>(deals);
    const storedOrders = await rows<{ kind: string; state: string; createdAt: string }>(
      t.platform.tables.services.orders,
    );
    const contentOf = (id: string) => {
      const listing = storedListings.find((l) => l.id === id)!;
      return (listing.versions.find((v) => v.version === listing.approvedVersion) ?? listing.versions.at(-1)!).content;
    };
    const tallyBy = <T>(items: T[], key: (item: T) => string) => {
      const tally: Record<string, number> = {};
      for (const item of items) tally[key(item)] = (tally[key(item)] ?? 0) + 1;
      return tally;
    };
    for (const period of [{ to: boundary }, { from: boundary }, {}] as Array<{ from?: string; to?: string }>) {
      const inside = (at: string) => (!period.from || at >= period.from) && (!period.to || at < period.to);
      const figures = await sdk(auditor).getStatistics(period);
      for (const [name, side] of [
        ["listings", "supply"],
        ["demands", "demand"],
      ] as const) {
        const mine = storedListings.filter((l) => l.side === side && inside(l.createdAt));
        const figure = section(figures, name);
        expect(figure.count).toBe(mine.length);
        expect(counts(figure, "ipcSection")).toEqual(tallyBy(mine, (l) => contentOf(l.id).ipc[0][0]));
        expect(counts(figure, "region")).toEqual(tallyBy(mine, (l) => contentOf(l.id).region));
        expect(counts(figure, "language")).toEqual(tallyBy(mine, (l) => contentOf(l.id).language));
      }
      const mineMatches = storedMatches.filter((m) => inside(m.createdAt));
      expect(counts(section(figures, "matches"), "status")).toEqual(tallyBy(mineMatches, (m) => m.status));
      const mineDeals = storedDeals.filter((d) => inside(d.openedAt));
      expect(section(figures, "deals").count).toBe(mineDeals.length);
      let sum = 0;
      for (const deal of mineDeals) {
        const registration = await t.platform.dealContracts.signedRegistrationOf(deal.id);
        sum += registration?.amount ?? deal.price?.amount ?? 0;
      }
      expect(section(figures, "deals").amounts?.[0]?.sum ?? 0).toBe(sum);
      const mineOrders = storedOrders.filter((o) => inside(o.createdAt));
      expect(section(figures, "serviceOrders").count).toBe(mineOrders.length);
      expect(counts(section(figures, "serviceOrders"), "kind")).toEqual(tallyBy(mineOrders, (o) => o.kind));
      expect(counts(section(figures, "serviceOrders"), "state")).toEqual(tallyBy(mineOrders, (o) => o.state));
    }
  });

  it("answers the same figures as one flat CSV", async () => {
    const response = await fetch(`${t.url}/v1/statistics?format=csv&from=${encodeURIComponent(boundary)}`, {
      headers: { authorization: `Bearer ${auditor.token}` },
    });
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("statistics.csv");
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]).toBe(STATISTICS_CSV_COLUMNS.join(","));
    expect(lines[0]).toBe("section,dimension,key,currency,count,amount,median_seconds");
    expect(lines).toContain("listings,all,all,,1,,");
    expect(lines).toContain("listings,ipcSection,H,,1,,");
    expect(lines).toContain("deals,all,all,,2,,");
    expect(lines).toContain("deals,all,all,CNY,2,38000000,");
    expect(lines).toContain("deals,type,service,,1,,");
    expect(lines).toContain("deals,type,service,CNY,1,8000000,");
    expect(lines).toContain("deals,paymentMode,none,CNY,1,30000000,");
    expect(lines).toContain("deals,step,matchToContract,,0,,");
    expect(lines.at(-1)).toBe("");
  });

  it("refuses a bad or reversed period with 400 and a stable code, and callers other than the overseers", async () => {
    const reversed = await as(auditor)("GET", "/v1/statistics?from=2027-02-01&to=2027-01-01");
    expect([reversed.status, reversed.body.error.code]).toEqual([400, "PERIOD_REVERSED"]);
    const empty = await as(auditor)("GET", "/v1/statistics?from=2027-01-01&to=2027-01-01");
    expect([empty.status, empty.body.error.code]).toEqual([400, "PERIOD_REVERSED"]);
    const bad = await as(auditor)("GET", "/v1/statistics?from=2027-02-30");
    expect([bad.status, bad.body.error.code, bad.body.error.details[0].path]).toEqual([
      400,
      "INVALID_REQUEST",
      "query.from",
    ]);
    const page = await as(auditor)("GET", "/statistics?to=2027-01-01&from=2027-03-01");
    expect([page.status, page.body.error.code]).toEqual([400, "PERIOD_REVERSED"]);
    expect((await as(manager)("GET", "/v1/statistics")).status).toBe(403);
    expect((await as(supplier)("GET", "/statistics")).status).toBe(403);
    expect((await as()("GET", "/v1/statistics")).body.error.code).toBe("AUTHENTICATION_REQUIRED");
    expect((await client(t.url, t.token)("GET", "/v1/statistics")).status).toBe(200);
  });

  it("opens the page in a browser with a ticket: figures, SVG charts, the period form, the CSV link", async () => {
    const refused = await as(manager)("POST", "/v1/statistics/page-tickets");
    expect(refused.status).toBe(403);
    const { ticket, url, expiresAt } = await sdk(auditor).createStatisticsPageTicket();
    expect(url).toBe(`/statistics?ticket=${ticket}`);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);

    // A browser follows the link without any header, and again with another period (the ticket lasts).
    for (const query of ["", `&from=${encodeURIComponent(boundary)}`]) {
      const response = await fetch(`${t.url}${url}${query}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("no-store");
      const html = await response.text();
      expect(html).toContain("<svg");
      expect(html).toContain("H Electricity");
      expect(html).not.toContain("<script");
      expect(html).toContain(`name="ticket" value="${ticket}"`);
      expect(html).toContain(`/v1/statistics?`);
    }
    // The period form sends its empty fields too: no bound.
    const blank = await fetch(`${t.url}/statistics?from=&to=&ticket=${ticket}`);
    expect(blank.status).toBe(200);
    const html = await (await fetch(`${t.url}${url}&from=${encodeURIComponent(boundary)}`)).text();
    expect(html).toContain("Deals and their amounts (交易): 2");
    expect(html).toContain("380,000.00 CNY (2)");

    const csv = await fetch(`${t.url}/v1/statistics?format=csv&ticket=${ticket}`);
    expect(csv.status).toBe(200);
    // The ticket opens the statistics, nothing else; an unknown ticket is refused with its own code.
    const elsewhere = await as()("GET", `/v1/statistics/deals?ticket=${ticket}`);
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([401, "AUTHENTICATION_REQUIRED"]);
    const unknown = await as()("GET", `/statistics?ticket=sptk_${"A".repeat(32)}`);
    expect([unknown.status, unknown.body.error.code]).toEqual([401, "STATISTICS_TICKET_INVALID"]);
  });
});
