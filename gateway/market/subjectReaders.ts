import type { SealedRecord } from "tech-transfer-ledger/sdk";
import type { SubjectReaders } from "../evidence/access";
import type { MarketRepository } from "./repository";

/**
 * Who takes part in the market's subjects, for the evidence's readers
 * (gateway/evidence/access.ts says who reads what):
 *
 * - `listing:<id>`: its owner;
 * - `match:<id>`: its sides, and the broker who proposed it;
 * - `deal:<id>`: its parties and its broker (the escrow adds its arbitrator);
 * - `trade:<id>`: an auction's seller and bidders; a sealed bidding's seller, its
 *   bidders once it is closed, and before that each bidder for its own commitment
 *   and reveal and the public steps.
 */
export function marketSubjectReaders(tables: MarketRepository): SubjectReaders {
  return {
    listing: async (me, id) => (await tables.listings.get(id))?.ownerId === me,
    match: async (me, id) => {
      const match = await tables.matches.get(id);
      return !!match && [match.supplierId, match.demanderId, match.brokerId, match.proposedBy].includes(me);
    },
    deal: async (me, id) => {
      const deal = await tables.deals.get(id);
      return !!deal && [deal.supplierId, deal.demanderId, deal.brokerId].includes(me);
    },
    trade: (me, id, record) => mayReadTrade(tables, me, id, record),
  };
}

async function mayReadTrade(
  tables: MarketRepository,
  me: string,
  id: string,
  record: SealedRecord | undefined,
): Promise<boolean> {
  const auction = await tables.auctions.get(id);
  if (auction) return auction.sellerId === me || auction.bids.some((b) => b.bidderId === me);
  const bidding = await tables.biddings.get(id);
  if (!bidding) return false;
  const bidder = bidding.commitments.some((c) => c.bidderId === me);
  if (bidding.sellerId === me || (bidder && bidding.status === "closed")) return true;
  if (!bidder || !record) return false;
  // Before the close, another bidder's commitment or reveal stays theirs.
  const about = record.data.bidder;
  return about === undefined || about === me;
}
