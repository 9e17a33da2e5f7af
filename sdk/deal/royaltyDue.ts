import { InvalidArgumentError } from "../errors";
import type { Payment } from "./contractFields";
import { decimalOfInteger, formatMinorUnits, fractionOf, multiplyDecimals, parseDecimal, roundHalfUp } from "./decimal";

/** A royalty contract's payment clause (Civil Code art. 846: a rate on sales or profit). */
export type RoyaltyPayment = Extract<Payment, { mode: "royalty" }>;

/** What a royalty statement says is due for a period. */
export interface RoyaltyDue {
  currency: string;
  /** What the rate applies to: the licensee's sales or its profit from the technology. */
  base: RoyaltyPayment["base"];
  /** The period's sales or profit, in minor units (fen). */
  baseAmount: number;
  /** The contract's rate as a decimal string (`"0.035"` is 3.5 %). */
  rate: string;
  /** `baseAmount × rate`, rounded half up to the minor unit. */
  royalty: number;
  /** The arithmetic in one line a person can redo. */
  working: string;
}

/**
 * The royalty due for a period under a royalty contract: the period's sales (or
 * profit) times the contract's rate, exactly (no floating point), rounded half up
 * to the fen, the valuations' one rounding rule (docs/VALUATION.md). The licensee's
 * statement and the gateway's record both come from it, so they agree to the fen.
 *
 * @example
 * royaltyDue(payment, 123_456_700).royalty // 4_320_985 when the rate is "0.035"
 */
export function royaltyDue(payment: RoyaltyPayment, baseAmount: number): RoyaltyDue {
  if (!Number.isSafeInteger(baseAmount) || baseAmount < 0) {
    throw new InvalidArgumentError("baseAmount: must be a whole number of minor units, not negative");
  }
  const royalty = Number(
    roundHalfUp(fractionOf(multiplyDecimals(decimalOfInteger(baseAmount), parseDecimal(payment.rate)))),
  );
  return {
    currency: payment.currency,
    base: payment.base,
    baseAmount,
    rate: payment.rate,
    royalty,
    working:
      `${payment.base} ${formatMinorUnits(baseAmount)} × ${payment.rate} = ` +
      `${formatMinorUnits(royalty)} ${payment.currency} (rounded half up to the minor unit)`,
  };
}
