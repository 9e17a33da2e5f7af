/** How deep a record's data may nest (as RFC 8785 serialization is checked in `canonicalJson`). */
export const MAX_DATA_DEPTH = 32;

/**
 * Why a record's data cannot be recorded as sent, or undefined when it can: it
 * nests deeper than {@link MAX_DATA_DEPTH} (`DATA_TOO_DEEP`), or an object in it
 * has a member named `__proto__` (`RESERVED_MEMBER_NAME`), which JavaScript
 * readers cannot hold as an ordinary member, so a verifier could not show it back
 * byte for byte. Walks iteratively, so even absurdly deep input is refused
 * cleanly rather than overflowing the stack. Other names (`constructor`,
 * `toString`, …) are ordinary and recorded exactly.
 *
 * @example
 * recordDataProblem({ a: { b: 1 } }) // undefined
 * recordDataProblem(JSON.parse('{"a":{"__proto__":1}}')) // { code: "RESERVED_MEMBER_NAME", … }
 */
export function recordDataProblem(data: unknown): { code: string; path: string; message: string } | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: data, path: "data", depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth > MAX_DATA_DEPTH) {
      return { code: "DATA_TOO_DEEP", path, message: `data nests deeper than ${MAX_DATA_DEPTH} levels (at ${path})` };
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    for (const name of Object.keys(value)) {
      if (name === "__proto__") {
        return {
          code: "RESERVED_MEMBER_NAME",
          path,
          message: `${path} has a member named "__proto__", which a record cannot carry; rename it`,
        };
      }
      stack.push({ value: (value as Record<string, unknown>)[name], path: `${path}.${name}`, depth: depth + 1 });
    }
  }
  return undefined;
}
