// The service-management part of `npm run demo:services` (docs/SERVICES.md): an
// enterprise orders a patent search and a valuation from two institutions; the
// valuation firm lets its (short) acceptance deadline lapse, the operator sees
// the order late and reassigns it to a third institution; both reports are
// delivered (files hashed and stored, digests in the records), accepted and rated.
import { randomInt } from "node:crypto";
import { Wallet } from "ethers";
import { createGatewayClient, type GatewayClient, type OfferingInput, type ServiceOrderView } from "../../sdk";
import { creditCode, RECIPIENT } from "./demoAccounts";
import { ok, step, until, yuan } from "./demoSteps";

/** The demo's clients this part needs: the operator's credential, a reviewer, and the enterprise that orders. */
export interface ServiceOrdersDemoClients {
  operator: GatewayClient;
  reviewer: GatewayClient;
  enterprise: GatewayClient;
}

/** What the part leaves behind, for the parts after it. */
export interface ServiceOrdersDemoResult {
  patentSearchOrderId: string;
  valuationOrderId: string;
}

/** Seconds the valuation firm has to accept, so that its order is seen lapsing while the demo waits. */
const SHORT_ACCEPTANCE_SECONDS = 4;

/** A certified service institution (an account of type `service`), signed in. */
async function institution(
  gateway: GatewayClient,
  reviewer: GatewayClient,
  names: { zh: string; en: string },
): Promise<{ client: GatewayClient; id: string }> {
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  const { user } = await gateway.register({ signer: wallet, type: "service", names, encryptionRecipient: RECIPIENT });
  const me = (await gateway.signIn({ signer: wallet })).client;
  await me.submitCertification({
    userId: user.id,
    identity: { kind: "credit-code", name: names.zh, number: creditCode("91530100"), legalRepresentative: "王芳" },
    licence: {
      name: "licence.pdf",
      mediaType: "application/pdf",
      bytes: new TextEncoder().encode("%PDF-1.4\n% licence (demo)\n%%EOF\n"),
    },
  });
  await reviewer.decideCertification({ userId: user.id, approved: true });
  return { client: (await gateway.signIn({ signer: wallet })).client, id: user.id };
}

/** Submits `offering` and has the reviewer pass each qualification: published, orderable. */
async function publish(provider: GatewayClient, reviewer: GatewayClient, offering: OfferingInput) {
  const submitted = await provider.submitServiceOffering(offering);
  let published = submitted;
  for (const index of submitted.qualifications.keys()) {
    published = await reviewer.reviewQualification({ offeringId: submitted.id, index, approved: true });
  }
  if (published.state !== "published") throw new Error(`offering ${submitted.id} is ${published.state}`);
  ok(
    `"${offering.title.zh}" published, ${published.qualifications.length} qualification(s) checked`,
    submitted.recordId,
  );
  return published;
}

const valuationOffering = (name: string): OfferingInput => ({
  kind: "evaluation",
  evaluationKinds: ["value"],
  title: { zh: `${name}·技术价值评估`, en: "Technology valuation" },
  description: { zh: "收益法、成本法、市场法评估技术价值", en: "Income, cost and market approaches" },
  qualifications: [
    { type: "licence", number: creditCode("91530100"), issuer: "云南省财政厅", expiresOn: "2031-06-30" },
    {
      type: "practitioner",
      number: `ZCPG-53-${randomInt(1000, 9999)}`,
      issuer: "中国资产评估协会",
      expiresOn: "2030-12-31",
    },
  ],
  price: { amount: 3_000_000, currency: "CNY" },
  turnaroundDays: 15,
});

const pdf = (name: string, text: string) => ({
  name,
  mediaType: "application/pdf",
  bytes: new TextEncoder().encode(`%PDF-1.4\n${text}\n%%EOF\n`),
});

/**
 * Runs the service-orders story against the gateway at `baseUrl`; throws on any
 * step that does not go as told.
 *
 * @example
 * await demoServiceOrders(baseUrl, { operator, reviewer, enterprise: company.client });
 */
export async function demoServiceOrders(
  baseUrl: string,
  clients: ServiceOrdersDemoClients,
): Promise<ServiceOrdersDemoResult> {
  const { operator, reviewer, enterprise } = clients;
  const gateway = createGatewayClient({ baseUrl });

  step("Three service institutions register and publish offerings; a reviewer checks each qualification");
  const agency = await institution(gateway, reviewer, { zh: "昆明滇池专利代理事务所", en: "Dianchi Patent Agency" });
  const slowFirm = await institution(gateway, reviewer, { zh: "春城技术评估有限公司", en: "Chuncheng Valuation" });
  const firm = await institution(gateway, reviewer, { zh: "云南资产评估有限公司", en: "Yunnan Appraisal" });
  const search = await publish(agency.client, reviewer, {
    kind: "ip",
    title: { zh: "专利检索与自由实施分析", en: "Patent search and freedom to operate" },
    description: { zh: "查新检索、FTO意见、代办申请", en: "Searches, FTO opinions, filings" },
    qualifications: [
      { type: "patent_agency", number: `53${randomInt(100, 999)}`, issuer: "国家知识产权局", expiresOn: "2030-12-31" },
    ],
    price: { amount: 800_000, currency: "CNY" },
    turnaroundDays: 10,
  });
  const slowValuation = await publish(slowFirm.client, reviewer, valuationOffering("春城"));
  const valuation = await publish(firm.client, reviewer, valuationOffering("云南"));

  step("The enterprise orders a patent search (with the patent's particulars) and a valuation");
  const searchOrder = await enterprise.orderService({
    offeringId: search.id,
    brief: "钙钛矿叠层电池：查新检索与自由实施分析",
    patent: {
      number: "201710601862.3",
      holder: "云南大学",
      status: "granted",
      legalEvents: [
        { date: "2017-07-20", event: "申请 filed" },
        { date: "2019-03-12", event: "授权 granted" },
      ],
    },
  });
  ok(`patent search ordered from ${agency.id} at ${yuan(search.price!.amount)}`, searchOrder.recordId);
  const acceptBy = new Date(Date.now() + SHORT_ACCEPTANCE_SECONDS * 1000).toISOString();
  const valuationOrder = await enterprise.orderService({
    offeringId: slowValuation.id,
    brief: "评估许可技术的价值（急件）",
    evaluationKind: "value",
    acceptBy,
  });
  ok(
    `valuation ordered from ${slowFirm.id}, to be accepted within ${SHORT_ACCEPTANCE_SECONDS} s`,
    valuationOrder.recordId,
  );
  await agency.client.decideServiceOrder({ orderId: searchOrder.id, accepted: true });
  ok("the patent agency accepts its order");

  step("The valuation firm does not answer in time: the operator sees the order late and reassigns it");
  const late = await until("the valuation order to be late", async () => {
    const { orders } = await operator.listServiceOrders({ late: true });
    return orders.find((o) => o.id === valuationOrder.id);
  });
  ok(`late: acceptance deadline ${late.acceptBy} passed, still ${late.state}`);
  const reassigned = await operator.reassignServiceOrder({
    orderId: valuationOrder.id,
    offeringId: valuation.id,
    reason: "not accepted by the deadline the client set",
  });
  if (reassigned.institutionId !== firm.id) throw new Error("the order did not move to the other firm");
  ok(`reassigned to ${firm.id}`, reassigned.reassignments.at(-1)!.recordId);
  await firm.client.decideServiceOrder({ orderId: valuationOrder.id, accepted: true });
  ok("the second firm accepts it");

  step("Both institutions deliver; the files are hashed and stored, their digests in the records");
  const deliveredSearch = await agency.client.deliverServiceOrder({
    orderId: searchOrder.id,
    summary: "12 documents found; no claim blocks the process",
    deliverables: [
      { type: "search_report", files: [pdf("search-report.pdf", "检索报告")] },
      { type: "fto_opinion", files: [pdf("fto-opinion.pdf", "自由实施意见")] },
    ],
  });
  const deliveredValuation = await firm.client.deliverServiceOrder({
    orderId: valuationOrder.id,
    deliverables: [{ type: "report", files: [pdf("valuation.pdf", "评估报告：约868万元")] }],
  });
  for (const order of [deliveredSearch, deliveredValuation]) {
    const files = order.deliveries.at(-1)!.deliverables.flatMap((d) => d.files);
    ok(
      `${order.id}: ${files.map((f) => `${f.name} ${f.sha256.slice(0, 12)}…`).join(", ")}`,
      order.deliveries.at(-1)!.recordId,
    );
  }

  step("The enterprise accepts both deliveries and rates the institutions");
  const completed: ServiceOrderView[] = [];
  for (const [order, score] of [
    [searchOrder, 5],
    [valuationOrder, 4],
  ] as const) {
    await enterprise.reviewServiceDelivery({ orderId: order.id, accepted: true });
    completed.push(await enterprise.rateServiceOrder({ orderId: order.id, score, comment: "按时交付" }));
  }
  for (const order of completed) {
    if (order.state !== "completed") throw new Error(`${order.id} is ${order.state}`);
    ok(`${order.id} completed and rated ${order.rating!.score}/5`, order.rating!.recordId);
  }
  return { patentSearchOrderId: searchOrder.id, valuationOrderId: valuationOrder.id };
}
