import { isAddress } from "ethers";
import { InvalidArgumentError } from "../errors";
import {
  AGE_RECIPIENT_PATTERN,
  FILE_NAME_PATTERN,
  LANGUAGE_TAG_PATTERN,
  MEDIA_TYPE_PATTERN,
  SUBJECT_PATTERN,
  USER_ID_PATTERN,
  DEAL_ID_PATTERN,
  ADDRESS_PATTERN,
  RECORD_ID_PATTERN,
} from "../patterns";
import type { FileInput, Identity } from "./types";

// Checks at the SDK's edge: they catch a caller's mistake before a request is
// sent and name the argument. The gateway checks everything again; the rules
// that need its state (a reason for a rejection, a unique document number) are
// left to it.

const USER_ID = USER_ID_PATTERN;
const RECORD_ID = RECORD_ID_PATTERN;
const SUBJECT = SUBJECT_PATTERN;
const AGE_RECIPIENT = AGE_RECIPIENT_PATTERN;
const LANGUAGE_TAG = LANGUAGE_TAG_PATTERN;
const FILE_NAME = FILE_NAME_PATTERN;
const MEDIA_TYPE = MEDIA_TYPE_PATTERN;

const shown = (value: unknown) => {
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`;
  try {
    return `got ${String(JSON.stringify(value)).slice(0, 80)}`;
  } catch {
    return `got ${typeof value}`;
  }
};

const invalid = (message: string, value?: unknown) =>
  new InvalidArgumentError(message, value === undefined ? {} : { details: shown(value) });

/**
 * Something that can sign a challenge: an ethers `Signer`, a `Wallet`, or anything with these two methods.
 *
 * @example
 * const signer: MessageSigner = Wallet.createRandom();
 */
export interface MessageSigner {
  getAddress(): Promise<string>;
  signMessage(message: string): Promise<string>;
}

/**
 * Something that signs EIP-712 typed data: an ethers `Signer` or `Wallet`, or anything with this method.
 *
 * @example
 * const signer: TypedDataSigner = Wallet.createRandom();
 */
export interface TypedDataSigner {
  signTypedData(
    domain: Record<string, unknown>,
    types: Record<string, Array<{ name: string; type: string }>>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/**
 * Throws unless `value` can sign typed data.
 *
 * @example
 * assertTypedDataSigner(wallet, "signer");
 */
export function assertTypedDataSigner(value: unknown, label: string): asserts value is TypedDataSigner {
  if (value === null || typeof value !== "object" || typeof (value as TypedDataSigner).signTypedData !== "function") {
    throw invalid(`${label} must be able to sign typed data (an ethers Wallet or Signer)`, value);
  }
}

/**
 * Throws unless `value` is a deal id (`deal_` and 24 hex digits).
 *
 * @example
 * assertDealId(dealId);
 */
export function assertDealId(value: unknown, label = "dealId"): asserts value is string {
  if (typeof value !== "string" || !DEAL_ID_PATTERN.test(value))
    throw invalid(`${label} must be a deal id (deal_ and 24 hex digits)`, value);
}

/**
 * Throws unless `value` matches `pattern`, one of the id shapes of sdk/patterns.ts;
 * `what` names the shape in the message ("a listing id (lst_ and 24 hex digits)").
 *
 * @example
 * assertMatches(listingId, LISTING_ID_PATTERN, "listingId", "a listing id (lst_ and 24 hex digits)");
 */
export function assertMatches(value: unknown, pattern: RegExp, label: string, what: string): asserts value is string {
  if (typeof value !== "string" || !pattern.test(value)) throw invalid(`${label} must be ${what}`, value);
}

/**
 * Throws unless `value` is a milestone's number: an integer from 0 to 31.
 *
 * @example
 * assertMilestone(milestone);
 */
export function assertMilestone(value: unknown, label = "milestone"): asserts value is number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 31)
    throw invalid(`${label} must be a milestone number from 0 to 31`, value);
}

/**
 * Throws unless `value` is a non-blank string of at most `max` characters.
 *
 * @example
 * assertString(reason, "reason", { max: 1000 });
 */
export function assertString(value: unknown, label: string, { max = 10_000 } = {}): asserts value is string {
  if (typeof value !== "string" || value.trim() === "") throw invalid(`${label} must be a non-empty string`, value);
  if (value.length > max) throw invalid(`${label} must be at most ${max} characters`);
}

/**
 * Throws unless `value` is `true` or `false`.
 *
 * @example
 * assertBoolean(approved, "approved");
 */
export function assertBoolean(value: unknown, label: string): asserts value is boolean {
  if (typeof value !== "boolean") throw invalid(`${label} must be true or false`, value);
}

/**
 * Throws unless `value` is one of `allowed`.
 *
 * @example
 * assertOneOf(role, USER_ROLES, "role");
 */
export function assertOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  label: string,
): asserts value is T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw invalid(`${label} must be one of ${allowed.join(", ")}`, value);
  }
}

/**
 * Throws unless `value` is a plain object (not null, not an array).
 *
 * @example
 * assertObject(parameters, "parameters");
 */
export function assertObject(value: unknown, label: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalid(`${label} must be an object`, value);
  }
}

/**
 * Throws unless `value` is a user id: `usr_` and 24 lower-case hex digits.
 *
 * @example
 * assertUserId("usr_0123456789abcdef01234567");
 */
export function assertUserId(value: unknown, label = "userId"): asserts value is string {
  if (typeof value !== "string" || !USER_ID.test(value))
    throw invalid(`${label} must be a user id (usr_ and 24 hex digits)`, value);
}

/**
 * Throws unless `value` is a record id (a UUID).
 *
 * @example
 * assertRecordId(receipt.id);
 */
export function assertRecordId(value: unknown, label = "id"): asserts value is string {
  if (typeof value !== "string" || !RECORD_ID.test(value))
    throw invalid(`${label} must be a record id (a UUID)`, value);
}

/**
 * Throws unless `value` is a subject id as the gateway takes it (`deal:2026-0042`, `user:usr_…`).
 *
 * @example
 * assertSubject("deal:2026-0042");
 */
export function assertSubject(value: unknown, label = "subject"): asserts value is string {
  if (typeof value !== "string" || !SUBJECT.test(value)) {
    throw invalid(
      `${label} must be 1–128 characters: letters, digits and : _ . @ -, starting with a letter or digit`,
      value,
    );
  }
}

/**
 * Throws unless `value` is a 20-byte address as hex (a mixed-case one must have a valid checksum).
 *
 * @example
 * assertAddress(await signer.getAddress(), "the signer's address");
 */
export function assertAddress(value: unknown, label = "address"): asserts value is string {
  if (typeof value !== "string" || !ADDRESS_PATTERN.test(value) || !isAddress(value)) {
    throw invalid(`${label} must be a 20-byte account address as 0x-prefixed hex`, value);
  }
}

/**
 * Throws unless `value` is an age X25519 recipient (`age1` and 58 bech32 characters).
 *
 * @example
 * assertAgeRecipient(recipient, "recipient");
 */
export function assertAgeRecipient(value: unknown, label: string): asserts value is string {
  if (typeof value !== "string" || !AGE_RECIPIENT.test(value)) {
    throw invalid(`${label} must be an age X25519 recipient (age1 and 58 bech32 characters)`, value);
  }
}

/**
 * Throws unless `value` has `getAddress()` and `signMessage()`.
 *
 * @example
 * assertSigner(wallet, "signer");
 */
export function assertSigner(value: unknown, label: string): asserts value is MessageSigner {
  const signer = value as Partial<MessageSigner> | null | undefined;
  if (typeof signer?.getAddress !== "function" || typeof signer?.signMessage !== "function") {
    throw invalid(`${label} must be a signer with getAddress() and signMessage(message), such as an ethers Wallet`);
  }
}

/**
 * Throws unless `value` maps one to eight language tags to non-blank names.
 *
 * @example
 * assertNames({ zh: "王芳", en: "Wang Fang" });
 */
export function assertNames(value: unknown, label = "names"): asserts value is Record<string, string> {
  assertObject(value, label);
  const entries = Object.entries(value);
  if (entries.length < 1 || entries.length > 8) throw invalid(`${label} must hold one to eight names`);
  for (const [tag, name] of entries) {
    if (!LANGUAGE_TAG.test(tag)) throw invalid(`${label}: "${tag}" is not a language tag such as zh, en, th`);
    assertString(name, `${label}.${tag}`, { max: 200 });
  }
}

/**
 * Checks the shape of the document details; the gateway checks the numbers themselves (check digits).
 *
 * @example
 * assertIdentity({ kind: "resident-id", name: "王芳", number: "11010519491231002X" });
 */
export function assertIdentity(value: unknown, label = "identity"): asserts value is Identity {
  assertObject(value, label);
  const kinds = ["resident-id", "passport", "credit-code", "foreign-registration"] as const;
  assertOneOf(value.kind, kinds, `${label}.kind`);
  assertString(value.name, `${label}.name`, { max: 200 });
  assertString(value.number, `${label}.number`, { max: 40 });
  if (value.kind === "passport" || value.kind === "foreign-registration") {
    if (typeof value.country !== "string" || !/^[A-Za-z]{2}$/.test(value.country)) {
      throw invalid(`${label}.country must be a two-letter ISO 3166-1 country code`, value.country);
    }
  }
  if (value.kind === "credit-code" || value.kind === "foreign-registration") {
    assertString(value.legalRepresentative, `${label}.legalRepresentative`, { max: 100 });
  }
}

/**
 * Throws unless `value` is `{ name, mediaType, bytes: Uint8Array }` with a plain file name.
 *
 * @example
 * assertFile(licence, "licence");
 */
export function assertFile(value: unknown, label: string): asserts value is FileInput {
  assertObject(value, label);
  if (
    typeof value.name !== "string" ||
    value.name.length < 1 ||
    value.name.length > 255 ||
    !FILE_NAME.test(value.name)
  ) {
    throw invalid(`${label}.name must be a file name without slashes or control characters`, value.name);
  }
  if (typeof value.mediaType !== "string" || !MEDIA_TYPE.test(value.mediaType)) {
    throw invalid(`${label}.mediaType must be a media type such as application/pdf`, value.mediaType);
  }
  if (!(value.bytes instanceof Uint8Array)) throw invalid(`${label}.bytes must be a Uint8Array`);
}
