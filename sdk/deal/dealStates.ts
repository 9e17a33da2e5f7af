/**
 * Where a deal stands in the workspace (docs/DEAL.md): the one list of states,
 * which the gateway's transition table (gateway/deal/states.ts) and the answers'
 * schemas both use.
 */
export const DEAL_STATES = [
  /** Opened by a confirmed match, an auction or sealed-bidding win, or an accepted listed price: first contact. */
  "opened",
  /** 6.5 formal negotiation: sessions, minutes both parties sign. */
  "negotiating",
  /** 6.6 site visits and evaluation. */
  "investigating",
  /** 6.7 the technology contract is drafted. */
  "contracting",
  /** Both parties signed the escrow terms and the escrow holds them (the contract's digest among them). */
  "signed",
  /** 6.8 money locked, materials being delivered. */
  "performing",
  /** Every milestone settled on the escrow. */
  "delivered",
  /** 6.9 follow-up. */
  "following_up",
  /** 6.10 summarised. */
  "closed",
  /** 6.10 archived: nothing changes any more. */
  "archived",
  /** Given up before the contract was signed. */
  "cancelled",
  /** A milestone's dispute is open on the escrow. */
  "disputed",
] as const;
export type DealState = (typeof DEAL_STATES)[number];
