import { sha256Text } from "./sha256";
import { assertBytes32 } from "../assert";
import { canonicalJson } from "./canonical";
import { fromHex } from "./bytes";
import type { RecordHeader } from "./record";

/**
 * Commitment to one field: `SHA-256(salt ‖ UTF-8(JCS([name, value])))`.
 *
 * The 32-byte random salt keeps a low-entropy value (a price, a "yes") from
 * being guessed back from its commitment; naming the field inside the hash
 * keeps a value from being moved to another field.
 *
 * @example
 * fieldCommitment("price", 120000, salt) // '0x…'
 */
export function fieldCommitment(name: string, value: unknown, salt: string): string {
  assertBytes32(salt, `salt of field ${name}`);
  return fieldCommitmentWithSalt(name, value, fromHex(salt));
}

/** {@link fieldCommitment} with the salt as bytes (a salt just drawn need not go through hex and back). */
export function fieldCommitmentWithSalt(name: string, value: unknown, salt: Uint8Array): string {
  return sha256Text(canonicalJson([name, value]), salt);
}

/**
 * Commitment to a whole record: `SHA-256(UTF-8(JCS({ header, fields })))`
 * where `fields` maps each field name to its field commitment. Withholding a
 * field's value and salt leaves its commitment, so the record commitment can
 * still be recomputed.
 *
 * @example
 * recordCommitment(header, { price: "0x…" }) // '0x…'
 */
export function recordCommitment(header: RecordHeader, fieldCommitments: Record<string, string>): string {
  return sha256Text(canonicalJson({ header, fields: fieldCommitments }));
}
