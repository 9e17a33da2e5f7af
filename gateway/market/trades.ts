import { randomBytes } from "node:crypto";
import { sealedBidCommitment, sealedBiddingOutcome } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { badRequest, conflict, notFound, forbidden } from "../errors";
import type { EvidenceKind } from "../evidence/kinds";
import type { EvidenceRecorder } from "../evidence/recorder";
import { assertMayTrade } from "../identity/eligibility";
import type { UserService } from "../identity/users";
import { type BatchOperation } from "../store/database";
import type { MarketRepository } from "./repository";
import type { BidGate, CounterpartyGate } from "../risk/gates";
import { KeyedLock } from "../util/keyedLock";
import type { Notifier } from "./notifications";
import {
  dealSubject,
  publicVersion,
  tradeSubject,
  type Auction,
  type Deal,
  type Listing,
  type SealedBidding,
} from "./types";

const tooLate = (message: string) => conflict("TRADE_CLOSED", message);

export interface AuctionInput {
  listingId: string;
  currency: string;
  startingPrice: number;
  reservePrice: number;
  minIncrement: number;
  endsAt: string;
  extensionSeconds: number;
}

export interface BiddingInput {
  listingId: string;
  currency: string;
  reservePrice: number;
  commitDeadline: string;
  revealDeadline: string;
}

/**
 * The trading modes of T/TMAC-002-2017 beyond a listed price: open ascending
 * auctions (拍卖) and sealed bidding (竞价). Every opening, bid, commitment,
 * reveal and outcome is an evidence record of the trade's subject; the winner
 * gets a deal. A sealed bidding's outcome is computed by the SDK's
 * `sealedBiddingOutcome`, the same function anyone runs to check it.
 */
export class TradeService {
  private readonly lock = new KeyedLock();
  private risk?: BidGate & CounterpartyGate;

  constructor(
    private readonly tables: MarketRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly notifier: Notifier,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Asks risk control before each bid and listed-price deal (set once at start; docs/RISK.md). */
  useRiskGate(risk: BidGate & CounterpartyGate): void {
    this.risk = risk;
  }

  async openAuction(seller: Principal, input: AuctionInput): Promise<Auction> {
    const listing = await this.sellable(seller, input.listingId);
    const now = this.clock();
    if (Date.parse(input.endsAt) <= now.getTime()) throw badRequest("END_IN_PAST", "endsAt must be in the future");
    if (input.reservePrice < input.startingPrice)
      throw badRequest("RESERVE_BELOW_START", "the reserve price must not be below the starting price");
    if (input.minIncrement < 1)
      throw badRequest("INCREMENT_TOO_SMALL", "the minimum increment is at least one minor unit");
    const id = `auc_${randomBytes(12).toString("hex")}`;
    const auction: Auction = {
      id,
      ...input,
      sellerId: seller.id,
      bids: [],
      status: "open",
      createdAt: now.toISOString(),
    };
    await this.commit(id, "trade.opened", { mode: "auction", listing: listing.id, ...input }, () => [
      this.put(auction),
    ]);
    return auction;
  }

  /** An ascending bid by a certified demander: at least the start, and the highest bid plus the increment. */
  async bid(bidder: Principal, id: string, amount: number): Promise<Auction> {
    await this.assertBuyer(bidder);
    return this.lock.run([id], async () => {
      const auction = await this.auction(id);
      const now = this.clock();
      if (auction.status !== "open" || now.getTime() >= Date.parse(auction.endsAt))
        throw tooLate(`the auction ended at ${auction.endsAt}`);
      if (bidder.id === auction.sellerId) throw forbidden("OWN_AUCTION", "the seller cannot bid");
      const highest = auction.bids[auction.bids.length - 1]?.amount;
      const minimum = highest === undefined ? auction.startingPrice : highest + auction.minIncrement;
      if (amount < minimum) {
        throw badRequest(
          "BID_TOO_LOW",
          `the bid must be at least ${minimum} (${highest === undefined ? "the starting price" : "highest bid plus the increment"})`,
        );
      }
      await this.risk?.beforeBid({
        auctionId: id,
        bidderId: bidder.id,
        sellerId: auction.sellerId,
        earlierBidderIds: auction.bids.map((earlier) => earlier.bidderId),
        amount,
        currency: auction.currency,
      });
      // A bid in the last minutes pushes the end, so nobody wins by sniping.
      const extend = Date.parse(auction.endsAt) - now.getTime() <= auction.extensionSeconds * 1000;
      const endsAt = extend ? new Date(now.getTime() + auction.extensionSeconds * 1000).toISOString() : auction.endsAt;
      let next: Auction = auction;
      await this.commit(
        id,
        "trade.bid",
        { mode: "auction", bidder: bidder.id, amount, currency: auction.currency, endsAt },
        (recordId) => {
          next = {
            ...auction,
            endsAt,
            bids: [...auction.bids, { bidderId: bidder.id, amount, at: now.toISOString(), recordId }],
          };
          return [this.put(next)];
        },
      );
      return next;
    });
  }

  /** Closes an ended auction: the highest bid at or above the reserve wins a deal. */
  async closeAuction(id: string): Promise<Auction> {
    return this.lock.run([id], async () => {
      const auction = await this.auction(id);
      if (auction.status === "closed") return auction;
      if (this.clock().getTime() < Date.parse(auction.endsAt))
        throw conflict("TRADE_OPEN", `the auction runs until ${auction.endsAt}`);
      const best = auction.bids[auction.bids.length - 1];
      const won = best && best.amount >= auction.reservePrice;
      const reason = won ? "highest bid at or above the reserve" : best ? "highest bid below the reserve" : "no bids";
      return this.finish(
        auction,
        won ? best.bidderId : undefined,
        won ? best.amount : undefined,
        reason,
        "auction",
        (outcome) => ({
          ...auction,
          status: "closed" as const,
          outcome,
        }),
      ) as Promise<Auction>;
    });
  }

  async openBidding(seller: Principal, input: BiddingInput): Promise<SealedBidding> {
    const listing = await this.sellable(seller, input.listingId);
    const now = this.clock();
    const commit = Date.parse(input.commitDeadline);
    if (commit <= now.getTime()) throw badRequest("DEADLINE_IN_PAST", "commitDeadline must be in the future");
    if (Date.parse(input.revealDeadline) <= commit)
      throw badRequest("REVEAL_BEFORE_COMMIT", "revealDeadline must come after commitDeadline");
    const id = `bid_${randomBytes(12).toString("hex")}`;
    const bidding: SealedBidding = {
      id,
      ...input,
      sellerId: seller.id,
      commitments: [],
      reveals: [],
      status: "committing",
      createdAt: now.toISOString(),
    };
    await this.commit(id, "trade.opened", { mode: "sealed-bidding", listing: listing.id, ...input }, () => [
      this.put(bidding),
    ]);
    return bidding;
  }

  /** A sealed bid: only its commitment, before the deadline; anchored like every record. */
  async commitBid(bidder: Principal, id: string, commitment: string): Promise<{ recordId: string }> {
    await this.assertBuyer(bidder);
    return this.lock.run([id], async () => {
      const bidding = await this.bidding(id);
      if (this.clock().getTime() >= Date.parse(bidding.commitDeadline))
        throw tooLate(`commitments closed at ${bidding.commitDeadline}`);
      if (bidder.id === bidding.sellerId) throw forbidden("OWN_BIDDING", "the seller cannot bid");
      if (bidding.commitments.some((c) => c.bidderId === bidder.id))
        throw conflict("ALREADY_COMMITTED", "one sealed bid per bidder");
      let recordId = "";
      await this.commit(
        id,
        "trade.bid",
        { mode: "sealed-bidding", phase: "commitment", bidder: bidder.id, commitment },
        (rid) => {
          recordId = rid;
          const at = this.clock().toISOString();
          return [
            this.put({
              ...bidding,
              commitments: [...bidding.commitments, { bidderId: bidder.id, commitment, at, recordId: rid }],
            }),
          ];
        },
      );
      return { recordId };
    });
  }

  /** A reveal after the commitment deadline: refused unless it matches the bidder's commitment. */
  async reveal(bidder: Principal, id: string, amount: number, salt: string): Promise<SealedBidding> {
    return this.lock.run([id], async () => {
      const bidding = await this.bidding(id);
      const now = this.clock().getTime();
      if (now < Date.parse(bidding.commitDeadline))
        throw conflict("TOO_EARLY", `reveals open at ${bidding.commitDeadline}`);
      if (now >= Date.parse(bidding.revealDeadline)) throw tooLate(`reveals closed at ${bidding.revealDeadline}`);
      const committed = bidding.commitments.find((c) => c.bidderId === bidder.id);
      if (!committed) throw forbidden("NO_COMMITMENT", "only bidders who committed before the deadline reveal");
      if (bidding.reveals.some((r) => r.bidderId === bidder.id))
        throw conflict("ALREADY_REVEALED", "the bid was revealed already");
      const expected = sealedBidCommitment({
        bidding: id,
        bidder: bidder.id,
        amount,
        currency: bidding.currency,
        salt,
      });
      if (expected !== committed.commitment) {
        throw badRequest("REVEAL_MISMATCH", "the amount and salt do not give the commitment made before the deadline");
      }
      let next = bidding;
      await this.commit(
        id,
        "trade.bid",
        { mode: "sealed-bidding", phase: "reveal", bidder: bidder.id, amount, salt },
        (recordId) => {
          next = {
            ...bidding,
            status: "revealing",
            reveals: [
              ...bidding.reveals,
              { bidderId: bidder.id, amount, salt, at: new Date(now).toISOString(), recordId },
            ],
          };
          return [this.put(next)];
        },
      );
      return next;
    });
  }

  /** After the reveal deadline: the best valid reveal wins, computed as anyone can recompute it. */
  async closeBidding(id: string): Promise<SealedBidding> {
    return this.lock.run([id], async () => {
      const bidding = await this.bidding(id);
      if (bidding.status === "closed") return bidding;
      if (this.clock().getTime() < Date.parse(bidding.revealDeadline))
        throw conflict("TRADE_OPEN", `reveals run until ${bidding.revealDeadline}`);
      const result = sealedBiddingOutcome(bidding);
      return this.finish(bidding, result.winnerId, result.amount, result.reason, "sealed-bidding", (outcome) => ({
        ...bidding,
        status: "closed" as const,
        outcome,
      })) as Promise<SealedBidding>;
    });
  }

  /**
   * Accepting a listed price (挂牌, T/TMAC-002-2017): a certified demander takes
   * a supply listed at a fixed price at that price, which opens a deal with the
   * price agreed. One deal per buyer and listing.
   */
  async acceptListedPrice(buyer: Principal, listingId: string): Promise<Deal> {
    await this.assertBuyer(buyer);
    const listing = await this.tables.listings.get(listingId);
    const version = listing && publicVersion(listing);
    if (!listing || !version || listing.side !== "supply") {
      throw badRequest("LISTING_NOT_PUBLIC", "a listed price is accepted on an approved supply listing");
    }
    if (listing.ownerId === buyer.id) throw forbidden("OWN_LISTING", "the seller cannot buy its own listing");
    const price = version.content.side === "supply" ? version.content.price : undefined;
    if (!price || !("amount" in price)) {
      throw conflict("PRICE_NOT_FIXED", "this listing's price is a range or negotiable: propose a match and negotiate");
    }
    await this.risk?.beforeCounterparties([listing.ownerId, buyer.id]);
    const key = `${listingId}:${buyer.id}`;
    return this.lock.run([key], async () => {
      const existing = await this.tables.listedPriceDeals.get(key);
      if (existing) throw conflict("DEAL_EXISTS", `you accepted this listing's price already (deal ${existing})`);
      const dealId = `deal_${randomBytes(12).toString("hex")}`;
      const agreed = { amount: price.amount, currency: price.currency };
      const deal = await this.recorder.write(async (unit) => {
        const opened = await unit.seal({
          kind: "deal.opened",
          subject: dealSubject(dealId),
          data: {
            mode: "listed-price",
            supply: listing.id,
            version: version.version,
            supplier: listing.ownerId,
            demander: buyer.id,
            price: agreed,
          },
        });
        const deal: Deal = {
          id: dealId,
          price: agreed,
          supplyId: listing.id,
          supplierId: listing.ownerId,
          demanderId: buyer.id,
          status: "negotiating",
          openedAt: opened.header.recordedAt,
          recordId: opened.header.id,
        };
        unit.put(this.tables.deals, dealId, deal).put(this.tables.listedPriceDeals, key, dealId);
        return deal;
      });
      for (const userId of [listing.ownerId, buyer.id]) {
        await this.notifier.notify(userId, {
          kind: "deal.opened",
          text: "The listed price was accepted: a deal is open",
          link: `/v1/deals/${dealId}`,
        });
      }
      return deal;
    });
  }

  async auction(id: string): Promise<Auction> {
    const auction = await this.tables.auctions.get(id);
    if (!auction) throw notFound("TRADE_NOT_FOUND", `no auction ${id}`);
    return auction;
  }

  async bidding(id: string): Promise<SealedBidding> {
    const bidding = await this.tables.biddings.get(id);
    if (!bidding) throw notFound("TRADE_NOT_FOUND", `no sealed bidding ${id}`);
    return bidding;
  }

  /** Records the outcome and, when there is a winner, opens the deal, in one write. */
  private async finish<T extends Auction | SealedBidding>(
    trade: T,
    winnerId: string | undefined,
    amount: number | undefined,
    reason: string,
    mode: string,
    close: (outcome: NonNullable<T["outcome"]>) => T,
  ): Promise<T> {
    const listing = (await this.tables.listings.get(trade.listingId))!;
    const dealId = winnerId ? `deal_${randomBytes(12).toString("hex")}` : undefined;
    // The outcome and the deal it opens are one transition: both records, the
    // closed trade and the new deal are committed together, and each record names
    // the other's subject (`deal`, `trade`).
    const closed = await this.recorder.write(async (unit) => {
      const outcome = await unit.seal({
        kind: "trade.outcome",
        subject: tradeSubject(trade.id),
        data: {
          mode,
          winner: winnerId ?? null,
          amount: amount ?? null,
          currency: trade.currency,
          reason,
          deal: dealId ?? null,
        },
      });
      const closed = close({ winnerId, amount, reason, recordId: outcome.header.id, dealId } as NonNullable<
        T["outcome"]
      >);
      unit.add(this.put(closed));
      if (winnerId && dealId) {
        const price = { amount: amount!, currency: trade.currency };
        const opened = await unit.seal({
          kind: "deal.opened",
          subject: dealSubject(dealId),
          data: { trade: trade.id, mode, supply: listing.id, supplier: listing.ownerId, demander: winnerId, price },
        });
        const deal: Deal = {
          id: dealId,
          tradeId: trade.id,
          price,
          supplyId: listing.id,
          supplierId: listing.ownerId,
          demanderId: winnerId,
          status: "negotiating",
          openedAt: new Date().toISOString(),
          recordId: opened.header.id,
        };
        unit.put(this.tables.deals, dealId, deal);
      }
      return closed;
    });
    if (winnerId && dealId) {
      for (const userId of [listing.ownerId, winnerId]) {
        await this.notifier.notify(userId, {
          kind: "deal.opened",
          text: `The ${mode} closed: a deal is open`,
          link: `/v1/deals/${dealId}`,
        });
      }
    }
    return closed;
  }

  private put(trade: Auction | SealedBidding): BatchOperation {
    return trade.id.startsWith("auc_")
      ? { type: "put", sublevel: this.tables.auctions, key: trade.id, value: trade }
      : { type: "put", sublevel: this.tables.biddings, key: trade.id, value: trade };
  }

  private async commit(
    id: string,
    kind: EvidenceKind,
    data: Record<string, unknown>,
    build: (recordId: string) => BatchOperation[],
  ): Promise<void> {
    await this.recorder.write(async (unit) => {
      const record = await unit.seal({ kind, subject: tradeSubject(id), data });
      unit.add(...build(record.header.id));
    });
  }

  /** The seller's own public supply listing. */
  private async sellable(seller: Principal, listingId: string): Promise<Listing> {
    if (seller.kind !== "user" || !seller.roles.includes("supplier"))
      throw forbidden("ROLE_REQUIRED", "trades are opened by suppliers");
    assertMayTrade(await this.users.get(seller.id));
    const listing = await this.tables.listings.get(listingId);
    if (!listing || listing.ownerId !== seller.id)
      throw forbidden("NOT_OWNER", "a trade is opened on the seller's own listing");
    if (listing.side !== "supply" || !publicVersion(listing))
      throw badRequest("LISTING_NOT_PUBLIC", "a trade is opened on an approved supply listing");
    return listing;
  }

  private async assertBuyer(bidder: Principal): Promise<void> {
    if (bidder.kind !== "user" || !bidder.roles.includes("demander"))
      throw forbidden("ROLE_REQUIRED", "bids are placed by demanders");
    assertMayTrade(await this.users.get(bidder.id));
  }
}
