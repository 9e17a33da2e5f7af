import { canonicalJson } from "../evidence/canonical";
import { toHex } from "../evidence/bytes";
import { sha256 } from "../evidence/sha256";

/** What a sealed bid commits to; the bidding and the bidder are inside, so a commitment cannot be copied. */
export interface SealedBid {
  bidding: string;
  bidder: string;
  amount: number;
  currency: string;
  /** 32 random bytes as hex: keeps the amount from being guessed from the commitment. */
  salt: string;
}

/**
 * The commitment to a sealed bid: `SHA-256(UTF-8(JCS({ amount, bidder, bidding, currency, salt })))`.
 *
 * @example
 * const commitment = sealedBidCommitment({ bidding, bidder, amount: 1_500_000_00, currency: "CNY", salt });
 */
export function sealedBidCommitment(bid: SealedBid): string {
  return toHex(sha256(new TextEncoder().encode(canonicalJson(bid))));
}

export interface SealedBiddingRecord {
  id: string;
  currency: string;
  reservePrice: number;
  commitments: Array<{ bidderId: string; commitment: string; at: string }>;
  reveals: Array<{ bidderId: string; amount: number; salt: string; at: string }>;
}

export interface SealedBiddingOutcome {
  winnerId?: string;
  amount?: number;
  /** Reveals that count: matching a commitment of the same bidder, at or above the reserve. */
  valid: Array<{ bidderId: string; amount: number }>;
  /** Reveals that do not count, and why. */
  invalid: Array<{ bidderId: string; reason: string }>;
  reason: string;
}

/**
 * The outcome of a sealed bidding, recomputed from its commitments and reveals:
 * the highest valid reveal wins; a tie goes to the earlier commitment. Anyone
 * can run this on the published records (whose anchoring the certificates prove)
 * and compare with the platform's published outcome.
 *
 * @example
 * const outcome = sealedBiddingOutcome(bidding); // { winnerId, amount, valid, invalid, reason }
 */
export function sealedBiddingOutcome(bidding: SealedBiddingRecord): SealedBiddingOutcome {
  const valid: SealedBiddingOutcome["valid"] = [];
  const invalid: SealedBiddingOutcome["invalid"] = [];
  const order = new Map(bidding.commitments.map((c, i) => [c.bidderId, i]));
  for (const reveal of bidding.reveals) {
    const committed = bidding.commitments.find((c) => c.bidderId === reveal.bidderId);
    const expected =
      committed &&
      sealedBidCommitment({
        bidding: bidding.id,
        bidder: reveal.bidderId,
        amount: reveal.amount,
        currency: bidding.currency,
        salt: reveal.salt,
      });
    if (!committed) invalid.push({ bidderId: reveal.bidderId, reason: "no commitment" });
    else if (expected !== committed.commitment)
      invalid.push({ bidderId: reveal.bidderId, reason: "does not match the commitment" });
    else if (reveal.amount < bidding.reservePrice)
      invalid.push({ bidderId: reveal.bidderId, reason: "below the reserve price" });
    else valid.push({ bidderId: reveal.bidderId, amount: reveal.amount });
  }
  const ranked = [...valid].sort((a, b) => b.amount - a.amount || order.get(a.bidderId)! - order.get(b.bidderId)!);
  const best = ranked[0];
  return best
    ? { winnerId: best.bidderId, amount: best.amount, valid, invalid, reason: "highest valid reveal" }
    : { valid, invalid, reason: "no valid reveal at or above the reserve price" };
}
