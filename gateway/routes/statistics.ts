import { z } from "zod";
import { dealStatisticsSchema } from "tech-transfer-ledger/sdk";
import { unprocessable } from "../errors";
import { defineRoute, type Route } from "../http/route";
import { statisticsCsv, type DealStatistics } from "../statistics/deals";

/** Who reads the platform's statistics: the auditor, and the operator (with admins). */
const STATISTICS_READERS = { roles: ["auditor", "operator", "admin"] as const };
const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .meta({ description: "An ISO date (its midnight UTC) or date-time" });

/**
 * The platform's statistics (clause 6.11, docs/AFTERCARE.md). `/v1/statistics/deals`
 * first; other figures (issue 15's `GET /v1/statistics`) join it here.
 */
export function statisticsRoutes(deps: { dealStatistics: DealStatistics }): Route[] {
  const { dealStatistics: statistics } = deps;
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
        if (query.format === "csv") {
          return {
            status: 200,
            body: statisticsCsv(figures),
            type: "text/csv; charset=utf-8",
            headers: { "content-disposition": 'attachment; filename="deal-statistics.csv"' },
          };
        }
        return { status: 200, body: figures };
      },
    }),
  ];
}
