// `npm run demo:escrow`, with `npm start` running: clause 6.8 and the
// transaction guarantee end to end. A Yunnan university and a Guangdong company
// agree two deals with the supervising bank holding the money; the bank's own
// system (scripts/bank-client.ts, started here as a separate process) reports
// deposits, locks them on the escrow with the bank's key, and executes what the
// escrow instructs. Deal 1 runs deposit → delivery → acceptance → release;
// deal 2 runs into a dispute, a split ruling by the arbitrator, executed by the
// bank; its dossier is downloaded and verified offline, and the day reconciled.
// Settings: GATEWAY_URL (default http://127.0.0.1:$PORT, PORT default 8080; scripts/lib/gatewayUrl.ts), DATA_DIR (default ./data).
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Wallet } from "ethers";
import {
  createGatewayClient,
  decryptDelivery,
  encryptDelivery,
  fileDigest,
  generateDeliveryKey,
  type EscrowActionName,
  type GatewayClient,
  type MoveMilestoneParameters,
} from "../sdk";
import { account } from "./lib/demoAccounts";
import { startBank } from "./lib/demoBank";
import { inDays, ok, step, until, untilReady, yuan } from "./lib/demoSteps";
import { gatewayUrl } from "./lib/gatewayUrl";

const baseUrl = gatewayUrl();
const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");

interface Party {
  client: GatewayClient;
  wallet: Wallet;
}

/** A party signs its move (EIP-712 MilestoneAction over the milestone's nonce); the gateway relays it. */
function move(
  party: Party,
  dealId: string,
  milestone: number,
  action: EscrowActionName,
  extra: Pick<MoveMilestoneParameters, "statement" | "release" | "refund"> = {},
) {
  return party.client.moveMilestone({ dealId, milestone, action, signer: party.wallet, ...extra });
}

async function main(): Promise<void> {
  const operatorToken = (await readFile(path.join(dataDir, "operator.key"), "utf8")).trim();
  const gateway = createGatewayClient({ baseUrl });
  const operator = gateway.withToken(operatorToken);
  const chain = await gateway.getChainInfo();

  step("Accounts: a reviewer, a Yunnan university (supplier), a Guangdong company (demander), an arbitration body");
  const reviewerKey = new Wallet(Wallet.createRandom().privateKey);
  const reviewerAccount = await gateway.register({
    signer: reviewerKey,
    type: "individual",
    names: { zh: "审核员" },
    encryptionRecipient: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
  });
  await operator.grantRole({ userId: reviewerAccount.user.id, role: "reviewer" });
  const reviewer = (await gateway.signIn({ signer: reviewerKey })).client;
  const university: Party = await account(gateway, operator, reviewer, "supplier", {
    zh: "云南某理工大学",
    en: "A Yunnan University",
  });
  // The company receives deliveries at an age key of its own; only it (and the arbitrator) can read them.
  const companyKey = await generateDeliveryKey();
  const arbitratorKey = await generateDeliveryKey();
  const company: Party = await account(
    gateway,
    operator,
    reviewer,
    "demander",
    {
      zh: "广东某新能源有限公司",
      en: "A Guangdong New Energy Co.",
    },
    false,
    companyKey.recipient,
  );
  const arbitrator: Party = await account(
    gateway,
    operator,
    reviewer,
    "arbitrator",
    {
      zh: "昆明仲裁委员会",
      en: "Kunming Arbitration Commission",
    },
    false,
    arbitratorKey.recipient,
  );
  const arbitratorId = (await arbitrator.client.getMe()).id;
  ok("certified, each with their own signing key");

  step("The supervising bank's system: enrolled once, then running as its own process");
  const bankSystem = await startBank(baseUrl, dataDir, chain.rpcUrl);
  const bank = (...args: string[]) => bankSystem.run(...args);

  try {
    step("Two deals from two confirmed matches (6.4.2)");
    const deals: string[] = [];
    const demand = await company.client.createListing({
      content: {
        side: "demand",
        language: "zh",
        title: { zh: "退役光伏组件回收与硅材料再生" },
        summary: { zh: "年处理退役光伏组件两万吨，需经济环保的回收工艺。" },
        problem: { zh: "组件填埋污染环境" },
        targets: ["硅回收率 ≥ 90%"],
        field: "env.recycling",
        ipc: ["B09B 3/00"],
        keywords: ["光伏组件回收", "硅回收"],
        minTrl: 5,
        budget: { min: 50_000_000, max: 200_000_000, currency: "CNY" },
        modes: ["transfer"],
        region: "CN-44",
        deadline: "2027-12-31",
      },
    });
    await reviewer.reviewListing({ listingId: demand.id, approved: true });
    for (const title of ["晶硅光伏组件绿色回收工艺包", "高纯硅再生中试线技术"]) {
      const supply = await university.client.createListing({
        content: {
          side: "supply",
          language: "zh",
          title: { zh: title },
          summary: { zh: "低温热解与湿法冶金联用，回收玻璃、铝、银和高纯硅。" },
          field: "env.recycling",
          ipc: ["B09B 3/00"],
          keywords: ["光伏组件回收", "高纯硅"],
          trl: 6,
          resultKind: "patent",
          ip: [
            {
              number: `ZL2021${Date.now() % 1e6}.${deals.length}`,
              kind: "invention-patent",
              status: "granted",
              owner: "云南某理工大学",
            },
          ],
          modes: ["transfer"],
          price: { amount: 100_000_000, currency: "CNY" },
          region: "CN-53",
        },
      });
      await reviewer.reviewListing({ listingId: supply.id, approved: true });
      const match = await company.client.proposeMatch({ supplyId: supply.id, demandId: demand.id });
      await company.client.answerMatch({ matchId: match.id, accept: true });
      const answer = await university.client.answerMatch({ matchId: match.id, accept: true });
      deals.push(answer.deal!.id);
    }
    ok(`deals ${deals.join(" and ")}`);

    const contract = new TextEncoder().encode("%PDF-1.4\n% 技术转让合同 (demo)\n%%EOF\n");
    for (const [index, dealId] of deals.entries()) {
      step(`Deal ${index + 1}: escrow terms proposed, signed by both parties (EIP-712), put on chain`);
      await company.client.proposeEscrowTerms({
        dealId,
        contract: { name: "contract.pdf", mediaType: "application/pdf", bytes: contract },
        currency: "CNY",
        total: 100_000_000,
        milestones: [{ title: "工艺包交付与培训", amount: 100_000_000, deliverBy: inDays(30) }],
        arbitratorId,
        inspectionPeriodSeconds: 7 * 86400,
        rulingPeriodSeconds: 14 * 86400,
        appealWindowSeconds: 0,
        // The contract has the arbitrator read deliveries too, for a dispute: they are encrypted to both.
        deliverToArbitrator: true,
      });
      for (const party of [university, company]) await party.client.signEscrowTerms({ dealId, signer: party.wallet });
      // The escrow checks both parties are certified on chain; the gateway syncs that within seconds.
      await until("the deal on chain", async () => {
        const escrow = await company.client.getEscrow({ dealId: dealId });
        return escrow.status === "created" ? true : undefined;
      });
      ok(`on chain in the escrow at ${chain.escrow}: one milestone of ${yuan(100_000_000)}`);

      step(
        `Deal ${index + 1}: the company pays ${yuan(100_000_000)} into the supervised account; the bank reports and locks it`,
      );
      await bank(
        "deposit",
        "--deal",
        dealId,
        "--milestone",
        "0",
        "--amount",
        "100000000",
        "--currency",
        "CNY",
        "--payer",
        "广东某新能源有限公司",
      );
      await until("the lock", async () => {
        const escrow = await company.client.getEscrow({ dealId: dealId });
        return escrow.milestones[0].state === "locked" ? true : undefined;
      });
      ok("locked on the escrow by the bank's own key");

      step(`Deal ${index + 1}: the university delivers the materials, encrypted to the company and the arbitrator`);
      const { parties } = await university.client.getEscrow({ dealId });
      const materials = new TextEncoder().encode("%PDF-1.4 工艺包 v1.0：热解 480 °C，45 分钟");
      const recipients = [parties.demander.recipient!, parties.arbitrator.recipient!];
      const sealed = await encryptDelivery(materials, recipients);
      const delivered = await move(university, dealId, 0, "deliver", {
        statement: {
          text: "工艺包 v1.0 及培训记录",
          files: [{ name: "process-package.pdf.age", bytes: sealed, recipients }],
        },
      });
      const received = await fetch(`${baseUrl}/v1/deals/${dealId}/documents/${fileDigest(sealed)}`, {
        headers: { authorization: `Bearer ${company.client.token}` },
      });
      const opened = await decryptDelivery(new Uint8Array(await received.arrayBuffer()), companyKey.identity);
      ok(
        `the company downloads ${sealed.length} encrypted bytes and decrypts them with its own key: "${new TextDecoder().decode(opened).slice(9, 21)}…"`,
      );
      ok(`milestone ${delivered.milestone.state}; the company's inspection period runs`);
    }

    step("Deal 1: the company accepts; the escrow instructs the bank, which pays and confirms");
    await move(company, deals[0], 0, "accept");
    const released = await until("the release", async () => {
      const escrow = await company.client.getEscrow({ dealId: deals[0] });
      return escrow.milestones[0].state === "released" ? escrow.milestones[0] : undefined;
    });
    ok(`released: ${yuan(released.released)} paid to the university`);

    step("Deal 2: the company disputes the delivery; the parties talk, then escalate to the arbitrator");
    await move(company, deals[1], 0, "open-dispute", {
      statement: {
        text: "中试线产能仅达合同约定的 60%",
        files: [{ name: "measurements.csv", bytes: new TextEncoder().encode("hour,tonnes\n1,0.6\n") }],
      },
    });
    const disputeId = `${deals[1]}.m0`;
    await university.client.sendDisputeMessage({ disputeId, text: "进料不符合技术规范，产能受影响" });
    await move(university, deals[1], 0, "propose-settlement", { release: 90_000_000, refund: 10_000_000 });
    await move(company, deals[1], 0, "escalate");
    ok(`dispute ${disputeId} is with the arbitrator; the money stays frozen at the bank`);

    step("Deal 2: the arbitrator reads the dossier and rules a split: 70% to the university, 30% back to the company");
    await move(arbitrator, deals[1], 0, "rule", {
      statement: { text: "裁决：70% 支付技术方，30% 退还需求方" },
      release: 70_000_000,
      refund: 30_000_000,
    });
    const split = await until("the split", async () => {
      const escrow = await company.client.getEscrow({ dealId: deals[1] });
      return escrow.milestones[0].state === "split" ? escrow.milestones[0] : undefined;
    });
    ok(`executed by the bank: ${yuan(split.released)} to the university, ${yuan(split.refunded)} back to the company`);

    step("The dossier: every record of deal 2 as certificates, downloaded and verified without the gateway");
    const dossier = await untilReady(
      "every record anchored",
      "DOSSIER_NOT_READY",
      () => arbitrator.client.getDisputeDossier({ disputeId }),
      (file) => file.pendingRecords === 0,
    );
    const file = path.join(dataDir, `dossier-${disputeId}.json`);
    await writeFile(file, JSON.stringify(dossier, null, 2));
    ok(`${dossier.certificates.length} records and ${dossier.documents.length} documents in ${file}`);
    // The operator's own trust anchor ($DATA_DIR/trust.json, written by npm start); an
    // arbitrator builds theirs from their own node and the consortium's deployment.
    const trustFile = path.join(dataDir, "trust.json");
    console.log(
      `  $ npm run verify -- ${path.relative(process.cwd(), file)} --trust ${path.relative(process.cwd(), trustFile)}`,
    );
    const verified = spawnSync(
      process.execPath,
      ["--import", "tsx", path.join(__dirname, "verify.ts"), file, "--trust", trustFile, "--rpc", chain.rpcUrl],
      {
        encoding: "utf8",
      },
    );
    process.stdout.write(verified.stdout.replace(/^/gm, "    "));
    if (verified.status !== 0) throw new Error("the dossier did not verify");

    step("The day's reconciliation: every fund event with its transaction and bank reference");
    const statement = JSON.parse(await bank("reconcile")) as {
      events: Array<{ event: string; dealId: string; bankRef?: string; transactionHash: string }>;
      breaks: unknown[];
      balances: Array<{ dealId: string; deposited: number; released: number; refunded: number; locked: number }>;
    };
    for (const event of statement.events.filter((e) => deals.includes(e.dealId))) {
      console.log(
        `    ${event.event.padEnd(20)} ${event.dealId} ${String(event.bankRef ?? "").padEnd(22)} ${event.transactionHash.slice(0, 18)}…`,
      );
    }
    for (const balance of statement.balances.filter((b) => deals.includes(b.dealId))) {
      ok(
        `${balance.dealId}: deposited ${yuan(balance.deposited)} − released ${yuan(balance.released)} − refunded ${yuan(balance.refunded)} = locked ${yuan(balance.locked)}`,
      );
    }
    ok(`${statement.breaks.length} breaks`);
  } finally {
    bankSystem.stop();
  }
  console.log("\nDone.");
}

main().catch((error) => {
  console.error(`\n✗ ${(error as Error).message}`);
  process.exit(1);
});
