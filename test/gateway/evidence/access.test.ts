import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  sealedBidCommitment,
  sealedBiddingOutcome,
  verifyCertificate,
  type EvidenceCertificate,
  type SealedBiddingRecord,
} from "../../../sdk";
import { openDeal } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { pvRecyclingSupply } from "../../helpers/listings";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const MINUTE = 60_000;

/** The receipts a response carries in its Evidence-Receipts header. */
function receiptsOf(headers: Headers): Array<{ recordId: string; subject: string; seq: number }> {
  const value = headers.get("evidence-receipts");
  return value ? JSON.parse(Buffer.from(value, "base64url").toString("utf8")) : [];
}

describe("parties prove their own records", () => {
  let t: TestPlatform;
  let now = Date.now();
  let supplier: TestUser;
  let demander: TestUser;
  let reviewer: TestUser;
  let stranger: TestUser;
  const as = (user?: TestUser) => client(t.url, user?.token);

  /** The certificate `user` gets for `recordId` once it is anchored; or the refusal. */
  async function certificateAs(user: TestUser, recordId: string) {
    return eventually(async () => {
      const answer = await as(user)("GET", `/v1/evidence/${recordId}/certificate`);
      return answer.status === 409 ? undefined : answer;
    });
  }

  beforeAll(async () => {
    t = await startTestPlatform({ clock: () => new Date(now) });
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
    stranger = await makeUser(t, { type: "enterprise", roles: ["demander", "supplier"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("a supplier fetches the certificate of its listing's record; a stranger is refused", async () => {
    const created = await as(supplier)("POST", "/v1/listings", pvRecyclingSupply());
    const [receipt] = receiptsOf(created.headers);
    expect(receipt.subject).toBe(`listing:${created.body.id}`);
    const mine = await certificateAs(supplier, receipt.recordId);
    expect(mine.status).toBe(200);
    expect((await verifyCertificate(mine.body, { rpcUrl: t.chain.rpcUrl, trust: t.trust })).verdict).toBe("VALID");
    const theirs = await as(stranger)("GET", `/v1/evidence/${receipt.recordId}/certificate`);
    expect([theirs.status, theirs.body.error.code]).toEqual([403, "NOT_YOUR_RECORD"]);
    expect((await as(stranger)("GET", `/v1/subjects/listing:${created.body.id}/evidence`)).status).toBe(403);
    expect((await as(supplier)("GET", `/v1/subjects/listing:${created.body.id}/evidence`)).status).toBe(200);
  });

  it("both parties of a deal read its records and their certificates; nobody else does", async () => {
    const deal = await openDeal(t, supplier, demander, reviewer);
    const chain = await eventually(async () => {
      const answer = await as(demander)("GET", `/v1/subjects/deal:${deal.id}/evidence`);
      return answer.status === 200 && answer.body.anchoredHead ? answer.body : undefined;
    });
    const first = chain.records[0].id;
    for (const party of [supplier, demander]) {
      const answer = await certificateAs(party, first);
      expect(answer.status).toBe(200);
      expect(answer.body.record.header.subject).toBe(`deal:${deal.id}`);
    }
    expect((await as(stranger)("GET", `/v1/evidence/${first}`)).status).toBe(403);
    expect((await as(stranger)("GET", `/v1/subjects/deal:${deal.id}/evidence`)).status).toBe(403);
  });

  it("a bidder reads its own sealed bid at once, every bid once the bidding is closed, and recomputes the outcome", async () => {
    const listing = await as(supplier)("POST", "/v1/listings", pvRecyclingSupply());
    await as(reviewer)("POST", `/v1/listings/${listing.body.id}/review`, { approved: true });
    const opened = await as(supplier)("POST", "/v1/biddings", {
      listingId: listing.body.id,
      currency: "CNY",
      reservePrice: 100_000_000,
      commitDeadline: new Date(now + 60 * MINUTE).toISOString(),
      revealDeadline: new Date(now + 120 * MINUTE).toISOString(),
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id;
    const bidders = [demander, stranger];
    const bids = [130_000_000, 150_000_000];
    const salts = bids.map(() => `0x${randomBytes(32).toString("hex")}`);
    const commitments: string[] = [];
    for (const [i, bidder] of bidders.entries()) {
      const commitment = sealedBidCommitment({
        bidding: id,
        bidder: bidder.id,
        amount: bids[i],
        currency: "CNY",
        salt: salts[i],
      });
      const answer = await as(bidder)("POST", `/v1/biddings/${id}/commitments`, { commitment });
      expect(answer.status).toBe(201);
      commitments.push(answer.body.recordId);
    }
    expect((await certificateAs(demander, commitments[0])).status).toBe(200);
    // Before the close, another bidder's bid is not theirs to read.
    expect((await as(demander)("GET", `/v1/evidence/${commitments[1]}/certificate`)).status).toBe(403);
    expect((await as(demander)("GET", `/v1/subjects/trade:${id}/evidence`)).status).toBe(403);

    now += 61 * MINUTE;
    for (const [i, bidder] of bidders.entries()) {
      expect((await as(bidder)("POST", `/v1/biddings/${id}/reveals`, { amount: bids[i], salt: salts[i] })).status).toBe(
        200,
      );
    }
    now += 60 * MINUTE;
    const closed = await as(demander)("POST", `/v1/biddings/${id}/close`);
    expect(closed.body.outcome).toMatchObject({ winnerId: stranger.id, amount: 150_000_000 });

    // The losing bidder, alone: fetch every record's certificate, check each, recompute.
    const chain = await eventually(async () => {
      const answer = await as(demander)("GET", `/v1/subjects/trade:${id}/evidence`);
      return answer.status === 200 && answer.body.anchoredHead?.seq === answer.body.length - 1
        ? answer.body
        : undefined;
    });
    const certificates: EvidenceCertificate[] = [];
    for (const record of chain.records) {
      const answer = await certificateAs(demander, record.id);
      expect(answer.status).toBe(200);
      expect((await verifyCertificate(answer.body, { rpcUrl: t.chain.rpcUrl, trust: t.trust })).verdict).toBe("VALID");
      certificates.push(answer.body);
    }
    const value = (c: EvidenceCertificate, name: string) => (c.record.fields[name] as { value?: unknown }).value;
    const opening = certificates.find((c) => c.record.header.kind === "trade.opened")!;
    const bidsOf = (phase: string) =>
      certificates.filter((c) => c.record.header.kind === "trade.bid" && value(c, "phase") === phase);
    const bidding: SealedBiddingRecord = {
      id,
      currency: value(opening, "currency") as string,
      reservePrice: value(opening, "reservePrice") as number,
      commitments: bidsOf("commitment").map((c) => ({
        bidderId: value(c, "bidder") as string,
        commitment: value(c, "commitment") as string,
        at: c.record.header.recordedAt,
      })),
      reveals: bidsOf("reveal").map((c) => ({
        bidderId: value(c, "bidder") as string,
        amount: value(c, "amount") as number,
        salt: value(c, "salt") as string,
        at: c.record.header.recordedAt,
      })),
    };
    expect(sealedBiddingOutcome(bidding)).toMatchObject({ winnerId: stranger.id, amount: 150_000_000 });
  });
});
