// `npm run demo`, with `npm start` running: the whole platform, one role at a
// time. A Yunnan university and a Thai company meet through the market, and two
// deals run their course with a broker, a technology manager, an evaluator, a
// reviewer, the supervising bank's own system (a separate process) and an
// arbitration body: deal 1 from the match to the release of its money, deal 2
// through a dispute and a split ruling, its dossier verified offline.
// Settings: GATEWAY_URL (default http://127.0.0.1:$PORT, PORT default 8080; scripts/lib/gatewayUrl.ts), DATA_DIR (default ./data).
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  createGatewayClient,
  decryptDelivery,
  encryptDelivery,
  fileDigest,
  generateDeliveryKey,
  type ChainInfo,
  type EscrowActionName,
  type Statement,
} from "../sdk";
import { startBank, type DemoBank } from "./lib/demoBank";
import {
  castForDeal,
  negotiateToEscrow,
  openDealByMatch,
  verifySubject,
  type DealCast,
  type Party,
} from "./lib/demoDeal";
import { ok, step, until, yuan } from "./lib/demoSteps";
import { gatewayUrl } from "./lib/gatewayUrl";

const baseUrl = gatewayUrl();
const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");

/** A party signs its move (EIP-712 MilestoneAction over the milestone's nonce); the gateway relays it. */
function move(
  party: Party,
  dealId: string,
  action: EscrowActionName,
  extra: { statement?: Statement; release?: number; refund?: number } = {},
) {
  return party.client.moveMilestone({ dealId, milestone: 0, action, signer: party.wallet, ...extra });
}

/** Until the deal's workspace reaches `state` (the escrow's events move it). */
function dealIn(cast: DealCast, dealId: string, state: string) {
  return until(`deal ${dealId} ${state}`, async () => {
    const workspace = await cast.company.client.getDealWorkspace({ dealId });
    return workspace.state === state ? workspace : undefined;
  });
}

/** Both parties name the same technology manager (技术经理人), who then follows the deal through performance. */
async function appointManager(cast: DealCast, dealId: string): Promise<void> {
  await cast.university.client.appointDealParticipant({ dealId, role: "manager", userId: cast.ids.manager! });
  const appointed = await cast.company.client.appointDealParticipant({
    dealId,
    role: "manager",
    userId: cast.ids.manager!,
  });
  ok("a technology manager appointed by both parties", appointed.manager.recordId);
}

/** The company pays the milestone into the supervised account; the bank's system reports it and locks it on chain. */
async function deposit(cast: DealCast, bank: DemoBank, dealId: string, amount: number): Promise<void> {
  step(`Deal ${dealId}: the company pays ${yuan(amount)} into the supervised account; the bank reports and locks it`);
  await bank.run("deposit", "--deal", dealId, "--milestone", "0", "--amount", String(amount), "--currency", "CNY");
  await until("the lock", async () => {
    const escrow = await cast.company.client.getEscrow({ dealId });
    return escrow.milestones[0].state === "locked" ? true : undefined;
  });
  const workspace = await dealIn(cast, dealId, "performing");
  ok(`locked on the escrow by the bank's own key; the deal is ${workspace.state}`);
}

/** The university delivers the materials encrypted to the company (and the arbitrator); the company opens them. */
async function deliver(cast: DealCast, dealId: string, companyIdentity: string): Promise<void> {
  step(`Deal ${dealId}: the university delivers the materials, encrypted to the company and the arbitrator`);
  const { parties } = await cast.university.client.getEscrow({ dealId });
  const materials = new TextEncoder().encode("%PDF-1.4 工艺包 v1.0：热解 480 °C，45 分钟");
  const sealed = await encryptDelivery(materials, [parties.demander.recipient!, parties.arbitrator.recipient!]);
  const delivered = await move(cast.university, dealId, "deliver", {
    statement: { text: "工艺包 v1.0 及培训记录", files: [{ name: "process-package.pdf.age", bytes: sealed }] },
  });
  const received = await fetch(`${baseUrl}/v1/deals/${dealId}/documents/${fileDigest(sealed)}`, {
    headers: { authorization: `Bearer ${cast.company.client.token}` },
  });
  const opened = await decryptDelivery(new Uint8Array(await received.arrayBuffer()), companyIdentity);
  ok(
    `the company decrypts ${sealed.length} bytes with its own key: "${new TextDecoder().decode(opened).slice(9, 21)}…"`,
  );
  ok(`milestone ${delivered.milestone.state}; the company's inspection period runs`);
}

/** Deal 1: accepted, paid by the bank on the escrow's instruction; the deal is delivered. */
async function acceptAndRelease(cast: DealCast, dealId: string): Promise<void> {
  step(`Deal ${dealId}: the company accepts; the escrow instructs the bank, which pays and confirms`);
  await move(cast.company, dealId, "accept");
  const released = await until("the release", async () => {
    const escrow = await cast.company.client.getEscrow({ dealId });
    return escrow.milestones[0].state === "released" ? escrow.milestones[0] : undefined;
  });
  ok(`released: ${yuan(released.released)} paid to the university`);
  const workspace = await dealIn(cast, dealId, "delivered");
  ok(`the deal is ${workspace.state}`);
}

/** Deal 2: disputed, escalated, ruled 70/30 by the arbitrator and executed by the bank. */
async function disputeAndRule(cast: DealCast, dealId: string, amount: number): Promise<string> {
  step(`Deal ${dealId}: the company disputes the delivery; the parties talk, then escalate to the arbitrator`);
  await move(cast.company, dealId, "open-dispute", {
    statement: {
      text: "Pilot line throughput reached only 60% of the contracted figure",
      files: [{ name: "measurements.csv", bytes: new TextEncoder().encode("hour,tonnes\n1,0.6\n") }],
    },
  });
  const disputeId = `${dealId}.m0`;
  await cast.university.client.sendDisputeMessage({ disputeId, text: "进料不符合技术规范，产能受影响" });
  await move(cast.university, dealId, "propose-settlement", { release: (amount * 9) / 10, refund: amount / 10 });
  await move(cast.company, dealId, "escalate");
  ok(`dispute ${disputeId} is with the arbitrator; the money stays frozen at the bank`);

  step(`Deal ${dealId}: the arbitrator rules a split: 70% to the university, 30% back to the company`);
  await move(cast.arbitrator, dealId, "rule", {
    statement: { text: "裁决：70% 支付技术方，30% 退还需求方" },
    release: (amount * 7) / 10,
    refund: (amount * 3) / 10,
  });
  const split = await until("the split", async () => {
    const escrow = await cast.company.client.getEscrow({ dealId });
    return escrow.milestones[0].state === "split" ? escrow.milestones[0] : undefined;
  });
  ok(`executed by the bank: ${yuan(split.released)} to the university, ${yuan(split.refunded)} back to the company`);
  return disputeId;
}

/** The arbitrator's dossier of deal 2, downloaded and verified offline with `npm run verify`. */
async function verifyDisputeDossier(cast: DealCast, disputeId: string, chain: ChainInfo): Promise<void> {
  step("The dossier: every record of the dispute as certificates, downloaded and verified without the gateway");
  const dossier = await until("every record anchored", async () => {
    const file = await cast.arbitrator.client.getDisputeDossier({ disputeId });
    return file.pendingRecords === 0 ? file : undefined;
  });
  const file = path.join(dataDir, `dossier-${disputeId}.json`);
  await writeFile(file, JSON.stringify(dossier, null, 2));
  ok(`${dossier.certificates.length} records and ${dossier.documents.length} documents in ${file}`);
  await verifyOffline(file, chain);
}

/** `npm run verify` on a downloaded file against the operator's own trust anchor ($DATA_DIR/trust.json). */
async function verifyOffline(file: string, chain: ChainInfo): Promise<void> {
  const trustFile = path.join(dataDir, "trust.json");
  console.log(
    `  $ npm run verify -- ${path.relative(process.cwd(), file)} --trust ${path.relative(process.cwd(), trustFile)}`,
  );
  const child = spawn(process.execPath, [
    "--import",
    "tsx",
    path.join(__dirname, "verify.ts"),
    file,
    "--trust",
    trustFile,
    "--rpc",
    chain.rpcUrl,
  ]);
  let output = "";
  child.stdout.on("data", (chunk) => (output += String(chunk)));
  child.stderr.on("data", (chunk) => (output += String(chunk)));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  process.stdout.write(output.replace(/^/gm, "    "));
  if (status !== 0) throw new Error(`${file} did not verify`);
}

async function main(): Promise<void> {
  const operatorToken = (await readFile(path.join(dataDir, "operator.key"), "utf8")).trim();
  const gateway = createGatewayClient({ baseUrl });
  const operator = gateway.withToken(operatorToken);
  const chain = await gateway.getChainInfo();
  // The company and the arbitrator receive deliveries at age keys of their own.
  const companyKey = await generateDeliveryKey();
  const arbitratorKey = await generateDeliveryKey();
  const cast = await castForDeal(gateway, operator, {
    withManager: true,
    recipients: { company: companyKey.recipient, arbitrator: arbitratorKey.recipient },
  });

  step("The supervising bank's system: enrolled once, then running as its own process");
  const bank = await startBank(baseUrl, dataDir, chain.rpcUrl);
  try {
    const deals: string[] = [];
    for (const variant of ["", " (II)"]) {
      const dealId = await openDealByMatch(cast, variant);
      await appointManager(cast, dealId);
      await negotiateToEscrow(cast, dealId, chain);
      deals.push(dealId);
    }
    const [first, second] = deals;
    for (const dealId of deals) {
      const { milestones } = await cast.company.client.getEscrow({ dealId });
      await deposit(cast, bank, dealId, milestones[0].amount);
      await deliver(cast, dealId, companyKey.identity);
    }
    await acceptAndRelease(cast, first);
    const { milestones } = await cast.company.client.getEscrow({ dealId: second });
    const disputeId = await disputeAndRule(cast, second, milestones[0].amount);
    await verifyDisputeDossier(cast, disputeId, chain);

    step("Every record of deal 1, checked against the chain");
    await verifySubject(operator, `deal:${first}`, chain.rpcUrl);
  } finally {
    bank.stop();
  }
  console.log("\nDone.");
}

main().catch((error) => {
  console.error(`\n✗ ${(error as Error).message}`);
  process.exit(1);
});
