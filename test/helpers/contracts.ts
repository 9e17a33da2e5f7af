/**
 * The contract tests' shared fixture: deployments (the escrow linked with its
 * library, the way gateway/chain/deploy.ts deploys it), custom errors decoded by
 * name, the escrow's enums, and the contracts' deployed sizes.
 */
import type {
  BaseContract,
  ContractTransactionResponse,
  Interface,
  Signer,
  TransactionReceipt,
  TransactionResponse,
  TypedDataDomain,
} from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { expect } from "vitest";
import { escrowLibraries } from "../../gateway/chain/deploy";
import { escrowDomain } from "../../sdk/escrow/typedData";
import type { AccountRegistry } from "../../sdk/typechain/contracts/AccountRegistry";
import type { DealEscrow } from "../../sdk/typechain/contracts/DealEscrow";
import type { EvidenceRegistry } from "../../sdk/typechain/contracts/EvidenceRegistry";
import { AccountRegistry__factory } from "../../sdk/typechain/factories/contracts/AccountRegistry__factory";
import { DealEscrow__factory } from "../../sdk/typechain/factories/contracts/DealEscrow__factory";
import { EvidenceRegistry__factory } from "../../sdk/typechain/factories/contracts/EvidenceRegistry__factory";
import { DealTerms__factory } from "../../sdk/typechain/factories/contracts/libraries/DealTerms__factory";

/** EIP-170: the most bytes of runtime code a contract may have. */
export const EIP170_LIMIT = 24_576;

/** What each of our contracts may use of the limit, so that the next feature still fits. */
export const SIZE_BUDGET = Math.floor(EIP170_LIMIT * 0.75);

/** `IDealEscrow.State`, in declaration order. */
export const State = {
  None: 0,
  Pending: 1,
  Locked: 2,
  Delivered: 3,
  Disputed: 4,
  Arbitration: 5,
  Ruled: 6,
  Releasing: 7,
  Refunding: 8,
  Splitting: 9,
  Released: 10,
  Refunded: 11,
  Split: 12,
  Cancelled: 13,
} as const;

/** `IDealEscrow.State` as ethers reads it from the chain (a `uint8` decodes to a bigint). */
export const StateOnChain = Object.fromEntries(Object.entries(State).map(([name, n]) => [name, BigInt(n)])) as {
  [K in keyof typeof State]: bigint;
};

/** `IDealEscrow.Action`, in declaration order: the `action` of a signed `MilestoneAction`. */
export const Action = {
  Deliver: 1,
  AcceptDelivery: 2,
  RequestChanges: 3,
  OpenDispute: 4,
  ClaimRefund: 5,
  Cancel: 6,
  ProposeSettlement: 7,
  AcceptSettlement: 8,
  Escalate: 9,
  Rule: 10,
  Appeal: 11,
  ReplaceArbitrator: 12,
} as const;

/** The receipt of a sent transaction, once mined. */
export async function mined(
  tx: Promise<ContractTransactionResponse | TransactionResponse>,
): Promise<TransactionReceipt> {
  return (await (await tx).wait())!;
}

/**
 * The custom error a call reverts with, decoded by `contract`'s ABI to its name
 * and arguments; fails the test when the call succeeds or the revert is not one
 * of the contract's errors.
 */
export async function revertOf(
  contract: BaseContract | { interface: Interface },
  call: Promise<unknown>,
): Promise<{ name: string; args: unknown[] }> {
  const error = await call.then(
    () => expect.fail("the call did not revert"),
    (e) => e,
  );
  const decoded = contract.interface.parseError(error.data);
  expect(decoded, `undecodable revert: ${error.message}`).not.toBeNull();
  return { name: decoded!.name, args: [...decoded!.args] };
}

/** Just the name of the custom error a call reverts with. */
export async function revertName(contract: BaseContract | { interface: Interface }, call: Promise<unknown>) {
  return (await revertOf(contract, call)).name;
}

export async function deployAccountRegistry(
  deployer: Signer,
  admin: string,
  registrar: string,
): Promise<AccountRegistry> {
  const registry = await new AccountRegistry__factory(deployer).deploy(admin, registrar);
  await registry.waitForDeployment();
  return registry;
}

export async function deployEvidenceRegistry(
  deployer: Signer,
  admin: string,
  anchorer: string,
): Promise<EvidenceRegistry> {
  const registry = await new EvidenceRegistry__factory(deployer).deploy(admin, anchorer);
  await registry.waitForDeployment();
  return registry;
}

/**
 * A registry deployed by anyone (here a forger) from the very same code as the
 * platform's: a certificate anchored in it must not verify against the trust anchor.
 */
export async function deployLookAlikeRegistry(forger: Signer): Promise<EvidenceRegistry> {
  const address = await forger.getAddress();
  const registry = await new EvidenceRegistry__factory(forger).deploy(address, address, { gasPrice: 0, type: 0 });
  await registry.waitForDeployment();
  return registry;
}

/**
 * A DealEscrow factory whose bytecode is linked with a `DealTerms` library that
 * `deployer` deploys first (or with `dealTerms`, one already deployed).
 */
export async function escrowFactory(
  deployer: Signer,
  dealTerms?: string,
): Promise<{ factory: DealEscrow__factory; dealTerms: string; dealTermsGas: bigint }> {
  let dealTermsGas = 0n;
  if (!dealTerms) {
    const library = await new DealTerms__factory(deployer).deploy();
    dealTermsGas = (await library.deploymentTransaction()!.wait())!.gasUsed;
    dealTerms = await library.getAddress();
  }
  return { factory: new DealEscrow__factory(escrowLibraries(dealTerms), deployer), dealTerms, dealTermsGas };
}

/**
 * Deploys a DealEscrow (and its library) by `deployer`; answers it, its EIP-712
 * domain and the gas each deployment took.
 */
export async function deployEscrow(
  deployer: Signer,
  {
    admin,
    accounts,
    operator,
    bank,
    arbitrationBody = "0x0000000000000000000000000000000000000000",
  }: { admin: string; accounts: string; operator: string; bank: string; arbitrationBody?: string },
): Promise<{ escrow: DealEscrow; domain: TypedDataDomain; gas: { escrow: bigint; dealTerms: bigint } }> {
  const { factory, dealTermsGas } = await escrowFactory(deployer);
  const escrow = await factory.deploy(admin, accounts, operator, bank, arbitrationBody);
  const receipt = (await escrow.deploymentTransaction()!.wait())!;
  const { chainId } = await deployer.provider!.getNetwork();
  return {
    escrow,
    domain: escrowDomain(chainId, await escrow.getAddress()),
    gas: { escrow: receipt.gasUsed, dealTerms: dealTermsGas },
  };
}

/** The accounts of an escrow fixture on Hardhat's in-process chain. */
export interface EscrowSigners {
  admin: HardhatEthersSigner;
  registrar: HardhatEthersSigner;
  operator: HardhatEthersSigner;
  bank: HardhatEthersSigner;
  supplier: HardhatEthersSigner;
  demander: HardhatEthersSigner;
  arbitrator: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  /** The arbitration institution's key (ARBITRATION_ROLE). */
  arbitrationBody: HardhatEthersSigner;
}

/**
 * The escrow tests' fixture on Hardhat's in-process chain: an account registry
 * with the supplier and the demander certified, and an escrow over it whose
 * operator and bank are their own accounts.
 */
export async function escrowFixture(): Promise<{
  signers: EscrowSigners;
  registry: AccountRegistry;
  escrow: DealEscrow;
  domain: TypedDataDomain;
}> {
  const { ethers } = (await import("hardhat")).default;
  const [admin, registrar, operator, bank, supplier, demander, arbitrator, stranger, arbitrationBody] =
    await ethers.getSigners();
  const signers = { admin, registrar, operator, bank, supplier, demander, arbitrator, stranger, arbitrationBody };
  const registry = await deployAccountRegistry(admin, admin.address, registrar.address);
  await mined(registry.connect(registrar).certify(supplier.address, ethers.id("user:supplier")));
  await mined(registry.connect(registrar).certify(demander.address, ethers.id("user:demander")));
  const { escrow, domain } = await deployEscrow(admin, {
    admin: admin.address,
    accounts: await registry.getAddress(),
    operator: operator.address,
    bank: bank.address,
    arbitrationBody: arbitrationBody.address,
  });
  return { signers, registry, escrow, domain };
}

/** The runtime bytecode size, in bytes, of each deployable contract (libraries included), from the artifacts. */
export async function deployedSizes(names: string[]): Promise<Record<string, number>> {
  const { artifacts } = (await import("hardhat")).default;
  const sizes: Record<string, number> = {};
  for (const name of names) {
    const { deployedBytecode } = await artifacts.readArtifact(name);
    sizes[name] = (deployedBytecode.length - 2) / 2;
  }
  return sizes;
}
