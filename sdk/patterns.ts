/**
 * The shapes of identifiers and values that the gateway accepts and the SDK
 * checks before sending: one definition for both, so they cannot drift apart.
 *
 * @example
 * USER_ID_PATTERN.test("usr_0123456789abcdef01234567") // true
 */
export const USER_ID_PATTERN = /^usr_[0-9a-f]{24}$/;
/** Subject ids: a type prefix and an id, e.g. `deal:42`, `user:usr_…`. */
export const SUBJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:_.@-]{0,127}$/;
/** An `age` X25519 recipient: `age1` and 58 bech32 characters. */
export const AGE_RECIPIENT_PATTERN = /^age1[023456789acdefghjklmnpqrstuvwxyz]{58}$/;
/** A BCP 47 language tag as names use them: `zh`, `en`, `zh-Hant`, `th`. */
export const LANGUAGE_TAG_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** A file name without slashes or control characters. */
export const FILE_NAME_PATTERN = /^[^/\\\x00-\x1f]+$/;
/** A media type such as `application/pdf`. */
export const MEDIA_TYPE_PATTERN = /^[\w.+-]+\/[\w.+-]+$/;
