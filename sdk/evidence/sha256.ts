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
    const { createHash } = require("node:crypto") as typeof import("node:crypto");
    return (bytes) => createHash("sha256").update(bytes).digest();
  } catch {
    return undefined;
  }
}

export const sha256: Hash = nativeSha256() ?? portableSha256;
