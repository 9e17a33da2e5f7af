import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

/**
 * 0x-prefixed lower-case hex of `bytes`: Node's Buffer where there is one (one
 * string, where the portable function joins one piece per byte), @noble/hashes
 * in browsers.
 */
export const toHex: (bytes: Uint8Array) => string =
  typeof Buffer === "function"
    ? (bytes) => `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`
    : (bytes) => `0x${bytesToHex(bytes)}`;

/**
 * How many bytes `text` takes as UTF-8, without encoding it. The text must be
 * well formed (no lone surrogates), as canonical JSON is.
 */
export function utf8Length(text: string): number {
  if (typeof Buffer === "function") return Buffer.byteLength(text, "utf8");
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // One more byte from U+0080, two more from U+0800; each unit of a surrogate pair one more (four bytes in all).
    if (unit >= 0xd800 && unit <= 0xdfff) length += 1;
    else if (unit >= 0x800) length += 2;
    else if (unit >= 0x80) length += 1;
  }
  return length;
}

/** Bytes of a 0x-prefixed hex string. */
export function fromHex(hex: string): Uint8Array {
  return hexToBytes(hex.startsWith("0x") ? hex.slice(2) : hex);
}

/** The commitment of "no previous record": 32 zero bytes. */
export const ZERO_HASH = `0x${"00".repeat(32)}`;
