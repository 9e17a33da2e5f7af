import { keccak_256 as portableKeccak256 } from "@noble/hashes/sha3.js";

type Hash = (bytes: Uint8Array) => Uint8Array;

/**
 * Keccak-256: the native `keccak` addon's sponge where it loads, @noble/hashes in
 * browsers and wherever the addon is missing, with identical output. The addon's
 * own entry point wraps every hash in a stream object, which costs more than the
 * hash itself for the 32- and 64-byte inputs of a Merkle proof, so the native
 * state is driven directly, one reused state (hashing is synchronous).
 */
function nativeKeccak256(): Hash | undefined {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const path = require("node:path") as typeof import("node:path");
    const folder = path.dirname(require.resolve("keccak/bindings"));
    const loadAddon = require(require.resolve("node-gyp-build", { paths: [folder] })) as (dir: string) => new () => {
      initialize(rate: number, capacity: number): void;
      absorb(data: Buffer): void;
      absorbLastFewBits(bits: number): void;
      squeeze(length: number): Buffer;
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
    const state = new (loadAddon(folder))();
    const hash: Hash = (bytes) => {
      // Keccak-256: rate 1088 bits, capacity 512, the original (pre-SHA-3) padding 0x01.
      state.initialize(1088, 512);
      state.absorb(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      state.absorbLastFewBits(0x01);
      return state.squeeze(32);
    };
    // Refuse the addon unless it agrees with the reference on a known vector (keccak256 of nothing).
    const empty = Buffer.from(hash(new Uint8Array())).toString("hex");
    return empty === "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" ? hash : undefined;
  } catch {
    return undefined;
  }
}

export const keccak256: Hash = nativeKeccak256() ?? portableKeccak256;
