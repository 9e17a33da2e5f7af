/**
 * The checks the existing services ask of risk control at their decisive
 * steps. The services hold these interfaces (set once at start), not the risk
 * service, so they import nothing else of risk control and work without it.
 * A gate throws the refusal (a GatewayError) or returns; alerts it raises are
 * its own business.
 */

/** Before a bid in an auction is recorded (market/trades.ts). */
export interface BidGate {
  beforeBid(bid: {
    auctionId: string;
    bidderId: string;
    sellerId: string;
    /** Everyone who bid in the auction before. */
    earlierBidderIds: readonly string[];
    amount: number;
    currency: string;
  }): Promise<void>;
}

/** Before two parties become each other's counter-party (a confirmed match, an accepted listed price). */
export interface CounterpartyGate {
  beforeCounterparties(partyIds: readonly string[]): Promise<void>;
}

/** Before a deal's escrow terms are proposed, that is before anything of them can reach the escrow. */
export interface EscrowTermsGate {
  beforeEscrowTerms(terms: {
    dealId: string;
    supplierId: string;
    demanderId: string;
    total: number;
    currency: string;
  }): Promise<void>;
}

/** Before a certification with an organisation's credit code is taken (identity/users.ts). */
export interface CertificationGate {
  beforeCertification(identity: { kind: string; number: string }): void;
}

/** What sign-in tells risk control: who signed in from where, and who failed to. */
export interface SignInWatch {
  signedIn(userId: string, address: string, device: string | undefined): void;
  signInFailed(address: string | undefined, code: string): void;
}
