import { describe, expect, it } from "vitest";
import {
  checkEvaluationReport,
  EVALUATION_KINDS,
  EVALUATION_KIND_NAMES,
  evaluationDifferences,
  evaluationMatches,
  evaluationReportSchema,
  InvalidArgumentError,
  valueTechnology,
  type EvaluationReportInput,
} from "../../../sdk";

// Every figure below is worked by hand in the comments: money in fen (1 yuan = 100 fen), each
// money step rounded half up to the fen, later steps computed from the rounded figures.

describe("valueTechnology: the income approach", () => {
  it("values a discounted royalty stream, with the range at the discount rate ± one point", () => {
    // Revenue 1,000,000.00 a year for two years, royalty 5% → 50,000.00 a year.
    // r = 10%: 50,000.00 / 1.1   = 45,454.5454… → 45,454.55
    //          50,000.00 / 1.21  = 41,322.3140… → 41,322.31   value = 86,776.86
    // r = 11%: 50,000.00 / 1.11  = 45,045.0450… → 45,045.05
    //          50,000.00 / 1.2321 = 40,581.1216… → 40,581.12  low = 85,626.17
    // r =  9%: 50,000.00 / 1.09  = 45,871.5596… → 45,871.56
    //          50,000.00 / 1.1881 = 42,083.9996… → 42,084.00  high = 87,955.56
    const valuation = valueTechnology("income", {
      stream: "royalty",
      forecast: [100_000_000, 100_000_000],
      rate: "0.05",
      discountRate: "0.10",
    });
    expect(valuation).toMatchObject({
      method: "income",
      currency: "CNY",
      value: 8_677_686,
      low: 8_562_617,
      high: 8_795_556,
    });
    expect(valuation.working.map((step) => step.figure)).toEqual([
      "50000.00",
      "50000.00",
      "45454.55",
      "41322.31",
      "86776.86",
      "85626.17",
      "87955.56",
    ]);
    expect(valuation.working[2]).toEqual({
      label: "year 1 present value",
      formula: "50000.00 / 1.1^1",
      figure: "45454.55",
      unit: "money",
    });
  });

  it("values a profit share over three years", () => {
    // Profit 2,000,000.00, 3,000,000.00, 4,000,000.00; share 25% → 500,000.00, 750,000.00, 1,000,000.00.
    // r = 25%: 500,000 / 1.25 = 400,000.00; 750,000 / 1.5625 = 480,000.00; 1,000,000 / 1.953125 = 512,000.00
    //          value = 1,392,000.00
    // r = 26%: 396,825.3968 → 396,825.40; 750,000 / 1.5876 = 472,411.1867 → 472,411.19;
    //          1,000,000 / 2.000376 = 499,906.0158 → 499,906.02; low = 1,369,142.61
    // r = 24%: 403,225.8065 → 403,225.81; 750,000 / 1.5376 = 487,773.1530 → 487,773.15;
    //          1,000,000 / 1.906624 = 524,487.2552 → 524,487.26; high = 1,415,486.22
    const valuation = valueTechnology("income", {
      stream: "profitShare",
      forecast: [200_000_000, 300_000_000, 400_000_000],
      rate: "0.25",
      discountRate: "0.25",
    });
    expect(valuation).toMatchObject({ value: 139_200_000, low: 136_914_261, high: 141_548_622 });
    expect(valuation.working[0].label).toBe("year 1 profit share");
  });

  it("takes a zero discount rate, and never takes the high end's rate below zero", () => {
    // r = 0: value = 300.00 + 300.00 = 600.00; high at max(0 − 0.01, 0) = 0 → 600.00;
    // low at 1%: 300 / 1.01 = 297.0297 → 297.03; 300 / 1.0201 = 294.0888 → 294.09; 591.12.
    const valuation = valueTechnology("income", {
      stream: "royalty",
      forecast: [3_000_000, 3_000_000],
      rate: "0.01",
      discountRate: "0",
    });
    expect(valuation).toMatchObject({ value: 60_000, high: 60_000, low: 59_112 });
  });

  it("takes rates as JSON numbers too, and a sensitivity of its own", () => {
    // One year: 1,000.00 × 10% = 100.00; /1.1 = 90.9090… → 90.91; ±5 points: /1.15 = 86.9565 → 86.96, /1.05 = 95.2380 → 95.24.
    const valuation = valueTechnology("income", {
      stream: "royalty",
      forecast: [100_000],
      rate: 0.1,
      discountRate: 0.1,
      sensitivity: "0.05",
    });
    expect(valuation).toMatchObject({ value: 9_091, low: 8_696, high: 9_524 });
  });

  it("refuses zero years, negative rates, and rates above their bounds, saying which input", () => {
    const base = { stream: "royalty" as const, forecast: [100], rate: "0.05", discountRate: "0.1" };
    expect(() => valueTechnology("income", { ...base, forecast: [] })).toThrow(
      /inputs.forecast: must forecast at least one year/,
    );
    expect(() => valueTechnology("income", { ...base, discountRate: "-0.05" })).toThrow(
      /inputs.discountRate: must not be negative/,
    );
    expect(() => valueTechnology("income", { ...base, rate: -0.05 })).toThrow(/inputs.rate: must not be negative/);
    expect(() => valueTechnology("income", { ...base, rate: "1.5" })).toThrow(/inputs.rate: must be at most 1/);
    expect(() => valueTechnology("income", { ...base, rate: "5%" })).toThrow(/must be a decimal/);
    expect(() => valueTechnology("income", { ...base, forecast: [100.5] })).toThrow(/whole minor units/);
    expect(() => valueTechnology("income", { ...base, forecast: [-100] })).toThrow(InvalidArgumentError);
  });
});

describe("valueTechnology: the cost approach", () => {
  it("builds the replacement cost from cost items and a margin, less functional and economic obsolescence", () => {
    // Items 300,000.00 + 100,000.00 = 400,000.00; × (1 + 0.1) = 440,000.00.
    // Remaining factor (1 − 0.2) × (1 − 0.1) = 0.72 (obsolescence 0.28); value 440,000.00 × 0.72 = 316,800.00.
    // Range: factor ± 0.05: 440,000.00 × 0.67 = 294,800.00, × 0.77 = 338,800.00.
    const valuation = valueTechnology("cost", {
      costItems: [
        { label: "research staff", amount: 30_000_000 },
        { label: "equipment", amount: 10_000_000 },
      ],
      profitMargin: "0.1",
      obsolescence: { functional: "0.2", economic: "0.1" },
    });
    expect(valuation).toMatchObject({ method: "cost", value: 31_680_000, low: 29_480_000, high: 33_880_000 });
    expect(valuation.working.find((step) => step.label === "obsolescence rate")).toMatchObject({
      formula: "1 − 0.72",
      figure: "0.28",
      unit: "ratio",
    });
  });

  it("rounds half up to the fen, once, on a given replacement cost", () => {
    // 1,234,567.89 × (1 − 0.15) = 1,049,382.7065 → 1,049,382.71 (104,938,270.65 fen → 104,938,271)
    // low 0.80: 98,765,431.2 fen → 98,765,431; high 0.90: 111,111,110.1 fen → 111,111,110
    const valuation = valueTechnology("cost", { replacementCost: 123_456_789, obsolescence: { physical: "0.15" } });
    expect(valuation).toMatchObject({ value: 104_938_271, low: 98_765_431, high: 111_111_110 });
  });

  it("keeps the range inside [0, replacement cost]", () => {
    // No obsolescence: factor 1, high = min(1.05, 1) = 1; full obsolescence: factor 0, low = max(−0.05, 0) = 0.
    expect(valueTechnology("cost", { replacementCost: 10_000 })).toMatchObject({
      value: 10_000,
      low: 9_500,
      high: 10_000,
    });
    expect(valueTechnology("cost", { replacementCost: 10_000, obsolescence: { economic: "1" } })).toMatchObject({
      value: 0,
      low: 0,
      high: 500,
    });
  });

  it("refuses both or neither of a replacement cost and cost items, and negative obsolescence", () => {
    expect(() => valueTechnology("cost", { obsolescence: {} })).toThrow(/exactly one/);
    expect(() => valueTechnology("cost", { replacementCost: 1, costItems: [{ label: "x", amount: 1 }] })).toThrow(
      /exactly one/,
    );
    expect(() => valueTechnology("cost", { replacementCost: 1, obsolescence: { functional: "-0.1" } })).toThrow(
      /inputs.obsolescence.functional: must not be negative/,
    );
    expect(() => valueTechnology("cost", { costItems: [] })).toThrow(/at least one cost item/);
    expect(() => valueTechnology("cost", { replacementCost: 1, profitMargin: "0.1" })).toThrow(
      /inputs.profitMargin: applies to costItems only/,
    );
  });
});

describe("valueTechnology: the market approach", () => {
  const comparables = [
    {
      label: "A",
      price: 100_000_000,
      factors: [
        { name: "time", factor: "1.05" },
        { name: "scale", factor: "0.9" },
      ],
    },
    { label: "B", price: 80_000_000, factors: [{ name: "technology", factor: "1.2" }] },
  ];

  it("adjusts each comparable's price by its factors and takes the mean, the range from the lowest and highest", () => {
    // A: 1,000,000.00 × 1.05 × 0.9 = 945,000.00; B: 800,000.00 × 1.2 = 960,000.00
    // mean (945,000.00 + 960,000.00) / 2 = 952,500.00; low 945,000.00, high 960,000.00
    const valuation = valueTechnology("market", { comparables });
    expect(valuation).toMatchObject({ method: "market", value: 95_250_000, low: 94_500_000, high: 96_000_000 });
    expect(valuation.working[0]).toMatchObject({
      formula: "1000000.00 × 1.05 (time) × 0.9 (scale)",
      figure: "945000.00",
    });
  });

  it("takes a weighted mean when every comparable has a weight", () => {
    // (3 × 945,000.00 + 1 × 960,000.00) / 4 = 3,795,000.00 / 4 = 948,750.00
    const weighted = comparables.map((comparable, index) => ({ ...comparable, weight: index === 0 ? "3" : "1" }));
    expect(valueTechnology("market", { comparables: weighted }).value).toBe(94_875_000);
  });

  it("rounds the mean half up to the fen", () => {
    // (0.01 + 0.02) / 2 = 0.015 → 0.02
    const valuation = valueTechnology("market", {
      comparables: [
        { label: "a", price: 1 },
        { label: "b", price: 2 },
      ],
    });
    expect(valuation).toMatchObject({ value: 2, low: 1, high: 2 });
  });

  it("refuses no comparables, a zero factor, and weights on some comparables only", () => {
    expect(() => valueTechnology("market", { comparables: [] })).toThrow(/at least one comparable/);
    expect(() =>
      valueTechnology("market", { comparables: [{ label: "a", price: 1, factors: [{ name: "time", factor: "0" }] }] }),
    ).toThrow(/greater than 0/);
    expect(() =>
      valueTechnology("market", { comparables: [{ ...comparables[0], weight: "1" }, comparables[1]] }),
    ).toThrow(/every comparable or to none/);
  });

  it("refuses a method it does not know", () => {
    expect(() => valueTechnology("magic" as "cost", { replacementCost: 1 })).toThrow(/method must be one of/);
  });
});

describe("evaluationMatches", () => {
  const inputs = {
    stream: "royalty" as const,
    forecast: [100_000_000, 100_000_000],
    rate: "0.05",
    discountRate: "0.10",
  };
  const recomputed = valueTechnology("income", inputs);

  it("accepts a report whose figures and working are the recomputation's", () => {
    expect(evaluationMatches({ ...recomputed }, valueTechnology("income", inputs))).toBe(true);
    expect(evaluationMatches({ currency: "CNY", value: 8_677_686, low: 8_562_617, high: 8_795_556 }, recomputed)).toBe(
      true,
    );
  });

  it("names each figure that disagrees, to the fen", () => {
    const reported = { currency: "CNY", value: 8_677_687, low: 8_562_617, high: 9_000_000 };
    expect(evaluationMatches(reported, recomputed)).toBe(false);
    expect(evaluationDifferences(reported, recomputed)).toEqual([
      { field: "value", reported: 8_677_687, recomputed: 8_677_686 },
      { field: "high", reported: 9_000_000, recomputed: 8_795_556 },
    ]);
  });

  it("refuses a working that was edited, even with the right totals", () => {
    const working = recomputed.working.map((step, index) => (index === 2 ? { ...step, figure: "45454.54" } : step));
    expect(evaluationDifferences({ ...recomputed, working }, recomputed).map((d) => d.field)).toEqual(["working"]);
  });
});

describe("the evaluation report", () => {
  const report: EvaluationReportInput = {
    kind: "value",
    subject: { title: "钙钛矿叠层电池专利组合 / perovskite tandem cell patents" },
    evaluators: [{ name: "王评估", organisation: "云南技术评估中心", qualification: "资产评估师" }],
    process: { startedOn: "2026-03-01", finishedOn: "2026-03-10", steps: ["site visit", "market survey"] },
    content: "The licence of two patents over five years.",
    method: {
      approach: "income",
      inputs: { stream: "royalty", forecast: [100_000_000, 100_000_000], rate: "0.05", discountRate: "0.10" },
    },
    result: { currency: "CNY", value: 8_677_686, low: 8_562_617, high: 8_795_556, conclusion: "值 86,776.86 元" },
  };

  it("lists the standard's five kinds with their Chinese names", () => {
    expect(EVALUATION_KINDS).toEqual(["process", "benefit", "value", "patent", "financing"]);
    expect(EVALUATION_KINDS.map((kind) => EVALUATION_KIND_NAMES[kind].zh)).toEqual([
      "过程评价",
      "效益评价",
      "价值评估",
      "专利评价",
      "融资评估",
    ]);
  });

  it("parses a report with its six parts and finds its figures agree with its inputs", () => {
    const parsed = evaluationReportSchema.parse(report);
    expect(checkEvaluationReport(parsed).differences).toEqual([]);
  });

  it("finds the figure a report states wrongly", () => {
    const parsed = evaluationReportSchema.parse({ ...report, result: { ...report.result, low: 8_000_000 } });
    expect(checkEvaluationReport(parsed).differences).toEqual([
      { field: "low", reported: 8_000_000, recomputed: 8_562_617 },
    ]);
  });

  it("refuses a report missing a part, and a value evaluation with no valuation", () => {
    const { evaluators: _, ...noEvaluators } = report;
    expect(evaluationReportSchema.safeParse(noEvaluators).success).toBe(false);
    expect(evaluationReportSchema.safeParse({ ...report, evaluators: [] }).success).toBe(false);
    const qualitative = { ...report, method: { approach: "qualitative", description: "interviews" } };
    expect(evaluationReportSchema.safeParse(qualitative).success).toBe(false);
    expect(
      evaluationReportSchema.safeParse({ ...qualitative, kind: "process", result: { conclusion: "ok" } }).success,
    ).toBe(true);
    const { value: __, ...noValue } = report.result;
    expect(evaluationReportSchema.safeParse({ ...report, result: noValue }).success).toBe(false);
  });
});
