/**
 * Reading an age file's header (c2sp.org/age, age-encryption.org/v1) without
 * decrypting anything: what the gateway needs to refuse a delivery that is not
 * an age file, or that is not addressed to the recipients the contract names.
 * Portable (no Node modules): the same code runs in the gateway and in browsers.
 */

/** The first line of every age v1 file. */
export const AGE_VERSION_LINE = "age-encryption.org/v1";

/** Payload plaintext chunk size (STREAM, 64 KiB) and the Poly1305 tag each chunk carries. */
export const AGE_CHUNK_SIZE = 64 * 1024;
export const AGE_TAG_SIZE = 16;
/** The payload starts with a 16-byte nonce from which the payload key is derived. */
export const AGE_PAYLOAD_NONCE_SIZE = 16;

/**
 * The largest header the platform reads. An X25519 stanza takes 101 bytes, so
 * this allows hundreds of recipients; a delivery has one or two.
 */
export const AGE_MAX_HEADER_BYTES = 64 * 1024;

/** One recipient stanza: `-> type args…` and its body. */
export interface AgeStanza {
  type: string;
  args: string[];
  body: Uint8Array;
}

/** A parsed age header: the stanzas, the header MAC, and how many bytes the header takes (payload starts there). */
export interface AgeHeader {
  stanzas: AgeStanza[];
  mac: Uint8Array;
  length: number;
}

export type AgeHeaderReading =
  { status: "complete"; header: AgeHeader } | { status: "incomplete" } | { status: "invalid"; reason: string };

const decoder = new TextDecoder("latin1");

/**
 * Reads the age header at the start of `prefix`, the first bytes of a file:
 * `incomplete` when they end before the header does (read more and call again),
 * `invalid` with a reason when they are not an age v1 header (a wrong version line,
 * a malformed stanza, non-canonical base64, an X25519 stanza of the wrong size, a
 * header over {@link AGE_MAX_HEADER_BYTES}), else the header.
 *
 * @example
 * const reading = readAgeHeader(firstBytes);
 * if (reading.status === "complete") console.log(reading.header.stanzas.map((s) => s.type));
 */
export function readAgeHeader(prefix: Uint8Array): AgeHeaderReading {
  const invalid = (reason: string): AgeHeaderReading => ({ status: "invalid", reason });
  const lines: string[] = [];
  let start = 0;
  // Lines up to and including the MAC line, each without its newline.
  for (;;) {
    const end = prefix.indexOf(0x0a, start);
    if (end < 0) {
      if (prefix.length > AGE_MAX_HEADER_BYTES) return invalid(`no age header within ${AGE_MAX_HEADER_BYTES} bytes`);
      return checkPartial(prefix.subarray(start), lines) ?? { status: "incomplete" };
    }
    if (end >= AGE_MAX_HEADER_BYTES) return invalid(`no age header within ${AGE_MAX_HEADER_BYTES} bytes`);
    const line = decoder.decode(prefix.subarray(start, end));
    start = end + 1;
    lines.push(line);
    if (lines.length === 1 && line !== AGE_VERSION_LINE) {
      return invalid(`the first line is not "${AGE_VERSION_LINE}"`);
    }
    if (line.startsWith("---")) break;
  }

  const stanzas: AgeStanza[] = [];
  let i = 1;
  while (i < lines.length - 1) {
    const line = lines[i];
    if (!line.startsWith("-> ")) return invalid(`line ${i + 1} should open a stanza ("-> …")`);
    const args = line.slice(3).split(" ");
    if (args.some((arg) => !/^[\x21-\x7e]+$/.test(arg))) {
      return invalid(`line ${i + 1}: a stanza's type and arguments are non-empty printable ASCII`);
    }
    i++;
    const bodyLines: string[] = [];
    for (;;) {
      if (i >= lines.length - 1) return invalid(`the stanza opened at line ${i} has no final short body line`);
      const bodyLine = lines[i++];
      if (bodyLine.length > 64) return invalid(`line ${i}: a body line holds at most 64 characters`);
      bodyLines.push(bodyLine);
      if (bodyLine.length < 64) break;
    }
    const body = decodeRawBase64(bodyLines.join(""));
    if (!body) return invalid(`the body of the stanza at line ${i - bodyLines.length} is not canonical base64`);
    stanzas.push({ type: args[0], args: args.slice(1), body });
  }

  const macLine = lines[lines.length - 1];
  if (!macLine.startsWith("--- ")) return invalid('the header must end with "--- " and its MAC');
  const mac = decodeRawBase64(macLine.slice(4));
  if (!mac || mac.length !== 32) return invalid("the header MAC is not 32 bytes of canonical base64");
  if (stanzas.length === 0) return invalid("the header has no recipient stanza");
  for (const [index, stanza] of stanzas.entries()) {
    if (stanza.type !== "X25519") continue;
    const share = stanza.args.length === 1 ? decodeRawBase64(stanza.args[0]) : undefined;
    if (!share || share.length !== 32) {
      return invalid(`X25519 stanza ${index + 1} must carry exactly one argument, a 32-byte ephemeral share`);
    }
    // The 16-byte file key and its 16-byte Poly1305 tag.
    if (stanza.body.length !== 32) return invalid(`X25519 stanza ${index + 1}'s body is not a 32-byte wrapped key`);
  }
  return { status: "complete", header: { stanzas, mac, length: start } };
}

/** A partial last line that can already be told wrong: a version line that is not age's. */
function checkPartial(rest: Uint8Array, lines: readonly string[]): AgeHeaderReading | undefined {
  if (lines.length > 0) return undefined;
  const seen = decoder.decode(rest.subarray(0, AGE_VERSION_LINE.length));
  return AGE_VERSION_LINE.startsWith(seen)
    ? undefined
    : { status: "invalid", reason: `the first line is not "${AGE_VERSION_LINE}"` };
}

/**
 * Whether `payloadLength` bytes after the header can be an age payload: a
 * 16-byte nonce, then STREAM chunks of 64 KiB plaintext plus a 16-byte tag, the
 * last one shorter or full, and empty only when it is the only one.
 *
 * @example
 * agePayloadLengthProblem(16 + 16) // undefined: an empty file's payload
 */
export function agePayloadLengthProblem(payloadLength: number): string | undefined {
  const sealed = payloadLength - AGE_PAYLOAD_NONCE_SIZE;
  if (sealed < AGE_TAG_SIZE) return `the payload is ${payloadLength} bytes, shorter than a nonce and one chunk`;
  const lastChunk = sealed % (AGE_CHUNK_SIZE + AGE_TAG_SIZE);
  if (lastChunk !== 0 && lastChunk < AGE_TAG_SIZE) {
    return `the payload ends in a ${lastChunk}-byte fragment, not a whole STREAM chunk`;
  }
  if (lastChunk === AGE_TAG_SIZE && sealed !== AGE_TAG_SIZE) {
    return "the payload ends in an empty chunk after full ones, which age never writes";
  }
  return undefined;
}

/**
 * Why an age header is not one addressed to exactly `recipientCount` X25519
 * recipients, or undefined when it is: exactly that many stanzas, all X25519
 * (no other recipient type, no extra stanza), no ephemeral share twice.
 *
 * Why a count and not the recipients themselves: an X25519 stanza carries the
 * sender's ephemeral share and the file key wrapped under the shared secret;
 * nothing in it names the recipient, and only the recipient's identity can
 * unwrap it. What a reader who holds no identity can hold the sender to is the
 * shape: one stanza per recipient the contract names, and nothing else that
 * could open the file (a passphrase, a key of the sender's own, a third party's).
 * The sender states the recipients as well, and signs them in the delivery's
 * statement digest (`statementDigest`, `files[].recipients`), so a delivery a
 * named recipient cannot open is the sender's signed, anchored false statement.
 *
 * @example
 * ageRecipientsProblem(header, 1) // "the header has 2 stanzas; …" for a file encrypted to two keys
 */
export function ageRecipientsProblem(header: AgeHeader, recipientCount: number): string | undefined {
  const others = header.stanzas.filter((stanza) => stanza.type !== "X25519");
  if (others.length > 0) {
    return `the header has ${others.length} stanza(s) of type ${[...new Set(others.map((s) => s.type))].join(", ")}; a delivery is encrypted to X25519 recipients only`;
  }
  if (header.stanzas.length !== recipientCount) {
    return `the header has ${header.stanzas.length} X25519 stanza(s); the contract names ${recipientCount} recipient(s), one stanza each`;
  }
  const shares = new Set(header.stanzas.map((stanza) => stanza.args[0]));
  if (shares.size !== header.stanzas.length) return "two stanzas carry the same ephemeral share";
  return undefined;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUE = new Map([...BASE64].map((char, index) => [char, index]));

/** Unpadded standard base64, canonical only (age's rule), or undefined. */
export function decodeRawBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (const char of text) {
    const digit = BASE64_VALUE.get(char);
    if (digit === undefined) return undefined;
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  // Canonical: the bits left over after the last whole byte are zero.
  if ((value & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/** Unpadded standard base64 of `bytes`. */
export function encodeRawBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let c = 0; c < chars; c++) text += BASE64[(n >> (18 - 6 * c)) & 63];
  }
  return text;
}
