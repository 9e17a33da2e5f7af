import { JsonRpcProvider, NonceManager, Wallet } from "ethers";
import { AccountRegistry__factory } from "../../sdk/typechain/factories/contracts/AccountRegistry__factory";
import { EvidenceRegistry__factory } from "../../sdk/typechain/factories/contracts/EvidenceRegistry__factory";

export interface Deployment {
  chainId: string;
  /** The EvidenceRegistry. */
  registry: string;
  /** The AccountRegistry (certified accounts). */
  accounts: string;
  blockNumber: number;
  transactionHash: string;
  deployedAt: string;
  admin: string;
}

/**
 * Deploys the EvidenceRegistry and the AccountRegistry with `key`'s account as
 * admin, anchorer and registrar.
 *
 * @example
 * const deployment = await deployRegistry({ rpcUrl, privateKey, gasPrice: 0n });
 */
export async function deployRegistry({
  rpcUrl,
  privateKey,
  gasPrice,
}: {
  rpcUrl: string;
  privateKey: string;
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
    return {
      chainId: (await provider.getNetwork()).chainId.toString(),
      registry: await registry.getAddress(),
      accounts,
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
