/**
 * The escrow's short codes as `bytesN`: the ISO 4217 currency (`bytes3`), the
 * ISO 20022 reason code (`bytes4`). Encoded as ASCII bytes, read back without
 * the zero padding.
 */
export const asciiHex = (text: string) => `0x${Buffer.from(text, "ascii").toString("hex")}`;
export const asciiOf = (hex: string) => Buffer.from(hex.slice(2), "hex").toString("ascii").replace(/\0+$/, "");
