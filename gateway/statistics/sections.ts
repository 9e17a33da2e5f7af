import type { StatisticsAmountView, StatisticsSectionView } from "tech-transfer-ledger/sdk";
import type { ListingService } from "../market/listings";
import type { MatchService } from "../market/matches";
import type { Deal, Listing, ListingContent, MatchProposal } from "../market/types";

/** A period: `from` inclusive, `to` exclusive, as ISO dates or date-times (a date is its midnight UTC). */
export interface Period {
  from?: string;
  to?: string;
}

/** Whether an ISO time falls in `period`. */
export function inPeriod(period: Period): (at: string) => boolean {
  const from = period.from ? Date.parse(period.from) : -Infinity;
  const to = period.to ? Date.parse(period.to) : Infinity;
  return (at) => {
    const time = Date.parse(at);
    return time >= from && time < to;
  };
}

/**
 * What one request of the statistics reads from the market, read once and shared
 * by every section (and by the deal statistics): every listing, match and deal.
 * Nothing is kept between requests, so the figures are always the store's.
 */
export class StatisticsReading {
  private listingsRead?: Promise<Map<string, Listing>>;
  private marketRead?: Promise<{ matches: MatchProposal[]; deals: Deal[] }>;

  constructor(
    private readonly listingService: ListingService,
    private readonly matchService: MatchService,
  ) {}

  /** Every listing by id, whatever its status. */
  listings(): Promise<Map<string, Listing>> {
    this.listingsRead ??= this.listingService
      .everything()
      .then((all) => new Map(all.map((listing) => [listing.id, listing])));
    return this.listingsRead;
  }

  /** Every match and every deal. */
  market(): Promise<{ matches: MatchProposal[]; deals: Deal[] }> {
    this.marketRead ??= this.matchService.everything();
    return this.marketRead;
  }

  /** The listing's content as the public knows it (its approved version), else its latest; undefined if unknown. */
  async contentOf(listingId: string): Promise<ListingContent | undefined> {
    const listing = (await this.listings()).get(listingId);
    return listing && listingContent(listing);
  }
}

/** A listing's approved version's content, else its latest version's. */
export function listingContent(listing: Listing): ListingContent {
  const version =
    listing.versions.find((v) => v.version === listing.approvedVersion) ??
    listing.versions[listing.versions.length - 1];
  return version.content;
}

/**
 * The IPC section (A–H) of a listing: the first letter of its first IPC code, the
 * main classification (a listing with codes of several sections counts once).
 */
export function ipcSection(content: ListingContent | undefined): string {
  return content?.ipc[0]?.[0] ?? "unknown";
}

/**
 * One section of the platform's statistics (listings, demands, matches, deals, …):
 * its figures over a period. Each domain's figures come from a section, so a new
 * one (the service orders) joins by adding its section to the platform's list.
 */
export interface StatisticsSection {
  readonly name: string;
  figures(period: Period, reading: StatisticsReading): Promise<StatisticsSectionView>;
}

/** An amount of money in integer minor units (fen for CNY) of one currency. */
export interface Amount {
  currency: string;
  amount: number;
}

/**
 * Counts `items` overall and by each dimension (one group per key, sorted by key),
 * with the sums of their amounts by currency where `amountOf` gives one. Sums are
 * exact integers (minor units): added as big integers and refused past 2^53 − 1.
 */
export function tally<T>(
  name: string,
  items: readonly T[],
  dimensions: Record<string, (item: T) => string>,
  amountOf?: (item: T) => Amount | undefined,
): StatisticsSectionView {
  const amounts = (some: readonly T[]) => (amountOf ? sumAmounts(some.map(amountOf)) : undefined);
  return {
    name,
    count: items.length,
    ...(amountOf && { amounts: amounts(items) }),
    cuts: Object.entries(dimensions).map(([dimension, keyOf]) => {
      const groups = new Map<string, T[]>();
      for (const item of items) {
        const key = keyOf(item);
        groups.set(key, [...(groups.get(key) ?? []), item]);
      }
      return {
        dimension,
        groups: [...groups.keys()].sort().map((key) => {
          const members = groups.get(key)!;
          return { key, count: members.length, ...(amountOf && { amounts: amounts(members) }) };
        }),
      };
    }),
  };
}

/** The amounts by currency (sorted by currency): how many, and their exact sum. */
export function sumAmounts(amounts: ReadonlyArray<Amount | undefined>): StatisticsAmountView[] {
  const sums = new Map<string, { count: number; sum: bigint }>();
  for (const amount of amounts) {
    if (!amount) continue;
    const entry = sums.get(amount.currency) ?? { count: 0, sum: 0n };
    entry.count++;
    entry.sum += BigInt(amount.amount);
    sums.set(amount.currency, entry);
  }
  return [...sums.keys()].sort().map((currency) => {
    const { count, sum } = sums.get(currency)!;
    if (sum > BigInt(Number.MAX_SAFE_INTEGER)) {
      // A JSON number past 2^53 − 1 would be rounded: refuse rather than answer a wrong figure.
      throw new RangeError(`the sum of ${currency} amounts (${sum}) is past what a JSON number holds exactly`);
    }
    return { currency, count, sum: Number(sum) };
  });
}
