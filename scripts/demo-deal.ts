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
import { Wallet } from "ethers";
import {
  createGatewayClient,
  valueTechnology,
  verifyCertificate,
  type ContractFieldsInput,
  type GatewayClient,
} from "../sdk";
import { account } from "./lib/demoAccounts";
import { gatewayUrl } from "./lib/gatewayUrl";

const baseUrl = gatewayUrl();
const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");
const step = (text: string) => console.log(`\n▶ ${text}`);
const ok = (text: string, recordId?: string) => console.log(`  ✓ ${text}${recordId ? `  [record ${recordId}]` : ""}`);
const yuan = (fen: number) => `¥${(fen / 100).toLocaleString("en", { minimumFractionDigits: 2 })}`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const today = (days = 0) => inDays(days).slice(0, 10);

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A patent licence with a royalty on sales and an upfront fee (art. 846): the fee is the one escrowed milestone. */
function licenceFields(upfrontFee: number, rate: string, upfrontDeliverBy: string): ContractFieldsInput {
  const text = (zh: string, en: string) => ({ zh, en });
  return {
    type: "licence",
    projectName: text(
      "晶硅光伏组件绿色回收工艺专利实施许可",
      "Licence of the green PV module recycling process patent",
    ),
    parties: {
      supplier: { name: text("云南某理工大学", "A Yunnan University"), representative: "王教授" },
      demander: { name: text("暹罗绿色能源有限公司", "Siam Green Energy Co., Ltd."), address: "Bangkok, Thailand" },
    },
    technicalField: "环境保护 / recycling of PV modules",
    subject: {
      content: text("低温热解与湿法冶金联用回收工艺", "Low-temperature pyrolysis with hydrometallurgical recovery"),
      scope: text("一条年处理两万吨的生产线", "One line treating 20,000 t a year"),
      requirements: text("硅回收率不低于90%", "Silicon recovery of at least 90%"),
    },
    performance: {
      plan: text("资料交付、培训、调试三阶段", "Materials, training, commissioning"),
      schedule: text("签约后六个月内完成", "Within six months of signing"),
      startsOn: today(1),
      endsOn: today(200),
      place: text("泰国罗勇府", "Rayong, Thailand"),
      manner: text("书面资料与现场指导", "Written materials and on-site guidance"),
    },
    confidentiality: {
      scope: text("工艺参数与配方", "Process parameters and recipes"),
      periodYears: 5,
      obligations: text("不得向第三方披露", "No disclosure to third parties"),
    },
    risk: { allocation: text("实施风险由被许可人承担", "The licensee bears the risk of exploitation") },
    ownership: {
      results: text("后续改进归改进方所有", "Improvements belong to whoever makes them"),
      benefitSharing: text("改进成果互相免费许可", "Improvements are licensed to each other free of charge"),
    },
    acceptance: {
      standard: text("连续三批硅回收率不低于90%", "Three consecutive batches at ≥ 90% silicon recovery"),
      method: text("双方共同现场检测", "Joint on-site testing"),
    },
    payment: {
      mode: "royalty",
      currency: "CNY",
      upfrontFee,
      upfrontDeliverBy,
      base: "sales",
      rate,
      reportingPeriod: "quarterly",
      payWithinDays: 30,
      estimatedRoyalties: 400_000_000,
    },
    breach: {
      liability: text("违约方赔偿守约方实际损失", "The party in breach pays the other's actual loss"),
      computation: text("以合同总价款为限", "Capped at the contract price"),
      latePaymentRatePerDay: "0.0005",
    },
    disputes: {
      resolution: "arbitration",
      forum: text("中国国际经济贸易仲裁委员会", "CIETAC"),
      negotiationDays: 30,
    },
    interpretation: {
      terms: [{ term: text("净销售额", "net sales"), meaning: text("扣除退货后的销售额", "Sales less returns") }],
    },
    right: "patent",
    patent: {
      inventionName: text("一种晶硅光伏组件的回收方法", "A method of recycling crystalline silicon PV modules"),
      applicant: text("云南某理工大学", "A Yunnan University"),
      applicationDate: "2021-03-15",
      applicationNumber: "202110276543.2",
      patentNumber: "ZL202110276543.2",
      grantDate: "2023-06-20",
      validUntil: "2041-03-14",
    },
    licence: {
      kind: "exclusive",
      territory: text("泰国", "Thailand"),
      startsOn: today(1),
      endsOn: today(5 * 365),
      sublicensing: false,
    },
  } as ContractFieldsInput;
}

async function main(): Promise<void> {
  const operatorToken = (await readFile(path.join(dataDir, "operator.key"), "utf8")).trim();
  const gateway = createGatewayClient({ baseUrl });
  const operator = gateway.withToken(operatorToken);
  const chain = await gateway.getChainInfo();

  step("Accounts: a Yunnan university (zh), a Thai company (en), a broker, an evaluator, an arbitration body");
  const reviewerKey = new Wallet(Wallet.createRandom().privateKey);
  const reviewerAccount = await gateway.register({
    signer: reviewerKey,
    type: "individual",
    names: { zh: "审核员" },
    encryptionRecipient: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
  });
  await operator.grantRole({ userId: reviewerAccount.user.id, role: "reviewer" });
  const reviewer = (await gateway.signIn({ signer: reviewerKey })).client;
  const university = await account(gateway, operator, reviewer, "supplier", {
    zh: "云南某理工大学",
    en: "A Yunnan University",
  });
  const company = await account(
    gateway,
    operator,
    reviewer,
    "demander",
    { zh: "暹罗绿色能源有限公司", en: "Siam Green Energy Co., Ltd." },
    true,
  );
  const broker = await account(
    gateway,
    operator,
    reviewer,
    "broker",
    { zh: "李经纪", en: "Li (broker)" },
    false,
    undefined,
    "JSJJ-2026-0042",
  );
  const evaluator = await account(gateway, operator, reviewer, "evaluator", {
    zh: "云南技术评估所",
    en: "Yunnan Technology Appraisal",
  });
  const arbitrator = await account(gateway, operator, reviewer, "arbitrator", {
    zh: "昆明仲裁委员会",
    en: "Kunming Arbitration Commission",
  });
  const ids = {
    broker: (await broker.client.getMe()).id,
    evaluator: (await evaluator.client.getMe()).id,
    arbitrator: (await arbitrator.client.getMe()).id,
  };
  ok("all certified, each with their own signing key");

  step("A confirmed match opens the deal (6.4.2)");
  const supply = await university.client.createListing({
    content: {
      side: "supply",
      language: "zh",
      title: { zh: "晶硅光伏组件绿色回收工艺" },
      summary: { zh: "低温热解与湿法冶金联用，回收玻璃、铝、银和高纯硅。" },
      field: "env.recycling",
      ipc: ["B09B 3/00"],
      keywords: ["光伏组件回收", "高纯硅"],
      trl: 6,
      resultKind: "patent",
      ip: [{ number: "ZL202110276543.2", kind: "invention-patent", status: "granted", owner: "云南某理工大学" }],
      modes: ["exclusive-licence"],
      price: { min: 50_000_000, max: 150_000_000, currency: "CNY" },
      region: "CN-53",
    },
  });
  await reviewer.reviewListing({ listingId: supply.id, approved: true });
  const demand = await company.client.createListing({
    content: {
      side: "demand",
      language: "en",
      title: { en: "Recycling end-of-life PV modules" },
      summary: {
        en: "We treat 20,000 t of end-of-life PV modules a year and need a clean, economic recovery process.",
      },
      problem: { en: "Landfilled modules pollute" },
      targets: ["silicon recovery ≥ 90%"],
      field: "env.recycling",
      ipc: ["B09B 3/00"],
      keywords: ["PV module recycling", "silicon recovery"],
      minTrl: 5,
      budget: { min: 50_000_000, max: 200_000_000, currency: "CNY" },
      modes: ["exclusive-licence"],
      region: "TH",
      deadline: "2027-12-31",
    },
  });
  await reviewer.reviewListing({ listingId: demand.id, approved: true });
  const match = await company.client.proposeMatch({ supplyId: supply.id, demandId: demand.id });
  await company.client.answerMatch({ matchId: match.id, accept: true });
  const dealId = (await university.client.answerMatch({ matchId: match.id, accept: true })).deal!.id;
  ok(`deal ${dealId}`);

  step("6.5 Negotiation: a broker both parties chose, messages in Chinese and English, signed minutes");
  await university.client.appointDealParticipant({ dealId, role: "broker", userId: ids.broker });
  const appointed = await company.client.appointDealParticipant({ dealId, role: "broker", userId: ids.broker });
  ok(`broker appointed by both parties`, appointed.broker.recordId);
  const moved = await company.client.moveDeal({ dealId, move: "begin_negotiation" });
  ok(`moved to ${moved.state}`, moved.history.at(-1)!.recordId);
  const zh = await university.client.sendDealMessage({
    dealId,
    text: "我们可以提供中试线的工艺参数，欢迎来昆明考察。",
    language: "zh",
  });
  ok("the university writes in Chinese", zh.recordId);
  const en = await company.client.sendDealMessage({
    dealId,
    text: "Thank you. We would like an exclusive licence for Thailand, royalty on net sales.",
    language: "en",
  });
  ok("the company answers in English", en.recordId);
  const minutes = await broker.client.recordNegotiationMinutes({
    dealId,
    heldAt: inDays(-1),
    place: "昆明 / Kunming (video link to Bangkok)",
    agenda: ["许可范围 Licence scope", "提成 Royalty"],
    attendees: [
      { name: "王教授", side: "supplier" },
      { name: "Ms Anan", side: "demander" },
      { name: "李经纪", side: "broker" },
    ],
    agreed: ["Exclusive licence for Thailand", "Royalty on net sales with an upfront fee"],
    open: ["Royalty rate"],
    nextSteps: ["Site visit of the pilot line", "Independent valuation"],
  });
  await university.client.signNegotiationMinutes({ dealId, minutesId: minutes.id, signer: university.wallet });
  const signedMinutes = await company.client.signNegotiationMinutes({
    dealId,
    minutesId: minutes.id,
    signer: company.wallet,
  });
  ok(`minutes ${signedMinutes.status} by both parties' keys (EIP-712)`, signedMinutes.signedRecordId);

  step("6.6 Site visit and an income-approach evaluation");
  await company.client.moveDeal({ dealId, move: "begin_investigation" });
  const visit = await broker.client.recordSiteVisit({
    dealId,
    visitedAt: inDays(-1),
    place: "中试线，昆明呈贡 / Pilot line, Chenggong, Kunming",
    visitors: { supplier: ["王教授"], demander: ["Ms Anan", "Mr Somchai"], others: ["李经纪"] },
    examined: ["pyrolysis furnace at 480 °C", "leaching tanks"],
    findings: "Silicon recovery 95.2% on the day's batch.",
    files: [{ name: "furnace.jpg", mediaType: "image/jpeg", bytes: new TextEncoder().encode("JPEG (demo)") }],
  });
  ok("visit recorded, the photo's SHA-256 in the record", visit.recordId);
  for (const party of [university, company]) {
    const confirmed = await party.client.confirmSiteVisit({ dealId, visitId: visit.id, confirmed: true });
    ok("confirmed by a party", Object.values(confirmed.confirmations).at(-1)!.recordId);
  }
  await company.client.engageEvaluator({ dealId, userId: ids.evaluator, kinds: ["value"] });
  // Five years of the company's forecast sales in Thailand, a 3.5% royalty, discounted at 10%.
  const inputs = {
    stream: "royalty" as const,
    forecast: [200_000_000, 300_000_000, 400_000_000, 400_000_000, 400_000_000],
    rate: "0.035",
    discountRate: "0.10",
  };
  const valuation = valueTechnology("income", inputs);
  const evaluation = await evaluator.client.submitEvaluation({
    dealId,
    report: {
      kind: "value",
      subject: { title: "晶硅光伏组件回收专利的许可价值 / Value of the licence", dealId },
      evaluators: [{ name: "张评估", organisation: "云南技术评估所", qualification: "资产评估师" }],
      process: { startedOn: today(-10), finishedOn: today(-1), steps: ["资料审阅", "现场核查", "收益预测"] },
      content: "The royalty stream of an exclusive licence for Thailand over five years.",
      method: { approach: "income", inputs },
      result: {
        currency: valuation.currency,
        value: valuation.value,
        low: valuation.low,
        high: valuation.high,
        working: valuation.working,
        conclusion: `价值约 ${yuan(valuation.value)}`,
      },
    },
  });
  ok(
    `valued at ${yuan(evaluation.range!.value)} (${yuan(evaluation.range!.low)}–${yuan(evaluation.range!.high)}), recomputed by the gateway`,
    evaluation.recordId,
  );
  const seen = await university.client.listEvaluations({ dealId });
  ok(
    `the university sees the same range: ${yuan(seen.evaluations[0].range!.low)}–${yuan(seen.evaluations[0].range!.high)}`,
  );

  step("6.7 The licence contract: drafted from the template, revised, signed by both (EIP-712)");
  await university.client.moveDeal({ dealId, move: "begin_contracting" });
  const feeDue = inDays(45);
  const draft = await broker.client.draftContract({
    dealId,
    language: "zh",
    fields: licenceFields(30_000_000, "0.03", feeDue),
  });
  ok(`version 1 drafted from the licence template`, draft.versions[0].recordId);
  const revised = await company.client.reviseContract({ dealId, fields: licenceFields(30_000_000, "0.035", feeDue) });
  const v2 = revised.versions.at(-1)!;
  ok(`version 2: ${v2.changes.map((c) => `${c.path} ${c.before} → ${c.after}`).join(", ")}`, v2.recordId);
  const text = await company.client.getContractVersion({ dealId, version: v2.version });
  console.log(`    ${text.text.split("\n")[0]} … (${text.text.length} characters, digest ${text.contractDigest})`);
  await university.client.signContract({ dealId, signer: university.wallet });
  const contract = await company.client.signContract({ dealId, signer: company.wallet });
  ok(`contract ${contract.status}: digest ${contract.signed!.contractDigest}`, contract.signed!.recordId);
  const registration = await company.client.getContractRegistration({ dealId });
  ok(`registration data: ${registration.contractTypeName}, ${registration.amountText} ${registration.currency}`);

  step("Escrow terms from the signed contract: its digest and its upfront fee, signed and put on chain");
  const proposed = await company.client.proposeEscrowTerms({
    dealId,
    arbitratorId: ids.arbitrator,
    inspectionPeriodSeconds: 7 * 86400,
    rulingPeriodSeconds: 14 * 86400,
  });
  const terms = proposed.terms as unknown as {
    milestones: Array<{ title: string; amount: number }>;
    message: { contractDigest: string };
    recordId: string;
  };
  ok(
    `terms: ${terms.milestones.map((m) => `${m.title} ${yuan(m.amount)}`).join("; ")}; contractDigest ${terms.message.contractDigest}`,
    terms.recordId,
  );
  for (const party of [university, company]) await party.client.signEscrowTerms({ dealId, signer: party.wallet });
  const escrow = await until("the deal on chain", async () => {
    const view = await company.client.getEscrow({ dealId });
    return view.status === "created" ? view : undefined;
  });
  ok(`on chain in the escrow at ${chain.escrow}`, escrow.creation?.recordId);
  const workspace = await until("the deal signed", async () => {
    const view = await company.client.getDealWorkspace({ dealId });
    return view.state === "signed" ? view : undefined;
  });
  ok(`the deal is ${workspace.state}; price ${yuan(workspace.price!.amount)} fixed at signing`);

  step(
    "Every record of the deal, checked against the chain (verifyCertificate, trust anchor from GET /v1/chain/trust)",
  );
  await verifyDossier(operator, `deal:${dealId}`, chain.rpcUrl);
  console.log("\nDone.");
}

/** Waits for the subject's last record to be anchored, then verifies every record's certificate. */
async function verifyDossier(operator: GatewayClient, subject: string, rpcUrl: string): Promise<void> {
  const { records } = await operator.getSubjectEvidence({ subject });
  await operator.waitForAnchor({ id: records.at(-1)!.id });
  const trust = await operator.getTrustAnchor();
  let valid = 0;
  for (const record of records) {
    await operator.waitForAnchor({ id: record.id });
    const verdict = await verifyCertificate(await operator.getCertificate({ id: record.id }), { rpcUrl, trust });
    if (!verdict.valid) throw new Error(`record ${record.id} (${record.kind}) does not verify: ${verdict.code}`);
    valid++;
  }
  ok(`${valid} of ${records.length} records of ${subject} verify, each anchored on chain`);
}

main().catch((error) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
