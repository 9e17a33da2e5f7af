// The deal workspace's story (6.4.2–6.7) as steps the demos share: who takes part,
// a confirmed match that opens a deal, and the way from first contact to escrow
// terms on chain (messages, signed minutes, a site visit, a valuation, a licence
// drafted, revised and signed), each step printing the record that proves it.
import { Wallet } from "ethers";
import { valueTechnology, verifyCertificate, type ChainInfo, type GatewayClient } from "../../sdk";
import { account } from "./demoAccounts";
import { licenceFields } from "./demoContract";
import { inDays, ok, step, today, until, yuan } from "./demoSteps";

/** A certified, signed-in participant and the key it signs with. */
export type Party = Awaited<ReturnType<typeof account>>;

export interface DealCast {
  reviewer: GatewayClient;
  university: Party;
  company: Party;
  broker: Party;
  evaluator: Party;
  arbitrator: Party;
  manager?: Party;
  ids: { broker: string; evaluator: string; arbitrator: string; manager?: string };
}

/**
 * A reviewer, a Yunnan university (zh), a Thai company (en), a broker, an
 * evaluator, an arbitration body and, if asked, a technology manager; the company
 * and the arbitrator receive encrypted deliveries at `recipients` when given.
 */
export async function castForDeal(
  gateway: GatewayClient,
  operator: GatewayClient,
  {
    withManager = false,
    recipients = {},
  }: { withManager?: boolean; recipients?: { company?: string; arbitrator?: string } } = {},
): Promise<DealCast> {
  step(
    `Accounts: a Yunnan university (zh), a Thai company (en), a broker, ${withManager ? "a manager, " : ""}an evaluator, an arbitration body`,
  );
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
    recipients.company,
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
  const arbitrator = await account(
    gateway,
    operator,
    reviewer,
    "arbitrator",
    { zh: "昆明仲裁委员会", en: "Kunming Arbitration Commission" },
    false,
    recipients.arbitrator,
  );
  const manager = withManager
    ? await account(
        gateway,
        operator,
        reviewer,
        "manager",
        { zh: "赵经理", en: "Zhao (technology manager)" },
        false,
        undefined,
        "JSJL-2026-0007",
      )
    : undefined;
  const ids = {
    broker: (await broker.client.getMe()).id,
    evaluator: (await evaluator.client.getMe()).id,
    arbitrator: (await arbitrator.client.getMe()).id,
    manager: manager && (await manager.client.getMe()).id,
  };
  ok("all certified, each with their own signing key");
  return { reviewer, university, company, broker, evaluator, arbitrator, manager, ids };
}

/** The university's supply and the company's demand, approved and matched: a deal opens (6.4.2). */
export async function openDealByMatch(cast: DealCast, variant = ""): Promise<string> {
  const { university, company, reviewer } = cast;
  step("A confirmed match opens the deal (6.4.2)");
  const supply = await university.client.createListing({
    content: {
      side: "supply",
      language: "zh",
      title: { zh: `晶硅光伏组件绿色回收工艺${variant}` },
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
      title: { en: `Recycling end-of-life PV modules${variant}` },
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
  return dealId;
}

/** From first contact to escrow terms on chain, with the cast's broker leading (6.5–6.7, 6.8.1). */
export async function negotiateToEscrow(cast: DealCast, dealId: string, chain: ChainInfo): Promise<void> {
  const { university, company, broker, evaluator, ids } = cast;
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
    // The licence sends disputes to arbitration: the arbitrator may read what is delivered.
    deliverToArbitrator: true,
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
}

/** Waits for the subject's last record to be anchored, then verifies every record's certificate. */
export async function verifySubject(operator: GatewayClient, subject: string, rpcUrl: string): Promise<void> {
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
