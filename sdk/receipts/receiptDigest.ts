import { fromHex, toHex } from "../evidence/bytes";
import { keccak256 } from "../evidence/keccak256";

/** The fields of a receipt that its signature covers. */
export interface ReceiptDigestFields {
  recordId: string;
  subject: string;
  seq: number;
  commitment: string;
}

/** The EIP-712 name of the receipt domain (docs/DOSSIER.md). */
export const RECEIPT_DOMAIN_NAME = "Tech Transfer Ledger evidence receipt";
export const RECEIPT_DOMAIN_VERSION = "1";

/**
 * The EIP-712 digest a receipt's signature signs, as bytes.
 *
 * EIP-712 by hand, with no ethers, so that the gateway's evidence thread can load
 * it in a few milliseconds: the domain separator and the type hash are worked
 * out once per chain, and the gateway signs a receipt on every write. Plain bytes
 * (no Buffer): the verify page runs this in browsers. A test holds it equal to
 * ethers' `TypedDataEncoder.hash`.
 *
 * @example
 * receiptDigestBytes("31337", { recordId, subject, seq, commitment }) // Uint8Array(32)
 */
export function receiptDigestBytes(chainId: string | bigint, fields: ReceiptDigestFields): Uint8Array {
  return typedDataDigest(chainId, receiptStructHashBytes(fields));
}

/**
 * The EIP-712 `hashStruct` of a receipt's fields: what a single receipt's
 * digest wraps, and the leaf of a batch of receipts signed together.
 *
 * @example
 * receiptStructHashBytes({ recordId, subject, seq, commitment }) // Uint8Array(32)
 */
export function receiptStructHashBytes(fields: ReceiptDigestFields): Uint8Array {
  const { recordId, subject, seq, commitment } = fields;
  const struct = new Uint8Array(5 * 32);
  struct.set(RECEIPT_TYPE_HASH, 0);
  struct.set(keccak256(utf8.encode(recordId)), 32);
  struct.set(keccak256(utf8.encode(subject)), 64);
  new DataView(struct.buffer).setBigUint64(96 + 24, BigInt(seq));
  struct.set(fromHex(commitment), 128);
  return keccak256(struct);
}

/**
 * The EIP-712 digest a batch of receipts' one signature signs: the root of the
 * Merkle tree over their struct hashes (receipt format @2, docs/DOSSIER.md).
 *
 * @example
 * receiptBatchDigestBytes("31337", root) // Uint8Array(32)
 */
export function receiptBatchDigestBytes(chainId: string | bigint, root: string): Uint8Array {
  const struct = new Uint8Array(2 * 32);
  struct.set(RECEIPT_BATCH_TYPE_HASH, 0);
  struct.set(fromHex(root), 32);
  return typedDataDigest(chainId, keccak256(struct));
}

function typedDataDigest(chainId: string | bigint, structHash: Uint8Array): Uint8Array {
  const message = new Uint8Array(2 + 64);
  message.set([0x19, 0x01], 0);
  message.set(domainSeparatorOf(chainId), 2);
  message.set(structHash, 34);
  return keccak256(message);
}

/**
 * The EIP-712 digest a receipt's signature signs.
 *
 * @example
 * receiptDigest("31337", { recordId, subject, seq, commitment }) // '0x…'
 */
export function receiptDigest(chainId: string | bigint, fields: ReceiptDigestFields): string {
  return toHex(receiptDigestBytes(chainId, fields));
}

const utf8 = new TextEncoder();
/** `encodeType` of the receipt's struct, which `RECEIPT_TYPES` in receipt.ts describes. */
export const RECEIPT_TYPE = "EvidenceReceipt(string recordId,string subject,uint64 seq,bytes32 commitment)";
const RECEIPT_TYPE_HASH = keccak256(utf8.encode(RECEIPT_TYPE));
/** `encodeType` of a batch of receipts signed together: the root of their tree. */
export const RECEIPT_BATCH_TYPE = "EvidenceReceiptBatch(bytes32 root)";
const RECEIPT_BATCH_TYPE_HASH = keccak256(utf8.encode(RECEIPT_BATCH_TYPE));
const DOMAIN_TYPE_HASH = keccak256(utf8.encode("EIP712Domain(string name,string version,uint256 chainId)"));
const domainSeparators = new Map<string, Uint8Array>();

function domainSeparatorOf(chainId: string | bigint): Uint8Array {
  const key = String(chainId);
  let separator = domainSeparators.get(key);
  if (!separator) {
    const domain = new Uint8Array(4 * 32);
    domain.set(DOMAIN_TYPE_HASH, 0);
    domain.set(keccak256(utf8.encode(RECEIPT_DOMAIN_NAME)), 32);
    domain.set(keccak256(utf8.encode(RECEIPT_DOMAIN_VERSION)), 64);
    const id = BigInt(chainId);
    if (id < 0n || id >= 2n ** 256n) throw new RangeError(`chain id ${key} is not a uint256`);
    domain.set(fromHex(id.toString(16).padStart(64, "0")), 96);
    separator = keccak256(domain);
    domainSeparators.set(key, separator);
  }
  return separator;
}
