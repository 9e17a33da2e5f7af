import { InvalidArgumentError } from "../errors";
import { MAX_DATA_DEPTH } from "./recordData";

/**
 * RFC 8785 (JSON Canonicalization Scheme) serialization of `value`: the same
 * JSON value gives the same bytes in any language that implements the RFC.
 *
 * Refuses what JSON cannot carry faithfully (undefined, functions, non-finite
 * numbers, integers beyond 2^53), so that a commitment never silently covers a
 * different value than the one the caller meant. Amounts of money are integers
 * in minor units, or strings when they might exceed 2^53.
 *
 * @example
 * canonicalJson({ b: 1, a: "x" }) // '{"a":"x","b":1}'
 */
export function canonicalJson(value: unknown): string {
  assertJsonValue(value, "value", 0);
  return serialize(value);
}

/**
 * RFC 8785 for values already checked: numbers as ECMAScript prints them (which
 * is what the RFC prescribes), strings with JSON.stringify's escaping (the RFC's
 * escaping), object members sorted by their names' UTF-16 code units.
 */
function serialize(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(serialize).join(",")}]`;
  const names = Object.keys(value).sort();
  return `{${names.map((name) => `${JSON.stringify(name)}:${serialize((value as Record<string, unknown>)[name])}`).join(",")}}`;
}

function assertJsonValue(value: unknown, path: string, depth: number): void {
  if (depth > MAX_DATA_DEPTH) throw new InvalidArgumentError(`${path} is nested deeper than ${MAX_DATA_DEPTH} levels`);
  if (value === null || typeof value === "boolean") return;
  if (typeof value === "string") {
    if (!value.isWellFormed()) throw new InvalidArgumentError(`${path} holds a lone surrogate, which RFC 8785 refuses`);
    return;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InvalidArgumentError(`${path} is not a finite number`);
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw new InvalidArgumentError(`${path} is an integer beyond 2^53; send it as a string`);
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertJsonValue(item, `${path}[${i}]`, depth + 1));
    return;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (!key.isWellFormed()) throw new InvalidArgumentError(`${path} has a member name with a lone surrogate`);
      assertJsonValue(item, `${path}.${key}`, depth + 1);
    }
    return;
  }
  throw new InvalidArgumentError(`${path} is not a JSON value`, { details: `type ${typeof value}` });
}
