import { getAddress, JsonRpcProvider, NonceManager, Wallet, ZeroAddress } from "ethers";
import {
  parseTrustAnchor,
  TRUST_ANCHOR_FORMAT,
  AccountRegistry__factory,
  DealEscrow__factory,
  DealTerms__factory,
  EvidenceRegistry__factory,
} from "tech-transfer-ledger/sdk";
import type { TrustAnchor } from "tech-transfer-ledger/sdk";

export interface Deployment {
  chainId: string;
  /** The EvidenceRegistry. */
  registry: string;
  /** The AccountRegistry (certified accounts). */
  accounts: string;
  /** The DealEscrow; absent in data folders from before it existed (the start adds it). */
  escrow?: string;
  /** The supervising bank's signing address, which holds the escrow's BANK_ROLE. */
  bank?: string;
  /** The arbitration institution's signing address, which holds the escrow's ARBITRATION_ROLE. */
  arbitrationBody?: string;
  blockNumber: number;
  transactionHash: string;
  deployedAt: string;
  admin: string;
}

/**
 * Deploys the EvidenceRegistry, the AccountRegistry and the DealEscrow with
 * `key`'s account as admin, anchorer, registrar and escrow operator; `bank` is
 * the supervising bank's address, the only holder of the escrow's BANK_ROLE.
 *
 * @example
 * const deployment = await deployRegistry({ rpcUrl, privateKey, bank, gasPrice: 0n });
 */
export async function deployRegistry({
  rpcUrl,
  privateKey,
  bank,
  arbitrationBody,
  gasPrice,
}: {
  rpcUrl: string;
  privateKey: string;
  bank: string;
  /** Holds the escrow's ARBITRATION_ROLE; unset, no arbitrator can be replaced on this escrow. */
  arbitrationBody?: string;
  gasPrice: bigint;
}): Promise<Deployment> {
  // No result cache: two deployments in a row must not read the same nonce.
  const provider = new JsonRpcProvider(rpcUrl, undefined, { polling: true, cacheTimeout: -1 });
  try {
    const wallet = new Wallet(privateKey, provider);
    const factory = new EvidenceRegistry__factory(wallet);
    const registry = await factory.deploy(wallet.address, wallet.address, { gasPrice, type: 0 });
    const receipt = (await registry.deploymentTransaction()!.wait())!;
    const accounts = await deployAccountRegistry(wallet, gasPrice);
    const escrow = await deployEscrow(wallet, accounts, bank, gasPrice, arbitrationBody);
    return {
      chainId: (await provider.getNetwork()).chainId.toString(),
      registry: await registry.getAddress(),
      accounts,
      escrow,
      bank,
      ...(arbitrationBody && { arbitrationBody }),
      blockNumber: receipt.blockNumber,
      transactionHash: receipt.hash,
      deployedAt: new Date().toISOString(),
      admin: wallet.address,
    };
  } finally {
    provider.destroy();
  }
}

/** Deploys an AccountRegistry with `wallet` as admin and registrar; returns its address. */
export async function deployAccountRegistry(wallet: Wallet | NonceManager, gasPrice: bigint): Promise<string> {
  const address = await wallet.getAddress();
  const accounts = await new AccountRegistry__factory(wallet).deploy(address, address, { gasPrice, type: 0 });
  await accounts.deploymentTransaction()!.wait();
  return accounts.getAddress();
}

/**
 * Deploys a DealEscrow over the account registry `accounts`, with `wallet` as
 * admin and operator, `bank` as the bank and `arbitrationBody` (when given) as
 * the arbitration institution; returns its address. The escrow
 * calls the `DealTerms` library (linked, docs/ESCROW.md), deployed first.
 */
export async function deployEscrow(
  wallet: Wallet | NonceManager,
  accounts: string,
  bank: string,
  gasPrice: bigint,
  arbitrationBody: string = ZeroAddress,
): Promise<string> {
  const address = await wallet.getAddress();
  const dealTerms = await new DealTerms__factory(wallet).deploy({ gasPrice, type: 0 });
  await dealTerms.deploymentTransaction()!.wait();
  const escrow = await new DealEscrow__factory(escrowLibraries(await dealTerms.getAddress()), wallet).deploy(
    address,
    accounts,
    address,
    bank,
    arbitrationBody,
    { gasPrice, type: 0 },
  );
  await escrow.deploymentTransaction()!.wait();
  return escrow.getAddress();
}

/**
 * The library addresses the DealEscrow's bytecode is linked with, as TypeChain's
 * factory takes them.
 *
 * @example
 * new DealEscrow__factory(escrowLibraries(dealTermsAddress), wallet)
 */
export function escrowLibraries(dealTerms: string) {
  return { "contracts/libraries/DealTerms.sol:DealTerms": dealTerms };
}

/**
 * The trust anchor of a reader who knows `deployment` (from the consortium's
 * published record of it, not from a certificate): its chain, its registry and
 * escrow from their deployment block, and, when known, the gateway's receipt key.
 *
 * @example
 * const trust = trustAnchorOfDeployment(JSON.parse(readFileSync("data/deployment.json", "utf8")));
 */
export function trustAnchorOfDeployment(deployment: Deployment, receiptSigner?: string): TrustAnchor {
  return parseTrustAnchor({
    format: TRUST_ANCHOR_FORMAT,
    chainId: deployment.chainId,
    registries: [{ address: getAddress(deployment.registry.toLowerCase()), fromBlock: deployment.blockNumber }],
    escrows: deployment.escrow
      ? [{ address: getAddress(deployment.escrow.toLowerCase()), fromBlock: deployment.blockNumber }]
      : [],
    ...(receiptSigner ? { receiptSigners: [getAddress(receiptSigner.toLowerCase())] } : {}),
  });
}
