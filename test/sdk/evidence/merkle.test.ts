import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildMerkleTree, leafHash, processProof } from "../../../sdk";
import vectors from "../../vectors/evidence.json";
import { randomCommitments } from "../../helpers/records";

describe("Merkle trees of record commitments", () => {
  it("reproduces the golden root and proofs", () => {
    const tree = buildMerkleTree(vectors.records.map((r) => r.commitment));
    expect(tree.root).toBe(vectors.merkle.root);
    expect([tree.proof(0), tree.proof(1)]).toEqual(vectors.merkle.proofs);
  });

  it("hashes leaves exactly as @openzeppelin/merkle-tree does", () => {
    const [commitment] = randomCommitments(1);
    const reference = StandardMerkleTree.of([[commitment]], ["bytes32"]);
    expect(leafHash(commitment)).toBe(reference.leafHash([commitment]));
    expect(buildMerkleTree([commitment]).root).toBe(reference.root);
  });

  it("gives proofs that StandardMerkleTree.verify accepts, for every size and index", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), (size, pick) => {
        const commitments = randomCommitments(size);
        const tree = buildMerkleTree(commitments);
        const index = pick % size;
        const proof = tree.proof(index);
        expect(StandardMerkleTree.verify(tree.root, ["bytes32"], [commitments[index]], proof)).toBe(true);
        expect(processProof(commitments[index], proof)).toBe(tree.root);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
      }),
      { numRuns: 150 },
    );
  });

  it("rejects a commitment that is not in the tree and a proof with a changed node", () => {
    const commitments = randomCommitments(9);
    const tree = buildMerkleTree(commitments);
    const proof = tree.proof(4);
    expect(processProof(randomCommitments(1)[0], proof)).not.toBe(tree.root);
    const altered = [...proof];
    altered[1] = `0x${(BigInt(altered[1]) ^ 1n).toString(16).padStart(64, "0")}`;
    expect(processProof(commitments[4], altered)).not.toBe(tree.root);
  });

  it("refuses an empty batch and an index outside the tree", () => {
    expect(() => buildMerkleTree([])).toThrow(/at least one/);
    expect(() => buildMerkleTree(randomCommitments(3)).proof(3)).toThrow(/no leaf/);
  });
});
