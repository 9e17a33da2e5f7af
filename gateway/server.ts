import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { JsonRpcProvider, NonceManager, Wallet } from "ethers";
import { readConfig, type Config } from "./config";
import { deployAccountRegistry, deployEscrow, deployRegistry, type Deployment } from "./chain/deploy";
import { finalStateFile, superviseLocalChain, waitForRpc, type SupervisedChain } from "./chain/localChain";
import type { FinalitySettings } from "./chain/finality";
import { chainEndpoint } from "../scripts/lib/chainEndpoint";
import { openPlatform, type Platform } from "./platform";

const log = (message: string) => console.log(`[ttl] ${message}`);

/** Writes a secret readable by its owner only. */
async function writeSecret(file: string, content: string): Promise<void> {
  await writeFile(file, content, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** The anchoring key: from the environment, or the one kept in DATA_DIR (created on first start). */
async function anchorKey(config: Config): Promise<string> {
  if (config.anchorPrivateKey) return config.anchorPrivateKey;
  const file = path.join(config.dataDir, "anchor.key");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const wallet = Wallet.createRandom();
  await writeSecret(file, `${wallet.privateKey}\n`);
  log(`created the anchoring key ${wallet.address} in ${file}`);
  return wallet.privateKey;
}

/**
 * The arbitration institution's signing address: the configured one, or the
 * address of a stand-in key kept in DATA_DIR/arbitration.key (created on first
 * start), for trying the replacement of an arbitrator on one machine.
 */
async function arbitrationBodyAddress(config: Config): Promise<string> {
  if (config.arbitrationBodyAddress) return config.arbitrationBodyAddress;
  const file = path.join(config.dataDir, "arbitration.key");
  if (existsSync(file)) return new Wallet((await readFile(file, "utf8")).trim()).address;
  const wallet = Wallet.createRandom();
  await writeSecret(file, `${wallet.privateKey}\n`);
  log(`created a stand-in arbitration body key ${wallet.address} in ${file} (set ARBITRATION_BODY_ADDRESS)`);
  return wallet.address;
}

/**
 * The supervising bank's signing address: the configured one, or the address of
 * a stand-in bank key kept in DATA_DIR/bank.key (created on first start) that
 * the bank client program (`npm run bank`) uses on this machine.
 */
async function bankAddress(config: Config): Promise<string> {
  if (config.bankAddress) return config.bankAddress;
  const file = path.join(config.dataDir, "bank.key");
  if (existsSync(file)) return new Wallet((await readFile(file, "utf8")).trim()).address;
  const wallet = Wallet.createRandom();
  await writeSecret(file, `${wallet.privateKey}\n`);
  log(`created a stand-in bank key ${wallet.address} in ${file} (set BANK_ADDRESS to name a real bank)`);
  return wallet.address;
}

/** The key that signs session tokens: created on first start, kept in DATA_DIR/session.key. */
async function sessionKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, "session.key");
  if (existsSync(file)) return Buffer.from((await readFile(file, "utf8")).trim(), "hex");
  const key = randomBytes(32);
  await writeSecret(file, `${key.toString("hex")}\n`);
  return key;
}

/** The registry to anchor in: the configured one, the one deployed before, or a new one. */
async function registry(config: Config, rpcUrl: string, privateKey: string): Promise<Deployment> {
  const file = path.join(config.dataDir, "deployment.json");
  const provider = new JsonRpcProvider(rpcUrl, undefined, { polling: true, cacheTimeout: -1 });
  try {
    const chainId = (await provider.getNetwork()).chainId.toString();
    if (config.registryAddress || config.accountsAddress || config.escrowAddress) {
      if (!config.registryAddress || !config.accountsAddress || !config.escrowAddress) {
        throw new Error(
          "REGISTRY_ADDRESS, ACCOUNTS_ADDRESS and ESCROW_ADDRESS go together: adopt all three contracts or none",
        );
      }
      return {
        chainId,
        registry: config.registryAddress,
        accounts: config.accountsAddress,
        escrow: config.escrowAddress,
        blockNumber: 0,
        transactionHash: "",
        deployedAt: "",
        admin: "",
      };
    }
    if (existsSync(file)) {
      const deployment = JSON.parse(await readFile(file, "utf8")) as Deployment;
      if (deployment.chainId !== chainId) {
        throw new Error(`${file} is for chain ${deployment.chainId} but the endpoint serves chain ${chainId}`);
      }
      if ((await provider.getCode(deployment.registry)) === "0x") {
        throw new Error(
          `the chain has no contract at ${deployment.registry} (${file}): its state was lost. ` +
            "Certificates issued before cannot verify against it; restore the chain's state or start with a new DATA_DIR.",
        );
      }
      if (!deployment.accounts) {
        // A data folder from before the account registry existed: add it.
        deployment.accounts = await deployAccountRegistry(
          new NonceManager(new Wallet(privateKey, provider)),
          config.gasPrice,
        );
        await writeFile(file, `${JSON.stringify(deployment, null, 2)}\n`);
        log(`deployed AccountRegistry at ${deployment.accounts}`);
      }
      if (!deployment.escrow) {
        // A data folder from before the escrow existed: add it.
        deployment.bank = await bankAddress(config);
        deployment.arbitrationBody = await arbitrationBodyAddress(config);
        deployment.escrow = await deployEscrow(
          new NonceManager(new Wallet(privateKey, provider)),
          deployment.accounts,
          deployment.bank,
          config.gasPrice,
          deployment.arbitrationBody,
        );
        await writeFile(file, `${JSON.stringify(deployment, null, 2)}\n`);
        log(`deployed DealEscrow at ${deployment.escrow} (bank ${deployment.bank})`);
      }
      return deployment;
    }
    const deployment = await deployRegistry({
      rpcUrl,
      privateKey,
      bank: await bankAddress(config),
      arbitrationBody: await arbitrationBodyAddress(config),
      gasPrice: config.gasPrice,
    });
    await writeFile(file, `${JSON.stringify(deployment, null, 2)}\n`);
    log(
      `deployed EvidenceRegistry at ${deployment.registry}, AccountRegistry at ${deployment.accounts}, ` +
        `DealEscrow at ${deployment.escrow} (chain ${deployment.chainId})`,
    );
    return deployment;
  } finally {
    provider.destroy();
  }
}

/** The operator credential: created on first start, kept in DATA_DIR/operator.key. */
async function operatorCredential(platform: Platform, dataDir: string): Promise<string> {
  const file = path.join(dataDir, "operator.key");
  if (existsSync(file)) {
    const token = (await readFile(file, "utf8")).trim();
    if (await platform.credentials.authenticate(token)) return file;
    log(`${file} does not match any credential in the store; issuing a new one`);
  }
  const { token } = await platform.credentials.create({ label: "operator", roles: ["operator"] });
  await writeSecret(file, `${token}\n`);
  return file;
}

export interface RunningPlatform {
  platform: Platform;
  url: string;
  stop(): Promise<void>;
}

/** Brings up the whole platform on one machine, as `npm start` does. */
export async function startPlatform(config: Config = readConfig()): Promise<RunningPlatform> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  let localChain: SupervisedChain | undefined;
  const endpoint = chainEndpoint(config);
  const rpcUrl = endpoint.rpcUrl;
  let finality: FinalitySettings = { kind: "depth", depth: config.finalityDepth };
  if (endpoint.local) {
    const stateFile = path.join(config.dataDir, "chain", "state.json");
    localChain = await superviseLocalChain({ port: config.chainPort, stateFile, log });
    // A block of the local chain is final once the gateway wrote the state holding it to disk.
    finality = { kind: "localState", stateFile: finalStateFile(stateFile) };
    log(`local chain at ${rpcUrl}, state in ${path.join(config.dataDir, "chain")}, restarted if it dies`);
  }
  try {
    const privateKey = await anchorKey(config);
    const deploymentFile = path.join(config.dataDir, "deployment.json");
    let deployment: Deployment;
    if (existsSync(deploymentFile) && config.chainRpcUrl && !config.registryAddress) {
      // An external chain may be down at start: the gateway still starts and queues.
      deployment = JSON.parse(await readFile(deploymentFile, "utf8")) as Deployment;
      await waitForRpc(rpcUrl, 2000).then(
        () => registry(config, rpcUrl, privateKey),
        () => log(`the chain at ${rpcUrl} does not answer; records will wait until it does`),
      );
    } else {
      deployment = await registry(config, rpcUrl, privateKey);
    }
    const platform = await openPlatform({
      dataDir: config.dataDir,
      chain: {
        rpcUrl,
        chainId: BigInt(deployment.chainId),
        registryAddress: deployment.registry,
        accountsAddress: deployment.accounts,
        escrowAddress: deployment.escrow!,
        anchorPrivateKey: privateKey,
        deploymentBlock: deployment.blockNumber,
        gasPrice: config.gasPrice,
        finality,
      },
      localChainRestarts: localChain?.restarts,
      publicRpcUrl: config.chainPublicRpcUrl,
      identity: {
        sessionKey: await sessionKey(config.dataDir),
        sessionTtlSeconds: config.sessionTtlSeconds,
        publicUrl: config.publicUrl ?? `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${config.port}`,
      },
      anchoring: { maxRecords: config.batchMaxRecords, maxAgeMs: config.batchMaxAgeMs },
      bodyLimit: config.maxBodyBytes,
      webhooks: { allowedHosts: config.webhookAllowedHosts },
      aftercare: { complaintAnswerDays: config.complaintAnswerDays },
      reminders: { leadSeconds: config.reminderLeadSeconds },
      services: { acceptHours: config.serviceAcceptHours },
      archive: { retentionYears: config.archiveRetentionYears },
      log,
    });
    const keyFile = await operatorCredential(platform, config.dataDir);
    const server = await platform.listen(config.port, config.host);
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const url = `http://${config.host}:${port}`;
    log(`gateway listening on ${url}`);
    log(`operator credential (Authorization: Bearer …) is in ${keyFile}`);
    log(`API: ${url}/docs   verification page: ${url}/verify   health: ${url}/health`);
    return {
      platform,
      url,
      async stop() {
        await platform.close();
        await localChain?.stop();
      },
    };
  } catch (error) {
    await localChain?.stop();
    throw error;
  }
}

/** Entry point of `npm start`: runs until SIGINT or SIGTERM; SIGHUP reloads the risk rules. */
export async function main(): Promise<void> {
  let running: RunningPlatform;
  try {
    running = await startPlatform();
  } catch (error) {
    console.error(`[ttl] could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await running.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // SIGHUP reloads the risk rules file (docs/RISK.md); a bad file is logged and the rules in force stay.
  process.on("SIGHUP", () => {
    running.platform.risk.reloadRules("SIGHUP").catch((error: Error) => log(`SIGHUP: ${error.message}`));
  });
}

if (require.main === module) void main();
