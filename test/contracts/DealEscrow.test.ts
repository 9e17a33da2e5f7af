import hre from "hardhat";
import { ESCROW_ACTION_TYPES as ACTION_TYPES, ESCROW_TERMS_TYPES as TERMS_TYPES } from "../../sdk/escrow/typedData";
import { beforeAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import type { ContractTransactionResponse, TransactionReceipt, TypedDataDomain } from "ethers";
import type { AccountRegistry } from "../../sdk/typechain/contracts/AccountRegistry";
import type { DealEscrow } from "../../sdk/typechain/contracts/DealEscrow";
import {
  Action,
  escrowFactory,
  escrowFixture,
  mined as minedTx,
  revertOf as revertOfContract,
  StateOnChain as State,
} from "../helpers/contracts";

const { ethers } = hre;

const DAY = 86_400;
const CNY = ethers.hexlify(ethers.toUtf8Bytes("CNY"));
const USD = ethers.hexlify(ethers.toUtf8Bytes("USD"));
const DELIVERY = ethers.id("encrypted materials, first delivery");
const RULING = ethers.id("signed ruling");

type Terms = {
  dealId: string;
  supplier: string;
  demander: string;
  arbitrator: string;
  contractDigest: string;
  currency: string;
  amounts: bigint[];
  deadlines: number[];
  inspectionPeriod: number;
  gracePeriod: number;
  maxChangeRounds: number;
  rulingPeriod: number;
  appealWindow: number;
};

type Signer = Awaited<ReturnType<typeof ethers.getSigner>>;

describe("DealEscrow", () => {
  let escrow: DealEscrow;
  let registry: AccountRegistry;
  let domain: TypedDataDomain;
  let admin: Signer;
  let registrar: Signer;
  let operator: Signer;
  let bank: Signer;
  let supplier: Signer;
  let demander: Signer;
  let arbitrator: Signer;
  let stranger: Signer;
  let arbitrationBody: Signer;
  let snapshot: string;
  let ROLE: { operator: string; bank: string; pauser: string };

  // ─── Helpers ───────────────────────────────────────────────────────────────

  function mined(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
    return minedTx(tx);
  }

  /** Every event of the escrow in a receipt, decoded to its name and arguments. */
  function eventsOf(receipt: TransactionReceipt) {
    return receipt.logs
      .map((log) => escrow.interface.parseLog(log))
      .filter((e) => e !== null)
      .map((e) => ({ name: e.name, args: [...e.args] }));
  }

  function eventOf(receipt: TransactionReceipt, name: string) {
    const event = eventsOf(receipt).find((e) => e.name === name);
    expect(event, `no ${name} event`).toBeDefined();
    return event!.args;
  }

  /** The custom error a call reverts with, decoded to its name and arguments. */
  function revertOf(call: Promise<unknown>) {
    return revertOfContract(escrow, call);
  }

  async function latest(): Promise<number> {
    return (await ethers.provider.getBlock("latest"))!.timestamp;
  }

  async function increase(seconds: number) {
    await ethers.provider.send("evm_increaseTime", [seconds]);
    await ethers.provider.send("evm_mine", []);
  }

  /** Mines a block at the block time where the escrow clock reads `clock` (static calls then see it). */
  async function mineAtClock(clock: bigint) {
    await ethers.provider.send("evm_mine", [Number(clock + (await escrow.pausedTotal()))]);
  }

  /** The escrow clock at the block of `receipt`. */
  async function clockAt(receipt: TransactionReceipt): Promise<bigint> {
    const block = (await ethers.provider.getBlock(receipt.blockNumber))!;
    return BigInt(block.timestamp) - (await escrow.pausedTotal());
  }

  async function makeTerms(overrides: Partial<Terms> = {}): Promise<Terms> {
    const now = await latest();
    return {
      dealId: ethers.hexlify(ethers.randomBytes(32)),
      supplier: supplier.address,
      demander: demander.address,
      arbitrator: arbitrator.address,
      contractDigest: ethers.id("technology transfer contract"),
      currency: CNY,
      amounts: [100_000n, 250_000n, 650_000n],
      deadlines: [now + 10 * DAY, now + 20 * DAY, now + 30 * DAY],
      inspectionPeriod: 7 * DAY,
      gracePeriod: 2 * DAY,
      maxChangeRounds: 2,
      rulingPeriod: 14 * DAY,
      appealWindow: 5 * DAY,
      ...overrides,
    };
  }

  function signTerms(signer: Signer, terms: Terms): Promise<string> {
    return signer.signTypedData(domain, TERMS_TYPES, terms);
  }

  /** A party's (or the arbitrator's) signature of a move; the nonce defaults to the milestone's current one. */
  async function signAction(
    signer: Signer,
    dealId: string,
    milestone: number,
    action: number,
    fields: { data?: string; release?: bigint; refund?: bigint; nonce?: bigint } = {},
  ): Promise<string> {
    const nonce = fields.nonce ?? (await escrow.milestoneOf(dealId, milestone)).nonce;
    return signer.signTypedData(domain, ACTION_TYPES, {
      dealId,
      milestone,
      action,
      data: fields.data ?? ethers.ZeroHash,
      release: fields.release ?? 0n,
      refund: fields.refund ?? 0n,
      nonce,
    });
  }

  async function createDeal(overrides: Partial<Terms> = {}): Promise<Terms> {
    const terms = await makeTerms(overrides);
    await mined(
      escrow.connect(operator).createDeal(terms, await signTerms(supplier, terms), await signTerms(demander, terms)),
    );
    return terms;
  }

  async function milestone(dealId: string, index = 0) {
    return escrow.milestoneOf(dealId, index);
  }

  async function stateOf(dealId: string, index = 0): Promise<bigint> {
    return (await escrow.milestoneOf(dealId, index)).state;
  }

  // Moves by the right actor, sent directly, to bring a milestone where a test needs it.
  async function lock(terms: Terms, index = 0) {
    return mined(escrow.connect(bank).lockDeposit(terms.dealId, index, CNY, terms.amounts[index], ethers.id("dep")));
  }
  async function deliver(terms: Terms, index = 0) {
    return mined(escrow.connect(supplier).deliver(terms.dealId, index, DELIVERY, "0x"));
  }
  async function dispute(terms: Terms, index = 0) {
    return mined(escrow.connect(demander).openDispute(terms.dealId, index, ethers.id("reasons"), "0x"));
  }
  async function escalate(terms: Terms, index = 0) {
    return mined(escrow.connect(supplier).escalate(terms.dealId, index, "0x"));
  }
  async function ruleSplit(terms: Terms, release: bigint, index = 0) {
    const refund = terms.amounts[index] - release;
    return mined(escrow.connect(arbitrator).rule(terms.dealId, index, release, refund, RULING, "0x"));
  }

  // ─── Fixture ───────────────────────────────────────────────────────────────

  beforeAll(async () => {
    let signers;
    ({ signers, registry, escrow, domain } = await escrowFixture());
    ({ admin, registrar, operator, bank, supplier, demander, arbitrator, stranger, arbitrationBody } = signers);
    ROLE = {
      operator: await escrow.OPERATOR_ROLE(),
      bank: await escrow.BANK_ROLE(),
      pauser: await escrow.PAUSER_ROLE(),
    };
  });
  beforeEach(async () => {
    snapshot = await ethers.provider.send("evm_snapshot", []);
  });
  afterEach(async () => {
    await ethers.provider.send("evm_revert", [snapshot]);
  });

  // ─── Deployment ────────────────────────────────────────────────────────────

  describe("deployment", () => {
    it("names its version, its EIP-712 domain and its account registry", async () => {
      expect(await escrow.version()).toBe("1.0.0");
      const onChain = await escrow.eip712Domain();
      expect([onChain[1], onChain[2], onChain[3], onChain[4]]).toEqual([
        domain.name,
        domain.version,
        domain.chainId,
        domain.verifyingContract,
      ]);
      expect(await escrow.accountRegistry()).toBe(await registry.getAddress());
      expect(ROLE).toEqual({
        operator: ethers.id("OPERATOR_ROLE"),
        bank: ethers.id("BANK_ROLE"),
        pauser: ethers.id("PAUSER_ROLE"),
      });
    });

    it("hashes terms and moves exactly as ethers' EIP-712 encoder does", async () => {
      const terms = await makeTerms();
      expect(await escrow.hashTerms(terms)).toBe(ethers.TypedDataEncoder.hash(domain, TERMS_TYPES, terms));
      const action = {
        dealId: terms.dealId,
        milestone: 2,
        action: Action.Rule,
        data: RULING,
        release: 7n,
        refund: 9n,
        nonce: 5n,
      };
      expect(
        await escrow.hashAction(
          action.dealId,
          action.milestone,
          action.action,
          action.data,
          action.release,
          action.refund,
          action.nonce,
        ),
      ).toBe(ethers.TypedDataEncoder.hash(domain, ACTION_TYPES, action));
    });

    it("refuses a zero admin, registry or bank, and accepts a zero operator", async () => {
      const { factory } = await escrowFactory(admin);
      const registryAddress = await registry.getAddress();
      for (const args of [
        [ethers.ZeroAddress, registryAddress, operator.address, bank.address, ethers.ZeroAddress],
        [admin.address, ethers.ZeroAddress, operator.address, bank.address, ethers.ZeroAddress],
        [admin.address, registryAddress, operator.address, ethers.ZeroAddress, ethers.ZeroAddress],
      ] as const) {
        expect(await revertOf(factory.deploy(...args))).toEqual({ name: "DealEscrowZeroAddress", args: [] });
      }
      const bare = await factory.deploy(
        admin.address,
        registryAddress,
        ethers.ZeroAddress,
        bank.address,
        ethers.ZeroAddress,
      );
      expect(await bare.hasRole(ROLE.operator, ethers.ZeroAddress)).toBe(false);
      expect(await bare.hasRole(ROLE.pauser, admin.address)).toBe(true);
    });

    it("lets the bank, not the platform's admin, appoint bank keys", async () => {
      expect(await escrow.getRoleAdmin(ROLE.bank)).toBe(ROLE.bank);
      expect(await revertOf(escrow.connect(admin).grantRole.staticCall(ROLE.bank, stranger.address))).toEqual({
        name: "AccessControlUnauthorizedAccount",
        args: [admin.address, ROLE.bank],
      });
      await mined(escrow.connect(bank).grantRole(ROLE.bank, stranger.address));
      expect(await escrow.hasRole(ROLE.bank, stranger.address)).toBe(true);
    });
  });

  // ─── Creation ──────────────────────────────────────────────────────────────

  describe("creating a deal", () => {
    it("creates a deal from terms both parties signed, every milestone pending, and emits DealCreated", async () => {
      const terms = await makeTerms();
      const receipt = await mined(
        escrow.connect(operator).createDeal(terms, await signTerms(supplier, terms), await signTerms(demander, terms)),
      );
      expect(eventOf(receipt, "DealCreated")).toEqual([
        terms.dealId,
        supplier.address,
        demander.address,
        arbitrator.address,
        terms.contractDigest,
        CNY,
        3n,
        ethers.TypedDataEncoder.hash(domain, TERMS_TYPES, terms),
      ]);
      const deal = await escrow.dealOf(terms.dealId);
      expect({
        supplier: deal.supplier,
        demander: deal.demander,
        arbitrator: deal.arbitrator,
        contractDigest: deal.contractDigest,
        currency: deal.currency,
        milestoneCount: deal.milestoneCount,
        inspectionPeriod: deal.inspectionPeriod,
        gracePeriod: deal.gracePeriod,
        maxChangeRounds: deal.maxChangeRounds,
        rulingPeriod: deal.rulingPeriod,
        appealWindow: deal.appealWindow,
      }).toEqual({
        supplier: supplier.address,
        demander: demander.address,
        arbitrator: arbitrator.address,
        contractDigest: terms.contractDigest,
        currency: CNY,
        milestoneCount: 3n,
        inspectionPeriod: BigInt(terms.inspectionPeriod),
        gracePeriod: BigInt(terms.gracePeriod),
        maxChangeRounds: BigInt(terms.maxChangeRounds),
        rulingPeriod: BigInt(terms.rulingPeriod),
        appealWindow: BigInt(terms.appealWindow),
      });
      for (const [i, amount] of terms.amounts.entries()) {
        const m = await milestone(terms.dealId, i);
        expect([m.state, m.amount, m.locked, m.released, m.refunded, m.nonce]).toEqual([
          State.Pending,
          amount,
          0n,
          0n,
          0n,
          0n,
        ]);
        expect(m.deadline).toBe(BigInt(terms.deadlines[i]));
      }
      expect((await milestone(terms.dealId, 3)).state).toBe(State.None);
    });

    it("refuses a deal id that is already used", async () => {
      const terms = await createDeal();
      const again = { ...terms, amounts: [1n], deadlines: [terms.deadlines[0]] };
      const call = escrow
        .connect(operator)
        .createDeal.staticCall(again, await signTerms(supplier, again), await signTerms(demander, again));
      expect(await revertOf(call)).toEqual({ name: "DealEscrowDealExists", args: [terms.dealId] });
    });

    it("refuses terms the operator made up or changed after the parties signed", async () => {
      const terms = await makeTerms();
      const supplierSignature = await signTerms(supplier, terms);
      const demanderSignature = await signTerms(demander, terms);
      // A signature by someone else than the party.
      const forged = await signTerms(stranger, terms);
      expect(await revertOf(escrow.connect(operator).createDeal.staticCall(terms, forged, demanderSignature))).toEqual({
        name: "DealEscrowUnauthorized",
        args: [terms.dealId, stranger.address, supplier.address],
      });
      expect(await revertOf(escrow.connect(operator).createDeal.staticCall(terms, supplierSignature, forged))).toEqual({
        name: "DealEscrowUnauthorized",
        args: [terms.dealId, stranger.address, demander.address],
      });
      // The parties' signatures over other terms: a higher first amount.
      const changed = { ...terms, amounts: [terms.amounts[0] + 1n, ...terms.amounts.slice(1)] };
      const recovered = ethers.recoverAddress(
        ethers.TypedDataEncoder.hash(domain, TERMS_TYPES, changed),
        supplierSignature,
      );
      expect(
        await revertOf(escrow.connect(operator).createDeal.staticCall(changed, supplierSignature, demanderSignature)),
      ).toEqual({ name: "DealEscrowUnauthorized", args: [terms.dealId, recovered, supplier.address] });
      // An unreadable signature.
      expect(
        await revertOf(escrow.connect(operator).createDeal.staticCall(terms, "0x1234", demanderSignature)),
      ).toEqual({ name: "DealEscrowInvalidSignature", args: [terms.dealId] });
    });

    it("refuses a party that is not certified, or no longer is", async () => {
      const outsider = (await ethers.getSigners())[9];
      const terms = await makeTerms({ supplier: outsider.address });
      const call = escrow
        .connect(operator)
        .createDeal.staticCall(terms, await signTerms(outsider, terms), await signTerms(demander, terms));
      expect(await revertOf(call)).toEqual({ name: "DealEscrowNotCertified", args: [terms.dealId, outsider.address] });

      await mined(registry.connect(registrar).revoke(demander.address));
      const later = await makeTerms();
      const refused = escrow
        .connect(operator)
        .createDeal.staticCall(later, await signTerms(supplier, later), await signTerms(demander, later));
      expect(await revertOf(refused)).toEqual({
        name: "DealEscrowNotCertified",
        args: [later.dealId, demander.address],
      });
    });

    it("refuses anyone but the operator, even the admin and the parties", async () => {
      const terms = await makeTerms();
      const [s, d] = [await signTerms(supplier, terms), await signTerms(demander, terms)];
      for (const caller of [admin, supplier, bank, stranger]) {
        expect(await revertOf(escrow.connect(caller).createDeal.staticCall(terms, s, d))).toEqual({
          name: "AccessControlUnauthorizedAccount",
          args: [caller.address, ROLE.operator],
        });
      }
    });

    it("refuses terms that do not make a deal", async () => {
      const now = await latest();
      const cases: [Partial<Terms>, (t: Terms) => { name: string; args: unknown[] }][] = [
        [{ dealId: ethers.ZeroHash }, () => ({ name: "DealEscrowZeroDealId", args: [] })],
        [
          { demander: supplier.address },
          (t) => ({ name: "DealEscrowInvalidParties", args: [t.dealId, t.supplier, t.demander, t.arbitrator] }),
        ],
        [
          { arbitrator: demander.address },
          (t) => ({ name: "DealEscrowInvalidParties", args: [t.dealId, t.supplier, t.demander, t.arbitrator] }),
        ],
        [
          { arbitrator: ethers.ZeroAddress },
          (t) => ({ name: "DealEscrowInvalidParties", args: [t.dealId, t.supplier, t.demander, t.arbitrator] }),
        ],
        [
          { amounts: [], deadlines: [] },
          (t) => ({ name: "DealEscrowInvalidMilestoneCount", args: [t.dealId, 0n, 0n] }),
        ],
        [
          { amounts: [1n, 2n], deadlines: [now + DAY] },
          (t) => ({ name: "DealEscrowInvalidMilestoneCount", args: [t.dealId, 2n, 1n] }),
        ],
        [
          { amounts: Array(33).fill(1n), deadlines: Array(33).fill(now + DAY) },
          (t) => ({ name: "DealEscrowInvalidMilestoneCount", args: [t.dealId, 33n, 33n] }),
        ],
        [
          { amounts: [5n, 0n], deadlines: [now + DAY, now + DAY] },
          (t) => ({ name: "DealEscrowZeroAmount", args: [t.dealId, 1n] }),
        ],
        [
          { amounts: [5n], deadlines: [now] },
          (t) => ({ name: "DealEscrowInvalidDeadline", args: [t.dealId, 0n, BigInt(now), BigInt(now)] }),
        ],
        [
          { amounts: [5n], deadlines: [2 ** 48] },
          (t) => ({ name: "DealEscrowInvalidDeadline", args: [t.dealId, 0n, 2n ** 48n, BigInt(now)] }),
        ],
        [
          { currency: ethers.hexlify(ethers.toUtf8Bytes("cny")) },
          (t) => ({ name: "DealEscrowInvalidCurrency", args: [t.dealId, t.currency] }),
        ],
        [
          { currency: ethers.hexlify(ethers.toUtf8Bytes("C1Y")) },
          (t) => ({ name: "DealEscrowInvalidCurrency", args: [t.dealId, t.currency] }),
        ],
        [{ currency: "0x000000" }, (t) => ({ name: "DealEscrowInvalidCurrency", args: [t.dealId, t.currency] })],
        [{ inspectionPeriod: 0 }, (t) => ({ name: "DealEscrowInvalidPeriods", args: [t.dealId, 0n, 14n * 86400n] })],
        [{ rulingPeriod: 0 }, (t) => ({ name: "DealEscrowInvalidPeriods", args: [t.dealId, 7n * 86400n, 0n] })],
      ];
      for (const [overrides, expected] of cases) {
        const terms = await makeTerms(overrides);
        const call = escrow
          .connect(operator)
          .createDeal.staticCall(terms, await signTerms(supplier, terms), await signTerms(demander, terms));
        expect(
          await revertOf(call),
          JSON.stringify(overrides, (_, v) => (typeof v === "bigint" ? `${v}` : v)),
        ).toEqual(expected(terms));
      }
    });
  });

  // ─── Deposit ───────────────────────────────────────────────────────────────

  describe("locking a deposit", () => {
    it("locks the amount the bank attests, reports the excess to refund, and emits DepositLocked", async () => {
      const terms = await createDeal();
      const receipt = await mined(
        escrow.connect(bank).lockDeposit(terms.dealId, 1, CNY, terms.amounts[1] + 1_234n, ethers.id("bank:dep:1")),
      );
      expect(eventOf(receipt, "DepositLocked")).toEqual([
        terms.dealId,
        1n,
        terms.amounts[1],
        1_234n,
        ethers.id("bank:dep:1"),
      ]);
      const m = await milestone(terms.dealId, 1);
      expect([m.state, m.locked, m.nonce]).toEqual([State.Locked, terms.amounts[1], 1n]);
      // Milestones are independent: the others still wait for their deposits.
      expect(await stateOf(terms.dealId, 0)).toBe(State.Pending);
    });

    it("locks an exact deposit with no excess", async () => {
      const terms = await createDeal();
      expect(eventOf(await lock(terms), "DepositLocked")[3]).toBe(0n);
    });

    it("refuses a deposit below the amount, in another currency, or without a bank reference", async () => {
      const terms = await createDeal();
      const bankAs = escrow.connect(bank);
      expect(
        await revertOf(bankAs.lockDeposit.staticCall(terms.dealId, 0, CNY, terms.amounts[0] - 1n, ethers.id("r"))),
      ).toEqual({
        name: "DealEscrowDepositTooSmall",
        args: [terms.dealId, 0n, terms.amounts[0], terms.amounts[0] - 1n],
      });
      expect(
        await revertOf(bankAs.lockDeposit.staticCall(terms.dealId, 0, USD, terms.amounts[0], ethers.id("r"))),
      ).toEqual({ name: "DealEscrowCurrencyMismatch", args: [terms.dealId, CNY, USD] });
      expect(
        await revertOf(bankAs.lockDeposit.staticCall(terms.dealId, 0, CNY, terms.amounts[0], ethers.ZeroHash)),
      ).toEqual({ name: "DealEscrowZeroReference", args: [terms.dealId, 0n] });
    });

    it("refuses deposits for unknown deals and milestones, and twice for the same milestone", async () => {
      const terms = await createDeal();
      const bankAs = escrow.connect(bank);
      const unknown = ethers.id("no such deal");
      expect(await revertOf(bankAs.lockDeposit.staticCall(unknown, 0, CNY, 1n, ethers.id("r")))).toEqual({
        name: "DealEscrowUnknownDeal",
        args: [unknown],
      });
      expect(await revertOf(bankAs.lockDeposit.staticCall(terms.dealId, 3, CNY, 1n, ethers.id("r")))).toEqual({
        name: "DealEscrowUnknownMilestone",
        args: [terms.dealId, 3n, 3n],
      });
      await lock(terms);
      expect(
        await revertOf(bankAs.lockDeposit.staticCall(terms.dealId, 0, CNY, terms.amounts[0], ethers.id("r"))),
      ).toEqual({ name: "DealEscrowInvalidState", args: [terms.dealId, 0n, State.Locked] });
    });

    it("refuses a deposit attested by anyone but the bank, the operator and admin included", async () => {
      const terms = await createDeal();
      for (const caller of [operator, admin, demander, stranger]) {
        const call = escrow
          .connect(caller)
          .lockDeposit.staticCall(terms.dealId, 0, CNY, terms.amounts[0], ethers.id("r"));
        expect(await revertOf(call)).toEqual({
          name: "AccessControlUnauthorizedAccount",
          args: [caller.address, ROLE.bank],
        });
      }
    });
  });

  // ─── Delivery, acceptance, release ─────────────────────────────────────────

  describe("delivery and acceptance", () => {
    it("takes the supplier's delivery, starts the inspection period, and emits DeliverySubmitted", async () => {
      const terms = await createDeal();
      await lock(terms);
      const receipt = await deliver(terms);
      const inspectionEnds = (await clockAt(receipt)) + BigInt(terms.inspectionPeriod);
      expect(eventOf(receipt, "DeliverySubmitted")).toEqual([terms.dealId, 0n, DELIVERY, 0n, inspectionEnds]);
      const m = await milestone(terms.dealId);
      expect([m.state, m.timer, m.deliveryDigest, m.nonce]).toEqual([State.Delivered, inspectionEnds, DELIVERY, 2n]);
    });

    it("takes a delivery the supplier signed and the operator relayed", async () => {
      const terms = await createDeal();
      await lock(terms);
      const signature = await signAction(supplier, terms.dealId, 0, Action.Deliver, { data: DELIVERY });
      const receipt = await mined(escrow.connect(operator).deliver(terms.dealId, 0, DELIVERY, signature));
      expect(eventOf(receipt, "DeliverySubmitted")[2]).toBe(DELIVERY);
      expect(await stateOf(terms.dealId)).toBe(State.Delivered);
    });

    it("refuses a delivery by anyone but the supplier, sent or signed", async () => {
      const terms = await createDeal();
      await lock(terms);
      for (const caller of [demander, arbitrator, operator, bank, stranger]) {
        expect(await revertOf(escrow.connect(caller).deliver.staticCall(terms.dealId, 0, DELIVERY, "0x"))).toEqual({
          name: "DealEscrowUnauthorized",
          args: [terms.dealId, caller.address, supplier.address],
        });
        const signature = await signAction(caller, terms.dealId, 0, Action.Deliver, { data: DELIVERY });
        expect(
          await revertOf(escrow.connect(operator).deliver.staticCall(terms.dealId, 0, DELIVERY, signature)),
        ).toEqual({ name: "DealEscrowUnauthorized", args: [terms.dealId, caller.address, supplier.address] });
      }
    });

    it("accepts relayed signatures from the operator only, and refuses unreadable ones", async () => {
      const terms = await createDeal();
      await lock(terms);
      const signature = await signAction(supplier, terms.dealId, 0, Action.Deliver, { data: DELIVERY });
      for (const relayer of [stranger, demander, bank]) {
        expect(
          await revertOf(escrow.connect(relayer).deliver.staticCall(terms.dealId, 0, DELIVERY, signature)),
        ).toEqual({ name: "AccessControlUnauthorizedAccount", args: [relayer.address, ROLE.operator] });
      }
      for (const bad of ["0x1234", ethers.concat([signature.slice(0, 130), "0x05"])]) {
        expect(await revertOf(escrow.connect(operator).deliver.staticCall(terms.dealId, 0, DELIVERY, bad))).toEqual({
          name: "DealEscrowInvalidSignature",
          args: [terms.dealId],
        });
      }
    });

    it("refuses a signature for another move, another digest, another milestone or a stale nonce", async () => {
      const terms = await createDeal();
      await lock(terms);
      const expectSigner = async (signature: string) => {
        const error = await revertOf(escrow.connect(operator).deliver.staticCall(terms.dealId, 0, DELIVERY, signature));
        expect(error.name).toBe("DealEscrowUnauthorized");
        expect(error.args[1]).not.toBe(supplier.address);
        expect(error.args[2]).toBe(supplier.address);
      };
      await expectSigner(await signAction(supplier, terms.dealId, 0, Action.AcceptDelivery, { data: DELIVERY }));
      await expectSigner(await signAction(supplier, terms.dealId, 0, Action.Deliver, { data: ethers.id("other") }));
      await expectSigner(await signAction(supplier, terms.dealId, 0, Action.Deliver, { data: DELIVERY, nonce: 0n }));
      const otherMilestone = await signAction(supplier, terms.dealId, 1, Action.Deliver, { data: DELIVERY, nonce: 1n });
      await expectSigner(otherMilestone);
    });

    it("refuses to replay a relayed signature once it was used", async () => {
      const terms = await createDeal({ maxChangeRounds: 1 });
      await lock(terms);
      const delivery = await signAction(supplier, terms.dealId, 0, Action.Deliver, { data: DELIVERY });
      await mined(escrow.connect(operator).deliver(terms.dealId, 0, DELIVERY, delivery));
      const changes = await signAction(demander, terms.dealId, 0, Action.RequestChanges);
      await mined(escrow.connect(operator).requestChanges(terms.dealId, 0, ethers.ZeroHash, changes));
      // Back in Locked: the old delivery signature would fit the state, but not the nonce.
      const nonce = (await milestone(terms.dealId)).nonce;
      const digest = await escrow.hashAction(terms.dealId, 0, Action.Deliver, DELIVERY, 0, 0, nonce);
      expect(await revertOf(escrow.connect(operator).deliver.staticCall(terms.dealId, 0, DELIVERY, delivery))).toEqual({
        name: "DealEscrowUnauthorized",
        args: [terms.dealId, ethers.recoverAddress(digest, delivery), supplier.address],
      });
    });

    it("refuses a delivery before the deposit, after it, or with no digest", async () => {
      const terms = await createDeal();
      const supplierAs = escrow.connect(supplier);
      expect(await revertOf(supplierAs.deliver.staticCall(terms.dealId, 0, DELIVERY, "0x"))).toEqual({
        name: "DealEscrowInvalidState",
        args: [terms.dealId, 0n, State.Pending],
      });
      await lock(terms);
      expect(await revertOf(supplierAs.deliver.staticCall(terms.dealId, 0, ethers.ZeroHash, "0x"))).toEqual({
        name: "DealEscrowZeroReference",
        args: [terms.dealId, 0n],
      });
      await deliver(terms);
      expect(await revertOf(supplierAs.deliver.staticCall(terms.dealId, 0, DELIVERY, "0x"))).toEqual({
        name: "DealEscrowInvalidState",
        args: [terms.dealId, 0n, State.Delivered],
      });
    });

    it("takes a late delivery within the grace period and refuses one after it", async () => {
      const terms = await createDeal();
      await lock(terms);
      const due = BigInt(terms.deadlines[0] + terms.gracePeriod);
      await mineAtClock(due);
      await escrow.connect(supplier).deliver.staticCall(terms.dealId, 0, DELIVERY, "0x");
      await mineAtClock(due + 1n);
      expect(await revertOf(escrow.connect(supplier).deliver.staticCall(terms.dealId, 0, DELIVERY, "0x"))).toEqual({
        name: "DealEscrowTooLate",
        args: [terms.dealId, 0n, due, due + 1n],
      });
    });

    it("releases when the demander accepts, sent or signed, and emits the instruction for the bank", async () => {
      const terms = await createDeal();
      await lock(terms, 0);
      await lock(terms, 1);
      await deliver(terms, 0);
      await deliver(terms, 1);
      const direct = await mined(escrow.connect(demander).acceptDelivery(terms.dealId, 0, "0x"));
      expect(eventsOf(direct)).toEqual([
        { name: "DeliveryAccepted", args: [terms.dealId, 0n] },
        { name: "InstructionIssued", args: [terms.dealId, 0n, State.Releasing, terms.amounts[0], 0n] },
      ]);
      const signature = await signAction(demander, terms.dealId, 1, Action.AcceptDelivery);
      const relayed = await mined(escrow.connect(operator).acceptDelivery(terms.dealId, 1, signature));
      expect(eventOf(relayed, "InstructionIssued")).toEqual([terms.dealId, 1n, State.Releasing, terms.amounts[1], 0n]);
      const m = await milestone(terms.dealId, 1);
      expect([m.state, m.release, m.refund, m.released]).toEqual([State.Releasing, terms.amounts[1], 0n, 0n]);
    });

    it("refuses an acceptance by anyone but the demander, and before a delivery", async () => {
      const terms = await createDeal();
      await lock(terms);
      expect(await revertOf(escrow.connect(demander).acceptDelivery.staticCall(terms.dealId, 0, "0x"))).toEqual({
        name: "DealEscrowInvalidState",
        args: [terms.dealId, 0n, State.Locked],
      });
      await deliver(terms);
      for (const caller of [supplier, arbitrator, operator, stranger]) {
        expect(await revertOf(escrow.connect(caller).acceptDelivery.staticCall(terms.dealId, 0, "0x"))).toEqual({
          name: "DealEscrowUnauthorized",
          args: [terms.dealId, caller.address, demander.address],
        });
      }
    });

    it("finishes when the bank confirms the release with its reference, and never moves again", async () => {
      const terms = await createDeal();
      await lock(terms);
      await deliver(terms);
      await mined(escrow.connect(demander).acceptDelivery(terms.dealId, 0, "0x"));
      const receipt = await mined(
        escrow.connect(bank).confirmInstruction(terms.dealId, 0, terms.amounts[0], 0, ethers.id("bank:pay:1")),
      );
      expect(eventsOf(receipt)).toEqual([
        { name: "MilestoneReleased", args: [terms.dealId, 0n, terms.amounts[0], ethers.id("bank:pay:1")] },
      ]);
      const m = await milestone(terms.dealId);
      expect([m.state, m.locked, m.released, m.refunded]).toEqual([
        State.Released,
        terms.amounts[0],
        terms.amounts[0],
        0n,
      ]);

      const finished = { name: "DealEscrowInvalidState", args: [terms.dealId, 0n, State.Released] };
      const id = terms.dealId;
      const amount = terms.amounts[0];
      const cancel = [
        await signAction(supplier, id, 0, Action.Cancel),
        await signAction(demander, id, 0, Action.Cancel),
      ];
      for (const call of [
        () => escrow.connect(bank).lockDeposit.staticCall(id, 0, CNY, amount, ethers.id("again")),
        () => escrow.connect(supplier).deliver.staticCall(id, 0, DELIVERY, "0x"),
        () => escrow.connect(demander).acceptDelivery.staticCall(id, 0, "0x"),
        () => escrow.connect(demander).requestChanges.staticCall(id, 0, ethers.ZeroHash, "0x"),
        () => escrow.connect(demander).claimRefund.staticCall(id, 0, "0x"),
        () => escrow.connect(demander).openDispute.staticCall(id, 0, ethers.ZeroHash, "0x"),
        () => escrow.connect(stranger).releaseAfterInspection.staticCall(id, 0),
        () => escrow.connect(operator).cancelMilestone.staticCall(id, 0, cancel[0], cancel[1]),
        () => escrow.connect(supplier).proposeSettlement.staticCall(id, 0, amount, 0, "0x"),
        () => escrow.connect(supplier).escalate.staticCall(id, 0, "0x"),
        () => escrow.connect(arbitrator).rule.staticCall(id, 0, amount, 0, RULING, "0x"),
        () => escrow.connect(demander).appeal.staticCall(id, 0, ethers.ZeroHash, "0x"),
        () => escrow.connect(stranger).finalizeRuling.staticCall(id, 0),
        () => escrow.connect(bank).confirmInstruction.staticCall(id, 0, amount, 0, ethers.id("again")),
        () => escrow.connect(bank).reportInstructionFailed.staticCall(id, 0, "0x41433034"),
        () => escrow.connect(operator).reissueInstruction.staticCall(id, 0),
      ]) {
        expect(await revertOf(call())).toEqual(finished);
      }
    });
  });

  // ─── Change requests ───────────────────────────────────────────────────────

  describe("change requests", () => {
    it("sends the milestone back to the supplier, counts the round, and takes the new delivery", async () => {
      const terms = await createDeal();
      await lock(terms);
      await deliver(terms);
      const request = ethers.id("please fix chapter 3");
      const receipt = await mined(escrow.connect(demander).requestChanges(terms.dealId, 0, request, "0x"));
      // Well before the deadline: the deadline stays.
      expect(eventOf(receipt, "ChangesRequested")).toEqual([terms.dealId, 0n, 1n, request, BigInt(terms.deadlines[0])]);
      let m = await milestone(terms.dealId);
      expect([m.state, m.changeRounds, m.timer]).toEqual([State.Locked, 1n, 0n]);
      const second = ethers.id("second delivery");
      const delivered = await mined(escrow.connect(supplier).deliver(terms.dealId, 0, second, "0x"));
      expect(eventOf(delivered, "DeliverySubmitted")[3]).toBe(1n);
      m = await milestone(terms.dealId);
      expect([m.state, m.deliveryDigest]).toEqual([State.Delivered, second]);
    });

    it("gives the supplier at least the grace period after a change request made past the deadline", async () => {
      const terms = await createDeal();
      await lock(terms);
      await mineAtClock(BigInt(terms.deadlines[0]));
      await deliver(terms);
      await increase(3 * DAY);
      const receipt = await mined(escrow.connect(demander).requestChanges(terms.dealId, 0, ethers.ZeroHash, "0x"));
      const now = await clockAt(receipt);
      expect(now).toBeGreaterThan(BigInt(terms.deadlines[0] + terms.gracePeriod));
      expect(eventOf(receipt, "ChangesRequested")[4]).toBe(now);
      await mineAtClock(now + BigInt(terms.gracePeriod));
      await escrow.connect(supplier).deliver.staticCall(terms.dealId, 0, DELIVERY, "0x");
    });

    it("refuses more change rounds than the terms allow, a request after the inspection period, or by the supplier", async () => {
      const terms = await createDeal({ maxChangeRounds: 1 });
      await lock(terms);
      await deliver(terms);
      expect(
        await revertOf(escrow.connect(supplier).requestChanges.staticCall(terms.dealId, 0, ethers.ZeroHash, "0x")),
      ).toEqual({ name: "DealEscrowUnauthorized", args: [terms.dealId, supplier.address, demander.address] });
      await mined(escrow.connect(demander).requestChanges(terms.dealId, 0, ethers.ZeroHash, "0x"));
      await deliver(terms);
      expect(
        await revertOf(escrow.connect(demander).requestChanges.staticCall(terms.dealId, 0, ethers.ZeroHash, "0x")),
      ).toEqual({ name: "DealEscrowChangeRoundsExhausted", args: [terms.dealId, 0n, 1n] });

      const other = await createDeal();
      await lock(other);
      await deliver(other);
      const ends = (await milestone(other.dealId)).timer;
      await mineAtClock(ends + 1n);
      expect(
        await revertOf(escrow.connect(demander).requestChanges.staticCall(other.dealId, 0, ethers.ZeroHash, "0x")),
      ).toEqual({ name: "DealEscrowTooLate", args: [other.dealId, 0n, ends, ends + 1n] });
    });
  });

  // ─── Timers: lapsed inspection, late delivery ──────────────────────────────

  describe("lapsed inspection and late delivery", () => {
    it("lets anyone release once the inspection period lapsed, not a second earlier", async () => {
      const terms = await createDeal();
      await lock(terms);
      await deliver(terms);
      const ends = (await milestone(terms.dealId)).timer;
      await mineAtClock(ends);
      expect(await revertOf(escrow.connect(stranger).releaseAfterInspection.staticCall(terms.dealId, 0))).toEqual({
        name: "DealEscrowTooEarly",
        args: [terms.dealId, 0n, ends, ends],
      });
      // The demander may still object in the last second.
      await escrow.connect(demander).openDispute.staticCall(terms.dealId, 0, ethers.ZeroHash, "0x");
      const receipt = await mined(escrow.connect(stranger).releaseAfterInspection(terms.dealId, 0));
      expect(eventsOf(receipt)).toEqual([
        { name: "InspectionLapsed", args: [terms.dealId, 0n, stranger.address] },
        { name: "InstructionIssued", args: [terms.dealId, 0n, State.Releasing, terms.amounts[0], 0n] },
      ]);
      expect(
        await revertOf(escrow.connect(demander).openDispute.staticCall(terms.dealId, 0, ethers.ZeroHash, "0x")),
      ).toEqual({ name: "DealEscrowInvalidState", args: [terms.dealId, 0n, State.Releasing] });
    });

    it("refuses an objection once the inspection period lapsed", async () => {
      const terms = await createDeal();
      await lock(terms);
      await deliver(terms);
      const ends = (await milestone(terms.dealId)).timer;
      await mineAtClock(ends + 1n);
      expect(
        await revertOf(escrow.connect(demander).openDispute.staticCall(terms.dealId, 0, ethers.ZeroHash, "0x")),
      ).toEqual({ name: "DealEscrowTooLate", args: [terms.dealId, 0n, ends, ends + 1n] });
    });

    it("refunds to the demander who claims it after the deadline plus grace, and the bank confirms", async () => {
      const terms = await createDeal();
      await lock(terms);
      const due = BigInt(terms.deadlines[0] + terms.gracePeriod);
      await mineAtClock(due);
      expect(await revertOf(escrow.connect(demander).claimRefund.staticCall(terms.dealId, 0, "0x"))).toEqual({
        name: "DealEscrowTooEarly",
        args: [terms.dealId, 0n, due, due],
      });
      expect(await revertOf(escrow.connect(supplier).claimRefund.staticCall(terms.dealId, 0, "0x"))).toEqual({
        name: "DealEscrowUnauthorized",
        args: [terms.dealId, supplier.address, demander.address],
      });
      const signature = await signAction(demander, terms.dealId, 0, Action.ClaimRefund);
      const receipt = await mined(escrow.connect(operator).claimRefund(terms.dealId, 0, signature));
      expect(eventsOf(receipt)).toEqual([
        { name: "RefundClaimed", args: [terms.dealId, 0n] },
        { name: "InstructionIssued", args: [terms.dealId, 0n, State.Refunding, 0n, terms.amounts[0]] },
      ]);
      const confirmed = await mined(
        escrow.connect(bank).confirmInstruction(terms.dealId, 0, 0, terms.amounts[0], ethers.id("bank:refund")),
      );
      expect(eventOf(confirmed, "MilestoneRefunded")).toEqual([
        terms.dealId,
        0n,
        terms.amounts[0],
        ethers.id("bank:refund"),
      ]);
      const m = await milestone(terms.dealId);
      expect([m.state, m.released, m.refunded]).toEqual([State.Refunded, 0n, terms.amounts[0]]);
    });

    it("refuses a refund claim on a milestone that was delivered or never funded", async () => {
      const terms = await createDeal();
      await increase(40 * DAY);
      expect(await revertOf(escrow.connect(demander).claimRefund.staticCall(terms.dealId, 0, "0x"))).toEqual({
        name: "DealEscrowInvalidState",
        args: [terms.dealId, 0n, State.Pending],
      });
    });
  });

  // ─── Cancellation ──────────────────────────────────────────────────────────

  describe("mutual cancellation", () => {
    it("cancels an unfunded milestone with both signatures, relayed by the operator", async () => {
      const terms = await createDeal();
      const s = await signAction(supplier, terms.dealId, 2, Action.Cancel);
      const d = await signAction(demander, terms.dealId, 2, Action.Cancel);
      const receipt = await mined(escrow.connect(operator).cancelMilestone(terms.dealId, 2, s, d));
      expect(eventsOf(receipt)).toEqual([{ name: "MilestoneCancelled", args: [terms.dealId, 2n, false] }]);
      const m = await milestone(terms.dealId, 2);
      expect([m.state, m.locked, m.released, m.refunded]).toEqual([State.Cancelled, 0n, 0n, 0n]);
      expect(
        await revertOf(
          escrow.connect(bank).lockDeposit.staticCall(terms.dealId, 2, CNY, terms.amounts[2], ethers.id("r")),
        ),
      ).toEqual({ name: "DealEscrowInvalidState", args: [terms.dealId, 2n, State.Cancelled] });
    });

    it("cancels a funded milestone into a refund, sent by one party with the other's signature", async () => {
      const terms = await createDeal();
      await lock(terms);
      await deliver(terms);
      await dispute(terms);
      const d = await signAction(demander, terms.dealId, 0, Action.Cancel);
      const receipt = await mined(escrow.connect(supplier).cancelMilestone(terms.dealId, 0, "0x", d));
      expect(eventsOf(receipt)).toEqual([
        { name: "MilestoneCancelled", args: [terms.dealId, 0n, true] },
        { name: "InstructionIssued", args: [terms.dealId, 0n, State.Refunding, 0n, terms.amounts[0]] },
      ]);
    });

    it("refuses a cancellation without both parties' signatures", async () => {
      const terms = await createDeal();
      const id = terms.dealId;
      const s = await signAction(supplier, id, 0, Action.Cancel);
      const d = await signAction(demander, id, 0, Action.Cancel);
      const x = await signAction(stranger, id, 0, Action.Cancel);
      const cases: [Signer, string, string, unknown[]][] = [
        [supplier, "0x", "0x", [id, supplier.address, demander.address]],
        [operator, s, x, [id, stranger.address, demander.address]],
        [operator, x, d, [id, stranger.address, supplier.address]],
        [operator, s, s, [id, supplier.address, demander.address]],
        [operator, "0x", d, [id, operator.address, supplier.address]],
      ];
      for (const [caller, first, second, args] of cases) {
        expect(await revertOf(escrow.connect(caller).cancelMilestone.staticCall(id, 0, first, second))).toEqual({
          name: "DealEscrowUnauthorized",
          args,
        });
      }
      expect(await revertOf(escrow.connect(stranger).cancelMilestone.staticCall(id, 0, s, d))).toEqual({
        name: "AccessControlUnauthorizedAccount",
        args: [stranger.address, ROLE.operator],
      });
    });

    it("refuses to cancel a milestone whose instruction is with the bank", async () => {
      const terms = await createDeal();
      await lock(terms);
      await deliver(terms);
      await mined(escrow.connect(demander).acceptDelivery(terms.dealId, 0, "0x"));
      const s = await signAction(supplier, terms.dealId, 0, Action.Cancel);
      const d = await signAction(demander, terms.dealId, 0, Action.Cancel);
      expect(await revertOf(escrow.connect(operator).cancelMilestone.staticCall(terms.dealId, 0, s, d))).toEqual({
        name: "DealEscrowInvalidState",
        args: [terms.dealId, 0n, State.Releasing],
      });
    });
  });

  // ─── Disputes ──────────────────────────────────────────────────────────────

  describe("disputes and settlement", () => {
    it("freezes a delivered milestone on the demander's objection: the inspection timer no longer releases", async () => {
      const terms = await createDeal();
      await lock(terms);
      await deliver(terms);
      const reasons = ethers.id("materials do not match the contract");
      const signature = await signAction(demander, terms.dealId, 0, Action.OpenDispute, { data: reasons });
      const receipt = await mined(escrow.connect(operator).openDispute(terms.dealId, 0, reasons, signature));
      expect(eventsOf(receipt)).toEqual([
        { name: "DisputeOpened", args: [terms.dealId, 0n, demander.address, reasons] },
      ]);
      await increase(60 * DAY);
      expect(await revertOf(escrow.connect(stranger).releaseAfterInspection.staticCall(terms.dealId, 0))).toEqual({
        name: "DealEscrowInvalidState",
        args: [terms.dealId, 0n, State.Disputed],
      });
      expect(await revertOf(escrow.connect(demander).claimRefund.staticCall(terms.dealId, 0, "0x"))).toEqual({
        name: "DealEscrowInvalidState",
        args: [terms.dealId, 0n, State.Disputed],
      });
    });

    it("lets the supplier open a dispute before delivering, and refuses anyone not a party", async () => {
      const terms = await createDeal();
      await lock(terms);
      for (const caller of [arbitrator, operator, bank, stranger]) {
        expect(
          await revertOf(escrow.connect(caller).openDispute.staticCall(terms.dealId, 0, ethers.ZeroHash, "0x")),
        ).toEqual({ name: "DealEscrowNotParty", args: [terms.dealId, caller.address] });
      }
      await mined(escrow.connect(supplier).openDispute(terms.dealId, 0, ethers.ZeroHash, "0x"));
      expect(await stateOf(terms.dealId)).toBe(State.Disputed);
      expect(
        await revertOf(escrow.connect(demander).openDispute.staticCall(terms.dealId, 0, ethers.ZeroHash, "0x")),
      ).toEqual({ name: "DealEscrowInvalidState", args: [terms.dealId, 0n, State.Disputed] });
    });

    it("settles by one party's proposal and the other's acceptance, and the bank executes the split", async () => {
      const terms = await createDeal();
      await lock(terms);
      await deliver(terms);
      await dispute(terms);
      const [release, refund] = [60_000n, 40_000n];
      const proposal = await signAction(supplier, terms.dealId, 0, Action.ProposeSettlement, { release, refund });
      const proposed = await mined(
        escrow.connect(operator).proposeSettlement(terms.dealId, 0, release, refund, proposal),
      );
      expect(eventOf(proposed, "SettlementProposed")).toEqual([terms.dealId, 0n, supplier.address, release, refund]);
      let m = await milestone(terms.dealId);
      expect([m.proposer, m.release, m.refund]).toEqual([supplier.address, release, refund]);

      const acceptance = await signAction(demander, terms.dealId, 0, Action.AcceptSettlement, { release, refund });
      const accepted = await mined(
        escrow.connect(operator).acceptSettlement(terms.dealId, 0, release, refund, acceptance),
      );
      expect(eventsOf(accepted)).toEqual([
        { name: "SettlementAccepted", args: [terms.dealId, 0n, demander.address, release, refund] },
        { name: "InstructionIssued", args: [terms.dealId, 0n, State.Splitting, release, refund] },
      ]);
      const done = await mined(
        escrow.connect(bank).confirmInstruction(terms.dealId, 0, release, refund, ethers.id("bank:split")),
      );
      expect(eventOf(done, "MilestoneSplit")).toEqual([terms.dealId, 0n, release, refund, ethers.id("bank:split")]);
      m = await milestone(terms.dealId);
      expect([m.state, m.locked, m.released, m.refunded, m.proposer]).toEqual([
        State.Split,
        terms.amounts[0],
        release,
        refund,
        ethers.ZeroAddress,
      ]);
    });

    it("refuses splits that do not add up, a party's acceptance of its own proposal, and a changed split", async () => {
      const terms = await createDeal();
      const id = terms.dealId;
      const amount = terms.amounts[0];
      await lock(terms);
      await dispute(terms);
      expect(await revertOf(escrow.connect(demander).acceptSettlement.staticCall(id, 0, amount, 0, "0x"))).toEqual({
        name: "DealEscrowNoProposal",
        args: [id, 0n],
      });
      for (const [release, refund] of [
        [amount, 1n],
        [amount - 1n, 0n],
        [0n, 0n],
      ]) {
        expect(
          await revertOf(escrow.connect(supplier).proposeSettlement.staticCall(id, 0, release, refund, "0x")),
        ).toEqual({ name: "DealEscrowSplitMismatch", args: [id, 0n, amount, release, refund] });
      }
      await mined(escrow.connect(supplier).proposeSettlement(id, 0, 70_000n, 30_000n, "0x"));
      expect(
        await revertOf(escrow.connect(supplier).acceptSettlement.staticCall(id, 0, 70_000n, 30_000n, "0x")),
      ).toEqual({ name: "DealEscrowUnauthorized", args: [id, supplier.address, demander.address] });
      expect(
        await revertOf(escrow.connect(demander).acceptSettlement.staticCall(id, 0, 60_000n, 40_000n, "0x")),
      ).toEqual({ name: "DealEscrowProposalMismatch", args: [id, 0n, 70_000n, 60_000n] });
      expect(
        await revertOf(escrow.connect(demander).acceptSettlement.staticCall(id, 0, 60_000n, 30_000n, "0x")),
      ).toEqual({ name: "DealEscrowSplitMismatch", args: [id, 0n, amount, 60_000n, 30_000n] });
      expect(
        await revertOf(escrow.connect(stranger).acceptSettlement.staticCall(id, 0, 70_000n, 30_000n, "0x")),
      ).toEqual({ name: "DealEscrowNotParty", args: [id, stranger.address] });
      // A counter-proposal replaces the proposal; now the supplier is the one to accept.
      await mined(escrow.connect(demander).proposeSettlement(id, 0, 50_000n, 50_000n, "0x"));
      expect((await milestone(id)).proposer).toBe(demander.address);
      await mined(escrow.connect(supplier).acceptSettlement(id, 0, 50_000n, 50_000n, "0x"));
      expect(await stateOf(id)).toBe(State.Splitting);
    });

    it("refuses a settlement proposal outside a dispute", async () => {
      const terms = await createDeal();
      await lock(terms);
      expect(
        await revertOf(
          escrow.connect(supplier).proposeSettlement.staticCall(terms.dealId, 0, terms.amounts[0], 0, "0x"),
        ),
      ).toEqual({ name: "DealEscrowInvalidState", args: [terms.dealId, 0n, State.Locked] });
    });
  });

  // ─── Arbitration ───────────────────────────────────────────────────────────

  describe("arbitration and appeal", () => {
    it("escalates to the deal's arbitrator, whose ruling period starts", async () => {
      const terms = await createDeal();
      await lock(terms);
      await dispute(terms);
      const signature = await signAction(demander, terms.dealId, 0, Action.Escalate);
      const receipt = await mined(escrow.connect(operator).escalate(terms.dealId, 0, signature));
      const deadline = (await clockAt(receipt)) + BigInt(terms.rulingPeriod);
      expect(eventOf(receipt, "DisputeEscalated")).toEqual([
        terms.dealId,
        0n,
        demander.address,
        arbitrator.address,
        deadline,
      ]);
      const m = await milestone(terms.dealId);
      expect([m.state, m.timer]).toEqual([State.Arbitration, deadline]);
    });

    it("takes the arbitrator's exact split within the ruling period, then the appeal window, then the bank", async () => {
      const terms = await createDeal();
      const id = terms.dealId;
      await lock(terms);
      await dispute(terms);
      await escalate(terms);
      const [release, refund] = [25_000n, 75_000n];
      const signature = await signAction(arbitrator, id, 0, Action.Rule, { data: RULING, release, refund });
      const ruled = await mined(escrow.connect(operator).rule(id, 0, release, refund, RULING, signature));
      const appealEnds = (await clockAt(ruled)) + BigInt(terms.appealWindow);
      expect(eventsOf(ruled)).toEqual([{ name: "RulingIssued", args: [id, 0n, release, refund, RULING, appealEnds] }]);
      let m = await milestone(id);
      expect([m.state, m.timer, m.release, m.refund]).toEqual([State.Ruled, appealEnds, release, refund]);
      // The bank executes only after the appeal window.
      expect(
        await revertOf(escrow.connect(bank).confirmInstruction.staticCall(id, 0, release, refund, ethers.id("b"))),
      ).toEqual({ name: "DealEscrowInvalidState", args: [id, 0n, State.Ruled] });
      await mineAtClock(appealEnds);
      expect(await revertOf(escrow.connect(stranger).finalizeRuling.staticCall(id, 0))).toEqual({
        name: "DealEscrowTooEarly",
        args: [id, 0n, appealEnds, appealEnds],
      });
      const finalized = await mined(escrow.connect(stranger).finalizeRuling(id, 0));
      expect(eventsOf(finalized)).toEqual([
        { name: "RulingFinalized", args: [id, 0n] },
        { name: "InstructionIssued", args: [id, 0n, State.Splitting, release, refund] },
      ]);
      await mined(escrow.connect(bank).confirmInstruction(id, 0, release, refund, ethers.id("bank:split")));
      m = await milestone(id);
      expect([m.state, m.released, m.refunded]).toEqual([State.Split, release, refund]);
    });

    it("refuses a ruling by anyone but the deal's arbitrator, one that does not add up, and one without a digest", async () => {
      const terms = await createDeal();
      const id = terms.dealId;
      const amount = terms.amounts[0];
      await lock(terms);
      await dispute(terms);
      expect(await revertOf(escrow.connect(arbitrator).rule.staticCall(id, 0, amount, 0, RULING, "0x"))).toEqual({
        name: "DealEscrowInvalidState",
        args: [id, 0n, State.Disputed],
      });
      await escalate(terms);
      for (const caller of [supplier, demander, operator, admin, stranger]) {
        expect(await revertOf(escrow.connect(caller).rule.staticCall(id, 0, amount, 0, RULING, "0x"))).toEqual({
          name: "DealEscrowUnauthorized",
          args: [id, caller.address, arbitrator.address],
        });
      }
      expect(await revertOf(escrow.connect(arbitrator).rule.staticCall(id, 0, amount, 1, RULING, "0x"))).toEqual({
        name: "DealEscrowSplitMismatch",
        args: [id, 0n, amount, amount, 1n],
      });
      expect(await revertOf(escrow.connect(arbitrator).rule.staticCall(id, 0, 1, 1, RULING, "0x"))).toEqual({
        name: "DealEscrowSplitMismatch",
        args: [id, 0n, amount, 1n, 1n],
      });
      expect(
        await revertOf(escrow.connect(arbitrator).rule.staticCall(id, 0, amount, 0, ethers.ZeroHash, "0x")),
      ).toEqual({ name: "DealEscrowZeroReference", args: [id, 0n] });
    });

    it("refuses a late ruling, and lets a party chase the arbitrator for a new ruling period", async () => {
      const terms = await createDeal();
      const id = terms.dealId;
      const amount = terms.amounts[0];
      await lock(terms);
      await dispute(terms);
      await escalate(terms);
      const deadline = (await milestone(id)).timer;
      await mineAtClock(deadline);
      expect(await revertOf(escrow.connect(demander).escalate.staticCall(id, 0, "0x"))).toEqual({
        name: "DealEscrowTooEarly",
        args: [id, 0n, deadline, deadline],
      });
      await mineAtClock(deadline + 1n);
      expect(await revertOf(escrow.connect(arbitrator).rule.staticCall(id, 0, amount, 0, RULING, "0x"))).toEqual({
        name: "DealEscrowTooLate",
        args: [id, 0n, deadline, deadline + 1n],
      });
      const receipt = await mined(escrow.connect(demander).escalate(id, 0, "0x"));
      const renewed = (await clockAt(receipt)) + BigInt(terms.rulingPeriod);
      expect(eventOf(receipt, "DisputeEscalated")[4]).toBe(renewed);
      await mined(escrow.connect(arbitrator).rule(id, 0, amount, 0, RULING, "0x"));
      expect(await stateOf(id)).toBe(State.Ruled);
    });

    it("lets only the arbitration institution, not the platform's admin, appoint arbitration keys", async () => {
      const role = await escrow.ARBITRATION_ROLE();
      expect(role).toBe(ethers.id("ARBITRATION_ROLE"));
      expect(await escrow.getRoleAdmin(role)).toBe(role);
      expect(await escrow.hasRole(role, arbitrationBody.address)).toBe(true);
      expect(await revertOf(escrow.connect(admin).grantRole.staticCall(role, stranger.address))).toEqual({
        name: "AccessControlUnauthorizedAccount",
        args: [admin.address, role],
      });
    });

    it("lets the arbitration body replace an arbitrator who let the ruling period lapse; the replaced one cannot rule", async () => {
      const terms = await createDeal();
      const id = terms.dealId;
      const amount = terms.amounts[0];
      const next = stranger.address;
      await lock(terms);
      await dispute(terms);
      await escalate(terms);
      const deadline = (await milestone(id)).timer;
      await mineAtClock(deadline);
      expect(await revertOf(escrow.connect(arbitrationBody).replaceArbitrator.staticCall(id, 0, next, "0x"))).toEqual({
        name: "DealEscrowTooEarly",
        args: [id, 0n, deadline, deadline],
      });
      await mineAtClock(deadline + 1n);
      const nonce = (await milestone(id)).nonce;
      const data = ethers.zeroPadValue(next, 32);
      const signature = await signAction(arbitrationBody, id, 0, Action.ReplaceArbitrator, { data });
      const receipt = await mined(escrow.connect(operator).replaceArbitrator(id, 0, next, signature));
      const renewed = (await clockAt(receipt)) + BigInt(terms.rulingPeriod);
      expect(eventOf(receipt, "ArbitratorReplaced")).toEqual([
        id,
        0n,
        arbitrator.address,
        next,
        arbitrationBody.address,
        renewed,
      ]);
      const m = await milestone(id);
      expect([m.state, m.timer, m.nonce]).toEqual([State.Arbitration, renewed, nonce + 1n]);
      expect((await escrow.dealOf(id)).arbitrator).toBe(next);
      expect(await revertOf(escrow.connect(arbitrator).rule.staticCall(id, 0, amount, 0, RULING, "0x"))).toEqual({
        name: "DealEscrowArbitratorReplaced",
        args: [id, arbitrator.address, next],
      });
      expect(await revertOf(escrow.connect(demander).rule.staticCall(id, 0, amount, 0, RULING, "0x"))).toEqual({
        name: "DealEscrowUnauthorized",
        args: [id, demander.address, next],
      });
      const ruled = await mined(escrow.connect(stranger).rule(id, 0, amount, 0, RULING, "0x"));
      expect(eventOf(ruled, "RulingIssued")[1]).toBe(0n);
      expect(await stateOf(id)).toBe(State.Ruled);
    });

    it("refuses a replacement by anyone but the arbitration body, before the lapse, or outside arbitration", async () => {
      const terms = await createDeal();
      const id = terms.dealId;
      const next = stranger.address;
      await lock(terms);
      expect(await revertOf(escrow.connect(arbitrationBody).replaceArbitrator.staticCall(id, 0, next, "0x"))).toEqual({
        name: "DealEscrowInvalidState",
        args: [id, 0n, State.Locked],
      });
      await dispute(terms);
      await escalate(terms);
      await mineAtClock((await milestone(id)).timer + 1n);
      for (const who of [admin, operator, supplier, arbitrator]) {
        expect(await revertOf(escrow.connect(who).replaceArbitrator.staticCall(id, 0, next, "0x"))).toEqual({
          name: "AccessControlUnauthorizedAccount",
          args: [who.address, await escrow.ARBITRATION_ROLE()],
        });
      }
      // A relayed replacement is the arbitration body's own signature, over this very address.
      const wrong = await signAction(arbitrationBody, id, 0, Action.ReplaceArbitrator, {
        data: ethers.zeroPadValue(admin.address, 32),
      });
      expect((await revertOf(escrow.connect(operator).replaceArbitrator.staticCall(id, 0, next, wrong))).name).toBe(
        "AccessControlUnauthorizedAccount",
      );
      expect(await revertOf(escrow.connect(stranger).replaceArbitrator.staticCall(id, 0, next, wrong))).toEqual({
        name: "AccessControlUnauthorizedAccount",
        args: [stranger.address, ethers.id("OPERATOR_ROLE")],
      });
    });

    it("refuses a new arbitrator who is zero, a party, the same one, or one replaced before", async () => {
      const terms = await createDeal();
      const id = terms.dealId;
      await lock(terms);
      await dispute(terms);
      await escalate(terms);
      await mineAtClock((await milestone(id)).timer + 1n);
      for (const next of [ethers.ZeroAddress, supplier.address, demander.address, arbitrator.address]) {
        expect(await revertOf(escrow.connect(arbitrationBody).replaceArbitrator.staticCall(id, 0, next, "0x"))).toEqual(
          { name: "DealEscrowInvalidArbitrator", args: [id, next] },
        );
      }
      await mined(escrow.connect(arbitrationBody).replaceArbitrator(id, 0, stranger.address, "0x"));
      await mineAtClock((await milestone(id)).timer + 1n);
      expect(
        await revertOf(escrow.connect(arbitrationBody).replaceArbitrator.staticCall(id, 0, arbitrator.address, "0x")),
      ).toEqual({ name: "DealEscrowInvalidArbitrator", args: [id, arbitrator.address] });
      await mined(escrow.connect(arbitrationBody).replaceArbitrator(id, 0, registrar.address, "0x"));
      expect((await escrow.dealOf(id)).arbitrator).toBe(registrar.address);
    });

    it("counts paused time out of the ruling period before a replacement opens", async () => {
      const terms = await createDeal();
      const id = terms.dealId;
      await lock(terms);
      await dispute(terms);
      await escalate(terms);
      const deadline = (await milestone(id)).timer;
      await mined(escrow.connect(admin).pause());
      await increase(terms.rulingPeriod + DAY);
      await mined(escrow.connect(admin).unpause());
      const clock = await escrow.clock();
      expect(clock).toBeLessThanOrEqual(deadline);
      expect(
        await revertOf(escrow.connect(arbitrationBody).replaceArbitrator.staticCall(id, 0, stranger.address, "0x")),
      ).toEqual({ name: "DealEscrowTooEarly", args: [id, 0n, deadline, clock] });
    });

    it("sets an appealed ruling aside; the ruling on appeal is final at once; one appeal only", async () => {
      const terms = await createDeal();
      const id = terms.dealId;
      const amount = terms.amounts[0];
      await lock(terms);
      await dispute(terms);
      await escalate(terms);
      await ruleSplit(terms, amount);
      expect(await revertOf(escrow.connect(stranger).appeal.staticCall(id, 0, ethers.ZeroHash, "0x"))).toEqual({
        name: "DealEscrowNotParty",
        args: [id, stranger.address],
      });
      const grounds = ethers.id("grounds of appeal");
      const signature = await signAction(demander, id, 0, Action.Appeal, { data: grounds });
      const appealed = await mined(escrow.connect(operator).appeal(id, 0, grounds, signature));
      const deadline = (await clockAt(appealed)) + BigInt(terms.rulingPeriod);
      expect(eventOf(appealed, "RulingAppealed")).toEqual([id, 0n, demander.address, grounds, deadline]);
      let m = await milestone(id);
      expect([m.state, m.appealed, m.timer]).toEqual([State.Arbitration, true, deadline]);

      const ruled = await ruleSplit(terms, 10_000n);
      expect(eventsOf(ruled)).toEqual([
        { name: "RulingIssued", args: [id, 0n, 10_000n, amount - 10_000n, RULING, 0n] },
        { name: "InstructionIssued", args: [id, 0n, State.Splitting, 10_000n, amount - 10_000n] },
      ]);
      m = await milestone(id);
      expect([m.state, m.release, m.refund]).toEqual([State.Splitting, 10_000n, amount - 10_000n]);
      expect(await revertOf(escrow.connect(supplier).appeal.staticCall(id, 0, ethers.ZeroHash, "0x"))).toEqual({
        name: "DealEscrowInvalidState",
        args: [id, 0n, State.Splitting],
      });
    });

    it("refuses an appeal after the appeal window, and makes rulings final at once without a window", async () => {
      const terms = await createDeal();
      await lock(terms);
      await dispute(terms);
      await escalate(terms);
      await ruleSplit(terms, 0n);
      const ends = (await milestone(terms.dealId)).timer;
      await mineAtClock(ends + 1n);
      expect(
        await revertOf(escrow.connect(supplier).appeal.staticCall(terms.dealId, 0, ethers.ZeroHash, "0x")),
      ).toEqual({ name: "DealEscrowTooLate", args: [terms.dealId, 0n, ends, ends + 1n] });

      const final = await createDeal({ appealWindow: 0 });
      await lock(final);
      await dispute(final);
      await escalate(final);
      const ruled = await ruleSplit(final, final.amounts[0]);
      expect(eventOf(ruled, "RulingIssued")[5]).toBe(0n);
      expect(await stateOf(final.dealId)).toBe(State.Splitting);
    });

    it("lets the parties settle while the arbitrator has not ruled yet", async () => {
      const terms = await createDeal();
      await lock(terms);
      await dispute(terms);
      await escalate(terms);
      await mined(escrow.connect(demander).proposeSettlement(terms.dealId, 0, 1n, terms.amounts[0] - 1n, "0x"));
      await mined(escrow.connect(supplier).acceptSettlement(terms.dealId, 0, 1n, terms.amounts[0] - 1n, "0x"));
      expect(await stateOf(terms.dealId)).toBe(State.Splitting);
    });
  });

  // ─── Bank execution ────────────────────────────────────────────────────────

  describe("bank execution", () => {
    async function releasing(): Promise<Terms> {
      const terms = await createDeal();
      await lock(terms);
      await deliver(terms);
      await mined(escrow.connect(demander).acceptDelivery(terms.dealId, 0, "0x"));
      return terms;
    }

    it("keeps the money locked when the bank reports a failure, and takes the reissued instruction", async () => {
      const terms = await releasing();
      const id = terms.dealId;
      const amount = terms.amounts[0];
      const failed = await mined(escrow.connect(bank).reportInstructionFailed(id, 0, "0x41433034"));
      expect(eventsOf(failed)).toEqual([{ name: "InstructionFailed", args: [id, 0n, "0x41433034", 1n] }]);
      let m = await milestone(id);
      expect([m.state, m.instructionFailed, m.failures, m.locked, m.released, m.refunded]).toEqual([
        State.Releasing,
        true,
        1n,
        amount,
        0n,
        0n,
      ]);
      expect(
        await revertOf(escrow.connect(bank).confirmInstruction.staticCall(id, 0, amount, 0, ethers.id("pay"))),
      ).toEqual({ name: "DealEscrowInstructionFailed", args: [id, 0n] });
      expect(await revertOf(escrow.connect(bank).reportInstructionFailed.staticCall(id, 0, "0x41433034"))).toEqual({
        name: "DealEscrowInstructionFailed",
        args: [id, 0n],
      });
      for (const caller of [bank, supplier, admin]) {
        expect(await revertOf(escrow.connect(caller).reissueInstruction.staticCall(id, 0))).toEqual({
          name: "AccessControlUnauthorizedAccount",
          args: [caller.address, ROLE.operator],
        });
      }
      const reissued = await mined(escrow.connect(operator).reissueInstruction(id, 0));
      expect(eventsOf(reissued)).toEqual([
        { name: "InstructionReissued", args: [id, 0n, State.Releasing, amount, 0n, 2n] },
      ]);
      expect(await revertOf(escrow.connect(operator).reissueInstruction.staticCall(id, 0))).toEqual({
        name: "DealEscrowInstructionNotFailed",
        args: [id, 0n],
      });
      await mined(escrow.connect(bank).confirmInstruction(id, 0, amount, 0, ethers.id("pay")));
      m = await milestone(id);
      expect([m.state, m.instructionFailed, m.failures, m.released]).toEqual([State.Released, false, 1n, amount]);
    });

    it("refuses a confirmation with other amounts, without a reference, or by anyone but the bank", async () => {
      const terms = await releasing();
      const id = terms.dealId;
      const amount = terms.amounts[0];
      for (const [release, refund] of [
        [amount - 1n, 1n],
        [0n, amount],
        [amount, 1n],
      ]) {
        expect(
          await revertOf(escrow.connect(bank).confirmInstruction.staticCall(id, 0, release, refund, ethers.id("p"))),
        ).toEqual({ name: "DealEscrowInstructionMismatch", args: [id, 0n, amount, 0n] });
      }
      expect(
        await revertOf(escrow.connect(bank).confirmInstruction.staticCall(id, 0, amount, 0, ethers.ZeroHash)),
      ).toEqual({ name: "DealEscrowZeroReference", args: [id, 0n] });
      for (const caller of [operator, admin, supplier, demander]) {
        expect(
          await revertOf(escrow.connect(caller).confirmInstruction.staticCall(id, 0, amount, 0, ethers.id("p"))),
        ).toEqual({ name: "AccessControlUnauthorizedAccount", args: [caller.address, ROLE.bank] });
        expect(await revertOf(escrow.connect(caller).reportInstructionFailed.staticCall(id, 0, "0x41433034"))).toEqual({
          name: "AccessControlUnauthorizedAccount",
          args: [caller.address, ROLE.bank],
        });
      }
    });

    it("refuses to confirm or fail a milestone with no instruction standing", async () => {
      const terms = await createDeal();
      await lock(terms);
      expect(
        await revertOf(
          escrow.connect(bank).confirmInstruction.staticCall(terms.dealId, 0, terms.amounts[0], 0, ethers.id("p")),
        ),
      ).toEqual({ name: "DealEscrowInvalidState", args: [terms.dealId, 0n, State.Locked] });
      expect(
        await revertOf(escrow.connect(bank).reportInstructionFailed.staticCall(terms.dealId, 0, "0x41433034")),
      ).toEqual({
        name: "DealEscrowInvalidState",
        args: [terms.dealId, 0n, State.Locked],
      });
    });
  });

  // ─── Pause ─────────────────────────────────────────────────────────────────

  describe("emergency pause", () => {
    it("stops every move while paused, lets only a pauser pause, and records both with events", async () => {
      const terms = await createDeal();
      await lock(terms);
      for (const caller of [operator, bank, stranger]) {
        expect(await revertOf(escrow.connect(caller).pause.staticCall())).toEqual({
          name: "AccessControlUnauthorizedAccount",
          args: [caller.address, ROLE.pauser],
        });
      }
      const paused = await mined(escrow.connect(admin).pause());
      expect(eventsOf(paused)).toEqual([{ name: "Paused", args: [admin.address] }]);
      const newTerms = await makeTerms();
      const [s, d] = [await signTerms(supplier, newTerms), await signTerms(demander, newTerms)];
      for (const call of [
        () => escrow.connect(operator).createDeal.staticCall(newTerms, s, d),
        () => escrow.connect(bank).lockDeposit.staticCall(terms.dealId, 1, CNY, terms.amounts[1], ethers.id("r")),
        () => escrow.connect(supplier).deliver.staticCall(terms.dealId, 0, DELIVERY, "0x"),
        () => escrow.connect(demander).openDispute.staticCall(terms.dealId, 0, ethers.ZeroHash, "0x"),
      ]) {
        expect(await revertOf(call())).toEqual({ name: "EnforcedPause", args: [] });
      }
      // Reads go on.
      expect(await stateOf(terms.dealId)).toBe(State.Locked);
      await increase(DAY);
      const unpaused = await mined(escrow.connect(admin).unpause());
      const events = eventsOf(unpaused);
      expect(events[0]).toEqual({ name: "Unpaused", args: [admin.address] });
      expect(events[1].name).toBe("DeadlinesExtended");
      const pausedFor = events[1].args[0] as bigint;
      expect(pausedFor).toBeGreaterThanOrEqual(BigInt(DAY));
      expect(events[1].args[1]).toBe(pausedFor);
      expect(await escrow.pausedTotal()).toBe(pausedFor);
      await deliver(terms);
    });

    it("extends the inspection period by the time spent paused", async () => {
      const terms = await createDeal();
      await lock(terms);
      const delivered = await deliver(terms);
      const blockTime = BigInt((await ethers.provider.getBlock(delivered.blockNumber))!.timestamp);
      const ends = (await milestone(terms.dealId)).timer;
      await mined(escrow.connect(admin).pause());
      const clockAtPause = await escrow.clock();
      await increase(3 * DAY);
      // The clock stands still during the pause.
      expect(await escrow.clock()).toBe(clockAtPause);
      await mined(escrow.connect(admin).unpause());
      const pausedTotal = await escrow.pausedTotal();
      expect(pausedTotal).toBeGreaterThanOrEqual(BigInt(3 * DAY));
      // Without the pause the period would have ended at this block time; it has not.
      const endWithoutPause = blockTime + BigInt(terms.inspectionPeriod) + 1n;
      await ethers.provider.send("evm_mine", [Number(ends + pausedTotal)]);
      expect(BigInt(await latest())).toBeGreaterThan(endWithoutPause);
      expect(await revertOf(escrow.connect(stranger).releaseAfterInspection.staticCall(terms.dealId, 0))).toEqual({
        name: "DealEscrowTooEarly",
        args: [terms.dealId, 0n, ends, ends],
      });
      await ethers.provider.send("evm_mine", [Number(ends + pausedTotal + 1n)]);
      await mined(escrow.connect(stranger).releaseAfterInspection(terms.dealId, 0));
      expect(await stateOf(terms.dealId)).toBe(State.Releasing);
    });

    it("extends delivery deadlines by the time spent paused, also for deals created after a pause", async () => {
      await mined(escrow.connect(admin).pause());
      await increase(2 * DAY);
      await mined(escrow.connect(admin).unpause());
      const terms = await createDeal();
      await lock(terms);
      const pausedBefore = await escrow.pausedTotal();
      // A deadline signed as a block time reads on the escrow clock as that time minus the paused total so far.
      expect((await milestone(terms.dealId)).deadline).toBe(BigInt(terms.deadlines[0]) - pausedBefore);
      await mined(escrow.connect(admin).pause());
      await increase(5 * DAY);
      await mined(escrow.connect(admin).unpause());
      const pausedSince = (await escrow.pausedTotal()) - pausedBefore;
      const due = BigInt(terms.deadlines[0] + terms.gracePeriod);
      // At the signed deadline plus grace, plus the later pause: still in time.
      await ethers.provider.send("evm_mine", [Number(due + pausedSince)]);
      await escrow.connect(supplier).deliver.staticCall(terms.dealId, 0, DELIVERY, "0x");
      await ethers.provider.send("evm_mine", [Number(due + pausedSince + 1n)]);
      expect((await revertOf(escrow.connect(supplier).deliver.staticCall(terms.dealId, 0, DELIVERY, "0x"))).name).toBe(
        "DealEscrowTooLate",
      );
    });

    it("refuses to pause twice or unpause when running", async () => {
      expect(await revertOf(escrow.connect(admin).unpause.staticCall())).toEqual({ name: "ExpectedPause", args: [] });
      await mined(escrow.connect(admin).pause());
      expect(await revertOf(escrow.connect(admin).pause.staticCall())).toEqual({ name: "EnforcedPause", args: [] });
    });
  });

  // ─── Permissioned chains ───────────────────────────────────────────────────

  it("runs a milestone at gas price zero from accounts holding no ether", async () => {
    const relayer = ethers.Wallet.createRandom().connect(ethers.provider);
    const bankKey = ethers.Wallet.createRandom().connect(ethers.provider);
    await mined(escrow.connect(admin).grantRole(ROLE.operator, relayer.address));
    await mined(escrow.connect(bank).grantRole(ROLE.bank, bankKey.address));
    const terms = await makeTerms();
    const zero = { gasPrice: 0 };
    const id = terms.dealId;
    const receipts = [
      await mined(
        escrow
          .connect(relayer)
          .createDeal(terms, await signTerms(supplier, terms), await signTerms(demander, terms), zero),
      ),
      await mined(escrow.connect(bankKey).lockDeposit(id, 0, CNY, terms.amounts[0], ethers.id("dep"), zero)),
    ];
    const delivery = await signAction(supplier, id, 0, Action.Deliver, { data: DELIVERY });
    receipts.push(await mined(escrow.connect(relayer).deliver(id, 0, DELIVERY, delivery, zero)));
    const acceptance = await signAction(demander, id, 0, Action.AcceptDelivery);
    receipts.push(await mined(escrow.connect(relayer).acceptDelivery(id, 0, acceptance, zero)));
    receipts.push(
      await mined(escrow.connect(bankKey).confirmInstruction(id, 0, terms.amounts[0], 0, ethers.id("pay"), zero)),
    );
    expect(receipts.map((r) => r.status)).toEqual([1, 1, 1, 1, 1]);
    expect(await ethers.provider.getBalance(relayer.address)).toBe(0n);
    expect(await ethers.provider.getBalance(bankKey.address)).toBe(0n);
    expect(await stateOf(id)).toBe(State.Released);
  });
});
