import { randomBytes, randomUUID } from "node:crypto";
import { TypedDataEncoder } from "ethers";
import { describe, expect, it } from "vitest";
import { RECEIPT_TYPES, receiptDigest, receiptDomain } from "../../../sdk/receipts/receipt";
import { RECEIPT_TYPE } from "../../../sdk/receipts/receiptDigest";

describe("receiptDigest", () => {
  it("equals ethers' EIP-712 hash of the EvidenceReceipt on every chain, subject and sequence tried", () => {
    const subjects = ["deal:1", "user:usr_0123456789abcdef01234567", "trade:拍卖-1", "x".repeat(128)];
    for (const chainId of ["1", "31337", "18446744073709551615"]) {
      for (const [i, subject] of subjects.entries()) {
        const fields = {
          recordId: randomUUID(),
          subject,
          seq: [0, 1, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER][i],
          commitment: `0x${randomBytes(32).toString("hex")}`,
        };
        expect(receiptDigest(chainId, fields)).toBe(
          TypedDataEncoder.hash(receiptDomain(chainId), RECEIPT_TYPES, fields),
        );
      }
    }
  });

  it("hashes the struct ethers encodes from RECEIPT_TYPES", () => {
    expect(RECEIPT_TYPE).toBe(TypedDataEncoder.from(RECEIPT_TYPES).encodeType("EvidenceReceipt"));
  });
});
