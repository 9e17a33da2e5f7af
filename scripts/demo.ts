// `npm run demo`, with `npm start` running: the whole platform, one role at a
// time. A Yunnan university and a Thai company meet through the market, and two
// deals run their course with a broker, a technology manager, an evaluator, a
// reviewer, the supervising bank's own system (a separate process) and an
// arbitration body: deal 1 from the match to the release of its money, follow-up,
// summary, ratings and archive; deal 2 through a dispute and a split ruling, its
// dossier verified offline, then summarised and archived too. Both archives are
// verified offline with `npm run verify` (and can be dropped on the /verify page).
// Settings: GATEWAY_URL (default http://127.0.0.1:$PORT, PORT default 8080; scripts/lib/gatewayUrl.ts), DATA_DIR (default ./data).
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
  type MoveMilestoneParameters,
} from "../sdk";
import { startBank, type DemoBank } from "./lib/demoBank";
import { runScript } from "./lib/runScript";
import { castForDeal, negotiateToEscrow, openDealByMatch, type DealCast, type Party } from "./lib/demoDeal";
import { ok, step, until, untilReady, yuan } from "./lib/demoSteps";
import { gatewayUrl } from "./lib/gatewayUrl";

const baseUrl = gatewayUrl();
const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");

/** A party signs its move (EIP-712 MilestoneAction over the milestone's nonce); the gateway relays it. */
function move(
  party: Party,
  dealId: string,
  action: EscrowActionName,
  extra: Pick<MoveMilestoneParameters, "statement" | "release" | "refund"> = {},
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
  // The terms have the arbitrator read deliveries too (for a dispute): the file names both recipients.
  const recipients = [parties.demander.recipient!, parties.arbitrator.recipient!];
  const sealed = await encryptDelivery(materials, recipients);
  const delivered = await move(cast.university, dealId, "deliver", {
    statement: {
      text: "工艺包 v1.0 及培训记录",
      files: [{ name: "process-package.pdf.age", bytes: sealed, recipients }],
    },
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
  const dossier = await untilReady(
    "every record anchored",
    "DOSSIER_NOT_READY",
    () => cast.arbitrator.client.getDisputeDossier({ disputeId }),
    (file) => file.pendingRecords === 0,
  );
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
  const { status, stdout, stderr } = await runScript(path.join(__dirname, "verify.ts"), [
    file,
    "--trust",
    trustFile,
    "--rpc",
    chain.rpcUrl,
  ]);
  process.stdout.write(`${stdout}${stderr}`.replace(/^/gm, "    "));
  if (status !== 0) throw new Error(`${file} did not verify`);
}

/** 6.9: the company asks, the university answers; the manager schedules check-ins after delivery. */
async function followUp(cast: DealCast, dealId: string): Promise<void> {
  step(`Deal ${dealId}: follow-up (6.9): a question answered, check-ins scheduled`);
  const question = await cast.company.client.askFollowUpQuestion({
    dealId,
    kind: "training",
    text: "Could your engineers train our second shift on the leaching step?",
  });
  const answered = await cast.university.client.answerFollowUpQuestion({
    dealId,
    questionId: question.id,
    text: "可以。我们下周派两名工程师到罗勇 / Yes: two engineers come to Rayong next week.",
  });
  ok(`question answered in ${answered.responseSeconds} s; the deal is following up`, answered.answers.at(-1)?.recordId);
  const checkIns = await cast.manager!.client.scheduleCheckIns({
    dealId,
    when: [{ afterMonths: 1 }, { afterMonths: 3 }, { afterMonths: 6 }],
  });
  ok(`check-ins due ${checkIns.checkIns.map((c) => c.dueAt.slice(0, 10)).join(", ")}; the company is reminded of each`);
}

/** 6.10–6.11: each side's self-evaluation, the evaluator's and the manager's summaries, ratings. */
async function summarise(cast: DealCast, dealId: string, outcome: "completed" | "partly_completed"): Promise<void> {
  step(`Deal ${dealId}: summary (6.10) and ratings (6.11)`);
  for (const [party, overall] of [
    [cast.university, 5],
    [cast.company, outcome === "completed" ? 5 : 3],
  ] as const) {
    const part = await party.client.submitDealSelfEvaluation({
      dealId,
      wentWell: ["clear technical exchange"],
      wentBadly: outcome === "completed" ? [] : ["throughput below the contract"],
      scores: { overall },
    });
    ok("a party's self-evaluation", part.recordId);
  }
  const third = await cast.evaluator.client.submitThirdPartyEvaluation({
    dealId,
    wentWell: ["data for the valuation came on time"],
    wentBadly: [],
    scores: { overall: 4 },
  });
  ok("the evaluator's third-party evaluation", third.recordId);
  const summary = await cast.manager!.client.submitServiceSummary({
    dealId,
    work: ["kept the parties to the contract's schedule", "organised training and follow-up"],
    outcome,
  });
  ok(`the manager's service summary, with the time each step took`, summary.recordId);
  for (const [role, score] of [
    ["counterparty", 5],
    ["broker", 5],
    ["manager", 4],
    ["evaluator", 4],
    ["platform", 5],
  ] as const) {
    await cast.company.client.rateDealParticipant({ dealId, role, score, comment: "—" });
  }
  await cast.university.client.rateDealParticipant({ dealId, role: "counterparty", score: 5 });
  const figures = await cast.company.client.getUserRatings({ userId: cast.ids.manager! });
  ok(`ratings recorded; the manager's profile now shows ${JSON.stringify(figures.overall)}`);
}

/** The manager closes and archives the deal; its archive is downloaded and verified offline (6.10). */
async function archive(cast: DealCast, dealId: string, chain: ChainInfo): Promise<void> {
  step(`Deal ${dealId}: closed and archived; the archive downloaded and verified without the gateway`);
  for (const move of ["close", "archive"] as const) {
    const moved = await cast.manager!.client.moveDeal({ dealId, move });
    ok(`moved to ${moved.state}`, moved.history.at(-1)!.recordId);
  }
  // The gateway builds the archive once everything up to the archive move is anchored (about two seconds).
  const file = await untilReady("the archive", "ARCHIVE_NOT_READY", () =>
    cast.company.client.getDealArchive({ dealId }),
  );
  const saved = path.join(dataDir, `archive-${dealId}.json`);
  await writeFile(saved, JSON.stringify(file, null, 2));
  ok(`${file.certificates.length} records and ${file.documents.length} documents in ${saved}`);
  await verifyOffline(saved, chain);
  console.log(`  Open ${baseUrl}/verify and drop ${saved} to check it in a browser.`);
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
    await dealIn(cast, second, "delivered");

    await followUp(cast, first);
    await summarise(cast, first, "completed");
    await summarise(cast, second, "partly_completed");
    await archive(cast, first, chain);
    await archive(cast, second, chain);
  } finally {
    bank.stop();
  }
  console.log("\nDone.");
}

main().catch((error) => {
  console.error(`\n✗ ${(error as Error).message}`);
  process.exit(1);
});
