import { sha256 as portableSha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";

type Hash = (bytes: Uint8Array) => Uint8Array;
/** SHA-256 of `prefix ‖ UTF-8(text)` as 0x-prefixed hex. */
type TextHash = (text: string, prefix?: Uint8Array) => string;

/** Node's crypto module with its one-shot `hash` (Node 20.12 and later), where there is one. */
function nodeCrypto() {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("node:crypto") as Pick<typeof import("node:crypto"), "createHash"> &
      Partial<Pick<typeof import("node:crypto"), "hash">>;
  } catch {
    return undefined;
  }
}
const crypto = nodeCrypto();

/**
 * SHA-256: Node's native hash where there is one (about ten times faster than
 * portable JavaScript here, which matters to the verifier's throughput), and
 * @noble/hashes in browsers (the /verify page), with identical output.
 */
function nativeSha256(): Hash | undefined {
  if (!crypto) return undefined;
  // The one-shot `hash` costs half a `createHash` object's round trip.
  const { hash, createHash } = crypto;
  if (hash) return (bytes) => hash("sha256", bytes, "buffer");
  return (bytes) => createHash("sha256").update(bytes).digest();
}

export const sha256: Hash = nativeSha256() ?? portableSha256;

/**
 * SHA-256 of text (after an optional prefix, a field's salt) straight to hex:
 * what every commitment is. With Node's one-shot hash the text is encoded into
 * one buffer and the digest comes back as hex, where the portable path makes
 * four arrays and a string of 32 pieces; a record's seal (five fields and the
 * whole) costs about half as much this way.
 */
function nativeSha256Text(): TextHash | undefined {
  const hash = crypto?.hash;
  if (!hash || typeof Buffer !== "function") return undefined;
  return (text, prefix) => {
    if (!prefix) return `0x${hash("sha256", text, "hex")}`;
    const bytes = Buffer.allocUnsafe(prefix.length + Buffer.byteLength(text, "utf8"));
    bytes.set(prefix, 0);
    bytes.write(text, prefix.length, "utf8");
    return `0x${hash("sha256", bytes, "hex")}`;
  };
}

const portableSha256Text: TextHash = (text, prefix) =>
  `0x${bytesToHex(portableSha256(prefix ? concatBytes(prefix, utf8ToBytes(text)) : utf8ToBytes(text)))}`;

export const sha256Text: TextHash = nativeSha256Text() ?? portableSha256Text;
