import { randomBytes } from "@noble/hashes/utils.js";
import { InvalidArgumentError } from "../errors";
import { toHex } from "./bytes";
import { fieldCommitment, recordCommitment } from "./commitment";
import type { RecordHeader, SealedRecord } from "./record";

export interface SealRecordParameters {
  header: RecordHeader;
  data: Record<string, unknown>;
  /** Salts to use (to re-seal a stored record); fresh random ones are drawn for missing fields. */
  salts?: Record<string, string>;
}
export type SealRecordReturnType = SealedRecord;

/**
 * Commits to a record field by field and to the record as a whole.
 *
 * @example
 * const sealed = sealRecord({ header, data: { title: "…", price: 120000 } });
 * sealed.commitment // the value anchored on chain
 */
export function sealRecord({ header, data, salts = {} }: SealRecordParameters): SealRecordReturnType {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new InvalidArgumentError("record data must be a JSON object");
  }
  if (Object.hasOwn(data, "__proto__")) throw new InvalidArgumentError('a record field cannot be named "__proto__"');
  const usedSalts: Record<string, string> = {};
  const fieldCommitments: Record<string, string> = {};
  const entries = Object.entries(data);
  // One draw from the system's random source for all the fields' salts.
  const fresh = randomBytes(32 * entries.length);
  for (const [index, [name, value]] of entries.entries()) {
    // Own salts only: a field named "constructor" must not find Object's.
    const salt = Object.hasOwn(salts, name) ? salts[name] : toHex(fresh.subarray(32 * index, 32 * index + 32));
    usedSalts[name] = salt;
    fieldCommitments[name] = fieldCommitment(name, value, salt);
  }
  return {
    header,
    data,
    salts: usedSalts,
    fieldCommitments,
    commitment: recordCommitment(header, fieldCommitments),
  };
}
