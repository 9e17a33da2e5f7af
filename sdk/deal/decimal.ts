import { z } from "zod";

// Exact arithmetic for valuations and contracts: money is integer minor units (fen), rates and
// factors are decimal strings, and every quotient is a fraction of bigints until it is rounded
// to the fen. Floating point never touches a figure, so the gateway recomputes a report's
// figures to the same fen on any machine.

/** A decimal written as `units / 10^scale`: the exact value of a decimal string. */
export interface Decimal {
  units: bigint;
  scale: number;
}

/** A non-negative fraction `n / d` with `d > 0`. */
export interface Fraction {
  n: bigint;
  d: bigint;
}

/** Most decimal places a rate or factor may have. */
export const MAX_DECIMAL_PLACES = 9;

const DECIMAL_PATTERN = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,9})?$/;

/**
 * A non-negative decimal such as `"0.08"` or `"1.05"` (a JSON number is taken as its shortest
 * decimal form): the one input shape of every rate, factor and weight. Negative values are
 * refused with their own message, so a client sees why.
 */
export const decimalSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = typeof value === "number" ? String(value) : value;
  if (/^\s*-/.test(text)) {
    ctx.addIssue({ code: "custom", message: "must not be negative" });
    return z.NEVER;
  }
  if (!DECIMAL_PATTERN.test(text)) {
    ctx.addIssue({
      code: "custom",
      message: `must be a decimal such as "0.08" (digits, at most ${MAX_DECIMAL_PLACES} decimal places)`,
    });
    return z.NEVER;
  }
  return text;
});

/** Money: a non-negative safe integer of minor units (fen for CNY). */
export const minorUnitsSchema = z
  .number()
  .int("must be whole minor units (fen), not a fraction")
  .nonnegative("must not be negative")
  .max(Number.MAX_SAFE_INTEGER);

/** The exact value of a decimal string that {@link decimalSchema} accepted. */
export function parseDecimal(text: string): Decimal {
  const [whole, fraction = ""] = text.split(".");
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

export function decimalOfInteger(value: bigint | number): Decimal {
  return { units: BigInt(value), scale: 0 };
}

export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** `a − b` on a common scale (may be negative; callers clamp). */
export function subtractDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: a.units * 10n ** BigInt(scale - a.scale) - b.units * 10n ** BigInt(scale - b.scale), scale };
}

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  return subtractDecimals(a, { units: -b.units, scale: b.scale });
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  const difference = subtractDecimals(a, b).units;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export const ZERO: Decimal = { units: 0n, scale: 0 };
export const ONE: Decimal = { units: 1n, scale: 0 };

export function clampDecimal(value: Decimal, low: Decimal, high: Decimal): Decimal {
  if (compareDecimals(value, low) < 0) return low;
  if (compareDecimals(value, high) > 0) return high;
  return value;
}

export function fractionOf(value: Decimal): Fraction {
  return { n: value.units, d: 10n ** BigInt(value.scale) };
}

/**
 * Rounds a non-negative fraction to the nearest integer, halves up (四舍五入): the one rounding
 * rule of valuations (docs/VALUATION.md).
 */
export function roundHalfUp({ n, d }: Fraction): bigint {
  if (n < 0n || d <= 0n) throw new RangeError("roundHalfUp takes a non-negative fraction");
  return (2n * n + d) / (2n * d);
}

/** The decimal without trailing zeros after the point: `"0.7200"` → `"0.72"`, `"1.0"` → `"1"`. */
export function formatDecimal({ units, scale }: Decimal): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Minor units in major units with two decimals and no grouping: 123456 → `"1234.56"`. */
export function formatMinorUnits(minor: bigint | number): string {
  const value = BigInt(minor);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(3, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Minor units in major units with two decimals and thousands separators: 123456789 → `"1,234,567.89"`. */
export function formatMinorUnitsGrouped(minor: bigint | number): string {
  const [whole, fraction] = formatMinorUnits(minor).split(".");
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction}`;
}
