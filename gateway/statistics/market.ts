import type { StatisticsSectionView } from "tech-transfer-ledger/sdk";
import type { Listing, ListingSide } from "../market/types";
import {
  inPeriod,
  ipcSection,
  listingContent,
  tally,
  type Period,
  type StatisticsReading,
  type StatisticsSection,
} from "./sections";

/**
 * The listings of one side (`listings`: supplies, `demands`: demands) submitted in
 * the period, whatever became of them, by the IPC section, region and language of
 * their approved version (else their latest), supplies also by kind of result, and
 * by where they stand now.
 */
export class ListingSection implements StatisticsSection {
  readonly name: string;

  constructor(private readonly side: ListingSide) {
    this.name = side === "supply" ? "listings" : "demands";
  }

  async figures(period: Period, reading: StatisticsReading): Promise<StatisticsSectionView> {
    const within = inPeriod(period);
    const listings = [...(await reading.listings()).values()].filter(
      (listing) => listing.side === this.side && within(listing.createdAt),
    );
    const content = (listing: Listing) => listingContent(listing);
    return tally(this.name, listings, {
      ipcSection: (listing) => ipcSection(content(listing)),
      region: (listing) => content(listing).region,
      ...(this.side === "supply" && {
        kind: (listing: Listing) => {
          const supply = content(listing);
          return supply.side === "supply" ? supply.resultKind : "none";
        },
      }),
      language: (listing) => content(listing).language,
      status: (listing) => listing.status,
    });
  }
}

/**
 * The matches proposed in the period, by where they stand (proposed, confirmed,
 * declined), how they were made (online, by a broker), and the IPC section and
 * region of their supply.
 */
export class MatchSection implements StatisticsSection {
  readonly name = "matches";

  async figures(period: Period, reading: StatisticsReading): Promise<StatisticsSectionView> {
    const within = inPeriod(period);
    const { matches } = await reading.market();
    const inside = matches.filter((match) => within(match.createdAt));
    const supplies = new Map(
      await Promise.all(inside.map(async (m) => [m.supplyId, await reading.contentOf(m.supplyId)] as const)),
    );
    return tally(this.name, inside, {
      status: (match) => match.status,
      origin: (match) => match.origin,
      ipcSection: (match) => ipcSection(supplies.get(match.supplyId)),
      region: (match) => supplies.get(match.supplyId)?.region ?? "unknown",
    });
  }
}
