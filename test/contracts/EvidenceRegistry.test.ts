import hre from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { beforeAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import type { EvidenceRegistry } from "../../sdk/typechain/contracts/EvidenceRegistry";
import { buildMerkleTree, leafHash } from "../../sdk";
import { deployEvidenceRegistry, revertName, revertOf } from "../helpers/contracts";
import { randomCommitments } from "../helpers/records";

const { ethers } = hre;

describe("EvidenceRegistry", () => {
  let registry: EvidenceRegistry;
  let admin: Awaited<ReturnType<typeof ethers.getSigner>>;
  let anchorer: typeof admin;
  let stranger: typeof admin;
  let snapshot: string;

  beforeAll(async () => {
    [admin, anchorer, stranger] = await ethers.getSigners();
    registry = await deployEvidenceRegistry(admin, admin.address, anchorer.address);
  });
  beforeEach(async () => {
    snapshot = await ethers.provider.send("evm_snapshot", []);
  });
  afterEach(async () => {
    await ethers.provider.send("evm_revert", [snapshot]);
  });

  it("anchors a root with its block, time and record count, and emits BatchAnchored", async () => {
    const root = buildMerkleTree(randomCommitments(3)).root;
    const tx = await registry.connect(anchorer).anchorBatch(root, 3, { gasPrice: 0 });
    const receipt = (await tx.wait())!;
    const block = (await ethers.provider.getBlock(receipt.blockNumber))!;
    await expect(tx).toBeDefined();
    const batch = await registry.batchOf(root);
    expect(batch.blockNumber).toBe(BigInt(receipt.blockNumber));
    expect(batch.timestamp).toBe(BigInt(block.timestamp));
    expect(batch.recordCount).toBe(3n);
    const event = receipt.logs.map((l) => registry.interface.parseLog(l)).find((e) => e?.name === "BatchAnchored")!;
    expect([event.args.root, event.args.recordCount, event.args.anchorer]).toEqual([root, 3n, anchorer.address]);
    expect(await registry.isAnchored(root)).toBe(true);
  });

  it("refuses to anchor the same root twice", async () => {
    const root = buildMerkleTree(randomCommitments(2)).root;
    const receipt = (await (await registry.connect(anchorer).anchorBatch(root, 2)).wait())!;
    await expect(registry.connect(anchorer).anchorBatch(root, 2)).rejects.toThrow(
      /EvidenceRegistryRootAlreadyAnchored/,
    );
    expect(await revertOf(registry, registry.connect(anchorer).anchorBatch.staticCall(root, 2))).toEqual({
      name: "EvidenceRegistryRootAlreadyAnchored",
      args: [root, BigInt(receipt.blockNumber)],
    });
  });

  it("refuses an account without the anchoring role", async () => {
    const root = buildMerkleTree(randomCommitments(1)).root;
    const decoded = await revertOf(registry, registry.connect(stranger).anchorBatch.staticCall(root, 1));
    expect(decoded.name).toBe("AccessControlUnauthorizedAccount");
    expect(decoded.args[0]).toBe(stranger.address);
  });

  it("refuses the zero root and an empty batch", async () => {
    expect(await revertName(registry, registry.connect(anchorer).anchorBatch.staticCall(ethers.ZeroHash, 1))).toBe(
      "EvidenceRegistryZeroRoot",
    );
    const root = buildMerkleTree(randomCommitments(1)).root;
    expect(await revertName(registry, registry.connect(anchorer).anchorBatch.staticCall(root, 0))).toBe(
      "EvidenceRegistryEmptyBatch",
    );
  });

  it("stops anchoring while paused and resumes after", async () => {
    const root = buildMerkleTree(randomCommitments(1)).root;
    await registry.connect(admin).pause();
    expect(await revertName(registry, registry.connect(anchorer).anchorBatch.staticCall(root, 1))).toBe(
      "EnforcedPause",
    );
    expect(await revertName(registry, registry.connect(stranger).pause.staticCall())).toBe(
      "AccessControlUnauthorizedAccount",
    );
    await registry.connect(admin).unpause();
    await registry.connect(anchorer).anchorBatch(root, 1);
    expect(await registry.isAnchored(root)).toBe(true);
  });

  it("verifies every proof of a batch that the OpenZeppelin library also accepts, and nothing else", async () => {
    const commitments = randomCommitments(37);
    const tree = buildMerkleTree(commitments);
    await registry.connect(anchorer).anchorBatch(tree.root, commitments.length);
    for (const [i, commitment] of commitments.entries()) {
      const proof = tree.proof(i);
      expect(StandardMerkleTree.verify(tree.root, ["bytes32"], [commitment], proof)).toBe(true);
      expect(await registry.verifyRecord(tree.root, commitment, proof)).toBe(true);
    }
    const outsider = randomCommitments(1)[0];
    expect(await registry.verifyRecord(tree.root, outsider, tree.proof(0))).toBe(false);
    const unanchored = buildMerkleTree(randomCommitments(4));
    expect(await registry.verifyRecord(unanchored.root, commitments[0], tree.proof(0))).toBe(false);
    expect(await registry.leafOf(commitments[5])).toBe(leafHash(commitments[5]));
  });

  it("works at gas price zero from an account holding no ether", async () => {
    const pauper = ethers.Wallet.createRandom().connect(ethers.provider);
    await registry.connect(admin).grantRole(await registry.ANCHORER_ROLE(), pauper.address);
    const root = buildMerkleTree(randomCommitments(1)).root;
    const receipt = (await (await registry.connect(pauper).anchorBatch(root, 1, { gasPrice: 0 })).wait())!;
    expect(receipt.status).toBe(1);
    expect(await ethers.provider.getBalance(pauper.address)).toBe(0n);
  });

  it("names its version", async () => {
    expect(await registry.version()).toBe("1.0.0");
  });
});
