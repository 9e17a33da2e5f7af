// The statistics part of `npm run demo:services`: the regulator (auditor) downloads
// the platform's statistics as CSV, and opens the /statistics page with a ticket.
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { createGatewayClient, type GatewayClient } from "../../sdk";
import { RECIPIENT } from "./demoAccounts";
import { ok, step } from "./demoSteps";

/** An auditor (the regulator's account), registered and granted the role by the operator, signed in. */
export async function demoAuditor(baseUrl: string, operator: GatewayClient): Promise<GatewayClient> {
  const gateway = createGatewayClient({ baseUrl });
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  const { user } = await gateway.register({
    signer: wallet,
    type: "individual",
    names: { zh: "科技厅监管员", en: "Regulator (provincial science department)" },
    encryptionRecipient: RECIPIENT,
  });
  await operator.grantRole({ userId: user.id, role: "auditor" });
  return (await gateway.signIn({ signer: wallet })).client;
}

/**
 * The auditor downloads the statistics of `period` (default: all time) as CSV, writes
 * it to `csvFile` (default: a file in the system's temporary folder), prints its path
 * and first lines, then asks for a page ticket and prints the /statistics page's URL.
 * Throws when the gateway refuses or the CSV is not the documented one.
 * Answers the file's path, the page's URL and the CSV's rows.
 *
 * @example
 * await demoServicesStats(baseUrl, { operator });             // makes its own auditor
 * await demoServicesStats(baseUrl, { operator, auditor }, { period: { from: "2027-01-01" } });
 */
export async function demoServicesStats(
  baseUrl: string,
  clients: { operator: GatewayClient; auditor?: GatewayClient },
  options: { period?: { from?: string; to?: string }; csvFile?: string } = {},
): Promise<{ csvFile: string; pageUrl: string; rows: string[] }> {
  step("The regulator (auditor) downloads the platform's statistics as CSV");
  const auditor = clients.auditor ?? (await demoAuditor(baseUrl, clients.operator));
  const query = new URLSearchParams({ format: "csv" });
  if (options.period?.from) query.set("from", options.period.from);
  if (options.period?.to) query.set("to", options.period.to);
  const response = await fetch(`${baseUrl}/v1/statistics?${query}`, {
    headers: { authorization: `Bearer ${auditor.token}` },
  });
  const csv = await response.text();
  if (response.status !== 200) throw new Error(`GET /v1/statistics?format=csv answered ${response.status}: ${csv}`);
  const rows = csv.split("\r\n").filter((line) => line !== "");
  if (rows[0] !== "section,dimension,key,currency,count,amount,median_seconds") {
    throw new Error(`the statistics CSV starts with an unexpected header: ${rows[0]}`);
  }
  const csvFile = options.csvFile ?? path.join(tmpdir(), `ttl-statistics-${new Date().toISOString().slice(0, 10)}.csv`);
  await writeFile(csvFile, csv);
  ok(`${rows.length - 1} rows written to ${csvFile}`);
  const totals = rows.filter((row) => /^[^,]+,all,all,/.test(row));
  for (const row of [rows[0], ...totals]) console.log(`    ${row}`);

  step("The regulator opens the statistics page (charts drawn by the gateway) with a 15-minute ticket");
  const { url, expiresAt } = await auditor.createStatisticsPageTicket();
  const pageUrl = `${baseUrl}${url}`;
  const page = await fetch(pageUrl);
  if (page.status !== 200 || !(await page.text()).includes("<svg")) {
    throw new Error(`the statistics page answered ${page.status}`);
  }
  ok(`open ${pageUrl} (until ${expiresAt}; add &from=YYYY-MM-DD&to=YYYY-MM-DD for a period)`);
  return { csvFile, pageUrl, rows };
}
