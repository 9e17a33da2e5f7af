import { z } from "zod";
import { InvalidArgumentError } from "../errors";
import {
  addDecimals,
  clampDecimal,
  compareDecimals,
  decimalOfInteger,
  decimalSchema,
  formatDecimal,
  formatMinorUnits,
  fractionOf,
  minorUnitsSchema,
  multiplyDecimals,
  ONE,
  parseDecimal,
  roundHalfUp,
  subtractDecimals,
  ZERO,
  type Decimal,
} from "./decimal";

/** The three valuation approaches of SPEC 6.6 (成本法, 市场法, 收益法). */
export const VALUATION_METHODS = ["cost", "market", "income"] as const;
export type ValuationMethod = (typeof VALUATION_METHODS)[number];

/** Most cost items, comparables, or forecast years a valuation takes. */
export const MAX_VALUATION_ITEMS = 100;
/** Most years of an income forecast. */
export const MAX_FORECAST_YEARS = 50;

const label = z.string().trim().min(1).max(200);
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as CNY")
  .default("CNY");

/** A decimal no greater than `max` (inclusive), e.g. a rate in [0, 1]. */
function decimalAtMost(max: string, what: string) {
  return decimalSchema.refine((text) => compareDecimals(parseDecimal(text), parseDecimal(max)) <= 0, {
    message: `must be at most ${max} (${what})`,
  });
}

/** A decimal greater than zero and no greater than `max`. */
function positiveDecimalAtMost(max: string) {
  return decimalAtMost(max, "a factor").refine((text) => parseDecimal(text).units > 0n, {
    message: "must be greater than 0",
  });
}

const fraction = decimalAtMost("1", "a fraction: 0.3 is 30%");

/**
 * Inputs of the cost approach: the replacement (reproduction) cost, either given or built from
 * cost items plus a profit margin, less obsolescence (functional, economic, and physical where
 * stated), each a fraction of what remains: value = replacement cost × (1 − f) × (1 − e) × (1 − p).
 *
 * @example
 * costInputsSchema.parse({ replacementCost: 500_000_000, obsolescence: { functional: "0.2", economic: "0.1" } });
 */
export const costInputsSchema = z
  .strictObject({
    currency,
    replacementCost: minorUnitsSchema.optional(),
    costItems: z
      .array(z.strictObject({ label, amount: minorUnitsSchema }))
      .max(MAX_VALUATION_ITEMS)
      .optional(),
    profitMargin: decimalAtMost("10", "a fraction of the cost: 0.15 is 15%").optional(),
    obsolescence: z
      .strictObject({ functional: fraction.optional(), economic: fraction.optional(), physical: fraction.optional() })
      .default({}),
    /** How far the remaining-value factor moves for the range; default 0.05 (five points). */
    sensitivity: fraction.optional(),
  })
  .superRefine((inputs, ctx) => {
    const given = [inputs.replacementCost !== undefined, inputs.costItems !== undefined].filter(Boolean).length;
    if (given !== 1) {
      ctx.addIssue({ code: "custom", message: "give either replacementCost or costItems, exactly one" });
    }
    if (inputs.costItems?.length === 0) {
      ctx.addIssue({ code: "custom", path: ["costItems"], message: "must list at least one cost item" });
    }
    if (inputs.profitMargin !== undefined && inputs.costItems === undefined) {
      ctx.addIssue({ code: "custom", path: ["profitMargin"], message: "applies to costItems only" });
    }
  });

/**
 * Inputs of the market approach: comparable transactions, each a price and its adjustment
 * factors (time, technology, scale, terms …, each a positive multiplier), and optionally a
 * weight per comparable (all or none).
 *
 * @example
 * marketInputsSchema.parse({ comparables: [{ label: "A", price: 100_000_000, factors: [{ name: "time", factor: "1.05" }] }] });
 */
export const marketInputsSchema = z
  .strictObject({
    currency,
    comparables: z
      .array(
        z.strictObject({
          label,
          price: minorUnitsSchema.refine((price) => price > 0, "must be greater than 0"),
          factors: z
            .array(z.strictObject({ name: label, factor: positiveDecimalAtMost("100") }))
            .max(20)
            .default([]),
          weight: positiveDecimalAtMost("1000000").optional(),
        }),
      )
      .min(1, "must list at least one comparable transaction")
      .max(MAX_VALUATION_ITEMS),
  })
  .superRefine((inputs, ctx) => {
    const weighted = inputs.comparables.filter((comparable) => comparable.weight !== undefined).length;
    if (weighted !== 0 && weighted !== inputs.comparables.length) {
      ctx.addIssue({ code: "custom", path: ["comparables"], message: "give a weight to every comparable or to none" });
    }
  });

/**
 * Inputs of the income approach: a forecast per year (revenue for a royalty stream, profit for a
 * profit share), the royalty or share rate, and the discount rate; value = Σ cash_t / (1 + r)^t
 * for t = 1 … N, cash_t = forecast_t × rate.
 *
 * @example
 * incomeInputsSchema.parse({ stream: "royalty", forecast: [1_000_000_00, 1_200_000_00], rate: "0.05", discountRate: "0.1" });
 */
export const incomeInputsSchema = z.strictObject({
  currency,
  stream: z.enum(["royalty", "profitShare"]),
  forecast: z
    .array(minorUnitsSchema)
    .min(1, "must forecast at least one year (zero years have no income to value)")
    .max(MAX_FORECAST_YEARS),
  rate: fraction,
  discountRate: decimalAtMost("10", "a fraction per year: 0.08 is 8%"),
  /** How far the discount rate moves for the range; default 0.01 (one point). */
  sensitivity: fraction.optional(),
});

export type CostInputs = z.input<typeof costInputsSchema>;
export type MarketInputs = z.input<typeof marketInputsSchema>;
export type IncomeInputs = z.input<typeof incomeInputsSchema>;
export interface ValuationInputs {
  cost: CostInputs;
  market: MarketInputs;
  income: IncomeInputs;
}

/** One step of the working: what it is, the arithmetic with the figures put in, and its result. */
export interface ValuationStep {
  label: string;
  formula: string;
  /** Money in major units with two decimals (`"1234.56"`), ratios as exact decimals (`"0.72"`). */
  figure: string;
  unit: "money" | "ratio";
}

/** A valuation: value and range in integer minor units of `currency`, and the working. */
export interface Valuation {
  method: ValuationMethod;
  currency: string;
  value: number;
  low: number;
  high: number;
  working: ValuationStep[];
}

/** Default range of the cost approach: the remaining-value factor ± five points. */
export const DEFAULT_COST_SENSITIVITY = "0.05";
/** Default range of the income approach: the discount rate ± one point. */
export const DEFAULT_INCOME_SENSITIVITY = "0.01";

const INPUT_SCHEMAS = { cost: costInputsSchema, market: marketInputsSchema, income: incomeInputsSchema };

/**
 * Values a technology by the cost, market or income approach (SPEC 6.6), exactly: money in
 * integer minor units, rates as decimal strings, each money step rounded half up to the minor
 * unit and later steps computed from the rounded figures, so a person can redo the working by
 * hand and the gateway recomputes the same figures (docs/VALUATION.md). Throws
 * {@link InvalidArgumentError} on inputs it cannot value.
 *
 * @example
 * const { value, low, high, working } = valueTechnology("income", {
 *   stream: "royalty", forecast: [100_000_000, 100_000_000], rate: "0.05", discountRate: "0.10",
 * });
 * // royalty 50000.00 a year; 50000.00 / 1.1 + 50000.00 / 1.1^2 = 45454.55 + 41322.31: value 8_677_686 fen
 */
export function valueTechnology<M extends ValuationMethod>(method: M, inputs: ValuationInputs[M]): Valuation {
  if (!VALUATION_METHODS.includes(method)) {
    throw new InvalidArgumentError(`method must be one of ${VALUATION_METHODS.join(", ")}`, {
      details: `got ${JSON.stringify(method)}`,
    });
  }
  const parsed = INPUT_SCHEMAS[method].safeParse(inputs);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${["inputs", ...issue.path].join(".")}: ${issue.message}`);
    throw new InvalidArgumentError(`the ${method} approach cannot value these inputs: ${problems[0]}`, {
      details: problems.join("; "),
    });
  }
  if (method === "cost") return costApproach(parsed.data as z.output<typeof costInputsSchema>);
  if (method === "market") return marketApproach(parsed.data as z.output<typeof marketInputsSchema>);
  return incomeApproach(parsed.data as z.output<typeof incomeInputsSchema>);
}

function money(step: Omit<ValuationStep, "unit" | "figure">, minor: bigint): ValuationStep {
  return { ...step, figure: formatMinorUnits(minor), unit: "money" };
}

function ratio(step: Omit<ValuationStep, "unit" | "figure">, value: Decimal): ValuationStep {
  return { ...step, figure: formatDecimal(value), unit: "ratio" };
}

/** Rounds `minor × factor` half up to the minor unit. */
function scale(minor: bigint, factor: Decimal): bigint {
  return roundHalfUp(fractionOf(multiplyDecimals(decimalOfInteger(minor), factor)));
}

function safe(minor: bigint, what: string): number {
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidArgumentError(`the ${what} exceeds the largest amount of minor units a number holds exactly`);
  }
  return Number(minor);
}

function finish(
  method: ValuationMethod,
  currency: string,
  value: bigint,
  low: bigint,
  high: bigint,
  working: ValuationStep[],
): Valuation {
  return {
    method,
    currency,
    value: safe(value, "value"),
    low: safe(low, "low end"),
    high: safe(high, "high end"),
    working,
  };
}

function costApproach(inputs: z.output<typeof costInputsSchema>): Valuation {
  const working: ValuationStep[] = [];
  let replacement: bigint;
  if (inputs.costItems) {
    const amounts = inputs.costItems.map((item) => BigInt(item.amount));
    inputs.costItems.forEach((item, index) =>
      working.push(money({ label: `cost item: ${item.label}`, formula: "given" }, amounts[index])),
    );
    const total = amounts.reduce((sum, amount) => sum + amount, 0n);
    working.push(money({ label: "cost items total", formula: amounts.map(formatMinorUnits).join(" + ") }, total));
    const margin = inputs.profitMargin ?? "0";
    replacement = scale(total, addDecimals(ONE, parseDecimal(margin)));
    working.push(
      money(
        {
          label: "replacement cost (cost items plus profit margin)",
          formula: `${formatMinorUnits(total)} × (1 + ${margin})`,
        },
        replacement,
      ),
    );
  } else {
    replacement = BigInt(inputs.replacementCost!);
    working.push(money({ label: "replacement cost", formula: "given" }, replacement));
  }

  // Each kind of obsolescence takes its share of what the one before left: the remaining-value
  // factor is the product of (1 − rate), computed exactly (a product of finite decimals is finite).
  const kinds = (["functional", "economic", "physical"] as const).filter((kind) => inputs.obsolescence[kind]);
  let remaining = ONE;
  for (const kind of kinds)
    remaining = multiplyDecimals(remaining, subtractDecimals(ONE, parseDecimal(inputs.obsolescence[kind]!)));
  const formula = kinds.length
    ? kinds.map((kind) => `(1 − ${inputs.obsolescence[kind]})`).join(" × ")
    : "1 (no obsolescence stated)";
  working.push(
    ratio({ label: `remaining-value factor (${kinds.join(", ") || "none"} obsolescence)`, formula }, remaining),
  );
  working.push(
    ratio({ label: "obsolescence rate", formula: `1 − ${formatDecimal(remaining)}` }, subtractDecimals(ONE, remaining)),
  );
  const value = scale(replacement, remaining);
  working.push(
    money({ label: "value", formula: `${formatMinorUnits(replacement)} × ${formatDecimal(remaining)}` }, value),
  );

  const sensitivity = parseDecimal(inputs.sensitivity ?? DEFAULT_COST_SENSITIVITY);
  const lowFactor = clampDecimal(subtractDecimals(remaining, sensitivity), ZERO, ONE);
  const highFactor = clampDecimal(addDecimals(remaining, sensitivity), ZERO, ONE);
  const low = scale(replacement, lowFactor);
  const high = scale(replacement, highFactor);
  working.push(
    money(
      {
        label: `low end (factor − ${formatDecimal(sensitivity)}, at least 0)`,
        formula: `${formatMinorUnits(replacement)} × ${formatDecimal(lowFactor)}`,
      },
      low,
    ),
    money(
      {
        label: `high end (factor + ${formatDecimal(sensitivity)}, at most 1)`,
        formula: `${formatMinorUnits(replacement)} × ${formatDecimal(highFactor)}`,
      },
      high,
    ),
  );
  return finish("cost", inputs.currency, value, low, high, working);
}

function marketApproach(inputs: z.output<typeof marketInputsSchema>): Valuation {
  const working: ValuationStep[] = [];
  const adjusted = inputs.comparables.map((comparable) => {
    const factor = comparable.factors.reduce(
      (product, { factor }) => multiplyDecimals(product, parseDecimal(factor)),
      ONE,
    );
    const price = BigInt(comparable.price);
    const result = scale(price, factor);
    const factors = comparable.factors.map(({ name, factor }) => `${factor} (${name})`);
    working.push(
      money(
        {
          label: `adjusted price: ${comparable.label}`,
          formula: [formatMinorUnits(price), ...factors].join(" × "),
        },
        result,
      ),
    );
    return result;
  });
  const weighted = inputs.comparables[0].weight !== undefined;
  let value: bigint;
  if (weighted) {
    const weights = inputs.comparables.map((comparable) => parseDecimal(comparable.weight!));
    const scaleOf = Math.max(...weights.map((weight) => weight.scale));
    // Weights on one scale are integers, so Σ wᵢ·pᵢ / Σ wᵢ is a fraction of integers.
    const units = weights.map((weight) => weight.units * 10n ** BigInt(scaleOf - weight.scale));
    const numerator = adjusted.reduce((sum, price, index) => sum + price * units[index], 0n);
    const denominator = units.reduce((sum, weight) => sum + weight, 0n);
    value = roundHalfUp({ n: numerator, d: denominator });
    const terms = adjusted.map((price, index) => `${inputs.comparables[index].weight} × ${formatMinorUnits(price)}`);
    const weightSum = inputs.comparables.map((comparable) => comparable.weight).join(" + ");
    working.push(
      money(
        { label: "value (weighted mean of adjusted prices)", formula: `(${terms.join(" + ")}) / (${weightSum})` },
        value,
      ),
    );
  } else {
    const sum = adjusted.reduce((total, price) => total + price, 0n);
    value = roundHalfUp({ n: sum, d: BigInt(adjusted.length) });
    working.push(
      money(
        {
          label: "value (mean of adjusted prices)",
          formula: `(${adjusted.map(formatMinorUnits).join(" + ")}) / ${adjusted.length}`,
        },
        value,
      ),
    );
  }
  const low = adjusted.reduce((min, price) => (price < min ? price : min));
  const high = adjusted.reduce((max, price) => (price > max ? price : max));
  working.push(
    money(
      { label: "low end (lowest adjusted price)", formula: `min(${adjusted.map(formatMinorUnits).join(", ")})` },
      low,
    ),
    money(
      { label: "high end (highest adjusted price)", formula: `max(${adjusted.map(formatMinorUnits).join(", ")})` },
      high,
    ),
  );
  return finish("market", inputs.currency, value, low, high, working);
}

/** Σ cash_t / (1 + r)^t, each term rounded half up to the minor unit; the terms and their sum. */
function discounted(cash: bigint[], rate: Decimal): { terms: bigint[]; total: bigint } {
  const growth = addDecimals(ONE, rate);
  const terms = cash.map((amount, index) => {
    const year = BigInt(index + 1);
    // cash / (g / 10^s)^t = cash × 10^(s·t) / g^t
    return roundHalfUp({ n: amount * 10n ** (BigInt(growth.scale) * year), d: growth.units ** year });
  });
  return { terms, total: terms.reduce((sum, term) => sum + term, 0n) };
}

function incomeApproach(inputs: z.output<typeof incomeInputsSchema>): Valuation {
  const working: ValuationStep[] = [];
  const what = inputs.stream === "royalty" ? "royalty" : "profit share";
  const base = inputs.stream === "royalty" ? "revenue" : "profit";
  const rate = parseDecimal(inputs.rate);
  const cash = inputs.forecast.map((amount, index) => {
    const result = scale(BigInt(amount), rate);
    working.push(
      money(
        { label: `year ${index + 1} ${what}`, formula: `${formatMinorUnits(amount)} (${base}) × ${inputs.rate}` },
        result,
      ),
    );
    return result;
  });
  const discount = parseDecimal(inputs.discountRate);
  const growth = formatDecimal(addDecimals(ONE, discount));
  const central = discounted(cash, discount);
  central.terms.forEach((term, index) =>
    working.push(
      money(
        {
          label: `year ${index + 1} present value`,
          formula: `${formatMinorUnits(cash[index])} / ${growth}^${index + 1}`,
        },
        term,
      ),
    ),
  );
  working.push(
    money(
      {
        label: `value (Σ present values at ${inputs.discountRate})`,
        formula: central.terms.map(formatMinorUnits).join(" + "),
      },
      central.total,
    ),
  );

  // A higher discount rate gives the low end, a lower one (never below zero) the high end.
  const sensitivity = parseDecimal(inputs.sensitivity ?? DEFAULT_INCOME_SENSITIVITY);
  const lowRate = addDecimals(discount, sensitivity);
  const highRate = clampDecimal(subtractDecimals(discount, sensitivity), ZERO, lowRate);
  const ends = [
    { label: "low end", at: lowRate },
    { label: "high end", at: highRate },
  ].map(({ label, at }) => {
    const { terms, total } = discounted(cash, at);
    const atGrowth = formatDecimal(addDecimals(ONE, at));
    working.push(
      money(
        {
          label: `${label} (Σ present values at ${formatDecimal(at)})`,
          formula:
            cash.map((amount, index) => `${formatMinorUnits(amount)} / ${atGrowth}^${index + 1}`).join(" + ") +
            ` = ${terms.map(formatMinorUnits).join(" + ")}`,
        },
        total,
      ),
    );
    return total;
  });
  return finish("income", inputs.currency, central.total, ends[0], ends[1], working);
}

/** One figure on which a report and its recomputation disagree. */
export interface EvaluationDifference {
  field: "method" | "currency" | "value" | "low" | "high" | "working";
  reported: unknown;
  recomputed: unknown;
}

/** What a report states of its valuation: its figures, and the working when it carries one. */
export interface ReportedValuation {
  method?: ValuationMethod;
  currency: string;
  value: number;
  low: number;
  high: number;
  working?: ValuationStep[];
}

/**
 * The figures on which a report's valuation and the SDK's recomputation from the same inputs
 * disagree: value, low and high to the minor unit, the currency, and the working step by step
 * when the report carries it. Empty when they agree.
 *
 * @example
 * const differences = evaluationDifferences(report.result, valueTechnology(report.method.approach, report.method.inputs));
 * if (differences.length) throw new Error(`the report's ${differences[0].field} is not what its inputs give`);
 */
export function evaluationDifferences(reported: ReportedValuation, recomputed: Valuation): EvaluationDifference[] {
  const differences: EvaluationDifference[] = [];
  if (reported.method !== undefined && reported.method !== recomputed.method) {
    differences.push({ field: "method", reported: reported.method, recomputed: recomputed.method });
  }
  for (const field of ["currency", "value", "low", "high"] as const) {
    if (reported[field] !== recomputed[field]) {
      differences.push({ field, reported: reported[field], recomputed: recomputed[field] });
    }
  }
  if (reported.working !== undefined && !sameWorking(reported.working, recomputed.working)) {
    differences.push({ field: "working", reported: reported.working, recomputed: recomputed.working });
  }
  return differences;
}

/**
 * Whether a report's valuation agrees with the recomputation, figure for figure
 * ({@link evaluationDifferences} is empty).
 *
 * @example
 * if (!evaluationMatches(report.result, valueTechnology("market", inputs))) refuse();
 */
export function evaluationMatches(reported: ReportedValuation, recomputed: Valuation): boolean {
  return evaluationDifferences(reported, recomputed).length === 0;
}

function sameWorking(a: ValuationStep[], b: ValuationStep[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (step, index) =>
        step.label === b[index].label &&
        step.formula === b[index].formula &&
        step.figure === b[index].figure &&
        step.unit === b[index].unit,
    )
  );
}
