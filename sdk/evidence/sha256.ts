import { sha256 as portableSha256 } from "@noble/hashes/sha2.js";

type Hash = (bytes: Uint8Array) => Uint8Array;

/**
 * SHA-256: Node's native hash where there is one (about ten times faster than
 * portable JavaScript here, which matters to the verifier's throughput), and
 * @noble/hashes in browsers (the /verify page), with identical output.
 */
function nativeSha256(): Hash | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crypto = require("node:crypto") as typeof import("node:crypto") & {
      hash?: (algorithm: string, data: Uint8Array, encoding: "buffer") => Buffer;
    };
    // The one-shot `hash` (Node 20.12 and later) costs half a `createHash` object's round trip.
    const { hash, createHash } = crypto;
    if (hash) return (bytes) => hash("sha256", bytes, "buffer");
    return (bytes) => createHash("sha256").update(bytes).digest();
  } catch {
    return undefined;
  }
}

export const sha256: Hash = nativeSha256() ?? portableSha256;
