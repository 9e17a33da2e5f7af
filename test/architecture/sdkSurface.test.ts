import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import packageJson from "../../package.json";

const ROOT = path.join(__dirname, "../..");
const SDK_DIR = path.join(ROOT, "sdk");
const SURFACE = `${packageJson.name}/sdk`;

function* typeScriptFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* typeScriptFiles(full);
    else if (entry.name.endsWith(".ts")) yield full;
  }
}

/** Every module specifier of a file: static imports and re-exports, `import()` and `require()`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+"([^"]+)"/g, /\bimport\s+"([^"]+)"/g, /\b(?:import|require)\(\s*"([^"]+)"\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

/**
 * The one exception: the evidence thread loads the two SDK modules it runs (field
 * sealing, the receipt digest), not the surface, which brings ethers, zod and age
 * into a thread that needs none of them (about 0.7 s of its start).
 */
const DEEP_IMPORTS_ALLOWED: Record<string, string[]> = {
  "gateway/evidence/evidenceThread.worker.ts": [
    "../../sdk/evidence/sealRecord",
    "../../sdk/receipts/receiptDigest",
    "../../sdk/receipts/receiptBatch",
  ],
};

describe("the gateway uses the SDK through its public surface", () => {
  it(`package.json exports ${SURFACE}`, () => {
    expect(packageJson.exports["./sdk"]).toBe("./sdk/index.ts");
  });

  it(`imports the SDK only as "${SURFACE}", never a file inside sdk/`, () => {
    const deep: string[] = [];
    for (const file of typeScriptFiles(path.join(ROOT, "gateway"))) {
      for (const specifier of specifiers(readFileSync(file, "utf8"))) {
        const intoSdk = specifier.startsWith(".")
          ? path.resolve(path.dirname(file), specifier).startsWith(SDK_DIR)
          : specifier.startsWith(`${packageJson.name}/`) && specifier !== SURFACE;
        const allowed = DEEP_IMPORTS_ALLOWED[path.relative(ROOT, file)]?.includes(specifier);
        if (intoSdk && !allowed) deep.push(`${path.relative(ROOT, file)}: ${specifier}`);
      }
    }
    expect(deep).toEqual([]);
  });
});
