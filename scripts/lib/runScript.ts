import { spawn } from "node:child_process";

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the project's TypeScript scripts (`node --import tsx <script> <args>`)
 * to its end and collects what it printed. Not spawnSync: a blocked event loop
 * misses the gateway closing an idle keep-alive connection, and the caller's
 * next request would go out on the dead socket.
 */
export async function runScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScriptRun> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { status, stdout, stderr };
}
