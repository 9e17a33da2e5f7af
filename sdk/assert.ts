import { InvalidArgumentError } from "./errors";

import { BYTES32_PATTERN as BYTES32 } from "./patterns";

/**
 * Throws unless `value` is a 0x-prefixed, lower-case, 32-byte hex string.
 *
 * @example
 * assertBytes32(root, "root");
 */
export function assertBytes32(value: unknown, label: string): asserts value is string {
  if (typeof value !== "string" || !BYTES32.test(value)) {
    throw new InvalidArgumentError(`${label} must be 32 bytes as 0x-prefixed lower-case hex`, {
      details: `got ${JSON.stringify(value)?.slice(0, 80)}`,
    });
  }
}
