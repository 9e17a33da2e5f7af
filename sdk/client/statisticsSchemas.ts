import { z } from "zod";

/**
 * The platform's statistics for the regulator (issue 15, docs/STATISTICS.md):
 * `GET /v1/statistics` answers sections (listings, demands, matches, deals, …),
 * each counted overall and cut by dimensions. The gateway answers with these
 * shapes and the SDK's actions return them.
 */

/** Amounts of one currency: how many items carried one, and their exact sum in minor units (fen for CNY). */
export const statisticsAmountSchema = z
  .object({
    currency: z.string().meta({ description: "ISO 4217 code" }),
    count: z.int().meta({ description: "How many items carried an amount in this currency" }),
    sum: z.int().meta({ description: "Their sum, in integer minor units (fen for CNY)" }),
  })
  .meta({ id: "StatisticsAmount" });

/** One group of a cut: the items whose dimension has this key. */
export const statisticsGroupSchema = z
  .object({
    key: z.string(),
    count: z.int(),
    amounts: z.array(statisticsAmountSchema).optional().meta({ description: "Sections with amounts only (deals)" }),
  })
  .meta({ id: "StatisticsGroup" });

/** The time one step takes: how many intervals were measured and their median. */
export const statisticsStepSchema = z
  .object({
    step: z.string(),
    count: z.int(),
    medianSeconds: z.number().nullable().meta({ description: "The median in seconds; null when none was measured" }),
  })
  .meta({ id: "StatisticsStep" });

/** One section: its items counted overall, and cut by each of its dimensions. */
export const statisticsSectionSchema = z
  .object({
    name: z.string().meta({ description: "`listings`, `demands`, `matches`, `deals`, …" }),
    count: z.int().meta({ description: "Items of the section in the period" }),
    amounts: z.array(statisticsAmountSchema).optional(),
    cuts: z.array(
      z.object({
        dimension: z.string().meta({ description: "`ipcSection`, `region`, `kind`, `language`, `type`, …" }),
        groups: z.array(statisticsGroupSchema).meta({ description: "One per key, sorted by key" }),
      }),
    ),
    steps: z.array(statisticsStepSchema).optional().meta({ description: "Time per step (deals)" }),
  })
  .meta({ id: "StatisticsSection" });

/**
 * `GET /v1/statistics`: the platform's figures over a period, section by section.
 *
 * @example
 * const statistics = statisticsSchema.parse(answer);
 * const deals = statistics.sections.find((s) => s.name === "deals");
 */
export const statisticsSchema = z
  .object({
    period: z.object({ from: z.string().optional(), to: z.string().optional() }),
    generatedAt: z.string(),
    sections: z.array(statisticsSectionSchema),
  })
  .meta({ id: "Statistics" });

/** `POST /v1/statistics/page-tickets`: a ticket that opens the `/statistics` page for a while. */
export const statisticsPageTicketSchema = z
  .object({
    ticket: z.string(),
    expiresAt: z.string(),
    url: z.string().meta({ description: "The page's path with the ticket: `/statistics?ticket=…`" }),
  })
  .meta({ id: "StatisticsPageTicket" });

export type StatisticsAmountView = z.infer<typeof statisticsAmountSchema>;
export type StatisticsGroupView = z.infer<typeof statisticsGroupSchema>;
export type StatisticsStepView = z.infer<typeof statisticsStepSchema>;
export type StatisticsSectionView = z.infer<typeof statisticsSectionSchema>;
export type StatisticsView = z.infer<typeof statisticsSchema>;
export type StatisticsPageTicketView = z.infer<typeof statisticsPageTicketSchema>;
