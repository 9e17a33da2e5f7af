import { keccak256 as keccak_256 } from "./keccak256";
import { concatBytes } from "@noble/hashes/utils.js";
import { InvalidArgumentError } from "../errors";
import { fromHex, toHex } from "./bytes";

/**
 * Merkle trees over record commitments, laid out so that every proof verifies
 * with `StandardMerkleTree.verify(root, ["bytes32"], [commitment], proof)` of
 * `@openzeppelin/merkle-tree` and with OpenZeppelin's `MerkleProof` on chain:
 * the leaf is `keccak256(keccak256(abi.encode(bytes32 commitment)))` and each
 * inner node hashes its two children in sorted order.
 */

/** The leaf of a record commitment. `abi.encode(bytes32)` is the 32 bytes themselves. */
export function leafHash(commitment: string): string {
  return toHex(leafBytes(fromHex(commitment)));
}

function leafBytes(commitment: Uint8Array): Uint8Array {
  return keccak_256(keccak_256(commitment));
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function hashPair(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compare(a, b) <= 0 ? keccak_256(concatBytes(a, b)) : keccak_256(concatBytes(b, a));
}

/** A built tree: its root and a proof for the leaf at any index (the order of the input). */
export interface MerkleTree {
  root: string;
  size: number;
  proof(index: number): string[];
}

/**
 * Builds the tree of `commitments`, in the order given. An odd node at the end
 * of a level is carried up unchanged.
 *
 * @example
 * const tree = buildMerkleTree([c1, c2, c3]);
 * tree.root; tree.proof(2);
 */
export function buildMerkleTree(commitments: readonly string[]): MerkleTree {
  if (commitments.length === 0) throw new InvalidArgumentError("a Merkle tree needs at least one record");
  const levels: Uint8Array[][] = [commitments.map((c) => leafBytes(fromHex(c)))];
  while (levels[levels.length - 1].length > 1) {
    const below = levels[levels.length - 1];
    const above: Uint8Array[] = [];
    for (let i = 0; i < below.length; i += 2) {
      above.push(i + 1 < below.length ? hashPair(below[i], below[i + 1]) : below[i]);
    }
    levels.push(above);
  }
  return {
    root: toHex(levels[levels.length - 1][0]),
    size: commitments.length,
    proof(index: number): string[] {
      if (!Number.isInteger(index) || index < 0 || index >= commitments.length) {
        throw new InvalidArgumentError(`no leaf at index ${index} in a tree of ${commitments.length}`);
      }
      const proof: string[] = [];
      let position = index;
      for (const level of levels.slice(0, -1)) {
        const sibling = position ^ 1;
        if (sibling < level.length) proof.push(toHex(level[sibling]));
        position >>= 1;
      }
      return proof;
    },
  };
}

/**
 * The root that `proof` leads to from `commitment`; compare it with an anchored root.
 *
 * @example
 * processProof(commitment, proof) === root
 */
export function processProof(commitment: string, proof: readonly string[]): string {
  let node = leafBytes(fromHex(commitment));
  for (const sibling of proof) node = hashPair(node, fromHex(sibling));
  return toHex(node);
}
