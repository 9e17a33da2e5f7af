// `npm run demo:deal`, with `npm start` running: the deal workspace (6.5–6.7)
// end to end. A Yunnan university (writing in Chinese) and a Thai company
// (writing in English) go from a confirmed match through messages, signed
// negotiation minutes, a site visit, an income-approach evaluation and a patent
// licence drafted from the template and signed by both, to escrow terms on chain
// taken from the contract; every step prints its record id, and at the end every
// record of the deal is checked against the chain with the SDK's verifyCertificate.
// Settings: GATEWAY_URL (default http://127.0.0.1:$PORT, PORT default 8080; scripts/lib/gatewayUrl.ts), DATA_DIR (default ./data).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createGatewayClient } from "../sdk";
import { castForDeal, negotiateToEscrow, openDealByMatch, verifySubject } from "./lib/demoDeal";
import { step } from "./lib/demoSteps";
import { gatewayUrl } from "./lib/gatewayUrl";

const baseUrl = gatewayUrl();
const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");
async function main(): Promise<void> {
  const operatorToken = (await readFile(path.join(dataDir, "operator.key"), "utf8")).trim();
  const gateway = createGatewayClient({ baseUrl });
  const operator = gateway.withToken(operatorToken);
  const chain = await gateway.getChainInfo();
  const cast = await castForDeal(gateway, operator);
  const dealId = await openDealByMatch(cast);
  await negotiateToEscrow(cast, dealId, chain);
  step(
    "Every record of the deal, checked against the chain (verifyCertificate, trust anchor from GET /v1/chain/trust)",
  );
  await verifySubject(operator, `deal:${dealId}`, chain.rpcUrl);
  console.log("\nDone.");
}

main().catch((error) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
