import { sha256 } from "./sha256";
import { toHex } from "./bytes";

/**
 * SHA-256 digest of a file's bytes, 0x-prefixed hex: the digest a record commits to.
 *
 * @example
 * fileDigest(await readFile("licence.pdf")) // '0x…'
 */
export function fileDigest(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}
