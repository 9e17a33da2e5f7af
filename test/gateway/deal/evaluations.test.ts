import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayClient, valueTechnology, type EvaluationReportInput } from "../../../sdk";
import { openDeal } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";

/** Evaluation (6.6): an engaged evaluator's report, its figures recomputed by the gateway, seen by both parties. */
describe("the deal workspace: evaluation reports", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let evaluator: TestUser;
  let stranger: TestUser;
  let dealId: string;
  const as = (user?: TestUser) => client(t.url, user?.token);
  // Revenue 1,000,000.00 a year for two years, royalty 5%, discounted at 10% (docs/VALUATION.md's worked example).
  const inputs = {
    stream: "royalty" as const,
    forecast: [100_000_000, 100_000_000],
    rate: "0.05",
    discountRate: "0.10",
  };
  const report = (result: Record<string, unknown> = {}): EvaluationReportInput => ({
    kind: "value",
    subject: { title: "钙钛矿叠层电池工艺 / Perovskite tandem cell process" },
    evaluators: [{ name: "张评估", organisation: "云南技术评估所", qualification: "资产评估师" }],
    process: { startedOn: "2026-11-01", finishedOn: "2026-11-20", steps: ["资料审阅", "现场核查", "收益预测"] },
    content: "The licence's royalty stream over two years of sales.",
    method: { approach: "income", inputs },
    result: { currency: "CNY", value: 8_677_686, low: 8_562_617, high: 8_795_556, conclusion: "约8.68万元", ...result },
  });

  beforeAll(async () => {
    t = await startTestPlatform();
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    evaluator = await makeUser(t, { roles: ["evaluator"] });
    stranger = await makeUser(t, { roles: ["evaluator"] });
    dealId = (await openDeal(t, supplier, demander, reviewer)).id;
    await as(demander)("POST", `/v1/deals/${dealId}/evaluators`, { userId: evaluator.id, kinds: ["value"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("accepts a report whose figures its inputs give, as a record of the deal, and shows the range to both parties", async () => {
    const file = {
      name: "report.pdf",
      mediaType: "application/pdf",
      contentBase64: Buffer.from("%PDF").toString("base64"),
    };
    const submitted = await as(evaluator)("POST", `/v1/deals/${dealId}/evaluations`, {
      report: { ...report(), result: { ...report().result, working: valueTechnology("income", inputs).working } },
      files: [file],
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    expect(submitted.body).toMatchObject({
      kind: "value",
      range: { method: "income", currency: "CNY", value: 8_677_686, low: 8_562_617, high: 8_795_556 },
      submittedBy: evaluator.id,
    });
    expect(submitted.body.files).toHaveLength(1);
    const stored = await t.platform.tables.evidence.records.get(submitted.body.recordId);
    expect(stored!.header).toMatchObject({ kind: "investigation.recorded", subject: `deal:${dealId}` });
    expect(stored!.data).toMatchObject({ type: "evaluation", range: { value: 8_677_686 } });
    for (const party of [supplier, demander]) {
      const { evaluations } = await createGatewayClient({ baseUrl: t.url, token: party.token }).listEvaluations({
        dealId,
      });
      expect(evaluations.map((e) => e.range)).toEqual([submitted.body.range]);
    }
    expect((await client(t.url, t.token)("GET", `/v1/deals/${dealId}/evaluations`)).status).toBe(200);
  });

  it("refuses a report whose figures disagree with its inputs, naming each figure in error.details", async () => {
    const refused = await as(evaluator)("POST", `/v1/deals/${dealId}/evaluations`, {
      report: report({ value: 9_000_000, high: 9_500_000 }),
    });
    expect([refused.status, refused.body.error.code]).toEqual([422, "EVALUATION_FIGURES_DIFFER"]);
    expect(refused.body.error.details).toEqual([
      expect.objectContaining({ path: "body.result.value", code: "FIGURE_DIFFERS" }),
      expect.objectContaining({ path: "body.result.high", code: "FIGURE_DIFFERS" }),
    ]);
    expect(refused.body.error.details[0].message).toContain("8677686");
  });

  it("takes reports only from an evaluator the parties engaged, for the kinds they engaged them for", async () => {
    const byStranger = await as(stranger)("POST", `/v1/deals/${dealId}/evaluations`, { report: report() });
    expect(byStranger.status).toBe(403);
    const byParty = await as(supplier)("POST", `/v1/deals/${dealId}/evaluations`, { report: report() });
    expect([byParty.status, byParty.body.error.code]).toEqual([403, "NOT_ENGAGED"]);
    const otherKind = await as(evaluator)("POST", `/v1/deals/${dealId}/evaluations`, {
      report: { ...report(), kind: "patent" },
    });
    expect([otherKind.status, otherKind.body.error.code]).toEqual([403, "NOT_ENGAGED"]);
    expect((await as(stranger)("GET", `/v1/deals/${dealId}/evaluations`)).status).toBe(403);
  });
});
