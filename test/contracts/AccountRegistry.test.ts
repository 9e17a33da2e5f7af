import hre from "hardhat";
import fc from "fast-check";
import { beforeAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import type { ContractTransactionResponse } from "ethers";
import type { AccountRegistry } from "../../sdk/typechain/contracts/AccountRegistry";
import { deployAccountRegistry, revertOf as revertOfContract } from "../helpers/contracts";

const { ethers } = hre;

/** A random, non-zero 32-byte user reference. */
function randomUserRef(): string {
  return ethers.hexlify(ethers.randomBytes(32));
}

describe("AccountRegistry", () => {
  let registry: AccountRegistry;
  let admin: Awaited<ReturnType<typeof ethers.getSigner>>;
  let registrar: typeof admin;
  let stranger: typeof admin;
  let alice: typeof admin;
  let bob: typeof admin;
  let snapshot: string;

  /** The named event of a transaction's receipt, decoded. */
  async function eventOf(tx: ContractTransactionResponse, name: string) {
    const receipt = (await tx.wait())!;
    return receipt.logs.map((l) => registry.interface.parseLog(l)).find((e) => e?.name === name)!;
  }

  /** The custom error a call reverts with, decoded to its name and arguments. */
  function revertOf(call: Promise<unknown>) {
    return revertOfContract(registry, call);
  }

  beforeAll(async () => {
    [admin, registrar, stranger, alice, bob] = await ethers.getSigners();
    registry = await deployAccountRegistry(admin, admin.address, registrar.address);
  });
  beforeEach(async () => {
    snapshot = await ethers.provider.send("evm_snapshot", []);
  });
  afterEach(async () => {
    await ethers.provider.send("evm_revert", [snapshot]);
  });

  it("certifies an account for a user and emits AccountCertified", async () => {
    const userRef = randomUserRef();
    expect(await registry.isCertified(alice.address)).toBe(false);
    const tx = await registry.connect(registrar).certify(alice.address, userRef);
    const event = await eventOf(tx, "AccountCertified");
    expect([event.args.account, event.args.userRef]).toEqual([alice.address, userRef]);
    expect(await registry.isCertified(alice.address)).toBe(true);
    expect(await registry.userOf(alice.address)).toBe(userRef);
    expect(await registry.certifiedCount()).toBe(1n);
  });

  it("revokes a certified account and emits AccountRevoked with the user it had", async () => {
    const userRef = randomUserRef();
    await registry.connect(registrar).certify(alice.address, userRef);
    await registry.connect(registrar).certify(bob.address, randomUserRef());
    const tx = await registry.connect(registrar).revoke(alice.address);
    const event = await eventOf(tx, "AccountRevoked");
    expect([event.args.account, event.args.userRef]).toEqual([alice.address, userRef]);
    expect(await registry.isCertified(alice.address)).toBe(false);
    expect(await registry.userOf(alice.address)).toBe(ethers.ZeroHash);
    expect(await registry.isCertified(bob.address)).toBe(true);
    expect(await registry.certifiedCount()).toBe(1n);
  });

  it("refuses to certify an account that is already certified, naming the user it belongs to", async () => {
    const userRef = randomUserRef();
    await registry.connect(registrar).certify(alice.address, userRef);
    for (const again of [userRef, randomUserRef()]) {
      expect(await revertOf(registry.connect(registrar).certify.staticCall(alice.address, again))).toEqual({
        name: "AccountRegistryAlreadyCertified",
        args: [alice.address, userRef],
      });
    }
    expect(await registry.certifiedCount()).toBe(1n);
  });

  it("refuses to revoke an account that is not certified, including one already revoked", async () => {
    expect(await revertOf(registry.connect(registrar).revoke.staticCall(alice.address))).toEqual({
      name: "AccountRegistryNotCertified",
      args: [alice.address],
    });
    await registry.connect(registrar).certify(alice.address, randomUserRef());
    await registry.connect(registrar).revoke(alice.address);
    expect(await revertOf(registry.connect(registrar).revoke.staticCall(alice.address))).toEqual({
      name: "AccountRegistryNotCertified",
      args: [alice.address],
    });
  });

  it("refuses the zero address and the zero user reference", async () => {
    expect(await revertOf(registry.connect(registrar).certify.staticCall(ethers.ZeroAddress, randomUserRef()))).toEqual(
      { name: "AccountRegistryZeroAddress", args: [] },
    );
    expect(await revertOf(registry.connect(registrar).certify.staticCall(alice.address, ethers.ZeroHash))).toEqual({
      name: "AccountRegistryZeroUserRef",
      args: [alice.address],
    });
  });

  it("refuses an account without the registrar role, even the admin", async () => {
    const role = await registry.REGISTRAR_ROLE();
    expect(role).toBe(ethers.id("REGISTRAR_ROLE"));
    for (const caller of [stranger, admin]) {
      expect(await revertOf(registry.connect(caller).certify.staticCall(alice.address, randomUserRef()))).toEqual({
        name: "AccessControlUnauthorizedAccount",
        args: [caller.address, role],
      });
    }
    await registry.connect(registrar).certify(alice.address, randomUserRef());
    expect(await revertOf(registry.connect(stranger).revoke.staticCall(alice.address))).toEqual({
      name: "AccessControlUnauthorizedAccount",
      args: [stranger.address, role],
    });
  });

  it("stops certifying and revoking while paused, resumes after, and lets only a pauser pause", async () => {
    await registry.connect(registrar).certify(alice.address, randomUserRef());
    expect(await revertOf(registry.connect(stranger).pause.staticCall())).toEqual({
      name: "AccessControlUnauthorizedAccount",
      args: [stranger.address, await registry.PAUSER_ROLE()],
    });
    await registry.connect(admin).pause();
    expect(await revertOf(registry.connect(registrar).certify.staticCall(bob.address, randomUserRef()))).toEqual({
      name: "EnforcedPause",
      args: [],
    });
    expect(await revertOf(registry.connect(registrar).revoke.staticCall(alice.address))).toEqual({
      name: "EnforcedPause",
      args: [],
    });
    expect(await revertOf(registry.connect(stranger).unpause.staticCall())).toEqual({
      name: "AccessControlUnauthorizedAccount",
      args: [stranger.address, await registry.PAUSER_ROLE()],
    });
    // Reads go on while paused: the escrow must still know who is certified.
    expect(await registry.isCertified(alice.address)).toBe(true);
    await registry.connect(admin).unpause();
    await registry.connect(registrar).certify(bob.address, randomUserRef());
    await registry.connect(registrar).revoke(alice.address);
    expect(await registry.certifiedCount()).toBe(1n);
  });

  it("certifies a revoked account again, for the same or another user, and keeps the count", async () => {
    const first = randomUserRef();
    const second = randomUserRef();
    await registry.connect(registrar).certify(alice.address, first);
    await registry.connect(registrar).revoke(alice.address);
    await registry.connect(registrar).certify(alice.address, first);
    expect(await registry.userOf(alice.address)).toBe(first);
    expect(await registry.certifiedCount()).toBe(1n);
    await registry.connect(registrar).revoke(alice.address);
    const event = await eventOf(await registry.connect(registrar).certify(alice.address, second), "AccountCertified");
    expect([event.args.account, event.args.userRef]).toEqual([alice.address, second]);
    expect(await registry.userOf(alice.address)).toBe(second);
    await registry.connect(registrar).certify(bob.address, second);
    expect(await registry.certifiedCount()).toBe(2n);
  });

  it("works at gas price zero from an account holding no ether", async () => {
    const pauper = ethers.Wallet.createRandom().connect(ethers.provider);
    await registry.connect(admin).grantRole(await registry.REGISTRAR_ROLE(), pauper.address);
    const certified = (await (
      await registry.connect(pauper).certify(alice.address, randomUserRef(), { gasPrice: 0 })
    ).wait())!;
    const revoked = (await (await registry.connect(pauper).revoke(alice.address, { gasPrice: 0 })).wait())!;
    expect([certified.status, revoked.status]).toEqual([1, 1]);
    expect(await ethers.provider.getBalance(pauper.address)).toBe(0n);
  });

  it("deploys without a registrar when given the zero address", async () => {
    const bare = await deployAccountRegistry(admin, admin.address, ethers.ZeroAddress);
    expect(await bare.hasRole(await bare.DEFAULT_ADMIN_ROLE(), admin.address)).toBe(true);
    expect(await bare.hasRole(await bare.PAUSER_ROLE(), admin.address)).toBe(true);
    expect(await bare.hasRole(await bare.REGISTRAR_ROLE(), ethers.ZeroAddress)).toBe(false);
  });

  it("agrees with a simple model after every step of random certify and revoke sequences", async () => {
    const accounts = [alice, bob, stranger].map((s) => s.address);
    // Few distinct user references, so that the same user shows up on several accounts.
    const userRefs = [1n, 2n, 3n].map((n) => ethers.toBeHex(n, 32));
    const step = fc.oneof(
      fc.record({
        kind: fc.constant("certify" as const),
        account: fc.constantFrom(...accounts),
        userRef: fc.constantFrom(...userRefs),
      }),
      fc.record({ kind: fc.constant("revoke" as const), account: fc.constantFrom(...accounts) }),
    );

    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 15 }), async (steps) => {
        const run = await ethers.provider.send("evm_snapshot", []);
        try {
          const model = new Map<string, string>();
          const writer = registry.connect(registrar);
          for (const s of steps) {
            const current = model.get(s.account);
            if (s.kind === "certify") {
              if (current === undefined) {
                await (await writer.certify(s.account, s.userRef)).wait();
                model.set(s.account, s.userRef);
              } else {
                expect(await revertOf(writer.certify.staticCall(s.account, s.userRef))).toEqual({
                  name: "AccountRegistryAlreadyCertified",
                  args: [s.account, current],
                });
              }
            } else if (current !== undefined) {
              const event = await eventOf(await writer.revoke(s.account), "AccountRevoked");
              expect(event.args.userRef).toBe(current);
              model.delete(s.account);
            } else {
              expect(await revertOf(writer.revoke.staticCall(s.account))).toEqual({
                name: "AccountRegistryNotCertified",
                args: [s.account],
              });
            }
            for (const account of accounts) {
              expect(await registry.isCertified(account)).toBe(model.has(account));
              expect(await registry.userOf(account)).toBe(model.get(account) ?? ethers.ZeroHash);
            }
            expect(await registry.certifiedCount()).toBe(BigInt(model.size));
          }
        } finally {
          await ethers.provider.send("evm_revert", [run]);
        }
      }),
      { numRuns: 25 },
    );
  });

  it("names its version", async () => {
    expect(await registry.version()).toBe("1.0.0");
  });
});
