import { keccak_256 as portableKeccak256 } from "@noble/hashes/sha3.js";

type Hash = (bytes: Uint8Array) => Uint8Array;

/**
 * Keccak-256: the native `keccak` addon where it loads (about twice as fast as
 * portable JavaScript, and a Merkle proof is a dozen of them), @noble/hashes in
 * browsers and wherever the addon is missing, with identical output.
 */
function nativeKeccak256(): Hash | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const create = require("keccak/bindings") as (algorithm: string) => {
      update(data: Uint8Array): { digest(): Buffer };
    };
    return (bytes) =>
      create("keccak256")
        .update(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
        .digest();
  } catch {
    return undefined;
  }
}

export const keccak256: Hash = nativeKeccak256() ?? portableKeccak256;
