import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript } from "../../scripts/lib/runScript";
import { startTestPlatform, type TestPlatform } from "../helpers/platform";

/**
 * `npm run demo` against a platform of its own, with the bank's system as a
 * separate process: both deals run their course to their archives, and the
 * dossier and both archives verify offline.
 */
describe("npm run demo", () => {
  let t: TestPlatform;

  beforeAll(async () => {
    t = await startTestPlatform();
    // What npm start leaves in DATA_DIR for the demo and the bank's system (trust.json is the platform's own).
    await writeFile(path.join(t.dataDir, "operator.key"), t.token, { mode: 0o600 });
    await writeFile(path.join(t.dataDir, "bank.key"), t.bankKey, { mode: 0o600 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("runs both deals with every role, printing each step's record, and verifies what it downloads", async () => {
    const run = await runScript(path.join(__dirname, "../../scripts/demo.ts"), [], {
      ...process.env,
      GATEWAY_URL: t.url,
      DATA_DIR: t.dataDir,
    });
    const output = `${run.stdout}${run.stderr}`;
    const code = run.status;
    if (process.env.SHOW_DEMO_OUTPUT) console.log(output);
    expect(code, output).toBe(0);
    expect(output).toContain("a technology manager appointed by both parties");
    expect(output).toMatch(/the deal is signed; price/);
    expect(output).toMatch(/locked on the escrow by the bank's own key; the deal is performing/);
    expect(output).toContain("the company decrypts");
    expect(output).toMatch(/released: ¥[\d,.]+ paid to the university/);
    expect(output).toContain("the deal is delivered");
    expect(output).toMatch(/executed by the bank: ¥210,000\.00 to the university, ¥90,000\.00 back to the company/);
    expect(output).toMatch(/question answered in \d+ s; the deal is following up/);
    expect(output).toContain("the manager's service summary");
    expect(output.match(/moved to archived/g)).toHaveLength(2);
    expect(output.match(/VALID: seq 0\.\.\d+ complete and in order/g), "the dossier and both archives").toHaveLength(3);
    expect(output.match(/archived at .* \(derived from the records\)/g)).toHaveLength(2);
    expect(output).toContain("Done.");
  }, 400_000);
});
