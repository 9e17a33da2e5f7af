import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { describe, expect, it } from "vitest";
import type { AccountRegistry } from "../../sdk/typechain/contracts/AccountRegistry";
import type { EvidenceRegistry } from "../../sdk/typechain/contracts/EvidenceRegistry";
import { buildMerkleTree } from "../../sdk";
import { randomCommitments } from "../helpers/records";

const { ethers } = hre;
const SNAPSHOT = path.join(__dirname, "..", "gas-snapshot.json");
/** How much more gas than the snapshot a function may take before the test fails. */
const MARGIN = 0.02;

describe("gas snapshot", () => {
  it("keeps every measured operation within 2% of the committed snapshot (UPDATE_GAS_SNAPSHOT=1 rewrites it)", async () => {
    const [admin] = await ethers.getSigners();
    const factory = await ethers.getContractFactory("EvidenceRegistry");
    const registry = (await factory.deploy(admin.address, admin.address)) as unknown as EvidenceRegistry;
    const deployment = (await registry.deploymentTransaction()!.wait())!;

    const measured: Record<string, number> = { "EvidenceRegistry.deploy": Number(deployment.gasUsed) };
    for (const size of [1, 1024]) {
      const tree = buildMerkleTree(randomCommitments(size));
      const receipt = (await (await registry.anchorBatch(tree.root, size, { gasPrice: 0 })).wait())!;
      measured[`EvidenceRegistry.anchorBatch (${size} records)`] = Number(receipt.gasUsed);
    }
    const perRecord = measured["EvidenceRegistry.anchorBatch (1024 records)"] / 1024;
    expect(perRecord).toBeLessThanOrEqual(64);

    const accountFactory = await ethers.getContractFactory("AccountRegistry");
    const accounts = (await accountFactory.deploy(admin.address, admin.address)) as unknown as AccountRegistry;
    measured["AccountRegistry.deploy"] = Number((await accounts.deploymentTransaction()!.wait())!.gasUsed);
    const [first, second] = [ethers.Wallet.createRandom().address, ethers.Wallet.createRandom().address];
    // The first listing also turns the counter from zero to non-zero; later listings are the usual case.
    const certifiedFirst = (await (await accounts.certify(first, ethers.id("user-1"), { gasPrice: 0 })).wait())!;
    measured["AccountRegistry.certify (first account)"] = Number(certifiedFirst.gasUsed);
    const certified = (await (await accounts.certify(second, ethers.id("user-2"), { gasPrice: 0 })).wait())!;
    measured["AccountRegistry.certify"] = Number(certified.gasUsed);
    const revoked = (await (await accounts.revoke(second, { gasPrice: 0 })).wait())!;
    measured["AccountRegistry.revoke"] = Number(revoked.gasUsed);

    if (process.env.UPDATE_GAS_SNAPSHOT) {
      writeFileSync(SNAPSHOT, `${JSON.stringify(measured, null, 2)}\n`);
      return;
    }
    const snapshot = JSON.parse(readFileSync(SNAPSHOT, "utf8")) as Record<string, number>;
    for (const [name, gas] of Object.entries(measured)) {
      expect(snapshot[name], `${name} is missing from test/gas-snapshot.json`).toBeDefined();
      expect(gas, `${name}: ${gas} gas against ${snapshot[name]} in the snapshot`).toBeLessThanOrEqual(
        Math.ceil(snapshot[name] * (1 + MARGIN)),
      );
    }
  });
});
