import { JsonRpcProvider, Wallet } from "ethers";
import { EvidenceRegistry__factory } from "../../sdk/typechain/factories/contracts/EvidenceRegistry__factory";

export interface Deployment {
  chainId: string;
  registry: string;
  blockNumber: number;
  transactionHash: string;
  deployedAt: string;
  admin: string;
}

/**
 * Deploys the EvidenceRegistry with `key`'s account as admin and anchorer.
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
  const provider = new JsonRpcProvider(rpcUrl, undefined, { polling: true, staticNetwork: undefined });
  try {
    const wallet = new Wallet(privateKey, provider);
    const factory = new EvidenceRegistry__factory(wallet);
    const registry = await factory.deploy(wallet.address, wallet.address, { gasPrice, type: 0 });
    const receipt = (await registry.deploymentTransaction()!.wait())!;
    return {
      chainId: (await provider.getNetwork()).chainId.toString(),
      registry: await registry.getAddress(),
      blockNumber: receipt.blockNumber,
      transactionHash: receipt.hash,
      deployedAt: new Date().toISOString(),
      admin: wallet.address,
    };
  } finally {
    provider.destroy();
  }
}
