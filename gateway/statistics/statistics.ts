import type { StatisticsView } from "tech-transfer-ledger/sdk";
import type { ListingService } from "../market/listings";
import type { MatchService } from "../market/matches";
import { StatisticsReading, type Period, type StatisticsSection } from "./sections";

/**
 * The platform's statistics for the regulator (`GET /v1/statistics`,
 * docs/STATISTICS.md): each section's figures over one period, every section
 * reading the market from one shared read (`StatisticsReading`), so a request
 * reads each listing, match and deal once.
 */
export class PlatformStatistics {
  private readonly sections: StatisticsSection[];

  constructor(
    private readonly listings: ListingService,
    private readonly matches: MatchService,
    sections: readonly StatisticsSection[],
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.sections = [...sections];
  }

  /** Adds a section after the others (the service orders join this way once built). */
  addSection(section: StatisticsSection): void {
    this.sections.push(section);
  }

  async figures(period: Period): Promise<StatisticsView> {
    const reading = new StatisticsReading(this.listings, this.matches);
    const sections = [];
    for (const section of this.sections) sections.push(await section.figures(period, reading));
    return {
      period: { ...(period.from && { from: period.from }), ...(period.to && { to: period.to }) },
      generatedAt: this.clock().toISOString(),
      sections,
    };
  }
}

/** The CSV's columns, in order (docs/STATISTICS.md). */
export const STATISTICS_CSV_COLUMNS = [
  "section",
  "dimension",
  "key",
  "currency",
  "count",
  "amount",
  "median_seconds",
] as const;

/**
 * The statistics as one flat CSV (RFC 4180, CRLF): per section a row `all,all`
 * with its count, then one row per currency of its amounts, then per cut one row
 * per group (and one per currency of the group's amounts), then one row per step.
 * An empty cell is a figure that does not apply (or a null median).
 */
export function platformStatisticsCsv(statistics: StatisticsView): string {
  const rows: string[][] = [[...STATISTICS_CSV_COLUMNS]];
  const row = (
    section: string,
    dimension: string,
    key: string,
    cells: { currency?: string; count: number; amount?: number; medianSeconds?: number | null },
  ) =>
    rows.push([
      section,
      dimension,
      key,
      cells.currency ?? "",
      String(cells.count),
      cells.amount === undefined ? "" : String(cells.amount),
      cells.medianSeconds === undefined || cells.medianSeconds === null ? "" : String(cells.medianSeconds),
    ]);
  for (const section of statistics.sections) {
    row(section.name, "all", "all", { count: section.count });
    for (const amount of section.amounts ?? []) {
      row(section.name, "all", "all", { currency: amount.currency, count: amount.count, amount: amount.sum });
    }
    for (const cut of section.cuts) {
      for (const group of cut.groups) {
        row(section.name, cut.dimension, group.key, { count: group.count });
        for (const amount of group.amounts ?? []) {
          row(section.name, cut.dimension, group.key, {
            currency: amount.currency,
            count: amount.count,
            amount: amount.sum,
          });
        }
      }
    }
    for (const step of section.steps ?? []) {
      row(section.name, "step", step.step, { count: step.count, medianSeconds: step.medianSeconds });
    }
  }
  return `${rows.map((cells) => cells.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
