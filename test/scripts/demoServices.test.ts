import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript } from "../../scripts/lib/runScript";
import { startTestPlatform, type TestPlatform } from "../helpers/platform";

/**
 * `npm run demo:services` against a platform of its own: the orders (one late and
 * reassigned), the shill bidder, the large deal held for approval, and the
 * auditor's CSV and page link.
 */
describe("npm run demo:services", () => {
  let t: TestPlatform;
  let csvFile: string | undefined;

  beforeAll(async () => {
    t = await startTestPlatform();
    // What npm start leaves in DATA_DIR for the demo.
    await writeFile(path.join(t.dataDir, "operator.key"), t.token, { mode: 0o600 });
  });
  afterAll(async () => {
    if (csvFile) await rm(csvFile, { force: true });
    await t?.close();
  });

  it("orders two services, catches a shill bidder, holds a large deal for approval, and downloads the statistics", async () => {
    const run = await runScript(path.join(__dirname, "../../scripts/demo-services.ts"), [], {
      ...process.env,
      GATEWAY_URL: t.url,
      DATA_DIR: t.dataDir,
    });
    const output = `${run.stdout}${run.stderr}`;
    const code = run.status;
    if (process.env.SHOW_DEMO_OUTPUT) console.log(output);
    expect(code, output).toBe(0);
    expect(output).toMatch(/patent search ordered from \S+ at ¥/);
    expect(output).toMatch(/late: acceptance deadline .* passed, still ordered/);
    expect(output).toMatch(/reassigned to /);
    expect(output.match(/completed and rated \d\/5/g)).toHaveLength(2);
    expect(output).toContain("bid refused: 409 SHILL_BIDDING_SUSPECTED");
    expect(output).toMatch(/held: 409 DEAL_APPROVAL_REQUIRED/);
    expect(output).toMatch(/approved by the technology manager for ¥/);
    expect(output).toContain("both parties signed; the terms are on the escrow");
    csvFile = /the statistics as CSV: (\S+)/.exec(output)?.[1];
    const csv = await readFile(csvFile!, "utf8");
    expect(csv.split("\r\n")[0]).toBe("section,dimension,key,currency,count,amount,median_seconds");
    expect(csv).toContain("serviceOrders,kind,ip,,1,,");
    expect(output).toMatch(/\/statistics\?ticket=sptk_/);
    expect(output).toContain("Done.");
  }, 400_000);
});
