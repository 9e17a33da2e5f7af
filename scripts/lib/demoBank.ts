// The supervising bank's own system (scripts/bank-client.ts) as the demos run it:
// one-off commands run to their end, and the webhook receiver as its own process.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { until } from "./demoSteps";
import { runScript } from "./runScript";

const BANK_CLIENT = path.join(__dirname, "..", "bank-client.ts");

export interface DemoBank {
  /** Runs one command of the bank's system to its end, as its operators would; resolves with what it printed. */
  run(...args: string[]): Promise<string>;
  /** Stops the bank's receiver. */
  stop(): void;
}

/**
 * Enrols the bank's system once (its credentials live in `dataDir`), then starts
 * its receiver as a separate process, which reports deposits and executes the
 * escrow's instructions; its log lines are echoed, indented.
 */
export async function startBank(baseUrl: string, dataDir: string, rpcUrl: string): Promise<DemoBank> {
  const common = ["--gateway", baseUrl, "--data-dir", dataDir, "--rpc", rpcUrl];
  const run = async (...args: string[]): Promise<string> => {
    console.log(`  $ npm run bank -- ${args.join(" ")}`);
    const { status, stdout, stderr } = await runScript(BANK_CLIENT, [...args, ...common]);
    if (status !== 0) throw new Error(`the bank client failed: ${stderr || stdout}`);
    return stdout;
  };
  if (!existsSync(path.join(dataDir, "bank-credentials.json"))) await run("enrol");
  const server = spawn(process.execPath, ["--import", "tsx", BANK_CLIENT, "serve", "--port", "0", ...common], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let heard = "";
  server.stdout!.on("data", (chunk) => {
    heard += String(chunk);
    process.stdout.write(String(chunk).replace(/^(?=.)/gm, "    "));
  });
  await until("the bank client to listen", async () => (heard.includes('"listening"') ? true : undefined));
  return { run, stop: () => server.kill("SIGTERM") };
}
