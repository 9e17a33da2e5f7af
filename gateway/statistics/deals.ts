import type { DealFiguresView, DealStatisticsView } from "tech-transfer-ledger/sdk";
import type { DealFollowUp } from "../deal/followUp";
import type { DealWorkspaces } from "../deal/workspace";
import type { EscrowTimeline } from "../escrow/timeline";
import type { ListingService } from "../market/listings";
import type { MatchService } from "../market/matches";

import { inPeriod, StatisticsReading, type Period } from "./sections";

export type { Period } from "./sections";

/** What one match counts for: when it was proposed, and the groups it falls in. */
interface MatchFacts {
  at: string;
  groups: Groups;
}

/** What one deal counts for, each time in ISO form and each interval in seconds. */
interface DealFacts {
  openedAt: string;
  groups: Groups;
  contracted: boolean;
  closed: boolean;
  matchToContract?: number;
  contractToFirstDelivery?: number;
  inspections: number[];
  followUpResponses: number[];
}

/** Where a match or deal is counted: the supply listing's field and region, and the broker (`none` without). */
interface Groups {
  field: string;
  region: string;
  broker: string;
}

/**
 * Deal statistics for staff and the auditor (clause 6.11, docs/AFTERCARE.md): the
 * time each step takes (match to contract, contract to first delivery, each
 * inspection, follow-up response) as medians with counts, and the conversion
 * match → deal → contract → closed, over a period, overall and by field, region
 * and broker. Each figure is read from the service that owns it: the market for
 * matches, deals and listings, the deal workspace for moves and their times, the
 * escrow's events for deliveries and inspections, follow-up for answers.
 *
 * A period counts by cohort: a match by when it was proposed, a deal and every
 * later time of it by when the deal was opened.
 */
export class DealStatistics {
  constructor(
    private readonly matches: MatchService,
    private readonly listings: ListingService,
    private readonly workspaces: DealWorkspaces,
    private readonly timeline: EscrowTimeline,
    private readonly followUp: DealFollowUp,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * The figures over `period`. `reading` is what the request read of the market
   * already (`GET /v1/statistics` shares one with its other sections).
   */
  async deals(
    period: Period,
    reading = new StatisticsReading(this.listings, this.matches),
  ): Promise<DealStatisticsView> {
    const within = inPeriod(period);
    const everything = await reading.market();
    const matchAt = new Map(everything.matches.map((match) => [match.id, match.createdAt]));
    const listingGroups = async (id: string) => {
      const content = await reading.contentOf(id);
      return content ? { field: content.field, region: content.region } : { field: "unknown", region: "unknown" };
    };

    const matches: MatchFacts[] = [];
    for (const match of everything.matches.filter((m) => within(m.createdAt))) {
      matches.push({
        at: match.createdAt,
        groups: { ...(await listingGroups(match.supplyId)), broker: match.brokerId ?? "none" },
      });
    }
    // Each deal's reads wait on the store, not on the other deals' (the order is kept).
    const deals: DealFacts[] = await Promise.all(
      everything.deals
        .filter((d) => within(d.openedAt))
        .map(async (deal): Promise<DealFacts> => {
          const [workspace, deliveries, questions] = await Promise.all([
            this.workspaces.find(deal.id),
            this.timeline.deliveries(deal.id),
            this.followUp.questionsOf(deal.id),
          ]);
          const history = workspace?.history ?? [];
          const signedAt = history.find((entry) => entry.move === "sign")?.at;
          const matchedAt = (deal.matchId && matchAt.get(deal.matchId)) || deal.openedAt;
          const firstDelivery = deliveries.map((d) => d.submittedAt).sort()[0];
          return {
            openedAt: deal.openedAt,
            groups: {
              ...(await listingGroups(deal.supplyId)),
              broker: workspace?.broker.userId ?? deal.brokerId ?? "none",
            },
            contracted: signedAt !== undefined,
            closed: history.some((entry) => entry.to === "closed"),
            ...(signedAt && { matchToContract: seconds(matchedAt, signedAt) }),
            ...(signedAt && firstDelivery && { contractToFirstDelivery: seconds(signedAt, firstDelivery) }),
            inspections: deliveries.flatMap((d) => (d.inspectedAt ? [seconds(d.submittedAt, d.inspectedAt)] : [])),
            followUpResponses: questions.flatMap((q) => (q.responseSeconds === undefined ? [] : [q.responseSeconds])),
          };
        }),
    );

    const grouped = (dimension: keyof Groups) => {
      const keys = [...new Set([...matches, ...deals].map((item) => item.groups[dimension]))].sort();
      return keys.map((key) => ({
        key,
        ...figures(
          matches.filter((m) => m.groups[dimension] === key),
          deals.filter((d) => d.groups[dimension] === key),
        ),
      }));
    };
    return {
      period: { ...(period.from && { from: period.from }), ...(period.to && { to: period.to }) },
      generatedAt: this.clock().toISOString(),
      overall: figures(matches, deals),
      byField: grouped("field"),
      byRegion: grouped("region"),
      byBroker: grouped("broker"),
    };
  }
}

/** The statistics as CSV: one row per group (dimension `all` for the whole), one column per figure. */
export function statisticsCsv(statistics: DealStatisticsView): string {
  const header = [
    "dimension",
    "key",
    "matches",
    "deals",
    "contracts",
    "closed",
    "match_to_deal",
    "deal_to_contract",
    "contract_to_closed",
    "match_to_contract_count",
    "match_to_contract_median_seconds",
    "contract_to_first_delivery_count",
    "contract_to_first_delivery_median_seconds",
    "inspection_count",
    "inspection_median_seconds",
    "follow_up_response_count",
    "follow_up_response_median_seconds",
  ];
  const row = (dimension: string, key: string, f: DealFiguresView) =>
    [
      dimension,
      key,
      f.matches,
      f.deals,
      f.contracts,
      f.closed,
      f.conversion.matchToDeal,
      f.conversion.dealToContract,
      f.conversion.contractToClosed,
      f.matchToContract.count,
      f.matchToContract.medianSeconds,
      f.contractToFirstDelivery.count,
      f.contractToFirstDelivery.medianSeconds,
      f.inspection.count,
      f.inspection.medianSeconds,
      f.followUpResponse.count,
      f.followUpResponse.medianSeconds,
    ]
      .map((cell) => csvCell(cell === null ? "" : String(cell)))
      .join(",");
  const rows = [
    header.join(","),
    row("all", "all", statistics.overall),
    ...statistics.byField.map((g) => row("field", g.key, g)),
    ...statistics.byRegion.map((g) => row("region", g.key, g)),
    ...statistics.byBroker.map((g) => row("broker", g.key, g)),
  ];
  return `${rows.join("\r\n")}\r\n`;
}

function figures(matches: MatchFacts[], deals: DealFacts[]): DealFiguresView {
  const contracts = deals.filter((d) => d.contracted).length;
  const closed = deals.filter((d) => d.closed).length;
  return {
    matches: matches.length,
    deals: deals.length,
    contracts,
    closed,
    conversion: {
      matchToDeal: ratio(deals.length, matches.length),
      dealToContract: ratio(contracts, deals.length),
      contractToClosed: ratio(closed, contracts),
    },
    matchToContract: durations(deals.flatMap((d) => (d.matchToContract === undefined ? [] : [d.matchToContract]))),
    contractToFirstDelivery: durations(
      deals.flatMap((d) => (d.contractToFirstDelivery === undefined ? [] : [d.contractToFirstDelivery])),
    ),
    inspection: durations(deals.flatMap((d) => d.inspections)),
    followUpResponse: durations(deals.flatMap((d) => d.followUpResponses)),
  };
}

/** The count and median of some intervals in seconds (the mean of the two middle ones when even). */
export function durations(values: number[]): { count: number; medianSeconds: number | null } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length === 0 ? null : sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { count: sorted.length, medianSeconds: median };
}

/** A share rounded to four decimals; null when there is nothing to divide by. */
function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/** Whole seconds from `from` to `to` (`+ 0`: a rounded -0, from times a few milliseconds apart, is plain 0). */
function seconds(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 1000) + 0;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
