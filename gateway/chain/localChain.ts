import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export interface LocalChain {
  rpcUrl: string;
  process: ChildProcess;
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
 * Starts a local EVM node (anvil) that keeps its state in `stateFile`, dumped
 * every second and on a graceful stop, so that it survives a restart and, but
 * for the last second, a kill -9. The gateway reconciles that last second.
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
    args.push("--load-state", stateFile);
  } else if (stateFile) {
    await mkdir(path.dirname(stateFile), { recursive: true, mode: 0o700 });
    args.push("--state", stateFile, "--state-interval", "1");
    pidFile = path.join(path.dirname(stateFile), "anvil.pid");
    await stopOrphan(pidFile);
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
