import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGatewayClient,
  serviceOrderSchema,
  type EvaluationReportInput,
  type ServiceOfferingView,
} from "../../../sdk";
import { openDeal } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";
import { patentSearchOffering, publishOffering, valuationOffering } from "../../helpers/services";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const pdf = (text: string) => ({
  name: "report.pdf",
  mediaType: "application/pdf",
  contentBase64: Buffer.from(`%PDF-1.4 ${text}`).toString("base64"),
});

/**
 * Service orders: the whole lifecycle of an IP order (patent particulars, accept,
 * deliver, changes, re-deliver, accept, rate), every refusal, the deadlines on a
 * clock the test moves (late orders, reminders, reassignment), and an evaluation
 * ordered for a deal, delivered by the deal's own evaluation report.
 */
describe("service orders", () => {
  let t: TestPlatform;
  let agency: TestUser;
  let otherAgency: TestUser;
  let firm: TestUser;
  let otherFirm: TestUser;
  let company: TestUser;
  let university: TestUser;
  let reviewer: TestUser;
  let auditor: TestUser;
  let stranger: TestUser;
  let search: ServiceOfferingView;
  let otherSearch: ServiceOfferingView;
  let valuation: ServiceOfferingView;
  let otherValuation: ServiceOfferingView;
  /** How far the platform's clock runs ahead of the real one (deadlines and the reminder sweep read it). */
  let clockAhead = 0;
  const as = (user?: TestUser) => client(t.url, user?.token);
  const asOperator = () => client(t.url, t.token);
  const sdk = (user: TestUser) => createGatewayClient({ baseUrl: t.url, token: user.token });
  const refusal = (response: { status: number; body: any }) => [response.status, response.body?.error?.code];
  const patent = {
    number: "201710601862.3",
    holder: "云南大学",
    status: "granted",
    legalEvents: [
      { date: "2017-07-20", event: "申请 filed" },
      { date: "2019-03-12", event: "授权 granted" },
    ],
  };
  const order = (user: TestUser, body: Record<string, unknown>) => as(user)("POST", "/v1/service-orders", body);

  beforeAll(async () => {
    t = await startTestPlatform({ clock: () => new Date(Date.now() + clockAhead) });
    agency = await makeUser(t, { type: "service" });
    otherAgency = await makeUser(t, { type: "service" });
    firm = await makeUser(t, { type: "service", roles: ["evaluator"] });
    otherFirm = await makeUser(t, { type: "service", roles: ["evaluator"] });
    company = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    university = await makeUser(t, { type: "institute", roles: ["supplier"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
    auditor = await makeUser(t, { roles: ["auditor"] });
    stranger = await makeUser(t, { type: "enterprise" });
    search = await publishOffering(t, agency, reviewer, patentSearchOffering());
    otherSearch = await publishOffering(t, otherAgency, reviewer, patentSearchOffering({ turnaroundDays: 5 }));
    valuation = await publishOffering(t, firm, reviewer, valuationOffering());
    otherValuation = await publishOffering(t, otherFirm, reviewer, valuationOffering());
  });
  afterAll(async () => {
    await t?.close();
  });

  it("takes an IP order from placing to rating, each step a record of the order", async () => {
    const placed = await sdk(company).orderService({
      offeringId: search.id,
      brief: "查新检索与FTO：钙钛矿叠层电池",
      patent: patent as never,
    });
    expect(serviceOrderSchema.parse(placed)).toMatchObject({
      state: "ordered",
      institutionId: agency.id,
      orderedBy: company.id,
      kind: "ip",
      price: { amount: 800_000, currency: "CNY" },
      turnaroundDays: 10,
      late: false,
      patent: { number: "201710601862.3", status: "granted" },
    });
    expect(Date.parse(placed.acceptBy) - Date.now()).toBeGreaterThan(47 * HOUR);
    const record = await t.platform.tables.evidence.records.get(placed.recordId);
    expect(record!.header).toMatchObject({ kind: "service.order.recorded", subject: `service-order:${placed.id}` });
    expect(record!.data).toMatchObject({
      step: "order.placed",
      institution: agency.id,
      patent: { holder: "云南大学" },
    });
    // The institution hears of it.
    const inbox = await t.platform.notifier.inbox(agency.id);
    expect(inbox.some((n) => n.kind === "service.order" && n.link === `/v1/service-orders/${placed.id}`)).toBe(true);

    const accepted = await sdk(agency).decideServiceOrder({ orderId: placed.id, accepted: true });
    expect(accepted.state).toBe("accepted");
    expect(Date.parse(accepted.deliverBy!) - Date.parse(accepted.decision!.at)).toBeGreaterThan(10 * DAY - HOUR);

    const bytes = new TextEncoder().encode("%PDF-1.4 检索报告");
    const delivered = await sdk(agency).deliverServiceOrder({
      orderId: placed.id,
      summary: "12 documents found; no blocking claim",
      deliverables: [
        { type: "search_report", files: [{ name: "search.pdf", mediaType: "application/pdf", bytes }] },
        {
          type: "fto_opinion",
          files: [{ name: "fto.pdf", mediaType: "application/pdf", bytes: new TextEncoder().encode("%PDF fto") }],
        },
      ],
    });
    expect(delivered.state).toBe("delivered");
    const [first] = delivered.deliveries;
    expect(first.deliverables.map((d) => [d.type, d.files.map((f) => f.name)])).toEqual([
      ["search_report", ["search.pdf"]],
      ["fto_opinion", ["fto.pdf"]],
    ]);
    const digest = `0x${createHash("sha256").update(bytes).digest("hex")}`;
    expect(first.deliverables[0].files[0].sha256).toBe(digest);
    const deliveryRecord = await t.platform.tables.evidence.records.get(first.recordId);
    expect(JSON.stringify(deliveryRecord!.data)).toContain(digest);
    expect(await t.platform.files.get(digest.slice(2))).toEqual(Buffer.from(bytes));

    const changes = await sdk(company).reviewServiceDelivery({
      orderId: placed.id,
      accepted: false,
      comment: "Add the EP family members",
    });
    expect(changes.state).toBe("changes_requested");
    const redelivered = await sdk(agency).deliverServiceOrder({
      orderId: placed.id,
      deliverables: [
        { type: "search_report", files: [{ name: "search-v2.pdf", mediaType: "application/pdf", bytes }] },
      ],
    });
    expect(redelivered.deliveries.map((d) => d.n)).toEqual([1, 2]);
    const completed = await sdk(company).reviewServiceDelivery({ orderId: placed.id, accepted: true });
    expect(completed).toMatchObject({ state: "completed", late: false });
    expect(completed.completedAt).toBeDefined();

    const rated = await sdk(company).rateServiceOrder({ orderId: placed.id, score: 5, comment: "thorough" });
    expect(rated.rating).toMatchObject({ score: 5, comment: "thorough" });
    expect(refusal(await as(company)("POST", `/v1/service-orders/${placed.id}/rating`, { score: 4 }))).toEqual([
      409,
      "ALREADY_RATED",
    ]);
    const chain = await asOperator()("GET", `/v1/subjects/service-order:${placed.id}/evidence`);
    expect(chain.status).toBe(200);
    expect(chain.body.records.length).toBe(7);
    // The orderer reads the order's evidence; a stranger does not.
    expect((await as(company)("GET", `/v1/subjects/service-order:${placed.id}/evidence`)).status).toBe(200);
    expect((await as(stranger)("GET", `/v1/subjects/service-order:${placed.id}/evidence`)).status).toBe(403);
  });

  it("refuses each step to anyone but who takes it, and out of turn", async () => {
    const placed = (await order(company, { offeringId: search.id, brief: "检索" })).body;
    const path = `/v1/service-orders/${placed.id}`;
    expect(refusal(await as(company)("POST", `${path}/decision`, { accepted: true }))).toEqual([
      403,
      "NOT_THE_INSTITUTION",
    ]);
    expect(refusal(await as(stranger)("POST", `${path}/decision`, { accepted: true }))).toEqual([
      403,
      "NOT_AN_ORDER_PARTY",
    ]);
    expect(
      refusal(await as(stranger)("POST", `/v1/service-orders/svc_${"0".repeat(16)}/review`, { accepted: true })),
    ).toEqual([403, "NOT_AN_ORDER_PARTY"]);
    expect(
      refusal(
        await asOperator()("POST", `/v1/service-orders/svc_${"0".repeat(16)}/reassignment`, {
          offeringId: search.id,
          reason: "x",
        }),
      ),
    ).toEqual([404, "ORDER_NOT_FOUND"]);
    expect(refusal(await as(agency)("POST", `${path}/decision`, { accepted: false }))).toEqual([
      422,
      "REASON_REQUIRED",
    ]);
    expect(
      refusal(
        await as(agency)("POST", `${path}/deliveries`, { deliverables: [{ type: "report", files: [pdf("x")] }] }),
      ),
    ).toEqual([409, "ORDER_NOT_IN_PROGRESS"]);
    expect(refusal(await as(company)("POST", `${path}/review`, { accepted: true }))).toEqual([
      409,
      "ORDER_NOT_DELIVERED",
    ]);
    expect(refusal(await as(company)("POST", `${path}/rating`, { score: 3 }))).toEqual([409, "ORDER_NOT_COMPLETED"]);
    await as(agency)("POST", `${path}/decision`, { accepted: true });
    expect(refusal(await as(agency)("POST", `${path}/decision`, { accepted: true }))).toEqual([
      409,
      "ORDER_NOT_AWAITING_DECISION",
    ]);
    expect(refusal(await as(agency)("POST", `${path}/deliveries`, {}))).toEqual([422, "DELIVERABLES_REQUIRED"]);
    await as(agency)("POST", `${path}/deliveries`, { deliverables: [{ type: "filing_receipt", files: [pdf("r")] }] });
    expect(refusal(await as(agency)("POST", `${path}/review`, { accepted: true }))).toEqual([403, "NOT_THE_ORDERER"]);
    expect(refusal(await as(company)("POST", `${path}/review`, { accepted: false }))).toEqual([
      422,
      "COMMENT_REQUIRED",
    ]);
    // Reading: the orderer, the institution, overseers; a stranger gets the same 403 for an order that does not exist.
    for (const reader of [company, agency, auditor]) expect((await as(reader)("GET", path)).status).toBe(200);
    expect((await asOperator()("GET", path)).status).toBe(200);
    expect(refusal(await as(stranger)("GET", path))).toEqual([403, "NOT_AN_ORDER_PARTY"]);
    expect(refusal(await as(stranger)("GET", `/v1/service-orders/svc_${"0".repeat(16)}`))).toEqual([
      403,
      "NOT_AN_ORDER_PARTY",
    ]);
    expect(refusal(await asOperator()("GET", `/v1/service-orders/svc_${"0".repeat(16)}`))).toEqual([
      404,
      "ORDER_NOT_FOUND",
    ]);
    expect((await sdk(stranger).listServiceOrders()).orders).toEqual([]);
    expect((await sdk(agency).listServiceOrders()).orders.map((o) => o.id)).toContain(placed.id);
  });

  it("refuses orders that break the offering's rules", async () => {
    expect(refusal(await order(agency, { offeringId: search.id, brief: "x" }))).toEqual([422, "OWN_OFFERING"]);
    expect(refusal(await order(company, { offeringId: valuation.id, brief: "x" }))).toEqual([
      422,
      "EVALUATION_KIND_REQUIRED",
    ]);
    expect(
      refusal(await order(company, { offeringId: valuation.id, brief: "x", evaluationKind: "financing" })),
    ).toEqual([422, "EVALUATION_KIND_NOT_OFFERED"]);
    expect(refusal(await order(company, { offeringId: search.id, brief: "x", evaluationKind: "value" }))).toEqual([
      422,
      "EVALUATION_KIND_NOT_FOR_KIND",
    ]);
    expect(
      refusal(await order(company, { offeringId: valuation.id, brief: "x", evaluationKind: "value", patent })),
    ).toEqual([422, "PATENT_NOT_FOR_KIND"]);
    const badPatent = await order(company, {
      offeringId: search.id,
      brief: "x",
      patent: { ...patent, number: "201710601862.4" },
    });
    expect(refusal(badPatent)).toEqual([400, "INVALID_REQUEST"]);
    expect(badPatent.body.error.details[0]).toMatchObject({
      path: "body.patent.number",
      code: "PATENT_NUMBER_CHECK_DIGIT",
    });
    const past = new Date(Date.now() - HOUR).toISOString();
    expect(refusal(await order(company, { offeringId: search.id, brief: "x", acceptBy: past }))).toEqual([
      422,
      "ACCEPT_BY_PAST",
    ]);
    const far = new Date(Date.now() + 40 * DAY).toISOString();
    expect(refusal(await order(company, { offeringId: search.id, brief: "x", acceptBy: far }))).toEqual([
      422,
      "ACCEPT_BY_TOO_FAR",
    ]);
    const uncertified = await makeUser(t, { type: "enterprise", certified: false });
    expect(refusal(await order(uncertified, { offeringId: search.id, brief: "x" }))).toEqual([403, "NOT_CERTIFIED"]);
    const placed = (await order(company, { offeringId: valuation.id, brief: "x", evaluationKind: "value" })).body;
    await as(firm)("POST", `/v1/service-orders/${placed.id}/decision`, { accepted: true });
    expect(
      refusal(
        await as(firm)("POST", `/v1/service-orders/${placed.id}/deliveries`, {
          deliverables: [{ type: "fto_opinion", files: [pdf("f")] }],
        }),
      ),
    ).toEqual([422, "DELIVERABLE_NOT_FOR_KIND"]);
    expect(
      refusal(
        await as(firm)("POST", `/v1/service-orders/${placed.id}/deliveries`, {
          evaluation: { report: { kind: "value" } },
        }),
      )[0],
    ).toBe(400);
  });

  it("refuses an order once a qualification of the offering has expired", async () => {
    clockAhead = 5 * 365 * DAY; // past the agency's 2030-12-31
    try {
      expect(refusal(await order(company, { offeringId: search.id, brief: "x" }))).toEqual([
        422,
        "QUALIFICATION_EXPIRED",
      ]);
    } finally {
      clockAhead = 0;
    }
  });

  it("shows a lapsed order as late to the operator, reminds the institution once, and lets the operator reassign it", async () => {
    const placed = (await order(company, { offeringId: search.id, brief: "急：检索" })).body;
    const path = `/v1/service-orders/${placed.id}`;
    const reassign = (body: unknown) => asOperator()("POST", `${path}/reassignment`, body);
    expect(refusal(await reassign({ offeringId: otherSearch.id, reason: "slow" }))).toEqual([409, "ORDER_NOT_STUCK"]);
    expect(
      refusal(await as(company)("POST", `${path}/reassignment`, { offeringId: otherSearch.id, reason: "x" })),
    ).toEqual([403, "FORBIDDEN"]);
    const reminded = async () =>
      (await t.platform.notifier.inbox(agency.id, 500)).filter(
        (n) => n.kind === "reminder.deadline" && n.link === path,
      );
    expect(await reminded()).toEqual([]);
    // A day before the acceptance deadline (REMINDER_LEAD_SECONDS): the institution is reminded, once.
    clockAhead = 25 * HOUR;
    t.platform.reminders.poke();
    await eventually(async () => ((await reminded()).length === 1 ? true : undefined), 10_000, "the reminder");
    t.platform.reminders.poke();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await reminded()).toHaveLength(1);
    expect((await t.platform.reminders.pending()).some((r) => r.key.startsWith(`service-order:${placed.id}:`))).toBe(
      false,
    );
    // Past the deadline: late, in the operator's list.
    clockAhead = 49 * HOUR;
    const late = await createGatewayClient({ baseUrl: t.url, token: t.token }).listServiceOrders({ late: true });
    expect(late.orders.map((o) => o.id)).toContain(placed.id);
    expect(late.orders.every((o) => o.late)).toBe(true);
    expect(refusal(await reassign({ offeringId: search.id, reason: "x" }))).toEqual([422, "SAME_INSTITUTION"]);
    expect(refusal(await reassign({ offeringId: valuation.id, reason: "x" }))).toEqual([422, "OFFERING_KIND_MISMATCH"]);
    const moved = await reassign({ offeringId: otherSearch.id, reason: "not accepted within 48 hours" });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({
      state: "ordered",
      late: false,
      institutionId: otherAgency.id,
      offeringId: otherSearch.id,
      turnaroundDays: 5,
      reassignments: [
        {
          fromInstitutionId: agency.id,
          toInstitutionId: otherAgency.id,
          reason: "not accepted within 48 hours",
          by: expect.any(String),
        },
      ],
    });
    const record = await t.platform.tables.evidence.records.get(moved.body.reassignments[0].recordId);
    expect(record!.data).toMatchObject({ step: "order.reassigned", from: { institution: agency.id } });
    // The former institution no longer reads it; the new one takes it on.
    expect(refusal(await as(agency)("GET", path))).toEqual([403, "NOT_AN_ORDER_PARTY"]);
    expect((await as(otherAgency)("POST", `${path}/decision`, { accepted: true })).body.state).toBe("accepted");
    // Past the delivery deadline (five days): late again.
    clockAhead = 49 * HOUR + 6 * DAY;
    expect((await as(company)("GET", path)).body.late).toBe(true);
    clockAhead = 0;
  });

  it("lets the operator reassign a declined order", async () => {
    const placed = (await order(company, { offeringId: otherSearch.id, brief: "检索" })).body;
    const path = `/v1/service-orders/${placed.id}`;
    const declined = await as(otherAgency)("POST", `${path}/decision`, {
      accepted: false,
      reason: "conflict of interest",
    });
    expect(declined.body).toMatchObject({
      state: "declined",
      decision: { accepted: false, reason: "conflict of interest" },
    });
    const moved = await sdk(company)
      .withToken(t.token)
      .reassignServiceOrder({ orderId: placed.id, offeringId: search.id, reason: "declined: conflict of interest" });
    expect(moved).toMatchObject({ state: "ordered", institutionId: agency.id });
    expect(moved.decision).toBeUndefined();
  });

  describe("an evaluation ordered for a deal", () => {
    let dealId: string;
    const inputs = {
      stream: "royalty" as const,
      forecast: [100_000_000, 100_000_000],
      rate: "0.05",
      discountRate: "0.10",
    };
    const report: EvaluationReportInput = {
      kind: "value",
      subject: { title: "钙钛矿叠层电池工艺 / Perovskite tandem cell process" },
      evaluators: [{ name: "张评估", organisation: "云南技术评估所", qualification: "资产评估师" }],
      process: { startedOn: "2026-11-01", finishedOn: "2026-11-20", steps: ["资料审阅", "收益预测"] },
      content: "The licence's royalty stream over two years of sales.",
      method: { approach: "income", inputs },
      result: { currency: "CNY", value: 8_677_686, low: 8_562_617, high: 8_795_556, conclusion: "约8.68万元" },
    };

    beforeAll(async () => {
      dealId = (await openDeal(t, university, company, reviewer)).id;
    });

    it("is refused to someone who does not take part in the deal", async () => {
      expect(
        refusal(await order(stranger, { offeringId: valuation.id, brief: "x", evaluationKind: "value", dealId })),
      ).toEqual([403, "NOT_A_PARTICIPANT"]);
      // An overseer reads the deal but takes no part in it.
      expect(refusal(await order(auditor, { offeringId: search.id, brief: "x", dealId }))).toEqual([
        403,
        "NOT_A_DEAL_PARTICIPANT",
      ]);
    });

    it("is delivered by deliverables when not ordered for a deal, and refuses a deal report there", async () => {
      const placed = await sdk(company).orderService({
        offeringId: otherValuation.id,
        brief: "x",
        evaluationKind: "value",
      });
      await sdk(otherFirm).decideServiceOrder({ orderId: placed.id, accepted: true });
      const refused = await as(otherFirm)("POST", `/v1/service-orders/${placed.id}/deliveries`, {
        evaluation: { report },
      });
      expect(refusal(refused)).toEqual([422, "EVALUATION_NOT_FOR_ORDER"]);
    });

    it("engages the institution on the deal; its evaluation report there delivers the order", async () => {
      const placed = await sdk(company).orderService({
        offeringId: valuation.id,
        brief: "Value the licence for the negotiation",
        dealId,
        evaluationKind: "value",
      });
      expect(placed.engagementRecordId).toBeDefined();
      const workspace = await sdk(company).getDealWorkspace({ dealId });
      expect(workspace.evaluators.map((e) => [e.userId, e.kinds, e.recordId])).toContainEqual([
        firm.id,
        ["value"],
        placed.engagementRecordId,
      ]);
      // Not accepted yet: the deal refuses its report, and nothing is recorded.
      const early = await as(firm)("POST", `/v1/deals/${dealId}/evaluations`, { report });
      expect(refusal(early)).toEqual([409, "ORDER_NOT_ACCEPTED"]);
      expect((await sdk(company).listEvaluations({ dealId })).evaluations).toEqual([]);
      await sdk(firm).decideServiceOrder({ orderId: placed.id, accepted: true });
      // Through the order, the report is required and goes to the deal.
      expect(
        refusal(
          await as(firm)("POST", `/v1/service-orders/${placed.id}/deliveries`, {
            deliverables: [{ type: "report", files: [pdf("v")] }],
          }),
        ),
      ).toEqual([422, "EVALUATION_REPORT_REQUIRED"]);
      const submitted = await as(firm)("POST", `/v1/deals/${dealId}/evaluations`, {
        report,
        files: [pdf("valuation")],
      });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
      const delivered = await sdk(company).getServiceOrder({ orderId: placed.id });
      expect(delivered.state).toBe("delivered");
      expect(delivered.deliveries[0]).toMatchObject({ evaluationId: submitted.body.id, by: firm.id });
      expect(delivered.deliveries[0].deliverables[0].files).toEqual(submitted.body.files);
      const record = await t.platform.tables.evidence.records.get(delivered.deliveries[0].recordId);
      expect(record!.data).toMatchObject({ step: "order.delivered", evaluationRecordId: submitted.body.recordId });
      // Changes asked: the firm delivers again through the order, which submits to the deal.
      await sdk(company).reviewServiceDelivery({ orderId: placed.id, accepted: false, comment: "use a 12% rate" });
      const wrongKind = await as(firm)("POST", `/v1/service-orders/${placed.id}/deliveries`, {
        evaluation: { report: { ...report, kind: "patent" } },
      });
      expect(refusal(wrongKind)).toEqual([422, "EVALUATION_KIND_MISMATCH"]);
      const again = await sdk(firm).deliverServiceOrder({ orderId: placed.id, evaluation: { report } });
      expect(again.state).toBe("delivered");
      expect(again.deliveries).toHaveLength(2);
      expect((await sdk(company).listEvaluations({ dealId })).evaluations).toHaveLength(2);
      const figures = await t.platform.serviceOrders.forStatistics({ from: "2000-01-01T00:00:00.000Z" });
      expect(figures.find((f) => f.id === placed.id)).toMatchObject({
        kind: "evaluation",
        evaluationKind: "value",
        state: "delivered",
        institutionId: firm.id,
        dealId,
        deliveredAt: again.deliveredAt,
      });
    });

    it("engages the new institution when the operator reassigns a declined deal evaluation", async () => {
      const placed = await sdk(company).orderService({
        offeringId: valuation.id,
        brief: "Patent valuation",
        dealId,
        evaluationKind: "patent",
      });
      await sdk(firm).decideServiceOrder({ orderId: placed.id, accepted: false, reason: "no patent valuer free" });
      const moved = await createGatewayClient({ baseUrl: t.url, token: t.token }).reassignServiceOrder({
        orderId: placed.id,
        offeringId: otherValuation.id,
        reason: "declined",
      });
      expect(moved.institutionId).toBe(otherFirm.id);
      // The first firm was engaged for a value evaluation; ordering a patent one added the kind.
      const before = await sdk(company).getDealWorkspace({ dealId });
      expect(before.evaluators.find((e) => e.userId === firm.id)?.kinds).toEqual(["value", "patent"]);
      const workspace = await sdk(company).getDealWorkspace({ dealId });
      expect(workspace.evaluators.find((e) => e.userId === otherFirm.id)?.kinds).toEqual(["patent"]);
      expect(moved.engagementRecordId).toBe(workspace.evaluators.find((e) => e.userId === otherFirm.id)?.recordId);
    });
  });
});
