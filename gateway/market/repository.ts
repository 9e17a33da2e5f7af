import type { Database } from "../store/database";
import type {
  Auction,
  Deal,
  ExchangeRateTable,
  ImportBatch,
  Listing,
  MatchProposal,
  SavedSearch,
  SealedBidding,
} from "./types";

/** The market's tables: listings, matches and deals, trades, searches, rates and imports (inboxes: gateway/notifications). */
export class MarketRepository {
  readonly listings;
  readonly matches;
  /** `supplyId:demandId` → the live (not declined) match of that pair. */
  readonly matchPairs;
  readonly deals;
  readonly savedSearches;
  readonly auctions;
  readonly biddings;
  /** The operator's exchange rates: `current`. */
  readonly exchangeRates;
  readonly importBatches;
  /** `batchId:importId` → the listing a catalogue line became. */
  readonly importedLines;
  /** `listingId:buyerId` → the deal a buyer opened by accepting a listed price (one per buyer and listing). */
  readonly listedPriceDeals;

  constructor(readonly database: Database) {
    this.listings = database.table<Listing>("listings");
    this.matches = database.table<MatchProposal>("matches");
    this.matchPairs = database.table<string>("match-pairs", "utf8");
    this.deals = database.table<Deal>("deals");
    this.savedSearches = database.table<SavedSearch>("saved-searches");
    this.auctions = database.table<Auction>("auctions");
    this.biddings = database.table<SealedBidding>("biddings");
    this.exchangeRates = database.table<ExchangeRateTable>("exchange-rates");
    this.importBatches = database.table<ImportBatch>("import-batches");
    this.importedLines = database.table<string>("imported-lines", "utf8");
    this.listedPriceDeals = database.table<string>("listed-price-deals", "utf8");
  }
}
