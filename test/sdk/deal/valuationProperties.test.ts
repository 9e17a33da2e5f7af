import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffContractVersions, valueTechnology } from "../../../sdk";
import { CONTRACT_FIXTURES } from "./contractFixtures";

// Invariants of the valuation arithmetic over random inputs, beside the worked examples.

/** A decimal string in [0, max] with up to `places` decimals. */
const decimal = (max: number, places: number) =>
  fc.integer({ min: 0, max: max * 10 ** places }).map((units) => (units / 10 ** places).toFixed(places));
const money = fc.integer({ min: 0, max: 10_000_000_000 });
const toFen = (figure: string) => Math.round(Number(figure) * 100);

describe("valuation invariants", () => {
  it("income: low ≤ value ≤ high, and the value is the sum of the present values shown", () => {
    fc.assert(
      fc.property(
        fc.array(money, { minLength: 1, maxLength: 15 }),
        decimal(1, 4),
        decimal(1, 4),
        fc.constantFrom("royalty" as const, "profitShare" as const),
        (forecast, rate, discountRate, stream) => {
          const valuation = valueTechnology("income", { stream, forecast, rate, discountRate });
          expect(valuation.low).toBeLessThanOrEqual(valuation.value);
          expect(valuation.value).toBeLessThanOrEqual(valuation.high);
          const presentValues = valuation.working.filter((step) => step.label.endsWith("present value"));
          expect(presentValues).toHaveLength(forecast.length);
          expect(presentValues.reduce((sum, step) => sum + toFen(step.figure), 0)).toBe(valuation.value);
          expect(valueTechnology("income", { stream, forecast, rate, discountRate })).toEqual(valuation);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("market: the value lies between the lowest and highest adjusted prices", () => {
    const comparable = fc.record({
      label: fc.constant("c"),
      price: fc.integer({ min: 1, max: 10_000_000_000 }),
      factors: fc.array(fc.record({ name: fc.constant("f"), factor: decimal(3, 3).filter((f) => Number(f) > 0) }), {
        maxLength: 4,
      }),
    });
    fc.assert(
      fc.property(fc.array(comparable, { minLength: 1, maxLength: 10 }), (comparables) => {
        const valuation = valueTechnology("market", { comparables });
        expect(valuation.low).toBeLessThanOrEqual(valuation.value);
        expect(valuation.value).toBeLessThanOrEqual(valuation.high);
      }),
      { numRuns: 200 },
    );
  });

  it("cost: low ≤ value ≤ high ≤ replacement cost", () => {
    fc.assert(
      fc.property(
        money,
        decimal(1, 3),
        decimal(1, 3),
        decimal(1, 3),
        (replacementCost, functional, economic, physical) => {
          const valuation = valueTechnology("cost", {
            replacementCost,
            obsolescence: { functional, economic, physical },
          });
          expect(valuation.low).toBeLessThanOrEqual(valuation.value);
          expect(valuation.value).toBeLessThanOrEqual(valuation.high);
          expect(valuation.high).toBeLessThanOrEqual(replacementCost);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("contract version invariants", () => {
  it("finds exactly the one amount changed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000 }), (amount) => {
        const after = structuredClone(CONTRACT_FIXTURES.service) as { payment: { total: number } };
        fc.pre(amount !== after.payment.total);
        after.payment.total = amount;
        expect(diffContractVersions(CONTRACT_FIXTURES.service, after)).toEqual([
          { path: "payment.total", change: "changed", before: 8_000_000, after: amount },
        ]);
      }),
      { numRuns: 50 },
    );
  });
});
