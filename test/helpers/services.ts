import { createGatewayClient, type ServiceOfferingView } from "../../sdk";
import { creditCode, type TestUser } from "./identity";
import type { TestPlatform } from "./platform";

/** An evaluation firm's offering: its licence (a credit code) and a valuer's certificate. */
export function valuationOffering(overrides: Record<string, unknown> = {}) {
  return {
    kind: "evaluation",
    evaluationKinds: ["value", "patent"],
    title: { zh: "技术价值评估", en: "Technology valuation" },
    description: { zh: "按收益法评估光伏技术的价值", en: "Income-approach valuation of photovoltaic technologies" },
    qualifications: [
      { type: "licence", number: creditCode(901), issuer: "云南省财政厅", expiresOn: "2031-06-30" },
      { type: "practitioner", number: "ZCPG-53-2019-0042", issuer: "中国资产评估协会", expiresOn: "2030-12-31" },
    ],
    price: { amount: 2_000_000, currency: "CNY" },
    turnaroundDays: 15,
    ...overrides,
  };
}

/** A patent agency's search and freedom-to-operate offering. */
export function patentSearchOffering(overrides: Record<string, unknown> = {}) {
  return {
    kind: "ip",
    title: { zh: "专利检索与自由实施分析", en: "Patent search and freedom-to-operate" },
    description: { zh: "检索报告、FTO意见、代办申请", en: "Search reports, FTO opinions, filings" },
    qualifications: [{ type: "patent_agency", number: "53101", issuer: "国家知识产权局", expiresOn: "2030-12-31" }],
    price: { amount: 800_000, currency: "CNY" },
    turnaroundDays: 10,
    ...overrides,
  };
}

/** Submits `offering` as `institution` and has `reviewer` pass every qualification: a published offering. */
export async function publishOffering(
  t: TestPlatform,
  institution: TestUser,
  reviewer: TestUser,
  offering: Record<string, unknown>,
): Promise<ServiceOfferingView> {
  const submitted = await createGatewayClient({ baseUrl: t.url, token: institution.token }).submitServiceOffering(
    offering as never,
  );
  const asReviewer = createGatewayClient({ baseUrl: t.url, token: reviewer.token });
  let published = submitted;
  for (const index of submitted.qualifications.keys()) {
    published = await asReviewer.reviewQualification({ offeringId: submitted.id, index, approved: true });
  }
  return published;
}
