import canonicalize from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../sdk";

/** JSON values the SDK accepts: no integers beyond 2^53, no lone surrogates. */
const acceptable = (value: unknown): boolean => {
  if (typeof value === "number") return !Number.isInteger(value) || Number.isSafeInteger(value);
  if (typeof value === "string") return value.isWellFormed();
  if (Array.isArray(value)) return value.every(acceptable);
  if (value && typeof value === "object")
    return Object.entries(value).every(([k, v]) => k.isWellFormed() && acceptable(v));
  return true;
};

describe("canonicalJson (RFC 8785)", () => {
  it("gives the same bytes as the reference implementation for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        fc.pre(acceptable(value));
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("matches the RFC's examples of numbers, escaping and member order", () => {
    expect(canonicalJson({ numbers: [333333333.33333329, 4.5, 2e-3, 0.000000000000000000000000001] })).toBe(
      '{"numbers":[333333333.3333333,4.5,0.002,1e-27]}',
    );
    expect(canonicalJson({ string: '€$\u000f\nA\'B"\\\\"/' })).toBe('{"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
    expect(
      canonicalJson({
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew",
        "1": "One",
        "\ud83d\ude00": "Emoji",
        "\u0080": "Control",
        "\u00f6": "Latin",
      }),
    ).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji","\ufb33":"Hebrew"}',
    );
    expect(canonicalJson(-0)).toBe("0");
  });

  it("refuses a lone surrogate, which has no UTF-8 encoding", () => {
    expect(() => canonicalJson({ text: "\ud800" })).toThrow(/surrogate/);
  });
});
