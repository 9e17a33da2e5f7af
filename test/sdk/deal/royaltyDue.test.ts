import { describe, expect, it } from "vitest";
import { royaltyDue, type RoyaltyPayment } from "../../../sdk";

const payment: RoyaltyPayment = {
  mode: "royalty",
  currency: "CNY",
  upfrontFee: 0,
  base: "profit",
  rate: "0.125",
  reportingPeriod: "yearly",
  payWithinDays: 60,
};

describe("royaltyDue", () => {
  it("multiplies exactly and rounds half up to the minor unit", () => {
    // 1,000,003 fen × 0.125 = 125,000.375 fen → 125,000; 4 × 0.125 = 0.5 → 1 (a half goes up).
    expect(royaltyDue(payment, 1_000_003)).toEqual({
      currency: "CNY",
      base: "profit",
      baseAmount: 1_000_003,
      rate: "0.125",
      royalty: 125_000,
      working: "profit 10000.03 × 0.125 = 1250.00 CNY (rounded half up to the minor unit)",
    });
    expect(royaltyDue(payment, 4).royalty).toBe(1);
    expect(royaltyDue(payment, 0).royalty).toBe(0);
    // Beyond floating point: 2^53 − 1 fen at 0.125 is exact.
    expect(royaltyDue(payment, Number.MAX_SAFE_INTEGER).royalty).toBe(1125899906842624);
  });

  it("refuses a base that is not a whole, non-negative number of minor units", () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(() => royaltyDue(payment, bad)).toThrow(/baseAmount/);
    }
  });
});
