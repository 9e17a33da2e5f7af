import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { ESCROW_ACTION_TYPES as ACTION_TYPES, ESCROW_TERMS_TYPES as TERMS_TYPES } from "../../sdk/escrow/typedData";
import { describe, expect, it } from "vitest";
import type { AccountRegistry } from "../../sdk/typechain/contracts/AccountRegistry";
import { buildMerkleTree } from "../../sdk";
import {
  deployAccountRegistry,
  deployedSizes,
  deployEscrow,
  deployEvidenceRegistry,
  EIP170_LIMIT,
  SIZE_BUDGET,
} from "../helpers/contracts";
import { randomCommitments } from "../helpers/records";

const { ethers } = hre;
const SNAPSHOT = path.join(__dirname, "..", "gas-snapshot.json");
/** How much more gas than the snapshot a function may take before the test fails. */
const MARGIN = 0.02;

/** Every contract the platform deploys, and the library the escrow links. */
const DEPLOYED = ["EvidenceRegistry", "AccountRegistry", "DealEscrow", "DealTerms"];

describe("contract sizes", () => {
  it(`keeps every deployed contract within 75% of the EIP-170 limit (${SIZE_BUDGET} of ${EIP170_LIMIT} bytes)`, async () => {
    const sizes = await deployedSizes(DEPLOYED);
    for (const [name, size] of Object.entries(sizes)) {
      expect(size, `${name}: ${size} bytes of runtime code`).toBeLessThanOrEqual(SIZE_BUDGET);
    }
  });
});

describe("gas snapshot", () => {
  it("keeps every measured operation within 2% of the committed snapshot (UPDATE_GAS_SNAPSHOT=1 rewrites it)", async () => {
    const [admin] = await ethers.getSigners();
    const registry = await deployEvidenceRegistry(admin, admin.address, admin.address);
    const deployment = (await registry.deploymentTransaction()!.wait())!;

    const measured: Record<string, number> = { "EvidenceRegistry.deploy": Number(deployment.gasUsed) };
    for (const size of [1, 1024]) {
      const tree = buildMerkleTree(randomCommitments(size));
      const receipt = (await (await registry.anchorBatch(tree.root, size, { gasPrice: 0 })).wait())!;
      measured[`EvidenceRegistry.anchorBatch (${size} records)`] = Number(receipt.gasUsed);
    }
    const perRecord = measured["EvidenceRegistry.anchorBatch (1024 records)"] / 1024;
    expect(perRecord).toBeLessThanOrEqual(64);

    const accounts = await deployAccountRegistry(admin, admin.address, admin.address);
    measured["AccountRegistry.deploy"] = Number((await accounts.deploymentTransaction()!.wait())!.gasUsed);
    const [first, second] = [ethers.Wallet.createRandom().address, ethers.Wallet.createRandom().address];
    // The first listing also turns the counter from zero to non-zero; later listings are the usual case.
    const certifiedFirst = (await (await accounts.certify(first, ethers.id("user-1"), { gasPrice: 0 })).wait())!;
    measured["AccountRegistry.certify (first account)"] = Number(certifiedFirst.gasUsed);
    const certified = (await (await accounts.certify(second, ethers.id("user-2"), { gasPrice: 0 })).wait())!;
    measured["AccountRegistry.certify"] = Number(certified.gasUsed);
    const revoked = (await (await accounts.revoke(second, { gasPrice: 0 })).wait())!;
    measured["AccountRegistry.revoke"] = Number(revoked.gasUsed);

    Object.assign(measured, await measureEscrow(accounts));

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

/**
 * Gas of the escrow's moves on a three-milestone deal: creation, the usual path of a milestone with
 * the parties' moves relayed by the operator (how the platform runs it) and sent by the parties
 * themselves, a refund, and a dispute through settlement and through a ruling.
 */
async function measureEscrow(accounts: AccountRegistry): Promise<Record<string, number>> {
  const [admin, operator, bank, supplier, demander, arbitrator, arbitrationBody, nextArbitrator] =
    await ethers.getSigners();
  await (await accounts.certify(supplier.address, ethers.id("gas:supplier"))).wait();
  await (await accounts.certify(demander.address, ethers.id("gas:demander"))).wait();
  const deployed = await deployEscrow(admin, {
    admin: admin.address,
    accounts: await accounts.getAddress(),
    operator: operator.address,
    bank: bank.address,
    arbitrationBody: arbitrationBody.address,
  });
  const { escrow, domain } = deployed;
  const measured: Record<string, number> = {
    "DealEscrow.deploy": Number(deployed.gas.escrow),
    "DealTerms.deploy (library the escrow links)": Number(deployed.gas.dealTerms),
  };
  const zero = { gasPrice: 0 };
  const gas = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
    Number((await (await tx).wait())!.gasUsed);
  const sign = async (signer: typeof admin, dealId: string, milestone: number, action: number, extra = {}) =>
    signer.signTypedData(domain, ACTION_TYPES, {
      dealId,
      milestone,
      action,
      data: ethers.ZeroHash,
      release: 0,
      refund: 0,
      nonce: (await escrow.milestoneOf(dealId, milestone)).nonce,
      ...extra,
    });
  const CNY = ethers.hexlify(ethers.toUtf8Bytes("CNY"));
  const digest = ethers.id("delivery");
  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  const newDeal = async (name: string) => {
    const terms = {
      dealId: ethers.id(name),
      supplier: supplier.address,
      demander: demander.address,
      arbitrator: arbitrator.address,
      contractDigest: ethers.id("contract"),
      currency: CNY,
      amounts: [1_000_000n, 2_500_000n, 6_500_000n],
      deadlines: [now + 30 * 86400, now + 60 * 86400, now + 90 * 86400],
      inspectionPeriod: 7 * 86400,
      gracePeriod: 2 * 86400,
      maxChangeRounds: 2,
      rulingPeriod: 14 * 86400,
      appealWindow: 0,
    };
    const signatures = [
      await supplier.signTypedData(domain, TERMS_TYPES, terms),
      await demander.signTypedData(domain, TERMS_TYPES, terms),
    ] as const;
    const used = await gas(escrow.connect(operator).createDeal(terms, ...signatures, zero));
    return { id: terms.dealId, amounts: terms.amounts, used };
  };

  const deal = await newDeal("gas:deal:1");
  measured["DealEscrow.createDeal (3 milestones)"] = deal.used;
  const { id, amounts } = deal;

  // Milestone 0: the usual path, parties' moves signed and relayed by the operator.
  const lock = await gas(escrow.connect(bank).lockDeposit(id, 0, CNY, amounts[0], ethers.id("dep:0"), zero));
  const deliver = await gas(
    escrow.connect(operator).deliver(id, 0, digest, await sign(supplier, id, 0, 1, { data: digest }), zero),
  );
  const accept = await gas(escrow.connect(operator).acceptDelivery(id, 0, await sign(demander, id, 0, 2), zero));
  const confirm = await gas(escrow.connect(bank).confirmInstruction(id, 0, amounts[0], 0, ethers.id("pay:0"), zero));
  Object.assign(measured, {
    "DealEscrow.lockDeposit": lock,
    "DealEscrow.deliver (relayed)": deliver,
    "DealEscrow.acceptDelivery (relayed)": accept,
    "DealEscrow.confirmInstruction (release)": confirm,
    "DealEscrow milestone path: lock, deliver, accept, confirm (relayed)": lock + deliver + accept + confirm,
  });

  // Milestone 1: the same path, moves sent by the parties themselves.
  const direct = [
    await gas(escrow.connect(bank).lockDeposit(id, 1, CNY, amounts[1], ethers.id("dep:1"), zero)),
    await gas(escrow.connect(supplier).deliver(id, 1, digest, "0x", zero)),
    await gas(escrow.connect(demander).acceptDelivery(id, 1, "0x", zero)),
    await gas(escrow.connect(bank).confirmInstruction(id, 1, amounts[1], 0, ethers.id("pay:1"), zero)),
  ];
  measured["DealEscrow milestone path: lock, deliver, accept, confirm (sent by the parties)"] = direct.reduce(
    (a, b) => a + b,
  );

  // Milestone 2: a dispute settled by the parties, with a failed and reissued split.
  const [release, refund] = [4_000_000n, 2_500_000n];
  await gas(escrow.connect(bank).lockDeposit(id, 2, CNY, amounts[2], ethers.id("dep:2"), zero));
  await gas(escrow.connect(supplier).deliver(id, 2, digest, "0x", zero));
  measured["DealEscrow.openDispute (relayed)"] = await gas(
    escrow
      .connect(operator)
      .openDispute(id, 2, ethers.id("reasons"), await sign(demander, id, 2, 4, { data: ethers.id("reasons") }), zero),
  );
  measured["DealEscrow.proposeSettlement (relayed)"] = await gas(
    escrow
      .connect(operator)
      .proposeSettlement(id, 2, release, refund, await sign(supplier, id, 2, 7, { release, refund }), zero),
  );
  measured["DealEscrow.acceptSettlement (relayed)"] = await gas(
    escrow
      .connect(operator)
      .acceptSettlement(id, 2, release, refund, await sign(demander, id, 2, 8, { release, refund }), zero),
  );
  measured["DealEscrow.reportInstructionFailed"] = await gas(
    escrow.connect(bank).reportInstructionFailed(id, 2, "0x41433034", zero),
  );
  measured["DealEscrow.reissueInstruction"] = await gas(escrow.connect(operator).reissueInstruction(id, 2, zero));
  measured["DealEscrow.confirmInstruction (split)"] = await gas(
    escrow.connect(bank).confirmInstruction(id, 2, release, refund, ethers.id("pay:2"), zero),
  );

  // A second deal: a dispute escalated and ruled (no appeal window), and a refund for a late delivery.
  const ruled = await newDeal("gas:deal:2");
  await gas(escrow.connect(bank).lockDeposit(ruled.id, 0, CNY, ruled.amounts[0], ethers.id("dep:r0"), zero));
  await gas(escrow.connect(demander).openDispute(ruled.id, 0, ethers.ZeroHash, "0x", zero));
  measured["DealEscrow.escalate (relayed)"] = await gas(
    escrow.connect(operator).escalate(ruled.id, 0, await sign(supplier, ruled.id, 0, 9), zero),
  );
  const rulingDigest = ethers.id("ruling");
  measured["DealEscrow.rule (relayed, final)"] = await gas(
    escrow
      .connect(operator)
      .rule(
        ruled.id,
        0,
        0,
        ruled.amounts[0],
        rulingDigest,
        await sign(arbitrator, ruled.id, 0, 10, { data: rulingDigest, refund: ruled.amounts[0] }),
        zero,
      ),
  );
  await gas(escrow.connect(bank).lockDeposit(ruled.id, 1, CNY, ruled.amounts[1], ethers.id("dep:r1"), zero));
  await ethers.provider.send("evm_increaseTime", [63 * 86400]);
  measured["DealEscrow.claimRefund (relayed)"] = await gas(
    escrow.connect(operator).claimRefund(ruled.id, 1, await sign(demander, ruled.id, 1, 5), zero),
  );

  // The arbitrator lets the ruling period of milestone 2 lapse; the arbitration body replaces it.
  await gas(escrow.connect(bank).lockDeposit(ruled.id, 2, CNY, ruled.amounts[2], ethers.id("dep:r2"), zero));
  await gas(escrow.connect(demander).openDispute(ruled.id, 2, ethers.ZeroHash, "0x", zero));
  await gas(escrow.connect(supplier).escalate(ruled.id, 2, "0x", zero));
  await ethers.provider.send("evm_increaseTime", [15 * 86400]);
  const next = nextArbitrator.address;
  measured["DealEscrow.replaceArbitrator (relayed)"] = await gas(
    escrow
      .connect(operator)
      .replaceArbitrator(
        ruled.id,
        2,
        next,
        await sign(arbitrationBody, ruled.id, 2, 12, { data: ethers.zeroPadValue(next, 32) }),
        zero,
      ),
  );

  expect(measured["DealEscrow.createDeal (3 milestones)"]).toBeLessThanOrEqual(300_000);
  expect(measured["DealEscrow milestone path: lock, deliver, accept, confirm (relayed)"]).toBeLessThanOrEqual(250_000);
  return measured;
}
