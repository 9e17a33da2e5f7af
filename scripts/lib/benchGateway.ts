import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalChain, type LocalChain } from "../../gateway/chain/localChain";
import { gatewayNodeOptions } from "./gatewayNodeOptions";
import { freePortNear } from "./ports";

export interface BenchGateway {
  /** The gateway's base URL. */
  base: string;
  dataDir: string;
  chain: LocalChain;
  /** The operator credential the gateway created. */
  token: string;
  process: ChildProcess;
  /** Stops the gateway (gracefully) without stopping the chain or removing the data. */
  stopGateway(): Promise<void>;
  /** Stops everything and removes the data. */
  stop(): Promise<void>;
}

/**
 * The gateway as `npm start` runs it, in a process of its own (so the load
 * generator in the benchmark's process does not share its event loop), on a
 * fresh data folder and local chain.
 */
export async function startBenchGateway(name: string, env: Record<string, string> = {}): Promise<BenchGateway> {
  const work = await mkdtemp(path.join(tmpdir(), `ttl-bench-${name}-`));
  const chain = await startLocalChain({ port: await freePortNear(19500 + Math.floor(Math.random() * 400)) });
  const port = await freePortNear(19100 + Math.floor(Math.random() * 300));
  const base = `http://127.0.0.1:${port}`;
  const dataDir = path.join(work, "data");
  const child = spawn(process.execPath, [...gatewayNodeOptions(), "scripts/start.ts"], {
    cwd: path.join(__dirname, "..", ".."),
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), CHAIN_RPC_URL: chain.rpcUrl, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const up = () =>
    fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
  for (let i = 0; i < 300 && !(await up()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  const stopGateway = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  return {
    base,
    dataDir,
    chain,
    token: (await readFile(path.join(dataDir, "operator.key"), "utf8")).trim(),
    process: child,
    stopGateway,
    async stop() {
      await stopGateway();
      await chain.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
}
