// Receipts signed together, on the evidence thread (evidenceThread.worker.ts).
// It loads the two SDK modules it runs, not the SDK's surface, since the
// evidence thread bundles it (test/architecture/sdkSurface.test.ts).
import {
  receiptBatchDigestBytes,
  receiptDigestBytes,
  type ReceiptDigestFields,
} from "../../sdk/receipts/receiptDigest";
import { MAX_RECEIPTS_PER_SIGNATURE, receiptBatchTree } from "../../sdk/receipts/receiptBatch";

/** A receipt's signature: its own (format @1), or its batch's with the proof to the signed root (@2). */
export type ReceiptSignature = string | { signature: string; proof: string[] };

/**
 * Signs the receipts of records of one chain with one key, in order: one
 * signature per {@link MAX_RECEIPTS_PER_SIGNATURE} over the root of their tree
 * (format @2); a receipt alone gets a signature of its own (@1).
 */
export function signReceiptsTogether(
  chainId: string,
  batch: readonly ReceiptDigestFields[],
  sign: (digest: Uint8Array) => string,
): ReceiptSignature[] {
  const signatures: ReceiptSignature[] = [];
  for (let start = 0; start < batch.length; start += MAX_RECEIPTS_PER_SIGNATURE) {
    const chunk = batch.slice(start, start + MAX_RECEIPTS_PER_SIGNATURE);
    if (chunk.length === 1) {
      signatures.push(sign(receiptDigestBytes(chainId, chunk[0])));
      continue;
    }
    const tree = receiptBatchTree(chunk);
    const signature = sign(receiptBatchDigestBytes(chainId, tree.root));
    chunk.forEach((_, leaf) => signatures.push({ signature, proof: tree.proof(leaf) }));
  }
  return signatures;
}
