import hre from "hardhat";
import { Wallet } from "ethers";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_MILESTONES } from "../../sdk";
import type { DealEscrow } from "../../sdk/typechain/contracts/DealEscrow";
import { deployAccountRegistry, escrowFactory, mined, StateOnChain as State } from "../helpers/contracts";
import { escrowVectors as vectors } from "../helpers/escrowVectors";

const { ethers } = hre;

// The golden vectors of test/vectors/escrow.json, which the SDK tests check against the SDK
// (test/sdk/escrow/vectors.test.ts), checked here against the contract: it computes the same
// digests, recovers the same signers, and takes the chain deal id and statement digests as given.
describe("DealEscrow and the escrow golden vectors", () => {
  let escrow: DealEscrow;
  let operator: Awaited<ReturnType<typeof ethers.getSigner>>;
  let bank: typeof operator;

  beforeAll(async () => {
    const [admin] = await ethers.getSigners();
    [, operator, bank] = await ethers.getSigners();
    const registry = await deployAccountRegistry(admin, admin.address, admin.address);
    for (const party of ["supplier", "demander"] as const) {
      await mined(registry.certify(vectors.accounts[party].address, ethers.id(`vector:${party}`)));
    }
    // The vectors' deployer deploys the library (its nonce 0), then the escrow (nonce 1), so the
    // escrow lands at the domain's verifying contract. Funding it does not use its nonces.
    const deployer = new Wallet(vectors.deployer.privateKey, ethers.provider);
    await mined(admin.sendTransaction({ to: deployer.address, value: ethers.parseEther("10") }));
    const { factory } = await escrowFactory(deployer);
    escrow = await factory.deploy(
      deployer.address,
      await registry.getAddress(),
      operator.address,
      bank.address,
      ethers.ZeroAddress,
    );
    await escrow.waitForDeployment();
  });

  it("lands at the vectors' verifying contract on their chain", async () => {
    expect(await escrow.getAddress()).toBe(vectors.domain.verifyingContract);
    const domain = await escrow.eip712Domain();
    expect([domain[1], domain[2], domain[3].toString(), domain[4]]).toEqual([
      vectors.domain.name,
      vectors.domain.version,
      vectors.domain.chainId,
      vectors.domain.verifyingContract,
    ]);
  });

  it("allows as many milestones as the SDK's MAX_MILESTONES", async () => {
    expect(await escrow.MAX_MILESTONES()).toBe(BigInt(MAX_MILESTONES));
  });

  it("computes the digests of the vectors' terms and moves", async () => {
    expect(await escrow.hashTerms(vectors.terms.value)).toBe(vectors.terms.digest);
    for (const { value, digest } of vectors.actions) {
      expect(
        await escrow.hashAction(
          value.dealId,
          value.milestone,
          value.action,
          value.data,
          value.release,
          value.refund,
          value.nonce,
        ),
      ).toBe(digest);
    }
  });

  it("creates the deal from the vectors' signatures and takes every vector move, relayed", async () => {
    const { value: terms, signatures, digest } = vectors.terms;
    const created = await mined(escrow.connect(operator).createDeal(terms, signatures.supplier, signatures.demander));
    const event = created.logs.map((log) => escrow.interface.parseLog(log)).find((e) => e?.name === "DealCreated")!;
    expect([event.args.dealId, event.args.termsDigest]).toEqual([vectors.chainDealIds[0].chainDealId, digest]);

    const relay = escrow.connect(operator);
    const [deliver, accept, dispute, propose, acceptSettlement] = vectors.actions;
    await mined(
      escrow.connect(bank).lockDeposit(terms.dealId, 0, terms.currency, terms.amounts[0], ethers.id("dep:0")),
    );
    await mined(relay.deliver(terms.dealId, 0, deliver.value.data, deliver.signature));
    expect((await escrow.milestoneOf(terms.dealId, 0)).deliveryDigest).toBe(vectors.statements[1].digest);
    await mined(relay.acceptDelivery(terms.dealId, 0, accept.signature));
    expect((await escrow.milestoneOf(terms.dealId, 0)).state).toBe(State.Releasing);

    await mined(
      escrow.connect(bank).lockDeposit(terms.dealId, 1, terms.currency, terms.amounts[1], ethers.id("dep:1")),
    );
    await mined(relay.openDispute(terms.dealId, 1, dispute.value.data, dispute.signature));
    const { release, refund } = propose.value;
    await mined(relay.proposeSettlement(terms.dealId, 1, release, refund, propose.signature));
    expect((await escrow.milestoneOf(terms.dealId, 1)).proposer).toBe(propose.signer);
    await mined(relay.acceptSettlement(terms.dealId, 1, release, refund, acceptSettlement.signature));
    const settled = await escrow.milestoneOf(terms.dealId, 1);
    expect([settled.state, settled.release, settled.refund]).toEqual([
      State.Splitting,
      BigInt(release),
      BigInt(refund),
    ]);
  });
});
