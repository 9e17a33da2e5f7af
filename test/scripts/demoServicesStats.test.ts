import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayClient } from "../../sdk";
import { demoServicesStats } from "../../scripts/lib/demoServicesStats";
import { startTestPlatform, type TestPlatform } from "../helpers/platform";

/** The statistics part of `npm run demo:services`, against a platform of its own. */
describe("demo:services, the statistics part", () => {
  let t: TestPlatform;
  const csvFile = path.join(tmpdir(), `demo-statistics-${process.pid}.csv`);

  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(async () => {
    await rm(csvFile, { force: true });
    await t?.close();
  });

  it("has a new auditor download the CSV to a file and open the page with a ticket", async () => {
    const operator = createGatewayClient({ baseUrl: t.url, token: t.token });
    const { rows, pageUrl } = await demoServicesStats(t.url, { operator }, { csvFile });
    expect((await readFile(csvFile, "utf8")).split("\r\n")[0]).toBe(rows[0]);
    expect(rows).toContain("deals,all,all,,0,,");
    expect(pageUrl).toMatch(/\/statistics\?ticket=sptk_/);
  }, 60_000);
});
