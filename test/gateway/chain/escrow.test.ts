import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ESCROW_ACTION_TYPES,
  ESCROW_ACTIONS,
  ESCROW_TERMS_TYPES,
  escrowDomain,
  type EscrowActionName,
} from "../../../sdk";
import { ChainClient } from "../../../gateway/chain/client";
import { EscrowPort } from "../../../gateway/chain/escrow";
import { GatewayError } from "../../../gateway/errors";
import { startTestChain } from "../../helpers/platform";

const DAY = 86_400;

describe("EscrowPort: the gateway's one door to the escrow", () => {
  let stop: () => Promise<void>;
  let chain: ChainClient;
  let escrow: EscrowPort;
  const supplier = Wallet.createRandom();
  const demander = Wallet.createRandom();
  const arbitrator = Wallet.createRandom();
  let dealId: string;
  let domain: ReturnType<typeof escrowDomain>;
  let created: Awaited<ReturnType<EscrowPort["createDeal"]>>;

  const sign = (wallet: Pick<Wallet, "signTypedData">, action: EscrowActionName, milestone = 0, nonce = 0) =>
    wallet.signTypedData(domain, ESCROW_ACTION_TYPES, {
      dealId,
      milestone,
      action: ESCROW_ACTIONS[action].action,
      data: `0x${"00".repeat(32)}`,
      release: 0,
      refund: 0,
      nonce,
    });

  beforeAll(async () => {
    const test = await startTestChain();
    stop = () => test.chain.stop();
    chain = new ChainClient({
      rpcUrl: test.chain.rpcUrl,
      chainId: BigInt(test.deployment.chainId),
      registryAddress: test.deployment.registry,
      accountsAddress: test.deployment.accounts,
      escrowAddress: test.deployment.escrow!,
      anchorPrivateKey: test.anchorKey,
      deploymentBlock: test.deployment.blockNumber,
      gasPrice: 0n,
      finality: { kind: "depth", depth: 0 },
    });
    escrow = new EscrowPort(chain);
    domain = escrowDomain(escrow.chainId, escrow.address);
    for (const [i, party] of [supplier, demander].entries()) {
      await chain.sendAndWait((o) => chain.accounts.certify(party.address, `0x${String(i + 1).padStart(64, "0")}`, o));
    }
    const now = Math.floor(Date.now() / 1000);
    const terms = {
      dealId: `0x${"5e".repeat(32)}`,
      supplier: supplier.address,
      demander: demander.address,
      arbitrator: arbitrator.address,
      contractDigest: `0x${"c0".repeat(32)}`,
      currency: "0x434e59",
      amounts: [100_000n, 200_000n],
      deadlines: [BigInt(now + 30 * DAY), BigInt(now + 60 * DAY)],
      inspectionPeriod: DAY,
      gracePeriod: DAY,
      maxChangeRounds: 2,
      rulingPeriod: DAY,
      appealWindow: 0,
    };
    dealId = terms.dealId;
    created = await escrow.createDeal(
      terms,
      await supplier.signTypedData(domain, ESCROW_TERMS_TYPES, terms),
      await demander.signTypedData(domain, ESCROW_TERMS_TYPES, terms),
    );
  }, 120_000);
  afterAll(async () => {
    chain?.destroy();
    await stop?.();
  });

  it("reads a milestone with its state by name, and `none` for one the deal does not have", async () => {
    expect(await escrow.milestone(dealId, 1)).toMatchObject({
      state: "pending",
      amount: 200_000,
      locked: 0,
      nonce: 0,
      instructionFailed: false,
    });
    expect((await escrow.milestone(dealId, 5)).state).toBe("none");
    expect(await escrow.milestoneCount(dealId)).toBe(2);
    expect(await escrow.creationOf(dealId)).toEqual({
      transactionHash: created.transactionHash,
      blockNumber: created.blockNumber,
    });
  });

  it("answers a refusal by the escrow's custom error, as a stable code, and sends nothing", async () => {
    const head = await chain.provider.getBlockNumber();
    const refused = await escrow
      .send("accept", { dealId, milestone: 0, signature: await sign(demander, "accept") })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ status: 409, code: "WRONG_MILESTONE_STATE" });
    expect((refused as GatewayError).message).toBe("milestone 0 is pending: that move is not possible now");
    expect(await chain.provider.getBlockNumber()).toBe(head);
  });

  it("refuses a call that lacks an argument the action table names, before asking the chain", async () => {
    await expect(escrow.send("accept", { dealId, milestone: 0 })).rejects.toThrow(
      "accept (acceptDelivery) needs signature",
    );
  });

  it("sends a move from the action table and answers its transaction and the events it caused", async () => {
    const told: string[] = [];
    const sent = await escrow.send(
      "cancel",
      {
        dealId,
        milestone: 0,
        supplierSignature: await sign(supplier, "cancel"),
        demanderSignature: await sign(demander, "cancel"),
      },
      { onSent: (hash) => told.push(hash) },
    );
    expect(told).toEqual([sent.transactionHash]);
    expect(sent.events.map((e) => e.event)).toEqual(["MilestoneCancelled"]);
    expect((await escrow.milestone(dealId, 0)).state).toBe("cancelled");
  });

  it("reads the logs after a cursor, decoded as their records copy them", async () => {
    const all = await escrow.logsSince({ block: escrow.deploymentBlock, logIndex: -1 });
    const ours = all.filter((log) => log.args.dealId === dealId);
    expect(ours.map((log) => log.event)).toEqual(["DealCreated", "MilestoneCancelled"]);
    expect(ours[0].args).toMatchObject({ dealId, currency: "CNY", milestoneCount: "2" });
    expect(ours[1].args).toEqual({ dealId, milestone: "0", refundDue: false });
    const last = all.at(-1)!;
    expect(await escrow.logsSince({ block: last.blockNumber, logIndex: last.logIndex })).toEqual([]);
    expect(await escrow.blockTime(last.blockNumber)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
