import { InvalidArgumentError } from "../errors";

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) checksum ^= GENERATOR[i];
  }
  return checksum >>> 0;
}

/**
 * The 32-byte X25519 public key of an age recipient (`age1…`, Bech32 with the
 * `age` prefix and no length limit, as age encodes it). Throws
 * `InvalidArgumentError` for anything else.
 *
 * @example
 * const publicKey = ageRecipientKey("age1…");
 */
export function ageRecipientKey(recipient: string): Uint8Array {
  const refuse = (why: string) =>
    new InvalidArgumentError(`"${recipient.slice(0, 12)}…" is not an age X25519 recipient`, { details: why });
  if (recipient !== recipient.toLowerCase()) throw refuse("age recipients are lower case");
  const separator = recipient.lastIndexOf("1");
  if (recipient.slice(0, separator) !== "age") throw refuse('the prefix is not "age1"');
  const data: number[] = [];
  for (const char of recipient.slice(separator + 1)) {
    const value = CHARSET.indexOf(char);
    if (value < 0) throw refuse(`"${char}" is not a Bech32 character`);
    data.push(value);
  }
  const hrp = [..."age"].map((c) => c.charCodeAt(0));
  const expanded = [...hrp.map((c) => c >> 5), 0, ...hrp.map((c) => c & 31)];
  if (data.length < 6 || polymod([...expanded, ...data]) !== 1) throw refuse("the Bech32 checksum does not match");
  const key: number[] = [];
  let value = 0;
  let bits = 0;
  for (const group of data.slice(0, -6)) {
    value = (value << 5) | group;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      key.push((value >> bits) & 0xff);
    }
  }
  if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0) throw refuse("the Bech32 padding is not zero");
  if (key.length !== 32) throw refuse(`the key is ${key.length} bytes, not 32`);
  return Uint8Array.from(key);
}
