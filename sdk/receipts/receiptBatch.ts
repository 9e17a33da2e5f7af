import { toHex } from "../evidence/bytes";
import { buildMerkleTree, processProof } from "../evidence/merkle";
import { receiptStructHashBytes, type ReceiptDigestFields } from "./receiptDigest";

/**
 * Most receipts one signature covers. A receipt's proof is then at most three
 * hashes, so the twelve receipts an answer's header carries stay well inside
 * what HTTP clients accept (docs/DOSSIER.md).
 */
export const MAX_RECEIPTS_PER_SIGNATURE = 8;

/**
 * Receipts signed together (format @2): one signature over the root of a Merkle
 * tree whose leaves are the receipts' EIP-712 struct hashes, laid out as the
 * anchoring tree is (sdk/evidence/merkle.ts: `StandardMerkleTree` of
 * `@openzeppelin/merkle-tree` over `["bytes32"]`). The gateway signs this way
 * when several records become durable together, which spares an ECDSA signature
 * per record on the intake path.
 *
 * @example
 * const tree = receiptBatchTree([fieldsA, fieldsB]);
 * tree.root; tree.proof(1);
 */
export function receiptBatchTree(batch: readonly ReceiptDigestFields[]) {
  return buildMerkleTree(batch.map((fields) => toHex(receiptStructHashBytes(fields))));
}

/**
 * The root a batch receipt's proof leads to from its own fields: what its
 * signature signs (with `receiptBatchDigestBytes`).
 *
 * @example
 * receiptBatchRoot({ recordId, subject, seq, commitment }, receipt.proof) // '0x…'
 */
export function receiptBatchRoot(fields: ReceiptDigestFields, proof: readonly string[]): string {
  return processProof(toHex(receiptStructHashBytes(fields)), proof);
}
