import { z } from "zod";
import { dealStatisticsSchema, statisticsPageTicketSchema, statisticsSchema } from "tech-transfer-ledger/sdk";
import { badRequest, unprocessable } from "../errors";
import { defineRoute, type Route } from "../http/route";
import { statisticsCsv, type DealStatistics } from "../statistics/deals";
import { renderStatisticsPage } from "../statistics/page";
import type { StatisticsPageTickets } from "../statistics/pageTickets";
import { platformStatisticsCsv, type PlatformStatistics } from "../statistics/statistics";

/** Who reads the platform's statistics: the auditor, and the operator (with admins). */
const STATISTICS_READERS = { roles: ["auditor", "operator", "admin"] as const };
const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .meta({ description: "An ISO date (its midnight UTC) or date-time" });

/**
 * The platform's statistics: the deals' steps (`/v1/statistics/deals`, clause 6.11,
 * docs/AFTERCARE.md), and the regulator's figures section by section
 * (`/v1/statistics`, the `/statistics` page and its tickets, docs/STATISTICS.md).
 */
export function statisticsRoutes(deps: {
  dealStatistics: DealStatistics;
  platformStatistics: PlatformStatistics;
  statisticsPageTickets: StatisticsPageTickets;
}): Route[] {
  const { dealStatistics: statistics, platformStatistics, statisticsPageTickets: tickets } = deps;
  const period = z.object({ from: instant.optional(), to: instant.optional() });
  const ticket = z.string().max(100).optional().meta({ description: "A statistics page ticket, for a browser" });
  const periodRefusals = {
    400: { description: "A bad `from` or `to` (`INVALID_REQUEST`), or `to` not after `from` (`PERIOD_REVERSED`)" },
    401: { description: "No credential, a bad or expired one, or a page ticket unknown or expired" },
    403: { description: "Not the auditor or the operator" },
  };
  return [
    defineRoute({
      method: "GET",
      path: "/v1/statistics/deals",
      summary: "Figures per step of the deals over a period, overall and by field, region and broker (JSON or CSV)",
      description:
        "Medians with counts of match → contract, contract → first delivery, inspection and follow-up response " +
        "times (seconds), and the conversion match → deal → contract → closed. A match counts in the period by " +
        "when it was proposed, a deal (with all its later times) by when it was opened; `from` inclusive, `to` " +
        "exclusive.",
      tags: ["statistics"],
      access: STATISTICS_READERS,
      query: z.object({
        from: instant.optional(),
        to: instant.optional(),
        format: z.enum(["json", "csv"]).default("json"),
      }),
      responses: {
        200: { description: "The statistics", schema: dealStatisticsSchema, contentType: "application/json, text/csv" },
        400: { description: "Invalid input" },
        401: { description: "No credential, or a bad or expired one" },
        403: { description: "Not the auditor or the operator" },
        422: { description: "`to` is not after `from` (`PERIOD_REVERSED`)" },
      },
      async handler({ query }) {
        if (query.from && query.to && Date.parse(query.to) <= Date.parse(query.from)) {
          throw unprocessable("PERIOD_REVERSED", "the period's end (to) must come after its start (from)");
        }
        const figures = await statistics.deals({ from: query.from, to: query.to });
        return jsonOrCsv(query.format, figures, statisticsCsv, "deal-statistics.csv");
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/statistics",
      summary:
        "The platform's figures over a period: listings, demands, matches, deals with their amounts and time per step, service orders (JSON or CSV)",
      description:
        "Sections, each counted overall and cut by dimensions: listings (supplies) and demands by IPC section, " +
        "region, kind and language; matches; deals with exact sums of their amounts (integer minor units) by " +
        "contract type, payment mode and how they opened, and the median time of each step; service orders by " +
        "kind and state. An item counts in " +
        "the period by when it was submitted, proposed or opened; `from` inclusive, `to` exclusive. " +
        "`format=csv` gives one flat CSV: section,dimension,key,currency,count,amount,median_seconds " +
        "(docs/STATISTICS.md).",
      tags: ["statistics"],
      access: STATISTICS_READERS,
      query: period.extend({ format: z.enum(["json", "csv"]).default("json"), ticket }),
      ticket: (value) => tickets.redeem(value),
      responses: {
        200: { description: "The statistics", schema: statisticsSchema, contentType: "application/json, text/csv" },
        ...periodRefusals,
      },
      async handler({ query }) {
        const figures = await platformStatistics.figures(checkedPeriod(query));
        return jsonOrCsv(query.format, figures, platformStatisticsCsv, "statistics.csv");
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/statistics/page-tickets",
      summary: "A ticket that opens the /statistics page (and its CSV link) in a browser for 15 minutes",
      description:
        "A browser cannot send the bearer token with a link it follows, and the token must not go into a URL. " +
        "The ticket opens `GET /statistics?ticket=…` and `GET /v1/statistics?ticket=…` as its holder, as " +
        "often as they like, for 15 minutes, and nothing else.",
      tags: ["statistics"],
      access: STATISTICS_READERS,
      responses: {
        201: { description: "`{ ticket, expiresAt, url }`", schema: statisticsPageTicketSchema },
        401: { description: "No credential, or a bad or expired one" },
        403: { description: "Not the auditor or the operator" },
      },
      handler({ principal }) {
        return { status: 201, body: tickets.issue(principal!) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/statistics",
      summary: "The platform's figures as a readable page with charts (SVG drawn by the server, no script)",
      description:
        "The figures of `GET /v1/statistics` over the period in the query, each cut as a bar chart and a table, " +
        "with a form for another period and a CSV link. A browser opens it with a page ticket " +
        "(`POST /v1/statistics/page-tickets`, then `/statistics?ticket=…`); a program may send its bearer token.",
      tags: ["statistics"],
      access: STATISTICS_READERS,
      // The page's form sends its empty fields as `from=&to=`: empty is no bound.
      query: z.object({
        from: z.union([z.literal(""), instant]).optional(),
        to: z.union([z.literal(""), instant]).optional(),
        ticket,
      }),
      ticket: (value) => tickets.redeem(value),
      responses: {
        200: { description: "HTML", contentType: "text/html" },
        ...periodRefusals,
      },
      async handler({ query }) {
        const figures = await platformStatistics.figures(
          checkedPeriod({ from: query.from || undefined, to: query.to || undefined }),
        );
        return {
          status: 200,
          type: "text/html; charset=utf-8",
          body: renderStatisticsPage(figures, { ticket: query.ticket }),
          // The page carries the ticket in its form and link: keep it out of caches and referrers.
          headers: { "cache-control": "no-store", "referrer-policy": "no-referrer" },
        };
      },
    }),
  ];
}

/** The period of a query, refused (400 `PERIOD_REVERSED`) when it ends before it starts or when it starts. */
function checkedPeriod(query: { from?: string; to?: string }): { from?: string; to?: string } {
  if (query.from && query.to && Date.parse(query.to) <= Date.parse(query.from)) {
    throw badRequest(
      "PERIOD_REVERSED",
      `the period's end (to ${query.to}) must come after its start (from ${query.from})`,
    );
  }
  return { from: query.from, to: query.to };
}

/** The figures as JSON, or as a CSV file to download when `format` asks for one. */
function jsonOrCsv<T>(format: string | undefined, figures: T, toCsv: (figures: T) => string, filename: string) {
  if (format !== "csv") return { status: 200, body: figures };
  return {
    status: 200,
    body: toCsv(figures),
    type: "text/csv; charset=utf-8",
    headers: { "content-disposition": `attachment; filename="${filename}"` },
  };
}
