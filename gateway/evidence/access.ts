import type { SealedRecord } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import type { Store } from "../store/store";
import { EVIDENCE_READERS, holdsAny } from "../auth/policy";

/**
 * Who may read a record's evidence (its view and its certificate). Staff who
 * audit (the operator's services, auditors) read everything. A user reads the
 * records of the subjects they take part in, so that a party can prove its own
 * records without asking anyone:
 *
 * - `user:<id>`: their own account;
 * - `listing:<id>`: listings they own;
 * - `match:<id>`: matches they are a side of, or the broker who proposed;
 * - `deal:<id>`: deals they are a party, the broker or the arbitrator of;
 * - `trade:<id>`: auctions and sealed biddings they sell or bid in. An auction's
 *   bids are public to its participants; in a sealed bidding a bidder reads its
 *   own commitment and reveal and the public steps (opening, outcome) at any time,
 *   and every record once the bidding is closed, which is when all reveals are
 *   public: any bidder can then recompute the outcome from certificates it fetched;
 * - `escrow:<address>`: the escrow's own events (pause, deadlines moved, roles), public.
 *
 * Anything else is refused, and so is a record that does not exist, so ids cannot be probed.
 */
export class EvidenceAccess {
  constructor(private readonly store: Store) {}

  /** Whether `principal` may read `record` (undefined: a record that does not exist). */
  async mayRead(principal: Principal | undefined, record: SealedRecord | undefined): Promise<boolean> {
    if (!record) return !readsOwnOnly(principal) && principal !== undefined;
    return this.mayReadIn(principal, record.header.subject, record);
  }

  /**
   * Whether `principal` may read the whole chain of `subject`: as for its records,
   * except that a sealed bidding's chain is whole only to its seller and, once
   * closed, to its bidders.
   */
  mayReadSubject(principal: Principal | undefined, subject: string): Promise<boolean> {
    return this.mayReadIn(principal, subject, undefined);
  }

  private async mayReadIn(
    principal: Principal | undefined,
    subject: string,
    record: SealedRecord | undefined,
  ): Promise<boolean> {
    if (!principal) return false;
    if (!readsOwnOnly(principal)) return true;
    const me = principal.id;
    const [kind, id] = splitSubject(subject);
    switch (kind) {
      case "user":
        return id === me;
      case "listing":
        return (await this.store.listings.get(id))?.ownerId === me;
      case "match": {
        const match = await this.store.matches.get(id);
        return !!match && [match.supplierId, match.demanderId, match.brokerId, match.proposedBy].includes(me);
      }
      case "deal": {
        const deal = await this.store.deals.get(id);
        if (deal && [deal.supplierId, deal.demanderId, deal.brokerId].includes(me)) return true;
        return (await this.store.escrows.get(id))?.arbitratorId === me;
      }
      case "trade":
        return this.mayReadTrade(me, id, record);
      case "escrow":
        return true;
      default:
        return false;
    }
  }

  private async mayReadTrade(me: string, id: string, record: SealedRecord | undefined): Promise<boolean> {
    const auction = await this.store.auctions.get(id);
    if (auction) return auction.sellerId === me || auction.bids.some((b) => b.bidderId === me);
    const bidding = await this.store.biddings.get(id);
    if (!bidding) return false;
    const bidder = bidding.commitments.some((c) => c.bidderId === me);
    if (bidding.sellerId === me || (bidder && bidding.status === "closed")) return true;
    if (!bidder || !record) return false;
    // Before the close, another bidder's commitment or reveal stays theirs.
    const about = record.data.bidder;
    return about === undefined || about === me;
  }
}

/** A user who is not an auditor reads only what concerns them; staff services and auditors read all. */
function readsOwnOnly(principal: Principal | undefined): boolean {
  return principal?.kind === "user" && !holdsAny(principal, EVIDENCE_READERS);
}

function splitSubject(subject: string): [string, string] {
  const colon = subject.indexOf(":");
  return colon < 0 ? [subject, ""] : [subject.slice(0, colon), subject.slice(colon + 1)];
}
