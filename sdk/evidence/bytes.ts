import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

/** 0x-prefixed lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return `0x${bytesToHex(bytes)}`;
}

/** Bytes of a 0x-prefixed hex string. */
export function fromHex(hex: string): Uint8Array {
  return hexToBytes(hex.startsWith("0x") ? hex.slice(2) : hex);
}

/** The commitment of "no previous record": 32 zero bytes. */
export const ZERO_HASH = `0x${"00".repeat(32)}`;
