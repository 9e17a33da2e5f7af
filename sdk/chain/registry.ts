import type { ContractRunner } from "ethers";
import { EvidenceRegistry__factory } from "../typechain/factories/contracts/EvidenceRegistry__factory";
import type { EvidenceRegistry } from "../typechain/contracts/EvidenceRegistry";
import { LedgerError } from "../errors";

export type { EvidenceRegistry };

/** Major version of the registry contract this SDK understands. */
export const SUPPORTED_REGISTRY_MAJOR = "1";

/**
 * A typed handle on the EvidenceRegistry at `address`.
 *
 * @example
 * const registry = connectRegistry(address, provider);
 * await registry.isAnchored(root);
 */
export function connectRegistry(address: string, runner: ContractRunner): EvidenceRegistry {
  return EvidenceRegistry__factory.connect(address, runner);
}

/** Thrown when the contract at an address is not a registry version this SDK knows. */
export class UnsupportedRegistryError extends LedgerError {
  override name = "UnsupportedRegistryError";
  constructor(address: string, version: string) {
    super(
      "REGISTRY_UNSUPPORTED",
      `the contract at ${address} is registry version ${version}, not ${SUPPORTED_REGISTRY_MAJOR}.x`,
    );
  }
}

/**
 * Reads `version()` and throws unless it is one this SDK knows.
 *
 * @example
 * await assertSupportedRegistry(registry);
 */
export async function assertSupportedRegistry(registry: EvidenceRegistry): Promise<string> {
  const address = await registry.getAddress();
  const version = await registry.version();
  if (version.split(".")[0] !== SUPPORTED_REGISTRY_MAJOR) throw new UnsupportedRegistryError(address, version);
  return version;
}
