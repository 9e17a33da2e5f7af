import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import type { TrustAnchor } from "../../sdk";
import { deployRegistry, trustAnchorOfDeployment, type Deployment } from "../../gateway/chain/deploy";
import { finalStateFile, startLocalChain, type LocalChain } from "../../gateway/chain/localChain";
import { openPlatform, type Platform, type PlatformOptions } from "../../gateway/platform";

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A real local chain (anvil) on a free port with a freshly deployed registry. */
export async function startTestChain(options: { stateFile?: string; port?: number } = {}): Promise<{
  chain: LocalChain;
  deployment: Deployment;
  anchorKey: string;
  /** The stand-in bank's chain key (BANK_ROLE in the escrow). */
  bankKey: string;
  /** The stand-in arbitration institution's chain key (ARBITRATION_ROLE in the escrow). */
  arbitrationKey: string;
  port: number;
}> {
  const port = options.port ?? (await freePort());
  const chain = await startLocalChain({ port, stateFile: options.stateFile });
  const anchorKey = Wallet.createRandom().privateKey;
  const bank = Wallet.createRandom();
  const arbitration = Wallet.createRandom();
  const deployment = await deployRegistry({
    rpcUrl: chain.rpcUrl,
    privateKey: anchorKey,
    bank: bank.address,
    arbitrationBody: arbitration.address,
    gasPrice: 0n,
  });
  return { chain, deployment, anchorKey, bankKey: bank.privateKey, arbitrationKey: arbitration.privateKey, port };
}

export interface TestPlatform {
  platform: Platform;
  chain: LocalChain;
  chainPort: number;
  /** The chain's state file, with `persistentChain`. */
  chainStateFile?: string;
  deployment: Deployment;
  anchorKey: string;
  bankKey: string;
  /** The stand-in arbitration institution's chain key (ARBITRATION_ROLE in the escrow). */
  arbitrationKey: string;
  dataDir: string;
  /** The gateway's base URL (it listens on a free port). */
  url: string;
  /** An operator credential. */
  token: string;
  /**
   * What a reader who knows this deployment trusts: its chain, registry (from its
   * deployment block), escrow and the gateway's receipt key. Built from the
   * deployment, not asked of the gateway, as an independent reader would.
   */
  trust: TrustAnchor;
  /** Closes the platform and stops the chain; removes the data folder. */
  close(): Promise<void>;
}

/** The whole platform on a temporary data folder and its own chain, as `npm start` wires it. */
export async function startTestPlatform(
  options: {
    anchoring?: Partial<PlatformOptions["anchoring"]>;
    bodyLimit?: number;
    /** Largest delivery file streamed in (default the platform's, 4 GiB). */
    deliveryFileLimit?: number;
    sessionTtlSeconds?: number;
    /** The clock of trading deadlines. */
    clock?: () => Date;
    /** Keep the chain's state in the data folder, so the chain can be stopped and started again. */
    persistentChain?: boolean;
    /** Retry timing of webhooks to the bank (fast in tests). */
    webhooks?: PlatformOptions["webhooks"];
    /** Blocks built on an anchoring block before it is final (without `persistentChain`; default 0). */
    finalityDepth?: number;
    /** How often the gateway reads the chain's head (default 500 ms). */
    chainPollMs?: number;
    /** Reminders before deadlines: lead time and how often they are looked for (fast in tests). */
    reminders?: PlatformOptions["reminders"];
    /** Receives the platform's log lines (by default dropped, or printed with TTL_TEST_LOG). */
    log?: (message: string) => void;
  } = {},
): Promise<TestPlatform> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "ttl-test-"));
  const stateFile = options.persistentChain ? path.join(dataDir, "chain", "state.json") : undefined;
  const { chain, deployment, anchorKey, bankKey, arbitrationKey, port } = await startTestChain({ stateFile });
  const platform = await openPlatform({
    dataDir,
    chain: {
      rpcUrl: chain.rpcUrl,
      chainId: BigInt(deployment.chainId),
      registryAddress: deployment.registry,
      accountsAddress: deployment.accounts,
      escrowAddress: deployment.escrow!,
      anchorPrivateKey: anchorKey,
      deploymentBlock: deployment.blockNumber,
      gasPrice: 0n,
      // The persistent chain stands in for `npm start`'s; the other for QBFT.
      finality: stateFile
        ? { kind: "localState", stateFile: finalStateFile(stateFile) }
        : { kind: "depth", depth: options.finalityDepth ?? 0 },
      requestTimeoutMs: 2000,
    },
    anchoring: { maxRecords: 64, maxAgeMs: 100, pollMs: 20, maxBackoffMs: 500, ...options.anchoring },
    bodyLimit: options.bodyLimit,
    deliveryFileLimit: options.deliveryFileLimit,
    clock: options.clock,
    webhooks: options.webhooks,
    chainPollMs: options.chainPollMs,
    reminders: { pollMs: 200, ...options.reminders },
    identity: {
      sessionKey: randomBytes(32),
      publicUrl: "http://ledger.test",
      sessionTtlSeconds: options.sessionTtlSeconds,
    },
    log: (message) => {
      options.log?.(message);
      if (process.env.TTL_TEST_LOG) console.error(`[platform] ${message}`);
    },
  });
  const server = await platform.listen(0);
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const { token } = await platform.credentials.create({ label: "test operator", roles: ["operator"] });
  return {
    platform,
    chain,
    chainPort: port,
    chainStateFile: stateFile,
    deployment,
    anchorKey,
    bankKey,
    arbitrationKey,
    dataDir,
    url,
    token,
    trust: trustAnchorOfDeployment(deployment, new Wallet(anchorKey).address),
    async close() {
      await platform.close();
      await chain.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A small client for the tests: JSON in, status and JSON out. */
export function client(base: string, token?: string) {
  return async function request(
    method: string,
    pathname: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${base}${pathname}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }).catch((error: Error) => {
      throw new Error(`${method} ${pathname}: ${error.message}`, { cause: error });
    });
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: response.status, body: json, headers: response.headers };
  };
}
