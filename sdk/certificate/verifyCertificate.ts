import { JsonRpcProvider, type Provider } from "ethers";
import { assertSupportedRegistry, connectRegistry, UnsupportedRegistryError } from "../chain/registry";
import type { EvidenceCertificate, VerificationResult } from "./types";
import { verifyCertificateOffline } from "./verifyCertificateOffline";

export type VerifyCertificateParameters = (
  { provider: Provider; rpcUrl?: undefined } | { rpcUrl: string; provider?: undefined }
) & {
  /** The original file, when the certificate covers one. */
  file?: Uint8Array;
};

/**
 * Verifies a certificate completely: the offline checks of
 * {@link verifyCertificateOffline}, then, against a chain endpoint the verifier
 * chooses (their own node, ideally), that the chain is the stated one, that the
 * registry anchored the root in the stated block at the stated time, that the
 * registry's own `verifyRecord` accepts the proof, and that the stated block and
 * transaction are that chain's.
 *
 * @example
 * const result = await verifyCertificate(certificate, { rpcUrl: "http://127.0.0.1:8545" });
 * result.valid ? console.log("anchored at", result.anchoredAt) : console.log(result.reason);
 */
export async function verifyCertificate(
  input: unknown,
  parameters: VerifyCertificateParameters,
): Promise<VerificationResult> {
  const offline = verifyCertificateOffline(input, { file: parameters.file });
  const { certificate, ...result } = offline;
  if (!result.valid || !certificate) return result;

  const ownProvider = parameters.provider
    ? undefined
    : new JsonRpcProvider(parameters.rpcUrl, undefined, {
        staticNetwork: false,
        polling: true,
      });
  const provider = parameters.provider ?? ownProvider!;
  try {
    return await checkAnchor(certificate, provider, result);
  } catch (error) {
    const reason = `the chain endpoint could not be queried: ${(error as Error).message?.split("\n")[0]}`;
    result.checks.push({ name: "CHAIN_UNAVAILABLE", ok: false, detail: reason });
    return { ...result, valid: false, code: "CHAIN_UNAVAILABLE", reason };
  } finally {
    ownProvider?.destroy();
  }
}

async function checkAnchor(
  certificate: EvidenceCertificate,
  provider: Provider,
  result: VerificationResult,
): Promise<VerificationResult> {
  const { anchor, merkle, commitment } = certificate;
  const fail = (code: string, reason: string): VerificationResult => {
    result.checks.push({ name: code, ok: false, detail: reason });
    return { ...result, valid: false, code, reason };
  };

  const network = await provider.getNetwork();
  if (network.chainId.toString() !== anchor.chainId) {
    return fail(
      "CHAIN_MISMATCH",
      `the endpoint serves chain ${network.chainId}, the certificate names chain ${anchor.chainId}`,
    );
  }
  if ((await provider.getCode(anchor.registry)) === "0x") {
    return fail("REGISTRY_MISSING", `there is no contract at ${anchor.registry} on chain ${anchor.chainId}`);
  }
  const registry = connectRegistry(anchor.registry, provider);
  try {
    await assertSupportedRegistry(registry);
  } catch (error) {
    if (error instanceof UnsupportedRegistryError) return fail("REGISTRY_UNSUPPORTED", error.shortMessage);
    if ((error as { code?: string }).code === "CALL_EXCEPTION" || (error as { code?: string }).code === "BAD_DATA") {
      return fail("REGISTRY_UNSUPPORTED", `the contract at ${anchor.registry} is not an evidence registry`);
    }
    throw error;
  }
  result.checks.push({ name: "registry", ok: true, detail: `${anchor.registry} on chain ${anchor.chainId}` });

  const batch = await registry.batchOf(merkle.root);
  if (batch.blockNumber === 0n)
    return fail("ROOT_NOT_ANCHORED", `the root ${merkle.root} was never anchored in this registry`);
  if (batch.blockNumber !== BigInt(anchor.blockNumber) || batch.timestamp !== BigInt(anchor.blockTime)) {
    return fail(
      "ANCHOR_MISMATCH",
      `the registry anchored the root in block ${batch.blockNumber} at ${batch.timestamp}, the certificate says block ${anchor.blockNumber} at ${anchor.blockTime}`,
    );
  }
  if (!(await registry.verifyRecord(merkle.root, commitment, merkle.proof))) {
    return fail("PROOF_REJECTED", "the registry does not accept the proof for this record");
  }
  result.checks.push({ name: "anchor", ok: true, detail: `root anchored in block ${anchor.blockNumber}` });

  const block = await provider.getBlock(anchor.blockNumber);
  if (!block || block.hash !== anchor.blockHash) {
    return fail("BLOCK_MISMATCH", `block ${anchor.blockNumber} of this chain is not ${anchor.blockHash}`);
  }
  const receipt = await provider.getTransactionReceipt(anchor.transactionHash);
  const anchoredHere =
    receipt !== null &&
    receipt.blockHash === anchor.blockHash &&
    receipt.logs.some((log) => {
      if (log.address.toLowerCase() !== anchor.registry.toLowerCase()) return false;
      const parsed = registry.interface.parseLog(log);
      return parsed?.name === "BatchAnchored" && parsed.args.root === merkle.root;
    });
  if (!anchoredHere) {
    return fail(
      "TRANSACTION_MISMATCH",
      `transaction ${anchor.transactionHash} did not anchor this root in block ${anchor.blockNumber}`,
    );
  }
  result.checks.push({ name: "block", ok: true, detail: `block ${anchor.blockHash}` });

  return { ...result, valid: true, anchoredAt: new Date(anchor.blockTime * 1000).toISOString() };
}
