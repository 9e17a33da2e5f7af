import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { writeDurably } from "./finality";

export interface LocalChain {
  rpcUrl: string;
  process: ChildProcess;
  /** Resolves when the node's process has ended, however it ended. */
  exited: Promise<void>;
  /** Stops the node gracefully (it writes its state first). */
  stop(): Promise<void>;
}

export interface LocalChainOptions {
  port: number;
  /** File the chain's state is kept in; without it the chain is forgotten when it stops. */
  stateFile?: string;
  chainId?: number;
  /** Load `stateFile` but never write it (for read-only tools such as the audit). */
  readOnly?: boolean;
}

/** Path of the anvil binary that the `@foundry-rs/anvil` npm package installed for this platform. */
export function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  const binary = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), "bin", "anvil");
  if (!existsSync(binary)) throw new Error(`the anvil binary is missing from ${pkg}; run npm install`);
  return binary;
}

/** Resolves once `rpcUrl` answers JSON-RPC, or rejects after `timeoutMs`. */
export async function waitForRpc(rpcUrl: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`the chain at ${rpcUrl} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Where the gateway writes the chain's state when it makes a block final
 * (`Finality`), beside the node's own `stateFile`.
 */
export function finalStateFile(stateFile: string): string {
  return stateFile.replace(/(\.json)?$/, ".final.json");
}

/** The newest block a saved state holds; undefined when the file is missing or cut short. */
async function savedHeight(file: string): Promise<number | undefined> {
  try {
    const state = JSON.parse(await readFile(file, "utf8")) as { best_block_number?: string | number };
    return state.best_block_number === undefined ? undefined : Number(BigInt(state.best_block_number));
  } catch {
    return undefined;
  }
}

/**
 * Which saved state a (re)start loads: the node's own file (saved every second
 * and at a clean stop, not atomically) or the gateway's (written durably for
 * each final block), whichever holds more blocks and reads whole. Both come
 * from the same node, so the higher one holds everything the other does.
 */
export async function bestSavedState(stateFile: string): Promise<{ file: string; height?: number }> {
  const [own, final] = await Promise.all([savedHeight(stateFile), savedHeight(finalStateFile(stateFile))]);
  if (final !== undefined && (own === undefined || final > own))
    return { file: finalStateFile(stateFile), height: final };
  return { file: stateFile, height: own };
}

/**
 * Starts a local EVM node (anvil) that keeps its state in `stateFile`, saved
 * every second and on a graceful stop, and loads at start the newer of that
 * file and the one the gateway writes for every final block
 * (`finalStateFile`), so that it survives a restart and a kill -9 without
 * losing a block a certificate names.
 * Base fee and gas price are zero, like the permissioned chains it stands in for.
 */
export async function startLocalChain({
  port,
  stateFile,
  chainId = 31337,
  readOnly = false,
}: LocalChainOptions): Promise<LocalChain> {
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId)];
  args.push("--base-fee", "0", "--gas-price", "0", "--silent");
  let pidFile: string | undefined;
  if (stateFile && readOnly) {
    args.push("--load-state", (await bestSavedState(stateFile)).file);
  } else if (stateFile) {
    await mkdir(path.dirname(stateFile), { recursive: true, mode: 0o700 });
    pidFile = path.join(path.dirname(stateFile), "anvil.pid");
    await stopOrphan(pidFile);
    const best = await bestSavedState(stateFile);
    if (best.file !== stateFile) await writeDurably(stateFile, await readFile(best.file));
    args.push("--state", stateFile, "--state-interval", "1");
  }
  const child = spawn(anvilBinary(), args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  if (pidFile && child.pid) await writeFile(pidFile, String(child.pid));
  const rpcUrl = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitForRpc(rpcUrl),
      exited.then(() => {
        throw new Error(`the local chain exited at start: ${stderr.trim() || "no message"} (is port ${port} in use?)`);
      }),
    ]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    rpcUrl,
    process: child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      if (pidFile) await rm(pidFile, { force: true });
    },
  };
}

/** A node left running by a start that was killed (kill -9 takes no children with it). */
async function stopOrphan(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(await readFile(pidFile, "utf8"));
  } catch {
    return;
  }
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "anvil");
    if (!cmdline.includes("anvil")) return;
    process.kill(pid, "SIGTERM");
    for (let i = 0; i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      process.kill(pid, 0);
    }
    process.kill(pid, "SIGKILL");
  } catch {
    // gone
  }
}

export interface SupervisedChain {
  rpcUrl: string;
  /** The node running now (it changes at each restart). */
  current(): LocalChain;
  /** How many times the node was restarted after it died, and when last. */
  restarts(): { count: number; lastAt?: string };
  /** Stops supervising and stops the node gracefully. */
  stop(): Promise<void>;
}

/**
 * Runs the local chain and restarts it on the same port and the same saved
 * state whenever its process dies (a crash, a kill -9, the OOM killer), logging
 * each death and restart. Restarts are retried with a short backoff, so the
 * chain is back within seconds.
 */
export async function superviseLocalChain(
  options: LocalChainOptions & { stateFile: string; log: (message: string) => void },
): Promise<SupervisedChain> {
  let chain = await startLocalChain(options);
  let stopping = false;
  let count = 0;
  let lastAt: string | undefined;
  const watch = (node: LocalChain) => {
    void node.exited.then(async () => {
      if (stopping) return;
      const diedAt = Date.now();
      const { exitCode, signalCode } = node.process;
      options.log(
        `the local chain (pid ${node.process.pid}) died (${signalCode ?? `exit ${exitCode}`}); restarting it`,
      );
      for (let delay = 100; !stopping; delay = Math.min(delay * 2, 2000)) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (stopping) return;
        try {
          const restarted = await startLocalChain(options);
          if (stopping) {
            // Stopped while the restart was on its way: stop what it started.
            await restarted.stop();
            return;
          }
          chain = restarted;
          count++;
          lastAt = new Date().toISOString();
          const { height } = await bestSavedState(options.stateFile);
          options.log(
            `local chain restarted (pid ${chain.process.pid}) on its saved state (block ${height ?? 0}) ` +
              `in ${Date.now() - diedAt} ms`,
          );
          watch(chain);
          return;
        } catch (error) {
          options.log(`could not restart the local chain: ${(error as Error).message}; trying again`);
        }
      }
    });
  };
  watch(chain);
  return {
    rpcUrl: chain.rpcUrl,
    current: () => chain,
    restarts: () => ({ count, lastAt }),
    async stop() {
      stopping = true;
      await chain.stop();
    },
  };
}
