import { randomBytes } from "@noble/hashes/utils.js";
import { InvalidArgumentError } from "../errors";
import { toHex } from "./bytes";
import { fieldCommitment, fieldCommitmentWithSalt, recordCommitment } from "./commitment";
import type { RecordHeader, SealedRecord } from "./record";

export interface SealRecordParameters {
  header: RecordHeader;
  data: Record<string, unknown>;
  /** Salts to use (to re-seal a stored record); fresh random ones are drawn for missing fields. */
  salts?: Record<string, string>;
  /** The data's fields already sealed by {@link sealFields} (on another thread, say); `salts` is then unused. */
  fields?: SealedFields;
}
export type SealRecordReturnType = SealedRecord;

/** Each field's salt and commitment: the part of a seal that does not depend on the header. */
export interface SealedFields {
  salts: Record<string, string>;
  fieldCommitments: Record<string, string>;
}

/**
 * Commits to a record field by field and to the record as a whole.
 *
 * @example
 * const sealed = sealRecord({ header, data: { title: "…", price: 120000 } });
 * sealed.commitment // the value anchored on chain
 */
export function sealRecord({ header, data, salts = {}, fields }: SealRecordParameters): SealRecordReturnType {
  const { salts: usedSalts, fieldCommitments } = fields ?? sealFields(data, salts);
  return {
    header,
    data,
    salts: usedSalts,
    fieldCommitments,
    commitment: recordCommitment(header, fieldCommitments),
  };
}

/**
 * Salts and commits to each field of `data`: what a record's seal costs, done
 * before its place in its subject's chain (the header) is known.
 *
 * @example
 * const fields = sealFields({ price: 120000 });
 * sealRecord({ header, data: { price: 120000 }, fields });
 */
export function sealFields(data: Record<string, unknown>, salts: Record<string, string> = {}): SealedFields {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new InvalidArgumentError("record data must be a JSON object");
  }
  if (Object.hasOwn(data, "__proto__")) throw new InvalidArgumentError('a record field cannot be named "__proto__"');
  const usedSalts: Record<string, string> = {};
  const fieldCommitments: Record<string, string> = {};
  const entries = Object.entries(data);
  const fresh = randomSalts(entries.length);
  for (const [index, [name, value]] of entries.entries()) {
    // Own salts only: a field named "constructor" must not find Object's.
    if (Object.hasOwn(salts, name)) {
      usedSalts[name] = salts[name];
      fieldCommitments[name] = fieldCommitment(name, value, salts[name]);
    } else {
      const salt = fresh.subarray(32 * index, 32 * index + 32);
      usedSalts[name] = toHex(salt);
      fieldCommitments[name] = fieldCommitmentWithSalt(name, value, salt);
    }
  }
  return { salts: usedSalts, fieldCommitments };
}

/**
 * `count` fresh 32-byte salts, cut from a pool the system's random source fills
 * 8 KiB at a time (a draw per record cost more than the hashing it salts). Each
 * byte is handed out once.
 */
function randomSalts(count: number): Uint8Array {
  const wanted = 32 * count;
  if (wanted > POOL_BYTES) return randomBytes(wanted);
  if (poolOffset + wanted > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const salts = pool.subarray(poolOffset, poolOffset + wanted);
  poolOffset += wanted;
  return salts;
}

const POOL_BYTES = 8192;
let pool = new Uint8Array(0);
let poolOffset = 0;
