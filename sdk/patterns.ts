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

/**
 * 32 bytes as `0x` and 64 lower-case hex digits: roots, digests, salts and
 * commitments, written lower-case by the platform so that they compare as strings.
 */
export const BYTES32_PATTERN = /^0x[0-9a-f]{64}$/;
/** A secp256k1 private key: 32 bytes as `0x` and 64 hex digits of either case. */
export const PRIVATE_KEY_PATTERN = /^0x[0-9a-fA-F]{64}$/;
/** A 20-byte account address, either case (the checksum is checked apart, where it matters). */
export const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/;
/** A 65-byte secp256k1 signature (r, s, v) as `0x` and 130 hex digits. */
export const SIGNATURE_PATTERN = /^0x[0-9a-fA-F]{130}$/;
/** A signature as the platform writes it (receipts): lower-case hex only, so it compares as a string. */
export const LOWER_HEX_SIGNATURE_PATTERN = /^0x[0-9a-f]{130}$/;
/** An evidence record id: a UUID, either case. */
export const RECORD_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A listing id: `lst_` and 24 hex digits. */
export const LISTING_ID_PATTERN = /^lst_[0-9a-f]{24}$/;
/** A match id: `mat_` and 24 hex digits. */
export const MATCH_ID_PATTERN = /^mat_[0-9a-f]{24}$/;
/** A deal id: `deal_` and 24 hex digits. */
export const DEAL_ID_PATTERN = /^deal_[0-9a-f]{24}$/;
/** A dispute id: the deal id and the disputed milestone, `deal_….m2`. */
export const DISPUTE_ID_PATTERN = /^deal_[0-9a-f]{24}\.m\d{1,2}$/;
/** An auction id: `auc_` and 24 hex digits. */
export const AUCTION_ID_PATTERN = /^auc_[0-9a-f]{24}$/;
/** A sealed bidding id: `bid_` and 24 hex digits. */
export const SEALED_BIDDING_ID_PATTERN = /^bid_[0-9a-f]{24}$/;
/** A bank deposit id: `dep_` and 24 hex digits. */
export const DEPOSIT_ID_PATTERN = /^dep_[0-9a-f]{24}$/;
/** A saved search id: `srch_` and 16 hex digits. */
export const SAVED_SEARCH_ID_PATTERN = /^srch_[0-9a-f]{16}$/;
/** A listing access request id: `acr_` and 16 hex digits. */
export const ACCESS_REQUEST_ID_PATTERN = /^acr_[0-9a-f]{16}$/;
/** A service key id (signed requests, service tokens): 16 hex digits. */
export const SERVICE_KEY_ID_PATTERN = /^[0-9a-f]{16}$/;
/** A deal's message thread id: `thr_` and 16 hex digits (the deal's first thread is `thr_main`). */
export const THREAD_ID_PATTERN = /^thr_(main|[0-9a-f]{16})$/;
/** Negotiation minutes' id: `min_` and 16 hex digits. */
export const MINUTES_ID_PATTERN = /^min_[0-9a-f]{16}$/;
/** A site visit's id: `vis_` and 16 hex digits. */
export const VISIT_ID_PATTERN = /^vis_[0-9a-f]{16}$/;
