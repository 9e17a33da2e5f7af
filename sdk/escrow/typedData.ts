/**
 * The EIP-712 messages the DealEscrow contract checks (docs/ESCROW.md): the deal
 * terms both parties sign, and each party's signed move on a milestone. Parties
 * sign them with any EIP-712 signer, e.g. ethers `signer.signTypedData(domain, types, value)`.
 *
 * @example
 * const signature = await supplier.signTypedData(escrowDomain(chainId, escrowAddress), ESCROW_TERMS_TYPES, terms);
 */
export const ESCROW_TERMS_TYPES = {
  DealTerms: [
    { name: "dealId", type: "bytes32" },
    { name: "supplier", type: "address" },
    { name: "demander", type: "address" },
    { name: "arbitrator", type: "address" },
    { name: "contractDigest", type: "bytes32" },
    { name: "currency", type: "bytes3" },
    { name: "amounts", type: "uint96[]" },
    { name: "deadlines", type: "uint64[]" },
    { name: "inspectionPeriod", type: "uint32" },
    { name: "gracePeriod", type: "uint32" },
    { name: "maxChangeRounds", type: "uint8" },
    { name: "rulingPeriod", type: "uint32" },
    { name: "appealWindow", type: "uint32" },
  ],
};

/** A party's move on a milestone; `nonce` is the milestone's move counter, so a signature is used once. */
export const ESCROW_ACTION_TYPES = {
  MilestoneAction: [
    { name: "dealId", type: "bytes32" },
    { name: "milestone", type: "uint8" },
    { name: "action", type: "uint8" },
    { name: "data", type: "bytes32" },
    { name: "release", type: "uint96" },
    { name: "refund", type: "uint96" },
    { name: "nonce", type: "uint32" },
  ],
};

/**
 * The escrow's EIP-712 domain on a chain.
 *
 * @example
 * escrowDomain(31337n, "0x5FbDB2315678afecb367f032d93F642f64180aa3")
 */
export function escrowDomain(chainId: bigint | number, verifyingContract: string) {
  return { name: "TechTransferLedger DealEscrow", version: "1", chainId, verifyingContract };
}
