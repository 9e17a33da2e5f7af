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
  let text: string;
  if (Array.isArray(value)) {
    text = "[";
    for (let i = 0; i < value.length; i++) text += (i > 0 ? "," : "") + serialize(value[i]);
    return `${text}]`;
  }
  const names = Object.keys(value).sort();
  text = "{";
  for (let i = 0; i < names.length; i++) {
    text += `${i > 0 ? "," : ""}${JSON.stringify(names[i])}:${serialize((value as Record<string, unknown>)[names[i]])}`;
  }
  return `${text}}`;
}

/**
 * Throws on what JSON cannot carry faithfully, naming where (`value.terms[2].price`).
 * A member's path is spelled out only when it is refused or holds members of its own.
 */
function assertJsonValue(value: unknown, path: string, depth: number): void {
  if (depth > MAX_DATA_DEPTH) throw new InvalidArgumentError(`${path} is nested deeper than ${MAX_DATA_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) assertMember(value[i], path, i, depth + 1);
    return;
  }
  if (value !== null && typeof value === "object") {
    if (Object.getPrototypeOf(value) !== Object.prototype) throw notJson(path, value);
    for (const key of Object.keys(value)) {
      if (!key.isWellFormed()) throw new InvalidArgumentError(`${path} has a member name with a lone surrogate`);
      assertMember((value as Record<string, unknown>)[key], path, key, depth + 1);
    }
    return;
  }
  const problem = scalarProblem(value);
  if (problem) throw problem === NOT_JSON ? notJson(path, value) : new InvalidArgumentError(`${path} ${problem}`);
}

function assertMember(item: unknown, path: string, key: string | number, depth: number): void {
  if (depth <= MAX_DATA_DEPTH && (item === null || typeof item !== "object") && scalarProblem(item) === undefined)
    return;
  assertJsonValue(item, typeof key === "number" ? `${path}[${key}]` : `${path}.${key}`, depth);
}

const NOT_JSON = "is not a JSON value";

/** What is wrong with a value that is not an object nor an array, if anything. */
function scalarProblem(value: unknown): string | undefined {
  if (value === null || typeof value === "boolean") return undefined;
  if (typeof value === "string") {
    return value.isWellFormed() ? undefined : "holds a lone surrogate, which RFC 8785 refuses";
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "is not a finite number";
    if (Number.isInteger(value) && !Number.isSafeInteger(value))
      return "is an integer beyond 2^53; send it as a string";
    return undefined;
  }
  return NOT_JSON;
}

function notJson(path: string, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`${path} is not a JSON value`, { details: `type ${typeof value}` });
}
