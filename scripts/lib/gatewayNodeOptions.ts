import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The Node options `npm start` runs the gateway with, read from package.json's
 * `start` script (`node <options> scripts/start.ts`), so that a benchmark that
 * starts the gateway in a process of its own measures it as a user runs it
 * (the options are part of its memory and speed: docs/DEPLOY.md).
 */
export function gatewayNodeOptions(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const words = manifest.scripts.start.trim().split(/\s+/);
  if (words[0] !== "node" || words.at(-1) !== "scripts/start.ts") {
    throw new Error(`package.json's start script is not "node <options> scripts/start.ts": ${manifest.scripts.start}`);
  }
  return words.slice(1, -1);
}
