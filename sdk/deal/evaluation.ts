import { z } from "zod";
import { BYTES32_PATTERN, DEAL_ID_PATTERN, LISTING_ID_PATTERN, USER_ID_PATTERN } from "../patterns";
import {
  costInputsSchema,
  evaluationDifferences,
  incomeInputsSchema,
  marketInputsSchema,
  valueTechnology,
  type EvaluationDifference,
  type Valuation,
  type ValuationMethod,
} from "./valueTechnology";

/**
 * The kinds of technology evaluation the standard lists among the value-added services:
 * process (过程评价), benefit (效益评价), value (价值评估), patent (专利评价) and financing
 * (融资评估) evaluation.
 *
 * @example
 * EVALUATION_KINDS.includes("patent") // true
 */
export const EVALUATION_KINDS = ["process", "benefit", "value", "patent", "financing"] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];

/** Each kind's name in Chinese and English, as the report shows it. */
export const EVALUATION_KIND_NAMES: Record<EvaluationKind, { zh: string; en: string }> = {
  process: { zh: "过程评价", en: "process evaluation" },
  benefit: { zh: "效益评价", en: "benefit evaluation" },
  value: { zh: "价值评估", en: "value evaluation" },
  patent: { zh: "专利评价", en: "patent evaluation" },
  financing: { zh: "融资评估", en: "financing evaluation" },
};

/** The kinds whose result is a value range, so whose method must be a valuation the gateway recomputes. */
export const VALUING_EVALUATION_KINDS: readonly EvaluationKind[] = ["value", "patent", "financing"];

const text = z.string().trim().min(1).max(20_000);
const shortText = z.string().trim().min(1).max(500);
const isoDate = z.iso.date();
const step = z.strictObject({
  label: z.string(),
  formula: z.string(),
  figure: z.string(),
  unit: z.enum(["money", "ratio"]),
});

/**
 * The method part of a report: one of the three valuation approaches with its inputs (which the
 * gateway recomputes), or, for process and benefit evaluations, a described qualitative method.
 */
export const evaluationMethodSchema = z.discriminatedUnion("approach", [
  z.strictObject({ approach: z.literal("cost"), inputs: costInputsSchema }),
  z.strictObject({ approach: z.literal("market"), inputs: marketInputsSchema }),
  z.strictObject({ approach: z.literal("income"), inputs: incomeInputsSchema }),
  z.strictObject({ approach: z.literal("qualitative"), description: text }),
]);

/**
 * An evaluation report (SPEC 6.6) with its six required parts: subject (what is evaluated),
 * evaluators (who), process (how the work went), content (what was examined), method (the
 * approach and its inputs) and result (for a valuation, the value range in integer minor units
 * and the working; always a conclusion). A value, patent or financing evaluation must use a
 * valuation approach and state value, low and high; {@link checkEvaluationReport} recomputes them.
 *
 * @example
 * const report = evaluationReportSchema.parse(body);
 */
export const evaluationReportSchema = z
  .strictObject({
    kind: z.enum(EVALUATION_KINDS),
    subject: z.strictObject({
      title: shortText,
      description: text.optional(),
      dealId: z.string().regex(DEAL_ID_PATTERN).optional(),
      listingId: z.string().regex(LISTING_ID_PATTERN).optional(),
    }),
    evaluators: z
      .array(
        z.strictObject({
          name: shortText,
          organisation: shortText.optional(),
          qualification: shortText.optional(),
          userId: z.string().regex(USER_ID_PATTERN).optional(),
        }),
      )
      .min(1, "a report names at least one evaluator")
      .max(20),
    process: z.strictObject({
      startedOn: isoDate,
      finishedOn: isoDate,
      steps: z.array(shortText).min(1, "a report says how the evaluation went").max(50),
    }),
    content: text,
    method: evaluationMethodSchema,
    result: z.strictObject({
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .optional(),
      value: z.number().int().nonnegative().optional(),
      low: z.number().int().nonnegative().optional(),
      high: z.number().int().nonnegative().optional(),
      working: z.array(step).optional(),
      conclusion: text,
      reportDigest: z.string().regex(BYTES32_PATTERN).optional(),
    }),
  })
  .superRefine((report, ctx) => {
    if (report.process.finishedOn < report.process.startedOn) {
      ctx.addIssue({ code: "custom", path: ["process", "finishedOn"], message: "must not be before startedOn" });
    }
    const valuing = report.method.approach !== "qualitative";
    if (VALUING_EVALUATION_KINDS.includes(report.kind) && !valuing) {
      ctx.addIssue({
        code: "custom",
        path: ["method", "approach"],
        message: `a ${report.kind} evaluation values the technology: use the cost, market or income approach`,
      });
    }
    for (const field of ["currency", "value", "low", "high"] as const) {
      if (valuing && report.result[field] === undefined) {
        ctx.addIssue({ code: "custom", path: ["result", field], message: "a valuation states it" });
      }
    }
  });

export type EvaluationReport = z.output<typeof evaluationReportSchema>;
export type EvaluationReportInput = z.input<typeof evaluationReportSchema>;

/**
 * Recomputes a parsed report's valuation from its own inputs and lists the figures it states
 * differently (empty: the report agrees). A qualitative report has nothing to recompute.
 *
 * @example
 * const { differences } = checkEvaluationReport(evaluationReportSchema.parse(body));
 * if (differences.length) refuse("EVALUATION_MISMATCH", differences);
 */
export function checkEvaluationReport(report: EvaluationReport): {
  valuation?: Valuation;
  differences: EvaluationDifference[];
} {
  const method = report.method;
  if (method.approach === "qualitative") return { differences: [] };
  const valuation = valueTechnology(method.approach as ValuationMethod, method.inputs);
  const { currency, value, low, high, working } = report.result;
  return {
    valuation,
    differences: evaluationDifferences(
      { currency: currency!, value: value!, low: low!, high: high!, working },
      valuation,
    ),
  };
}
