import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform } from "../helpers/platform";

/** `npm run demo:deal` against a platform of its own: it runs to the end and every record of the deal verifies. */
describe("demo:deal", () => {
  let t: TestPlatform;
  let dataDir: string;

  beforeAll(async () => {
    t = await startTestPlatform();
    dataDir = await mkdtemp(path.join(tmpdir(), "demo-deal-"));
    await writeFile(path.join(dataDir, "operator.key"), t.token);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("goes from a confirmed match to escrow terms on chain, printing record ids, and verifies the deal's records", async () => {
    const script = path.join(__dirname, "../../scripts/demo-deal.ts");
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      env: { ...process.env, GATEWAY_URL: t.url, DATA_DIR: dataDir },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += String(chunk)));
    child.stderr.on("data", (chunk) => (output += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (process.env.SHOW_DEMO_OUTPUT) console.log(output);
    expect(code, output).toBe(0);
    expect(output).toContain("minutes signed by both parties' keys");
    expect(output).toContain("contract signed");
    expect(output).toMatch(/the deal is signed; price/);
    expect(output).toMatch(/(\d+) of \1 records of deal:deal_\w+ verify/);
    expect(output).toContain("Done.");
  }, 240_000);
});
