import { randomBytes, randomUUID } from "node:crypto";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { TypedDataEncoder, Wallet, hexlify, verifyTypedData } from "ethers";
import { describe, expect, it } from "vitest";
import {
  RECEIPT_BATCH_FORMAT,
  RECEIPT_BATCH_TYPES,
  RECEIPT_TYPES,
  receiptBatchDigestBytes,
  receiptBatchRoot,
  receiptBatchTree,
  receiptDomain,
  verifyReceipts,
  type EvidenceReceipt,
} from "../../../sdk/receipts/receipt";
import type { TrustAnchor } from "../../../sdk/trust/trustAnchor";

const CHAIN = "31337";
const fieldsOf = (i: number) => ({
  recordId: randomUUID(),
  subject: `deal:batch-${i % 3}`,
  seq: i,
  commitment: `0x${randomBytes(32).toString("hex")}`,
});

/** Signs `count` receipts together, as the gateway's evidence thread does. */
function signedBatch(count: number, signer = Wallet.createRandom()): EvidenceReceipt[] {
  const batch = Array.from({ length: count }, (_, i) => fieldsOf(i));
  const tree = receiptBatchTree(batch);
  const signature = signer.signingKey.sign(receiptBatchDigestBytes(CHAIN, tree.root)).serialized;
  return batch.map((fields, i) => ({
    format: RECEIPT_BATCH_FORMAT,
    chainId: CHAIN,
    ...fields,
    signer: signer.address,
    proof: tree.proof(i),
    signature,
  }));
}

function trustFor(address: string): TrustAnchor {
  return { chainId: CHAIN, receiptSigners: [address] } as unknown as TrustAnchor;
}

describe("receipts signed together (format @2)", () => {
  it("verify by the recipe docs/DOSSIER.md gives, with ethers and OpenZeppelin's merkle-tree alone", () => {
    const signer = Wallet.createRandom();
    for (const receipt of signedBatch(5, signer)) {
      const { recordId, subject, seq, commitment } = receipt;
      const leaf = TypedDataEncoder.hashStruct("EvidenceReceipt", RECEIPT_TYPES, {
        recordId,
        subject,
        seq,
        commitment,
      });
      const root = receiptBatchRoot(receipt, (receipt as { proof: string[] }).proof);
      expect(StandardMerkleTree.verify(root, ["bytes32"], [leaf], (receipt as { proof: string[] }).proof)).toBe(true);
      expect(verifyTypedData(receiptDomain(CHAIN), RECEIPT_BATCH_TYPES, { root }, receipt.signature)).toBe(
        signer.address,
      );
      expect(hexlify(receiptBatchDigestBytes(CHAIN, root))).toBe(
        TypedDataEncoder.hash(receiptDomain(CHAIN), RECEIPT_BATCH_TYPES, { root }),
      );
    }
  });

  it("are accepted by verifyReceipts beside single ones, against the reader's trust anchor", () => {
    const signer = Wallet.createRandom();
    const receipts = signedBatch(8, signer);
    expect(verifyReceipts(receipts, trustFor(signer.address))).toHaveLength(8);
    expect(() => verifyReceipts(receipts, trustFor(Wallet.createRandom().address))).toThrow(
      /not a receipt signer of the trust anchor/,
    );
  });

  it("are refused when a field, the proof or the signature was changed", () => {
    const signer = Wallet.createRandom();
    const trust = trustFor(signer.address);
    const [first, second] = signedBatch(3, signer) as Array<EvidenceReceipt & { proof: string[] }>;
    expect(() => verifyReceipts([{ ...first, seq: first.seq + 1 }], trust)).toThrow(/not signed by/);
    expect(() => verifyReceipts([{ ...first, proof: second.proof }], trust)).toThrow(/not signed by/);
    expect(() => verifyReceipts([{ ...first, proof: [] }], trust)).toThrow(/malformed: proof/);
    expect(() => verifyReceipts([{ ...first, commitment: second.commitment }], trust)).toThrow(/not signed by/);
    const { proof: _dropped, ...withoutProof } = first;
    expect(() => verifyReceipts([withoutProof], trust)).toThrow(/malformed/);
  });
});
