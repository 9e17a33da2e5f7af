// `npm run demo:services`, with `npm start` running: service management, risk
// control and the regulator's statistics (issue 15), one role at a time. An
// enterprise orders a patent search and a valuation from two institutions; the
// valuation firm lets its acceptance deadline lapse and the operator reassigns the
// order; both reports are delivered, accepted and rated. A shill bidder is caught
// in an auction, and a large deal waits for a technology manager's approval before
// its terms go to the escrow. The auditor downloads the statistics as CSV and gets
// a link to the /statistics page.
// Settings: GATEWAY_URL (default http://127.0.0.1:$PORT, PORT default 8080; scripts/lib/gatewayUrl.ts), DATA_DIR (default ./data).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createGatewayClient } from "../sdk";
import { account } from "./lib/demoAccounts";
import { demoServiceOrders } from "./lib/demoServicesOrders";
import { demoReviewer, demoServicesRisk } from "./lib/demoServicesRisk";
import { demoServicesStats } from "./lib/demoServicesStats";
import { ok, step } from "./lib/demoSteps";
import { gatewayUrl } from "./lib/gatewayUrl";

const baseUrl = gatewayUrl();
const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");

async function main(): Promise<void> {
  const operatorToken = (await readFile(path.join(dataDir, "operator.key"), "utf8")).trim();
  const gateway = createGatewayClient({ baseUrl });
  const operator = gateway.withToken(operatorToken);

  step("A reviewer, and the enterprise that orders services, certified through the gateway");
  const reviewer = await demoReviewer(baseUrl, operator);
  const company = await account(gateway, operator, reviewer, "demander", {
    zh: "曼谷某新能源公司",
    en: "A Bangkok Energy Company",
  });
  ok(`the enterprise ${company.user.id} is certified`);

  await demoServiceOrders(baseUrl, { operator, reviewer, enterprise: company.client });
  await demoServicesRisk(baseUrl, { operator, reviewer });
  const { csvFile, pageUrl } = await demoServicesStats(baseUrl, { operator });

  step("Done.");
  console.log(`  the statistics as CSV: ${csvFile}`);
  console.log(`  the statistics page (open within 15 minutes): ${pageUrl}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
