import { getCreateAddress, TypedDataEncoder, verifyTypedData, Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import {
  chainDealId,
  ESCROW_ACTION_TYPES,
  ESCROW_ACTIONS,
  ESCROW_TERMS_TYPES,
  escrowDomain,
  statementDigest,
} from "../../../sdk";
import { escrowVectors as vectors, statementOf } from "../../helpers/escrowVectors";

// The same vectors are checked against the contract in test/contracts/DealEscrow.vectors.test.ts.
const domain = escrowDomain(BigInt(vectors.domain.chainId), vectors.domain.verifyingContract);

describe("escrow golden vectors (test/vectors/escrow.json)", () => {
  it("derives every chain deal id from the platform's deal id", () => {
    for (const vector of vectors.chainDealIds) expect(chainDealId(vector.dealId)).toBe(vector.chainDealId);
  });

  it("digests every statement as the vectors say", () => {
    for (const vector of vectors.statements) expect(statementDigest(statementOf(vector.statement))).toBe(vector.digest);
  });

  it("names the domain of the escrow that the vectors' deployer deploys second", () => {
    expect(getCreateAddress({ from: vectors.deployer.address, nonce: vectors.deployer.escrowNonce })).toBe(
      vectors.domain.verifyingContract,
    );
    expect({ ...domain, chainId: domain.chainId.toString() }).toEqual(vectors.domain);
  });

  it("hashes the terms with the SDK's types, and both parties' signatures recover to them", async () => {
    const { value, structHash, digest, signatures } = vectors.terms;
    expect(TypedDataEncoder.hashStruct("DealTerms", ESCROW_TERMS_TYPES, value)).toBe(structHash);
    expect(TypedDataEncoder.hash(domain, ESCROW_TERMS_TYPES, value)).toBe(digest);
    for (const party of ["supplier", "demander"] as const) {
      expect(verifyTypedData(domain, ESCROW_TERMS_TYPES, value, signatures[party])).toBe(
        vectors.accounts[party].address,
      );
      const signer = new Wallet(vectors.accounts[party].privateKey);
      expect(await signer.signTypedData(domain, ESCROW_TERMS_TYPES, value)).toBe(signatures[party]);
    }
  });

  it("hashes every move with the SDK's types and action numbers, and each signature recovers to its signer", () => {
    for (const vector of vectors.actions) {
      expect(ESCROW_ACTIONS[vector.name as keyof typeof ESCROW_ACTIONS].action).toBe(vector.value.action);
      expect(TypedDataEncoder.hashStruct("MilestoneAction", ESCROW_ACTION_TYPES, vector.value)).toBe(vector.structHash);
      expect(TypedDataEncoder.hash(domain, ESCROW_ACTION_TYPES, vector.value)).toBe(vector.digest);
      expect(verifyTypedData(domain, ESCROW_ACTION_TYPES, vector.value, vector.signature)).toBe(vector.signer);
    }
  });
});
