import { z } from "zod";
import {
  AUCTION_ID_PATTERN,
  BYTES32_PATTERN,
  LISTING_ID_PATTERN,
  SEALED_BIDDING_ID_PATTERN,
} from "tech-transfer-ledger/sdk";
import { defineRoute, type Route } from "../http/route";
import { CURRENCIES } from "../market/schemas";
import type { TradeService } from "../market/trades";
import type { Auction } from "../market/types";
import type { Principal } from "../auth/roles";
import { holdsAny, STAFF_READERS } from "../auth/policy";

const listingId = z.string().regex(LISTING_ID_PATTERN, "a listing id (lst_…)");
const auctionId = z.string().regex(AUCTION_ID_PATTERN, "an auction id");
const biddingId = z.string().regex(SEALED_BIDDING_ID_PATTERN, "a sealed bidding id");
const minorUnits = z.int("an integer number of minor units: no fractions").min(0).max(Number.MAX_SAFE_INTEGER);
const currency = z.string().refine((code) => CURRENCIES.has(code), "an ISO 4217 currency code");
const instant = z.iso.datetime({ offset: true });
const refusals = {
  400: { description: "Invalid input (a bid below the increment, a reveal that does not match, …)" },
  401: { description: "No credential, or a bad or expired one" },
  403: { description: "Not a supplier or demander, or the account may not trade" },
  409: { description: "Too early or too late" },
};
const signedIn = { roles: [] as const, anyUser: true };

/** Bidders are shown by number to other people; the seller and reviewers see who they are. */
function auctionView(auction: Auction, viewer: Principal | undefined) {
  const whole = viewer?.id === auction.sellerId || holdsAny(viewer, STAFF_READERS);
  if (whole) return auction;
  const numbers = new Map<string, number>();
  for (const bid of auction.bids) if (!numbers.has(bid.bidderId)) numbers.set(bid.bidderId, numbers.size + 1);
  return {
    ...auction,
    bids: auction.bids.map(({ bidderId, ...bid }) => ({
      ...bid,
      bidder: bidderId === viewer?.id ? "you" : `bidder ${numbers.get(bidderId)}`,
    })),
    outcome: auction.outcome && {
      ...auction.outcome,
      winnerId: auction.outcome.winnerId === viewer?.id ? viewer?.id : undefined,
    },
  };
}

/** Auctions (拍卖) and sealed bidding (竞价) on supply listings. */
export function tradeRoutes(deps: { trades: TradeService }): Route[] {
  const { trades } = deps;
  return [
    defineRoute({
      method: "POST",
      path: "/v1/auctions",
      summary: "Open an ascending auction on one's own supply listing (suppliers)",
      tags: ["trading"],
      access: { roles: ["supplier"] },
      body: z.strictObject({
        listingId,
        currency,
        startingPrice: minorUnits,
        reservePrice: minorUnits,
        minIncrement: minorUnits,
        endsAt: instant,
        extensionSeconds: z.int().min(0).max(3600).default(300),
      }),
      responses: { 201: { description: "The auction" }, ...refusals },
      async handler({ body, principal }) {
        return { status: 201, body: await trades.openAuction(principal!, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/auctions/:id",
      summary: "An auction: its bids (bidders by number), end time and outcome",
      tags: ["trading"],
      access: { public: true },
      params: z.object({ id: auctionId }),
      responses: { 200: { description: "The auction" }, 404: { description: "No such auction" } },
      async handler({ params, principal }) {
        return { status: 200, body: auctionView(await trades.auction(params.id), principal) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/auctions/:id/bids",
      summary: "Bid (certified demanders): at least the highest bid plus the increment; a late bid extends the end",
      tags: ["trading"],
      access: { roles: ["demander"] },
      params: z.object({ id: auctionId }),
      body: z.strictObject({ amount: minorUnits }),
      responses: { 200: { description: "The auction with the bid" }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: auctionView(await trades.bid(principal!, params.id, body.amount), principal) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/auctions/:id/close",
      summary: "Close an ended auction: the best bid at or above the reserve wins a deal (anyone signed in)",
      tags: ["trading"],
      access: signedIn,
      params: z.object({ id: auctionId }),
      responses: { 200: { description: "The closed auction" }, ...refusals, 404: { description: "No such auction" } },
      async handler({ params, principal }) {
        return { status: 200, body: auctionView(await trades.closeAuction(params.id), principal) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/listings/:id/accept",
      summary:
        "Accept a supply listed at a fixed price (挂牌) at that price: a deal opens with the price agreed (demanders)",
      tags: ["trading"],
      access: signedIn,
      params: z.object({ id: listingId }),
      responses: {
        201: { description: "The deal, its price agreed" },
        ...refusals,
        409: { description: "The price is a range or negotiable, or this buyer accepted it already" },
      },
      async handler({ params, principal }) {
        return { status: 201, body: await trades.acceptListedPrice(principal!, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/biddings",
      summary: "Open a sealed bidding on one's own supply listing (suppliers)",
      tags: ["trading"],
      access: { roles: ["supplier"] },
      body: z.strictObject({
        listingId,
        currency,
        reservePrice: minorUnits,
        commitDeadline: instant,
        revealDeadline: instant,
      }),
      responses: { 201: { description: "The sealed bidding" }, ...refusals },
      async handler({ body, principal }) {
        return { status: 201, body: await trades.openBidding(principal!, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/biddings/:id",
      summary: "A sealed bidding: its commitments, the reveals, and the outcome anyone can recompute",
      description:
        "Recompute with the SDK's `sealedBiddingOutcome(bidding)`; each commitment's record is anchored (its certificate proves when).",
      tags: ["trading"],
      access: { public: true },
      params: z.object({ id: biddingId }),
      responses: { 200: { description: "The sealed bidding" }, 404: { description: "No such bidding" } },
      async handler({ params }) {
        return { status: 200, body: await trades.bidding(params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/biddings/:id/commitments",
      summary: "Commit to a sealed bid before the deadline (certified demanders): only its digest",
      description:
        "commitment = SHA-256(UTF-8(JCS({ amount, bidder, bidding, currency, salt }))) with a fresh 32-byte salt " +
        "(the SDK's `sealedBidCommitment`). Nobody, the operator included, sees the amount until the reveal.",
      tags: ["trading"],
      access: { roles: ["demander"] },
      params: z.object({ id: biddingId }),
      body: z.strictObject({
        commitment: z.string().regex(BYTES32_PATTERN, "32 bytes as 0x-prefixed lower-case hex"),
      }),
      responses: { 201: { description: "The commitment's evidence record id" }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await trades.commitBid(principal!, params.id, body.commitment) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/biddings/:id/reveals",
      summary: "Reveal a sealed bid after the deadline (its bidder); refused unless it matches the commitment",
      tags: ["trading"],
      access: { roles: ["demander"] },
      params: z.object({ id: biddingId }),
      body: z.strictObject({ amount: minorUnits, salt: z.string().regex(BYTES32_PATTERN, "the 32-byte salt") }),
      responses: { 200: { description: "The bidding with the reveal" }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await trades.reveal(principal!, params.id, body.amount, body.salt) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/biddings/:id/close",
      summary: "Close a sealed bidding after the reveal deadline: the best valid reveal wins a deal (anyone signed in)",
      tags: ["trading"],
      access: signedIn,
      params: z.object({ id: biddingId }),
      responses: {
        200: { description: "The closed bidding with its outcome" },
        ...refusals,
        404: { description: "No such bidding" },
      },
      async handler({ params }) {
        return { status: 200, body: await trades.closeBidding(params.id) };
      },
    }),
  ];
}
