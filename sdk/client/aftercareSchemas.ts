import { z } from "zod";

/**
 * The answers of a deal's aftercare (clauses 6.9 and 6.11, docs/AFTERCARE.md):
 * follow-up questions, check-ins with their questionnaire, ratings, complaints
 * and the deal statistics. The gateway answers with these shapes and the SDK's
 * actions return them.
 */

/** What a follow-up question is about (6.9, passive follow-up). */
export const FOLLOW_UP_QUESTION_KINDS = ["technical", "training", "problem"] as const;
export type FollowUpQuestionKind = (typeof FOLLOW_UP_QUESTION_KINDS)[number];

/** Whom a party rates in a deal (6.11): the other party, the deal's broker, manager, an evaluator, or the platform. */
export const RATED_ROLES = ["counterparty", "broker", "manager", "evaluator", "platform"] as const;
export type RatedRole = (typeof RATED_ROLES)[number];

/** How far the demander has put the technology to use, as a check-in reports it. */
export const IMPLEMENTATION_STATUSES = [
  "not_started",
  "in_progress",
  "in_production",
  "suspended",
  "abandoned",
] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

/** Where a complaint stands: filed, answered by the operator, reopened by the complainant, or closed. */
export const COMPLAINT_STATUSES = ["open", "answered", "reopened", "closed"] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** A follow-up question's id: `fq_` and 16 hex digits. */
export const QUESTION_ID_PATTERN = /^fq_[0-9a-f]{16}$/;
/** A check-in's id: `chk_` and 16 hex digits. */
export const CHECK_IN_ID_PATTERN = /^chk_[0-9a-f]{16}$/;
/** A complaint's id: `cmp_` and 16 hex digits. */
export const COMPLAINT_ID_PATTERN = /^cmp_[0-9a-f]{16}$/;

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * The questionnaire a party answers at a check-in (6.9, active follow-up): how far the technology is
 * implemented, what it produces and earns, the problems met, and anything else.
 *
 * @example
 * const answer = checkInQuestionnaireSchema.parse({
 *   implementation: "in_production",
 *   outputs: [{ measure: "modules recycled", value: 12000, unit: "pieces/month" }],
 *   benefit: { amount: 150_000_00, currency: "CNY" },
 *   problems: ["the shredder clogs with wet input"],
 * });
 */
export const checkInQuestionnaireSchema = z
  .strictObject({
    implementation: z.enum(IMPLEMENTATION_STATUSES),
    outputs: z
      .array(z.strictObject({ measure: text(200), value: z.number().finite(), unit: text(60) }))
      .max(20)
      .default([])
      .meta({ description: "Output figures: what is measured, the figure, its unit" }),
    benefit: z
      .strictObject({
        amount: z.int().min(0).meta({ description: "Economic benefit since delivery, in minor units" }),
        currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as CNY"),
      })
      .optional(),
    problems: z.array(text(2000)).max(20).default([]),
    comment: text(4000).optional(),
  })
  .meta({ id: "CheckInQuestionnaire" });
export type CheckInQuestionnaire = z.infer<typeof checkInQuestionnaireSchema>;

/**
 * A follow-up question a party asked in a delivered deal, with its answers; `responseSeconds` runs from
 * asking to the first answer.
 *
 * @example
 * const question = followUpQuestionSchema.parse(answer);
 */
export const followUpQuestionSchema = z
  .object({
    id: z.string(),
    dealId: z.string(),
    kind: z.enum(FOLLOW_UP_QUESTION_KINDS),
    text: z.string(),
    askedBy: z.string(),
    askedAs: z.enum(["supplier", "demander"]),
    askedAt: z.string(),
    recordId: z.string(),
    status: z.enum(["open", "answered", "closed"]),
    answers: z.array(
      z.object({
        text: z.string(),
        by: z.string(),
        as: z.enum(["supplier", "demander", "manager"]),
        at: z.string(),
        recordId: z.string(),
      }),
    ),
    firstAnsweredAt: z.string().optional(),
    responseSeconds: z.int().optional().meta({ description: "Seconds from asking to the first answer" }),
    closedAt: z.string().optional(),
    closedRecordId: z.string().optional(),
  })
  .meta({ id: "FollowUpQuestion" });

/**
 * A check-in the deal's manager scheduled after delivery: when it is due, whom it asks, whether the
 * platform reminded them, and their answer.
 *
 * @example
 * const checkIn = checkInSchema.parse(answer);
 */
export const checkInSchema = z
  .object({
    id: z.string(),
    dealId: z.string(),
    party: z.enum(["supplier", "demander"]),
    partyId: z.string(),
    dueAt: z.string(),
    scheduledBy: z.string(),
    scheduledAt: z.string(),
    recordId: z.string(),
    status: z.enum(["scheduled", "answered"]),
    remindedAt: z.string().optional().meta({ description: "When the platform told the party the check-in was due" }),
    answer: z
      .object({ questionnaire: checkInQuestionnaireSchema, by: z.string(), at: z.string(), recordId: z.string() })
      .optional(),
  })
  .meta({ id: "CheckIn" });

/**
 * One party's rating of one participant of a deal (or of the platform), 1 to 5 with a comment.
 *
 * @example
 * const rating = ratingSchema.parse(answer);
 */
export const ratingSchema = z
  .object({
    dealId: z.string(),
    raterId: z.string(),
    raterAs: z.enum(["supplier", "demander"]),
    role: z.enum(RATED_ROLES),
    ratedId: z.string().meta({ description: "The rated user's id, or `platform`" }),
    score: z.int().min(1).max(5),
    comment: z.string().optional(),
    at: z.string(),
    recordId: z.string(),
  })
  .meta({ id: "Rating" });

const average = z.object({
  count: z.int(),
  average: z.number().nullable().meta({ description: "Mean score rounded to two decimals; null without ratings" }),
});

/**
 * What the ratings of a user (or of the platform) add up to: the mean and count overall and for each
 * capacity they were rated in.
 *
 * @example
 * const { overall } = ratingSummarySchema.parse(answer);
 */
export const ratingSummarySchema = z
  .object({
    ratedId: z.string(),
    overall: average,
    byRole: z.partialRecord(z.enum(RATED_ROLES), average),
  })
  .meta({ id: "RatingSummary" });

/**
 * A complaint against a participant of a deal or the platform, handled by the operator by a deadline,
 * then confirmed (closed) or reopened by the complainant. `steps` lists every step, each a record.
 *
 * @example
 * const complaint = complaintSchema.parse(answer);
 */
export const complaintSchema = z
  .object({
    id: z.string(),
    dealId: z.string(),
    complainantId: z.string(),
    against: z.union([
      z.object({ kind: z.literal("platform") }),
      z.object({ kind: z.literal("user"), userId: z.string() }),
    ]),
    text: z.string(),
    status: z.enum(COMPLAINT_STATUSES),
    deadline: z.string().meta({ description: "When the operator's answer is due (filing or reopening plus the term)" }),
    overdue: z.boolean().meta({ description: "Open or reopened, and past its deadline" }),
    answer: z.object({ text: z.string(), by: z.string(), at: z.string() }).optional(),
    steps: z.array(
      z.object({
        step: z.enum(["filed", "answered", "reopened", "confirmed"]),
        by: z.string(),
        at: z.string(),
        text: z.string().optional(),
        recordId: z.string(),
      }),
    ),
    filedAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Complaint" });

const duration = z.object({
  count: z.int().meta({ description: "How many intervals were measured" }),
  medianSeconds: z.number().nullable().meta({ description: "Their median in seconds; null when none" }),
});

/** The figures of one group of deals (or of all of them). */
export const dealFiguresSchema = z
  .object({
    matches: z.int().meta({ description: "Matches proposed in the period" }),
    deals: z.int().meta({ description: "Deals opened in the period" }),
    contracts: z.int().meta({ description: "Of those deals, how many were signed (escrow terms on chain)" }),
    closed: z.int().meta({ description: "Of those deals, how many were closed (closed or archived after it)" }),
    conversion: z.object({
      matchToDeal: z.number().nullable(),
      dealToContract: z.number().nullable(),
      contractToClosed: z.number().nullable(),
    }),
    matchToContract: duration,
    contractToFirstDelivery: duration,
    inspection: duration,
    followUpResponse: duration,
  })
  .meta({ id: "DealFigures" });

/**
 * `GET /v1/statistics/deals`: the figures per step over a period, overall and by field, region and broker.
 *
 * @example
 * const { overall } = dealStatisticsSchema.parse(answer);
 */
export const dealStatisticsSchema = z
  .object({
    period: z.object({ from: z.string().optional(), to: z.string().optional() }),
    generatedAt: z.string(),
    overall: dealFiguresSchema,
    byField: z.array(dealFiguresSchema.extend({ key: z.string() })),
    byRegion: z.array(dealFiguresSchema.extend({ key: z.string() })),
    byBroker: z.array(dealFiguresSchema.extend({ key: z.string() })),
  })
  .meta({ id: "DealStatistics" });

export type FollowUpQuestionView = z.infer<typeof followUpQuestionSchema>;
export type CheckInView = z.infer<typeof checkInSchema>;
export type RatingView = z.infer<typeof ratingSchema>;
export type RatingSummaryView = z.infer<typeof ratingSummarySchema>;
export type ComplaintView = z.infer<typeof complaintSchema>;
export type DealFiguresView = z.infer<typeof dealFiguresSchema>;
export type DealStatisticsView = z.infer<typeof dealStatisticsSchema>;
