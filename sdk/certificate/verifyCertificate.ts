import { id, JsonRpcProvider, type Log, type Provider } from "ethers";
import {
  assertSupportedRegistry,
  connectRegistry,
  UnsupportedRegistryError,
  type EvidenceRegistry,
} from "../chain/registry";
import { LedgerError } from "../errors";
import { parseTrustAnchor, trustedAt, type TrustAnchor, type TrustedDeployment } from "../trust/trustAnchor";
import type { EvidenceCertificate, VerificationResult } from "./types";
import { CHAIN_UNAVAILABLE } from "./verdict";
import { verifyCertificateOffline } from "./verifyCertificateOffline";

/** The registry's anchoring role, `keccak256("ANCHORER_ROLE")`, as IEvidenceRegistry's implementations define it. */
const ANCHORER_ROLE = id("ANCHORER_ROLE");

/** Where the chain is asked: a provider, or the URL of an endpoint the reader chose. */
export type ChainEndpoint = { provider: Provider; rpcUrl?: undefined } | { rpcUrl: string; provider?: undefined };

export type VerifyCertificateParameters = ChainEndpoint & {
  /**
   * What the reader trusts: the chain and the registries (see {@link parseTrustAnchor},
   * {@link trustAnchorOf}). Required: the registry, chain and anchorer a certificate
   * names are checked against it, never taken from the certificate.
   */
  trust: TrustAnchor;
  /** The original file, when the certificate covers one. */
  file?: Uint8Array;
  /** Several original files: each must be one of the record's files. */
  files?: readonly Uint8Array[];
};

/**
 * Verifies a certificate completely against the reader's trust anchor: the
 * offline checks of {@link verifyCertificateOffline}; then that the certificate's
 * chain and registry are the trusted ones (the registry in service at the anchor's
 * block); then, on a chain endpoint the reader chooses, that the endpoint serves
 * that chain (chain id and, when pinned, genesis hash), that the registry anchored
 * the root in the stated block at the stated time, that its own `verifyRecord`
 * accepts the proof, that the block is the chain's, that the stated transaction
 * emitted the registry's `BatchAnchored` event for the root, and that the
 * anchoring account held `ANCHORER_ROLE` there at that moment.
 *
 * The verdict is `VALID`, `INVALID` with a code, or `UNVERIFIED` with
 * `CHAIN_UNAVAILABLE` when the endpoint did not answer. Throws
 * {@link TrustAnchorRequiredError} without a trust anchor.
 *
 * @example
 * const trust = trustAnchorOf({ chainId: "31337", registry });
 * const result = await verifyCertificate(certificate, { rpcUrl: "http://127.0.0.1:8545", trust });
 * result.verdict === "VALID" ? console.log("anchored at", result.anchoredAt) : console.log(result.code, result.reason);
 */
export async function verifyCertificate(
  input: unknown,
  parameters: VerifyCertificateParameters,
): Promise<VerificationResult> {
  const trust = requireTrust(parameters.trust);
  const offline = verifyCertificateOffline(input, { file: parameters.file, files: parameters.files });
  const { certificate, ...result } = offline;
  if (!result.valid || !certificate) return result;
  const fail = (code: string, reason: string): VerificationResult => {
    result.checks.push({ name: code, ok: false, detail: reason });
    return { ...result, verdict: "INVALID", valid: false, code, reason };
  };

  const trustProblem = trustProblemOf(certificate, trust);
  if (trustProblem) return fail(trustProblem.code, trustProblem.reason);
  result.checks.push({
    name: "trust",
    ok: true,
    detail: `registry ${certificate.anchor.registry} on chain ${trust.chainId} is trusted`,
  });

  return withProvider(parameters, async (provider) => {
    try {
      return await checkAnchor(certificate, provider, trust, result, fail);
    } catch (error) {
      return unavailable(result, error);
    }
  });
}

/** No trust anchor was given: a usage error, not a verdict; `code` is `TRUST_ANCHOR_REQUIRED`. */
export class TrustAnchorRequiredError extends LedgerError {
  override name = "TrustAnchorRequiredError";
  constructor() {
    super(
      "TRUST_ANCHOR_REQUIRED",
      "a trust anchor is required: the chain id and registry you trust (trustAnchorOf), or a trust file (parseTrustAnchor)",
    );
  }
}

/** The trust anchor, checked; a missing one is a usage error, not a verdict. */
export function requireTrust(trust: TrustAnchor | undefined): TrustAnchor {
  if (trust === undefined || trust === null) throw new TrustAnchorRequiredError();
  return parseTrustAnchor(trust);
}

/** Runs `use` with the given provider, or one made for the URL and destroyed after. */
export async function withProvider<T>(endpoint: ChainEndpoint, use: (provider: Provider) => Promise<T>): Promise<T> {
  // The network is asked once (a static network): otherwise ethers asks eth_chainId before every call.
  const own = endpoint.provider
    ? undefined
    : new JsonRpcProvider(endpoint.rpcUrl, undefined, { staticNetwork: true, polling: true });
  try {
    return await use(endpoint.provider ?? own!);
  } finally {
    own?.destroy();
  }
}

/** A result made UNVERIFIED because the endpoint could not be queried. */
export function unavailable<R extends { checks: VerificationResult["checks"] }>(
  result: R,
  error: unknown,
): R & { verdict: "UNVERIFIED"; valid: false; code: string; reason: string } {
  const reason = `the chain endpoint could not be queried: ${(error as Error).message?.split("\n")[0]}`;
  result.checks.push({ name: CHAIN_UNAVAILABLE, ok: false, detail: reason });
  return { ...result, verdict: "UNVERIFIED", valid: false, code: CHAIN_UNAVAILABLE, reason };
}

/** Why the certificate's chain or registry is not the reader's, checked before any chain call. */
export function trustProblemOf(
  certificate: EvidenceCertificate,
  trust: TrustAnchor,
): { code: string; reason: string } | undefined {
  const { anchor } = certificate;
  if (anchor.chainId !== trust.chainId) {
    return {
      code: "CHAIN_MISMATCH",
      reason: `the certificate names chain ${anchor.chainId}, the trust anchor is for chain ${trust.chainId}`,
    };
  }
  if (!trustedAt(trust.registries, anchor.registry, anchor.blockNumber)) {
    const known = trust.registries.find((r) => r.address.toLowerCase() === anchor.registry.toLowerCase());
    return {
      code: "REGISTRY_NOT_TRUSTED",
      reason: known
        ? `the registry ${anchor.registry} is trusted from block ${known.fromBlock}${known.untilBlock === undefined ? "" : ` to block ${known.untilBlock}`}, not at block ${anchor.blockNumber}`
        : `the registry ${anchor.registry} is not one the trust anchor names (${trust.registries.map((r) => r.address).join(", ")})`,
    };
  }
  return undefined;
}

// One look at the endpoint's chain per provider and trust anchor: a dossier's anchors share it.
const endpointChecks = new WeakMap<Provider, { key: string; check: Promise<string | undefined> }>();

/** Why the endpoint does not serve the trusted chain, or undefined when it does. */
export function endpointProblemOf(provider: Provider, trust: TrustAnchor): Promise<string | undefined> {
  const key = `${trust.chainId}/${trust.genesisHash ?? ""}`;
  const known = endpointChecks.get(provider);
  if (known?.key === key) return known.check;
  const check = (async () => {
    const network = await provider.getNetwork();
    if (network.chainId.toString() !== trust.chainId) {
      return `the endpoint serves chain ${network.chainId}, the trust anchor is for chain ${trust.chainId}`;
    }
    if (!trust.genesisHash) return undefined;
    const genesis = await provider.getBlock(0);
    return genesis?.hash === trust.genesisHash
      ? undefined
      : `the endpoint's block 0 is ${genesis?.hash}, the trust anchor's genesis is ${trust.genesisHash}`;
  })();
  // A failed look (the endpoint away) is not remembered.
  check.catch(() => endpointChecks.delete(provider));
  endpointChecks.set(provider, { key, check });
  return check;
}

async function checkAnchor(
  certificate: EvidenceCertificate,
  provider: Provider,
  trust: TrustAnchor,
  result: VerificationResult,
  fail: (code: string, reason: string) => VerificationResult,
): Promise<VerificationResult> {
  const { anchor, merkle, commitment } = certificate;
  const chainProblem = await endpointProblemOf(provider, trust);
  if (chainProblem) return fail("CHAIN_MISMATCH", chainProblem);

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
  const anchoring =
    receipt !== null && receipt.blockHash === anchor.blockHash
      ? receipt.logs.find((log) => anchoredRootOf(registry, log) === merkle.root)
      : undefined;
  if (!anchoring) {
    return fail(
      "TRANSACTION_MISMATCH",
      `transaction ${anchor.transactionHash} did not anchor this root in block ${anchor.blockNumber}`,
    );
  }
  result.checks.push({ name: "block", ok: true, detail: `block ${anchor.blockHash}` });

  const anchorer = registry.interface.parseLog(anchoring)!.args.anchorer as string;
  const deployment = trustedAt(trust.registries, anchor.registry, anchor.blockNumber)!;
  if (!(await heldAnchorerRole(registry, deployment, anchorer, anchoring))) {
    return fail(
      "ANCHORER_NOT_AUTHORISED",
      `the anchoring account ${anchorer} did not hold ANCHORER_ROLE in ${anchor.registry} at block ${anchor.blockNumber}`,
    );
  }
  result.checks.push({ name: "anchorer", ok: true, detail: `${anchorer} held ANCHORER_ROLE` });

  return {
    ...result,
    verdict: "VALID",
    valid: true,
    anchoredAt: new Date(anchor.blockTime * 1000).toISOString(),
    anchorer,
    registry: deployment.address,
  };
}

/** The root a log anchored, when it is the registry's own `BatchAnchored` event. */
function anchoredRootOf(registry: EvidenceRegistry, log: Log): string | undefined {
  if (log.address.toLowerCase() !== (registry.target as string).toLowerCase()) return undefined;
  const parsed = registry.interface.parseLog(log);
  return parsed?.name === "BatchAnchored" ? (parsed.args.root as string) : undefined;
}

/**
 * Whether `account` held ANCHORER_ROLE just before `anchoring`, read from the
 * registry's own RoleGranted / RoleRevoked events (any node keeps logs; not every
 * node keeps the state of old blocks).
 */
async function heldAnchorerRole(
  registry: EvidenceRegistry,
  deployment: TrustedDeployment,
  account: string,
  anchoring: Log,
): Promise<boolean> {
  const role = ANCHORER_ROLE;
  const granted = registry.interface.getEvent("RoleGranted").topicHash;
  const revoked = registry.interface.getEvent("RoleRevoked").topicHash;
  const logs = await registry.runner!.provider!.getLogs({
    address: deployment.address,
    topics: [[granted, revoked], role, `0x${account.slice(2).toLowerCase().padStart(64, "0")}`],
    fromBlock: deployment.fromBlock,
    toBlock: anchoring.blockNumber,
  });
  const before = logs
    .filter((l) => l.blockNumber < anchoring.blockNumber || l.index < anchoring.index)
    .sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const last = before[before.length - 1];
  return last !== undefined && last.topics[0] === granted;
}
