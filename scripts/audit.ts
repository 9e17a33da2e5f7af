// `npm run audit`: re-hashes the whole store under DATA_DIR against the roots
// anchored on chain and names every record altered, removed or added afterwards.
// Exit status: 0 clean, 1 findings, 2 could not audit (no data, chain unreachable).
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { JsonRpcProvider, Network } from "ethers";
import { connectRegistry } from "../sdk";
import { readConfig } from "../gateway/config";
import type { Deployment } from "../gateway/chain/deploy";
import { startLocalChain, waitForRpc, type LocalChain } from "../gateway/chain/localChain";
import { auditStore } from "../gateway/evidence/audit";
import { compareAccounts } from "../gateway/identity/accountSync";
import { AccountRegistry__factory } from "../sdk/typechain/factories/contracts/AccountRegistry__factory";
import { openDatabase, type Database } from "../gateway/store/database";
import { EvidenceRepository } from "../gateway/evidence/repository";
import { IdentityRepository } from "../gateway/identity/repository";
import { freePortNear } from "./lib/ports";
import { chainEndpoint } from "./lib/chainEndpoint";
import { progressBar } from "./lib/progress";

function stop(message: string): never {
  console.error(`audit: ${message}`);
  process.exit(2);
}

/** Opens the store; while the gateway holds it, audits a copy taken now. */
async function openForAudit(location: string): Promise<{ store: Database; cleanup(): Promise<void> }> {
  try {
    const store = await openDatabase(location);
    return { store, cleanup: () => store.close() };
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== "LEVEL_LOCKED") throw error;
    const copy = await mkdtemp(path.join(tmpdir(), "ttl-audit-"));
    await cp(location, copy, { recursive: true, filter: (source) => path.basename(source) !== "LOCK" });
    console.error("audit: the gateway is running; auditing a copy of the store taken now");
    const store = await openDatabase(copy);
    return {
      store,
      async cleanup() {
        await store.close();
        await rm(copy, { recursive: true, force: true });
      },
    };
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const deploymentFile = path.join(config.dataDir, "deployment.json");
  if (!existsSync(path.join(config.dataDir, "store"))) stop(`no store under ${config.dataDir} (set DATA_DIR)`);
  const deployment: Deployment | undefined = existsSync(deploymentFile)
    ? JSON.parse(await readFile(deploymentFile, "utf8"))
    : undefined;
  const registryAddress = config.registryAddress ?? deployment?.registry;
  if (!registryAddress) stop(`no registry address: neither REGISTRY_ADDRESS nor ${deploymentFile}`);

  // The chain the gateway uses (CHAIN_RPC_URL, else the local one on CHAIN_PORT)
  // or, when the local one is stopped, its saved state loaded read-only into a node of our own.
  const endpoint = chainEndpoint(config);
  let rpcUrl = endpoint.rpcUrl;
  let ownChain: LocalChain | undefined;
  const stateFile = path.join(config.dataDir, "chain", "state.json");
  const reachable = await waitForRpc(rpcUrl, 1500).then(
    () => true,
    () => false,
  );
  if (!reachable) {
    if (!endpoint.local || !existsSync(stateFile)) {
      stop(`the chain at ${rpcUrl} (from ${endpoint.source}) does not answer`);
    }
    ownChain = await startLocalChain({ port: await freePortNear(config.chainPort + 100), stateFile, readOnly: true });
    rpcUrl = ownChain.rpcUrl;
    console.error(`audit: the platform is stopped; reading the chain's saved state in a read-only node`);
  }
  const provider = new JsonRpcProvider(rpcUrl, undefined, { polling: true });
  const chainId = (await provider.getNetwork()).chainId;
  if (deployment && BigInt(deployment.chainId) !== chainId)
    stop(`the chain at ${rpcUrl} is chain ${chainId}, not ${deployment.chainId}`);
  const registry = connectRegistry(
    registryAddress,
    new JsonRpcProvider(rpcUrl, Network.from(chainId), { staticNetwork: true }),
  );

  const { store, cleanup } = await openForAudit(path.join(config.dataDir, "store"));
  const bar = progressBar("audit");
  try {
    const report = await auditStore(new EvidenceRepository(store), { registry, onProgress: bar.update });
    // The on-chain list of certified accounts against the certification decisions in the store.
    if (deployment?.accounts ?? config.accountsAddress) {
      const accounts = AccountRegistry__factory.connect(
        (config.accountsAddress ?? deployment?.accounts)!,
        registry.runner,
      );
      for (const mismatch of await compareAccounts(new IdentityRepository(store), accounts)) {
        report.findings.push({
          kind: "chain",
          detail: `address ${mismatch.address} of user ${mismatch.userId} is ${mismatch.onChain ? "listed" : "not listed"} in the account registry but should ${mismatch.expected ? "be" : "not be"}`,
        });
      }
    }
    bar.done();
    console.log(
      `audited ${report.records} records (${report.anchoredRecords} anchored, ${report.waitingRecords} waiting) ` +
        `in ${report.batches} batches and ${report.subjects} subjects against registry ${registryAddress} on chain ${chainId}`,
    );
    for (const batch of report.reanchored) {
      const lost = batch.lostAnchors.map((a) => `block ${a.blockNumber} (lost, found ${a.detectedAt})`).join(", ");
      console.log(
        `REANCHORED: batch ${batch.root} (${batch.records} records) was anchored in ${lost}; ` +
          (batch.anchoredIn === undefined ? "not anchored again yet" : `now in block ${batch.anchoredIn}`),
      );
    }
    for (const finding of report.findings) {
      const where = [finding.recordId && `record ${finding.recordId}`, finding.subject && `subject ${finding.subject}`]
        .filter(Boolean)
        .join(", ");
      console.log(`${finding.kind.toUpperCase()}${where ? ` (${where})` : ""}: ${finding.detail}`);
    }
    console.log(
      report.findings.length === 0
        ? "CLEAN: every record matches the anchored roots"
        : `${report.findings.length} finding(s)`,
    );
    process.exitCode = report.findings.length === 0 ? 0 : 1;
  } finally {
    await cleanup();
    provider.destroy();
    (registry.runner as JsonRpcProvider).destroy();
    await ownChain?.stop();
  }
}

main().catch((error) => stop((error as Error).message));
