import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as sdk from "../../../sdk";
import { openDeal } from "../../helpers/escrow";
import { creditCode, makeUser, type TestUser } from "../../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";
import { patentSearchOffering, publishOffering, valuationOffering } from "../../helpers/services";

/** Outsider's check of docs/SERVICES.md and docs/STATISTICS.md, written from the docs alone. */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const pdf = (name = "report.pdf") => ({
  name,
  mediaType: "application/pdf",
  contentBase64: Buffer.from(`%PDF-1.4 ${name}`).toString("base64"),
});
const patent = { number: "201710601862.3", holder: "云南大学", status: "granted", legalEvents: [] };

let t: TestPlatform;
let clockAhead = 0;
let agency: TestUser, otherAgency: TestUser, firm: TestUser, legalFirm: TestUser;
let company: TestUser, stranger: TestUser, reviewer: TestUser, auditor: TestUser, admin: TestUser;
let uncertifiedService: TestUser, uncertified: TestUser, reviewerService: TestUser;
let search: any, otherSearch: any, valuation: any, legal: any;
const as = (user?: TestUser) => client(t.url, user?.token);
const asOperator = () => client(t.url, t.token);
const refusal = (r: { status: number; body: any }) => [r.status, r.body?.error?.code];
/** A record's `data.step`: the evidence routes the doc names give field names only; the certificate discloses values once anchored. */
async function stepOf(user: TestUser, recordId: string): Promise<string> {
  const one = await as(user)("GET", `/v1/evidence/${recordId}`);
  expect(one.status).toBe(200);
  const cert = await eventually(
    async () => {
      const c = await as(user)("GET", `/v1/evidence/${recordId}/certificate?fields=step`);
      return c.status === 200 ? c.body : undefined;
    },
    20_000,
    "certificate",
  );
  const text = JSON.stringify(cert);
  const m = text.match(/"(offering\.[a-z-]+|qualification\.[a-z-]+|order\.[a-z-]+|delivery\.[a-z-]+)"/);
  return m?.[1] ?? text.slice(0, 300);
}
const legalOffering = () => ({
  kind: "legal",
  title: { en: "Contract review" },
  description: { en: "Review of technology contracts" },
  qualifications: [{ type: "licence", number: creditCode(902), issuer: "司法厅", expiresOn: "2031-01-01" }],
  priceBasis: "by the hour",
  turnaroundDays: 3,
});

beforeAll(async () => {
  t = await startTestPlatform({ clock: () => new Date(Date.now() + clockAhead) });
  agency = await makeUser(t, { type: "service" });
  otherAgency = await makeUser(t, { type: "service" });
  firm = await makeUser(t, { type: "service", roles: ["evaluator"] });
  legalFirm = await makeUser(t, { type: "service" });
  company = await makeUser(t, { type: "enterprise" });
  stranger = await makeUser(t, { type: "enterprise" });
  reviewer = await makeUser(t, { roles: ["reviewer"] });
  auditor = await makeUser(t, { roles: ["auditor"] });
  admin = await makeUser(t, { roles: ["admin"] });
  uncertifiedService = await makeUser(t, { type: "service", certified: false });
  uncertified = await makeUser(t, { type: "enterprise", certified: false });
  reviewerService = await makeUser(t, { type: "service", roles: ["reviewer"] });
  search = await publishOffering(t, agency, reviewer, patentSearchOffering());
  otherSearch = await publishOffering(t, otherAgency, reviewer, patentSearchOffering({ turnaroundDays: 5 }));
  valuation = await publishOffering(t, firm, reviewer, valuationOffering());
  legal = await publishOffering(t, legalFirm, reviewer, legalOffering());
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe("SERVICES.md § Offerings", () => {
  let inReview: any;
  it("POST /v1/service-offerings: 201, the offering with the gateway's fields", async () => {
    const r = await as(agency)(
      "POST",
      "/v1/service-offerings",
      patentSearchOffering({ title: { en: "Zebra quokka search" } }),
    );
    expect(r.status).toBe(201);
    inReview = r.body;
    expect(r.body.id).toMatch(/^svo_[0-9a-f]{16}$/);
    expect(r.body.institutionId).toBe(agency.id);
    expect(r.body.state).toBe("in_review");
    for (const f of ["createdAt", "updatedAt", "recordId"]) expect(r.body[f]).toBeTruthy();
    expect(r.body.qualifications[0].review).toBeUndefined();
  });
  it("refuses a non-service account (403 NOT_A_SERVICE_INSTITUTION) and an uncertified one (403 NOT_CERTIFIED)", async () => {
    expect(refusal(await as(company)("POST", "/v1/service-offerings", patentSearchOffering()))).toEqual([
      403,
      "NOT_A_SERVICE_INSTITUTION",
    ]);
    expect(refusal(await as(uncertifiedService)("POST", "/v1/service-offerings", patentSearchOffering()))).toEqual([
      403,
      "NOT_CERTIFIED",
    ]);
    expect((await as()("POST", "/v1/service-offerings", patentSearchOffering())).status).toBe(401);
  });
  it("422 EVALUATION_KINDS_REQUIRED, EVALUATION_KINDS_NOT_FOR_KIND, PRICE_REQUIRED", async () => {
    const post = (body: unknown) => as(agency)("POST", "/v1/service-offerings", body);
    expect(refusal(await post(valuationOffering({ evaluationKinds: undefined })))).toEqual([
      422,
      "EVALUATION_KINDS_REQUIRED",
    ]);
    // DOC: an empty evaluationKinds is refused by the schema (400 INVALID_REQUEST), not 422 EVALUATION_KINDS_REQUIRED
    expect(refusal(await post(valuationOffering({ evaluationKinds: [] })))).toEqual([400, "INVALID_REQUEST"]);
    expect(refusal(await post(patentSearchOffering({ evaluationKinds: ["value"] })))).toEqual([
      422,
      "EVALUATION_KINDS_NOT_FOR_KIND",
    ]);
    expect(refusal(await post(patentSearchOffering({ price: undefined })))).toEqual([422, "PRICE_REQUIRED"]);
    expect((await post(patentSearchOffering({ price: undefined, priceBasis: "by the hour" }))).status).toBe(201);
  });
  it("400 INVALID_REQUEST with details for a body that breaks the schema", async () => {
    const r = await as(agency)("POST", "/v1/service-offerings", { kind: "astrology", turnaroundDays: 0 });
    expect(refusal(r)).toEqual([400, "INVALID_REQUEST"]);
    expect(r.body.error.details.length).toBeGreaterThan(1);
    const frac = await as(agency)(
      "POST",
      "/v1/service-offerings",
      patentSearchOffering({ price: { amount: 1.5, currency: "CNY" } }),
    );
    expect(refusal(frac)).toEqual([400, "INVALID_REQUEST"]);
  });
  it("field limits: price past 2^53-1, long title, bad currency, bad licence code, lowercase practitioner", async () => {
    const post = (body: unknown) => as(agency)("POST", "/v1/service-offerings", body);
    expect(refusal(await post(patentSearchOffering({ price: { amount: 2 ** 53, currency: "CNY" } })))).toEqual([
      400,
      "INVALID_REQUEST",
    ]);
    expect(refusal(await post(patentSearchOffering({ price: { amount: 1, currency: "cny" } })))).toEqual([
      400,
      "INVALID_REQUEST",
    ]);
    expect(refusal(await post(patentSearchOffering({ title: { en: "x".repeat(201) } })))).toEqual([
      400,
      "INVALID_REQUEST",
    ]);
    expect(refusal(await post(patentSearchOffering({ title: {} })))).toEqual([400, "INVALID_REQUEST"]);
    expect(refusal(await post(patentSearchOffering({ turnaroundDays: 366 })))).toEqual([400, "INVALID_REQUEST"]);
    const lic = await post(
      patentSearchOffering({
        qualifications: [{ type: "licence", number: "91530000MA6K000000", issuer: "x", expiresOn: "2030-01-01" }],
      }),
    );
    expect(refusal(lic)).toEqual([400, "QUALIFICATION_NUMBER_FORMAT"]);
    const prac = await post(
      patentSearchOffering({
        qualifications: [{ type: "practitioner", number: "zcpg-53", issuer: "x", expiresOn: "2030-01-01" }],
      }),
    );
    expect(refusal(prac)).toEqual([400, "QUALIFICATION_NUMBER_FORMAT"]);
    const ok = await post(
      patentSearchOffering({
        qualifications: [{ type: "practitioner", number: "ZCPG-53-2019", issuer: "x", expiresOn: "2030-01-01" }],
      }),
    );
    expect(ok.status).toBe(201);
  });
  it("names every bad qualification number and expired qualification at once", async () => {
    const r = await as(agency)(
      "POST",
      "/v1/service-offerings",
      patentSearchOffering({
        qualifications: [
          { type: "patent_agency", number: "5310", issuer: "国家知识产权局", expiresOn: "2030-12-31" },
          { type: "practitioner", number: "-ABC123", issuer: "x", expiresOn: "2030-12-31" },
          { type: "patent_agency", number: "53101", issuer: "国家知识产权局", expiresOn: "2020-01-01" },
        ],
      }),
    );
    expect(refusal(r)).toEqual([400, "QUALIFICATION_NUMBER_FORMAT"]);
    const details = r.body.error.details.map((d: any) => [d.path, d.code]);
    expect(details).toEqual(
      expect.arrayContaining([
        ["body.qualifications.0.number", "QUALIFICATION_NUMBER_FORMAT"],
        ["body.qualifications.1.number", "QUALIFICATION_NUMBER_FORMAT"],
        ["body.qualifications.2.expiresOn", "QUALIFICATION_EXPIRED"],
      ]),
    );
    const expired = await as(agency)(
      "POST",
      "/v1/service-offerings",
      patentSearchOffering({
        qualifications: [{ type: "patent_agency", number: "53101", issuer: "x", expiresOn: "2020-01-01" }],
      }),
    );
    expect(refusal(expired)).toEqual([400, "QUALIFICATION_EXPIRED"]);
  });
  it("GET: staff and the institution see an in_review offering; others 404 OFFERING_NOT_FOUND, list likewise", async () => {
    expect((await as(agency)("GET", `/v1/service-offerings/${inReview.id}`)).status).toBe(200);
    expect((await as(reviewer)("GET", `/v1/service-offerings/${inReview.id}`)).status).toBe(200);
    expect((await as(auditor)("GET", `/v1/service-offerings/${inReview.id}`)).status).toBe(200);
    expect((await asOperator()("GET", `/v1/service-offerings/${inReview.id}`)).status).toBe(200);
    expect(refusal(await as(stranger)("GET", `/v1/service-offerings/${inReview.id}`))).toEqual([
      404,
      "OFFERING_NOT_FOUND",
    ]);
    expect(refusal(await as(stranger)("GET", `/v1/service-offerings/svo_0000000000000000`))).toEqual([
      404,
      "OFFERING_NOT_FOUND",
    ]);
    const list = await as(stranger)("GET", `/v1/service-offerings`);
    expect(list.status).toBe(200);
    expect(list.body.offerings.every((o: any) => o.state === "published")).toBe(true);
    expect(list.body.offerings.map((o: any) => o.id)).toContain(search.id);
    const staff = await as(reviewer)("GET", `/v1/service-offerings?state=in_review`);
    expect(staff.body.offerings.map((o: any) => o.id)).toContain(inReview.id);
    const byKind = await as(stranger)("GET", `/v1/service-offerings?kind=evaluation`);
    expect(byKind.body.offerings.map((o: any) => o.id)).toEqual([valuation.id]);
    const byInst = await as(stranger)("GET", `/v1/service-offerings?institutionId=${otherAgency.id}`);
    expect(byInst.body.offerings.map((o: any) => o.id)).toEqual([otherSearch.id]);
    // newest first
    const all = (await as(reviewer)("GET", `/v1/service-offerings`)).body.offerings;
    const times = all.map((o: any) => o.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await as(stranger)("GET", `/v1/service-offerings?state=bogus`)).status).toBe(400);
    expect((await as()("GET", `/v1/service-offerings`)).status).toBe(401);
  });
  it("GET ?q=: every word in title or description, either language, case ignored", async () => {
    const own = await as(agency)("GET", `/v1/service-offerings?q=ZEBRA%20quokka`);
    expect(own.body.offerings.map((o: any) => o.id)).toEqual([inReview.id]);
    const hit = await as(stranger)("GET", `/v1/service-offerings?q=VALUATION%20photovoltaic`);
    expect(hit.body.offerings.map((o: any) => o.id)).toEqual([valuation.id]);
    const zh = await as(stranger)("GET", `/v1/service-offerings?q=${encodeURIComponent("光伏")}`);
    expect(zh.body.offerings.map((o: any) => o.id)).toEqual([valuation.id]);
    expect((await as(stranger)("GET", `/v1/service-offerings?state=in_review`)).body.offerings).toEqual([]);
    expect((await as(stranger)("GET", `/v1/service-offerings?q=zebra`)).body.offerings).toEqual([]);
    const miss = await as(stranger)("GET", `/v1/service-offerings?q=valuation%20zebra`);
    expect(miss.body.offerings).toEqual([]);
  });
  it("review: reviewer only; 404 NO_SUCH_QUALIFICATION; 422 REASON_REQUIRED; 409 QUALIFICATION_REVIEWED; rejected → OFFERING_NOT_IN_REVIEW", async () => {
    const path = (i: number) => `/v1/service-offerings/${inReview.id}/qualifications/${i}/review`;
    expect((await as(agency)("POST", path(0), { approved: true })).status).toBe(403);
    expect(refusal(await as(reviewer)("POST", path(5), { approved: true }))).toEqual([404, "NO_SUCH_QUALIFICATION"]);
    expect(
      refusal(
        await as(reviewer)("POST", `/v1/service-offerings/svo_0000000000000000/qualifications/0/review`, {
          approved: true,
        }),
      ),
    ).toEqual([404, "OFFERING_NOT_FOUND"]);
    expect(refusal(await as(reviewer)("POST", path(0), { approved: false }))).toEqual([422, "REASON_REQUIRED"]);
    const two = await as(agency)(
      "POST",
      "/v1/service-offerings",
      patentSearchOffering({
        qualifications: [
          { type: "patent_agency", number: "53101", issuer: "x", expiresOn: "2030-12-31" },
          { type: "practitioner", number: "ZL-2019-0042", issuer: "x", expiresOn: "2030-12-31" },
        ],
      }),
    );
    expect(two.status).toBe(201);
    const p2 = (i: number) => `/v1/service-offerings/${two.body.id}/qualifications/${i}/review`;
    const ok = await as(reviewer)("POST", p2(0), { approved: true });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe("in_review");
    expect(ok.body.qualifications[0].review).toMatchObject({ approved: true, by: reviewer.id });
    expect(ok.body.qualifications[0].review.at).toBeTruthy();
    expect(ok.body.qualifications[0].review.recordId).toBeTruthy();
    expect(refusal(await as(reviewer)("POST", p2(0), { approved: true }))).toEqual([409, "QUALIFICATION_REVIEWED"]);
    const no = await as(reviewer)("POST", p2(1), { approved: false, reason: "unreadable" });
    expect(no.status).toBe(200);
    expect(no.body.state).toBe("rejected");
    expect(no.body.qualifications[1].review).toMatchObject({ approved: false, reason: "unreadable" });
  });
  it("review: 409 OFFERING_NOT_IN_REVIEW on a published offering, 403 OWN_OFFERING", async () => {
    const three = await as(agency)(
      "POST",
      "/v1/service-offerings",
      patentSearchOffering({
        qualifications: [
          { type: "patent_agency", number: "53101", issuer: "x", expiresOn: "2030-12-31" },
          { type: "practitioner", number: "ZL-2019-0042", issuer: "x", expiresOn: "2030-12-31" },
        ],
      }),
    );
    await as(reviewer)("POST", `/v1/service-offerings/${three.body.id}/qualifications/1/review`, {
      approved: false,
      reason: "no",
    });
    expect(
      refusal(
        await as(reviewer)("POST", `/v1/service-offerings/${three.body.id}/qualifications/0/review`, {
          approved: true,
        }),
      ),
    ).toEqual([409, "OFFERING_NOT_IN_REVIEW"]);
    const own = await as(reviewerService)("POST", "/v1/service-offerings", patentSearchOffering());
    expect(own.status).toBe(201);
    expect(
      refusal(
        await as(reviewerService)("POST", `/v1/service-offerings/${own.body.id}/qualifications/0/review`, {
          approved: true,
        }),
      ),
    ).toEqual([403, "OWN_OFFERING"]);
  });
  it("withdrawal: 403 NOT_YOUR_OFFERING, 200 with withdrawal, 409 OFFERING_WITHDRAWN, 404", async () => {
    const path = `/v1/service-offerings/${inReview.id}/withdrawal`;
    expect(refusal(await as(otherAgency)("POST", path, {}))).toEqual([403, "NOT_YOUR_OFFERING"]);
    const r = await as(agency)("POST", path, { reason: "retired" });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe("withdrawn");
    expect(r.body.withdrawal).toMatchObject({ reason: "retired" });
    expect(r.body.withdrawal.at).toBeTruthy();
    expect(r.body.withdrawal.recordId).toBeTruthy();
    expect(refusal(await as(agency)("POST", path, {}))).toEqual([409, "OFFERING_WITHDRAWN"]);
    expect(refusal(await as(agency)("POST", `/v1/service-offerings/svo_0000000000000000/withdrawal`, {}))).toEqual([
      404,
      "OFFERING_NOT_FOUND",
    ]);
  });
  it("offering records: offering.submitted, qualification.reviewed", { timeout: 60_000 }, async () => {
    const r = await as(agency)("GET", `/v1/subjects/service-offering:${search.id}/evidence`);
    expect(r.status).toBe(200);
    const steps = [];
    for (const rec of r.body.records) {
      expect(rec.kind).toBe("service.offering.recorded");
      steps.push(await stepOf(agency, rec.id));
    }
    expect(steps).toEqual(["offering.submitted", "qualification.reviewed"]);
  });
});

describe("SERVICES.md § Orders", () => {
  let ipOrder: any;
  const order = (user: TestUser, body: Record<string, unknown>) => as(user)("POST", "/v1/service-orders", body);
  it("POST /v1/service-orders: 201, the order", async () => {
    const r = await order(company, { offeringId: search.id, brief: "查新检索", patent });
    expect(r.status).toBe(201);
    ipOrder = r.body;
    expect(r.body.id).toMatch(/^svc_[0-9a-f]{16}$/);
    expect(r.body).toMatchObject({
      institutionId: agency.id,
      kind: "ip",
      orderedBy: company.id,
      price: search.price,
      turnaroundDays: search.turnaroundDays,
      state: "ordered",
      late: false,
    });
    for (const f of ["acceptBy", "createdAt", "updatedAt", "recordId"]) expect(r.body[f]).toBeTruthy();
    const ahead = Date.parse(r.body.acceptBy) - Date.parse(r.body.createdAt);
    expect(Math.abs(ahead - 48 * HOUR)).toBeLessThan(60_000);
    expect(r.body.deliverBy).toBeUndefined();
    expect(r.body.decision).toBeUndefined();
  });
  it("patent particulars: spaces ignored, CN/ZL prefixes, old and publication forms; check digit and format refusals", async () => {
    for (const number of ["2017 1060 1862.3", "ZL201710601862.3", "CN112345678A", "88201465.X"]) {
      const r = await order(company, { offeringId: search.id, brief: "x", patent: { ...patent, number } });
      expect([number, r.status]).toEqual([number, 201]);
    }
    const bad = await order(company, {
      offeringId: search.id,
      brief: "x",
      patent: { ...patent, number: "201710601862.4" },
    });
    expect(refusal(bad)).toEqual([400, "INVALID_REQUEST"]);
    expect(bad.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "body.patent.number", code: "PATENT_NUMBER_CHECK_DIGIT" }),
      ]),
    );
    expect(JSON.stringify(bad.body.error.details)).toContain("3");
    const type = await order(company, {
      offeringId: search.id,
      brief: "x",
      patent: { ...patent, number: "201740601862.3" },
    });
    expect(type.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "body.patent.number", code: "PATENT_NUMBER_FORMAT" })]),
    );
  });
  it("patent legalEvents default to [] and the order keeps the particulars", async () => {
    const r = await order(company, {
      offeringId: search.id,
      brief: "x",
      patent: { number: "CN112345678A", holder: "h", status: "pending" },
    });
    expect(r.status).toBe(201);
    expect(r.body.patent.legalEvents).toEqual([]);
  });
  it("422 refusals when ordering", async () => {
    expect(refusal(await order(company, { offeringId: valuation.id, brief: "x" }))).toEqual([
      422,
      "EVALUATION_KIND_REQUIRED",
    ]);
    expect(refusal(await order(company, { offeringId: valuation.id, brief: "x", evaluationKind: "process" }))).toEqual([
      422,
      "EVALUATION_KIND_NOT_OFFERED",
    ]);
    expect(refusal(await order(company, { offeringId: search.id, brief: "x", evaluationKind: "value" }))).toEqual([
      422,
      "EVALUATION_KIND_NOT_FOR_KIND",
    ]);
    expect(
      refusal(await order(company, { offeringId: valuation.id, brief: "x", evaluationKind: "value", patent })),
    ).toEqual([422, "PATENT_NOT_FOR_KIND"]);
    expect(refusal(await order(agency, { offeringId: search.id, brief: "x" }))).toEqual([422, "OWN_OFFERING"]);
    const now = Date.now() + clockAhead;
    expect(
      refusal(
        await order(company, { offeringId: search.id, brief: "x", acceptBy: new Date(now - HOUR).toISOString() }),
      ),
    ).toEqual([422, "ACCEPT_BY_PAST"]);
    expect(
      refusal(
        await order(company, { offeringId: search.id, brief: "x", acceptBy: new Date(now + 31 * DAY).toISOString() }),
      ),
    ).toEqual([422, "ACCEPT_BY_TOO_FAR"]);
    const fresh = await as(agency)("POST", "/v1/service-offerings", patentSearchOffering());
    expect(refusal(await order(company, { offeringId: fresh.body.id, brief: "x" }))).toEqual([
      422,
      "OFFERING_NOT_ORDERABLE",
    ]);
    await as(agency)("POST", `/v1/service-offerings/${fresh.body.id}/withdrawal`, {});
    expect(refusal(await order(company, { offeringId: fresh.body.id, brief: "x" }))).toEqual([
      422,
      "OFFERING_WITHDRAWN",
    ]);
    expect(refusal(await order(uncertified, { offeringId: search.id, brief: "x" }))).toEqual([403, "NOT_CERTIFIED"]);
    expect(refusal(await order(company, { offeringId: search.id }))).toEqual([400, "INVALID_REQUEST"]);
  });
  it("GET /v1/service-orders/:id: orderer, institution, overseers; others 403 NOT_AN_ORDER_PARTY; overseers 404", async () => {
    const path = `/v1/service-orders/${ipOrder.id}`;
    expect((await as(company)("GET", path)).status).toBe(200);
    expect((await as(agency)("GET", path)).status).toBe(200);
    expect((await as(auditor)("GET", path)).status).toBe(200);
    expect((await asOperator()("GET", path)).status).toBe(200);
    expect((await as(admin)("GET", path)).status).toBe(200);
    expect(refusal(await as(stranger)("GET", path))).toEqual([403, "NOT_AN_ORDER_PARTY"]);
    expect(refusal(await as(stranger)("GET", "/v1/service-orders/svc_0000000000000000"))).toEqual([
      403,
      "NOT_AN_ORDER_PARTY",
    ]);
    expect(refusal(await as(auditor)("GET", "/v1/service-orders/svc_0000000000000000"))).toEqual([
      404,
      "ORDER_NOT_FOUND",
    ]);
    expect(refusal(await asOperator()("GET", "/v1/service-orders/svc_0000000000000000"))).toEqual([
      404,
      "ORDER_NOT_FOUND",
    ]);
  });
  it("delivery before acceptance: 409 ORDER_NOT_IN_PROGRESS; review before delivery: 409 ORDER_NOT_DELIVERED", async () => {
    const r = await as(agency)("POST", `/v1/service-orders/${ipOrder.id}/deliveries`, {
      deliverables: [{ type: "report", files: [pdf()] }],
    });
    expect(refusal(r)).toEqual([409, "ORDER_NOT_IN_PROGRESS"]);
    expect(refusal(await as(company)("POST", `/v1/service-orders/${ipOrder.id}/review`, { accepted: true }))).toEqual([
      409,
      "ORDER_NOT_DELIVERED",
    ]);
  });
  it("decision: 403 NOT_THE_INSTITUTION / NOT_AN_ORDER_PARTY; 422 REASON_REQUIRED; accept sets deliverBy; 409 ORDER_NOT_AWAITING_DECISION", async () => {
    const path = `/v1/service-orders/${ipOrder.id}/decision`;
    expect(refusal(await as(company)("POST", path, { accepted: true }))).toEqual([403, "NOT_THE_INSTITUTION"]);
    expect(refusal(await as(stranger)("POST", path, { accepted: true }))).toEqual([403, "NOT_AN_ORDER_PARTY"]);
    expect(refusal(await as(agency)("POST", path, { accepted: false }))).toEqual([422, "REASON_REQUIRED"]);
    const r = await as(agency)("POST", path, { accepted: true });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe("accepted");
    expect(r.body.decision).toMatchObject({ accepted: true, by: agency.id });
    expect(r.body.decision.recordId).toBeTruthy();
    expect(
      Math.abs(Date.parse(r.body.deliverBy) - Date.parse(r.body.decision.at) - search.turnaroundDays * DAY),
    ).toBeLessThan(1000);
    expect(refusal(await as(agency)("POST", path, { accepted: true }))).toEqual([409, "ORDER_NOT_AWAITING_DECISION"]);
  });
  it("deliveries: 403 NOT_THE_INSTITUTION; 422 DELIVERABLES_REQUIRED; 201 with file descriptors", async () => {
    const path = `/v1/service-orders/${ipOrder.id}/deliveries`;
    expect(refusal(await as(company)("POST", path, { deliverables: [{ type: "report", files: [pdf()] }] }))).toEqual([
      403,
      "NOT_THE_INSTITUTION",
    ]);
    expect(refusal(await as(stranger)("POST", path, { deliverables: [{ type: "report", files: [pdf()] }] }))).toEqual([
      403,
      "NOT_AN_ORDER_PARTY",
    ]);
    expect(refusal(await as(agency)("POST", path, { summary: "nothing" }))).toEqual([422, "DELIVERABLES_REQUIRED"]);
    const r = await as(agency)("POST", path, {
      summary: "done",
      deliverables: [{ type: "search_report", files: [pdf("search.pdf")] }],
    });
    expect(r.status).toBe(201);
    expect(r.body.state).toBe("delivered");
    expect(r.body.deliveredAt).toBeTruthy();
    const d = r.body.deliveries[0];
    expect(d).toMatchObject({ n: 1, summary: "done", by: agency.id });
    expect(d.recordId).toBeTruthy();
    expect(d.deliverables[0].type).toBe("search_report");
    expect(d.deliverables[0].files[0]).toMatchObject({ name: "search.pdf", mediaType: "application/pdf" });
    expect(d.deliverables[0].files[0].sha256).toMatch(/^(0x)?[0-9a-f]{64}$/);
    expect(typeof d.deliverables[0].files[0].size).toBe("number");
  });
  it("review: 403 NOT_THE_ORDERER; 422 COMMENT_REQUIRED; changes then re-deliver then accept", async () => {
    const path = `/v1/service-orders/${ipOrder.id}/review`;
    expect(refusal(await as(agency)("POST", path, { accepted: true }))).toEqual([403, "NOT_THE_ORDERER"]);
    expect(refusal(await as(stranger)("POST", path, { accepted: true }))).toEqual([403, "NOT_AN_ORDER_PARTY"]);
    expect(refusal(await as(company)("POST", path, { accepted: false }))).toEqual([422, "COMMENT_REQUIRED"]);
    expect(refusal(await as(company)("POST", `/v1/service-orders/${ipOrder.id}/rating`, { score: 5 }))).toEqual([
      409,
      "ORDER_NOT_COMPLETED",
    ]);
    const changes = await as(company)("POST", path, { accepted: false, comment: "more claims" });
    expect(changes.status).toBe(200);
    expect(changes.body.state).toBe("changes_requested");
    expect(changes.body.reviews[0]).toMatchObject({ accepted: false, comment: "more claims" });
    expect(
      Math.abs(
        Date.parse(changes.body.deliverBy) - Date.parse(changes.body.reviews[0].at) - search.turnaroundDays * DAY,
      ),
    ).toBeLessThan(1000);
    const again = await as(agency)("POST", `/v1/service-orders/${ipOrder.id}/deliveries`, {
      deliverables: [{ type: "fto_opinion", files: [pdf("fto.pdf")] }],
    });
    expect(again.status).toBe(201);
    expect(again.body.deliveries.map((d: any) => d.n)).toEqual([1, 2]);
    const ok = await as(company)("POST", path, { accepted: true });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe("completed");
    expect(ok.body.completedAt).toBeTruthy();
  });
  it("rating: 403 NOT_THE_ORDERER; 201; 409 ALREADY_RATED", async () => {
    const path = `/v1/service-orders/${ipOrder.id}/rating`;
    expect(refusal(await as(agency)("POST", path, { score: 5 }))).toEqual([403, "NOT_THE_ORDERER"]);
    expect(refusal(await as(company)("POST", path, { score: 6 }))).toEqual([400, "INVALID_REQUEST"]);
    const r = await as(company)("POST", path, { score: 5, comment: "thorough" });
    expect(r.status).toBe(201);
    expect(r.body.rating).toMatchObject({ score: 5, comment: "thorough" });
    expect(r.body.rating.recordId).toBeTruthy();
    expect(refusal(await as(company)("POST", path, { score: 4 }))).toEqual([409, "ALREADY_RATED"]);
  });
  it(
    "order records: every step under service-order:<id>, readable by orderer and institution, not a stranger",
    { timeout: 60_000 },
    async () => {
      const r = await as(company)("GET", `/v1/subjects/service-order:${ipOrder.id}/evidence`);
      expect(r.status).toBe(200);
      const steps: string[] = [];
      for (const rec of r.body.records) {
        steps.push(await stepOf(company, rec.id));
      }
      const text = steps.join(" ");
      for (const step of [
        "order.placed",
        "order.accepted",
        "order.delivered",
        "delivery.changes-requested",
        "delivery.accepted",
        "order.rated",
      ])
        expect(text).toContain(step);
      expect((await as(agency)("GET", `/v1/subjects/service-order:${ipOrder.id}/evidence`)).status).toBe(200);
      expect((await as(stranger)("GET", `/v1/subjects/service-order:${ipOrder.id}/evidence`)).status).toBe(403);
      expect((await as(auditor)("GET", `/v1/subjects/service-order:${ipOrder.id}/evidence`)).status).toBe(200);
      expect((await asOperator()("GET", `/v1/subjects/service-order:${ipOrder.id}/evidence`)).status).toBe(200);
    },
  );
  it("deliverable types: search_report refused on a non-ip order (422 DELIVERABLE_NOT_FOR_KIND)", async () => {
    const o = await order(company, { offeringId: legal.id, brief: "review my contract" });
    expect(o.status).toBe(201);
    expect(o.body.priceBasis).toBe("by the hour");
    await as(legalFirm)("POST", `/v1/service-orders/${o.body.id}/decision`, { accepted: true });
    const r = await as(legalFirm)("POST", `/v1/service-orders/${o.body.id}/deliveries`, {
      deliverables: [{ type: "search_report", files: [pdf()] }],
    });
    expect(refusal(r)).toEqual([422, "DELIVERABLE_NOT_FOR_KIND"]);
  });
  it("list: own orders for a user, every order for overseers; filters; late=maybe 400", async () => {
    const mine = await as(company)("GET", "/v1/service-orders");
    expect(mine.status).toBe(200);
    expect(mine.body.orders.map((o: any) => o.id)).toContain(ipOrder.id);
    const times = mine.body.orders.map((o: any) => o.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await as(stranger)("GET", "/v1/service-orders")).body.orders).toEqual([]);
    const serves = await as(agency)("GET", "/v1/service-orders");
    expect(serves.body.orders.map((o: any) => o.id)).toContain(ipOrder.id);
    const op = await asOperator()("GET", `/v1/service-orders?state=completed&kind=ip&institutionId=${agency.id}`);
    expect(op.body.orders.map((o: any) => o.id)).toEqual([ipOrder.id]);
    expect((await as(auditor)("GET", "/v1/service-orders")).body.orders.length).toBeGreaterThan(1);
    expect((await as(company)("GET", "/v1/service-orders?late=maybe")).status).toBe(400);
  });
  it("decline, then reassignment by the operator", async () => {
    const o = (await order(company, { offeringId: search.id, brief: "FTO", patent })).body;
    // not stuck
    expect(
      refusal(
        await asOperator()("POST", `/v1/service-orders/${o.id}/reassignment`, {
          offeringId: otherSearch.id,
          reason: "x",
        }),
      ),
    ).toEqual([409, "ORDER_NOT_STUCK"]);
    const declined = await as(agency)("POST", `/v1/service-orders/${o.id}/decision`, {
      accepted: false,
      reason: "busy",
    });
    expect(declined.body.state).toBe("declined");
    const path = `/v1/service-orders/${o.id}/reassignment`;
    expect((await as(company)("POST", path, { offeringId: otherSearch.id, reason: "x" })).status).toBe(403);
    expect((await as(auditor)("POST", path, { offeringId: otherSearch.id, reason: "x" })).status).toBe(403);
    expect(
      refusal(
        await asOperator()("POST", "/v1/service-orders/svc_0000000000000000/reassignment", {
          offeringId: otherSearch.id,
          reason: "x",
        }),
      ),
    ).toEqual([404, "ORDER_NOT_FOUND"]);
    expect(refusal(await asOperator()("POST", path, { offeringId: search.id, reason: "x" }))).toEqual([
      422,
      "SAME_INSTITUTION",
    ]);
    expect(refusal(await asOperator()("POST", path, { offeringId: legal.id, reason: "x" }))).toEqual([
      422,
      "OFFERING_KIND_MISMATCH",
    ]);
    const r = await asOperator()("POST", path, { offeringId: otherSearch.id, reason: "declined" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: o.id,
      state: "ordered",
      institutionId: otherAgency.id,
      turnaroundDays: 5,
      orderedBy: company.id,
    });
    expect(r.body.decision).toBeUndefined();
    expect(r.body.deliverBy).toBeUndefined();
    expect(r.body.reassignments[0]).toMatchObject({
      fromInstitutionId: agency.id,
      fromOfferingId: search.id,
      toInstitutionId: otherAgency.id,
      toOfferingId: otherSearch.id,
      reason: "declined",
    });
    expect(r.body.reassignments[0].recordId).toBeTruthy();
    expect(refusal(await as(agency)("GET", `/v1/service-orders/${o.id}`))).toEqual([403, "NOT_AN_ORDER_PARTY"]);
    expect((await as(otherAgency)("GET", `/v1/service-orders/${o.id}`)).status).toBe(200);
    // admin may reassign too (decline again first)
    await as(otherAgency)("POST", `/v1/service-orders/${o.id}/decision`, { accepted: false, reason: "busy too" });
    expect((await as(admin)("POST", path, { offeringId: search.id, reason: "back" })).status).toBe(200);
  });
  it("reassignment refusals: OFFERING_WITHDRAWN, OFFERING_NOT_ORDERABLE; overseer-only list filters", async () => {
    const o = (await order(company, { offeringId: search.id, brief: "again", patent })).body;
    await as(agency)("POST", `/v1/service-orders/${o.id}/decision`, { accepted: false, reason: "no" });
    const fresh = (await as(otherAgency)("POST", "/v1/service-offerings", patentSearchOffering())).body;
    expect(
      refusal(
        await asOperator()("POST", `/v1/service-orders/${o.id}/reassignment`, { offeringId: fresh.id, reason: "x" }),
      ),
    ).toEqual([422, "OFFERING_NOT_ORDERABLE"]);
    await as(otherAgency)("POST", `/v1/service-offerings/${fresh.id}/withdrawal`, {});
    expect(
      refusal(
        await asOperator()("POST", `/v1/service-orders/${o.id}/reassignment`, { offeringId: fresh.id, reason: "x" }),
      ),
    ).toEqual([422, "OFFERING_WITHDRAWN"]);
    expect(
      refusal(await asOperator()("POST", `/v1/service-orders/${o.id}/reassignment`, { offeringId: otherSearch.id })),
    ).toEqual([400, "INVALID_REQUEST"]);
  });
  it("accepting after acceptBy is allowed (lateness shows, it does not forbid)", async () => {
    const o = (
      await order(company, {
        offeringId: legal.id,
        brief: "accept late",
        acceptBy: new Date(Date.now() + clockAhead + HOUR).toISOString(),
      })
    ).body;
    clockAhead += 2 * HOUR;
    expect((await as(company)("GET", `/v1/service-orders/${o.id}`)).body.late).toBe(true);
    const r = await as(legalFirm)("POST", `/v1/service-orders/${o.id}/decision`, { accepted: true });
    expect(r.status).toBe(200);
    expect(r.body.late).toBe(false);
  });
  it("who: overseers and other roles get 403 on routes not theirs; 401 without a credential", async () => {
    const o = (await order(company, { offeringId: legal.id, brief: "who" })).body;
    expect(refusal(await asOperator()("POST", `/v1/service-orders/${o.id}/decision`, { accepted: true }))).toEqual([
      403,
      "FORBIDDEN",
    ]);
    expect(
      refusal(
        await as(auditor)("POST", `/v1/service-orders/svc_0000000000000000/deliveries`, {
          deliverables: [{ type: "report", files: [pdf()] }],
        }),
      ),
    ).toEqual([404, "ORDER_NOT_FOUND"]);
    expect(refusal(await as(auditor)("POST", `/v1/service-orders/${o.id}/rating`, { score: 3 }))).toEqual([
      403,
      "NOT_THE_ORDERER",
    ]);
    expect(refusal(await as()("GET", `/v1/service-orders/${o.id}`))).toEqual([401, "AUTHENTICATION_REQUIRED"]);
    expect(
      refusal(
        await as(reviewer)("POST", `/v1/service-orders/${o.id}/reassignment`, {
          offeringId: otherSearch.id,
          reason: "x",
        }),
      ),
    ).toEqual([403, "FORBIDDEN"]);
    expect(
      refusal(
        await as(agency)("POST", `/v1/service-offerings/${search.id}/qualifications/0/review`, { approved: true }),
      ),
    ).toEqual([403, "FORBIDDEN"]);
  });
  it("a non-party gets 403 NOT_AN_ORDER_PARTY on every order route, whatever the body (doc § Orders)", async () => {
    const o = (await order(company, { offeringId: legal.id, brief: "precedence" })).body;
    // GATEWAY: 422 REASON_REQUIRED / COMMENT_REQUIRED come before the party check
    expect(refusal(await as(stranger)("POST", `/v1/service-orders/${o.id}/decision`, { accepted: false }))).toEqual([
      403,
      "NOT_AN_ORDER_PARTY",
    ]);
    expect(
      refusal(await as(stranger)("POST", `/v1/service-orders/svc_0000000000000000/decision`, { accepted: false })),
    ).toEqual([403, "NOT_AN_ORDER_PARTY"]);
    expect(refusal(await as(stranger)("POST", `/v1/service-orders/${o.id}/review`, { accepted: false }))).toEqual([
      403,
      "NOT_AN_ORDER_PARTY",
    ]);
  });
  it("late: an order past acceptBy is late, listed with late=true, and may be reassigned", async () => {
    const o = (
      await order(company, {
        offeringId: search.id,
        brief: "slow",
        acceptBy: new Date(Date.now() + clockAhead + HOUR).toISOString(),
      })
    ).body;
    expect(o.late).toBe(false);
    clockAhead += 2 * HOUR;
    const read = await as(company)("GET", `/v1/service-orders/${o.id}`);
    expect(read.body.late).toBe(true);
    const late = await asOperator()("GET", "/v1/service-orders?late=true");
    expect(late.body.orders.map((x: any) => x.id)).toContain(o.id);
    const notLate = await asOperator()("GET", "/v1/service-orders?late=false");
    expect(notLate.body.orders.map((x: any) => x.id)).not.toContain(o.id);
    const r = await asOperator()("POST", `/v1/service-orders/${o.id}/reassignment`, {
      offeringId: otherSearch.id,
      reason: "late",
    });
    expect(r.status).toBe(200);
    expect(r.body.late).toBe(false);
    expect(Math.abs(Date.parse(r.body.acceptBy) - (Date.now() + clockAhead) - 48 * HOUR)).toBeLessThan(60_000);
  });
});

describe("STATISTICS.md", () => {
  it("GET /v1/statistics: auditor, operator, admin; sections in order with serviceOrders", async () => {
    const r = await as(auditor)("GET", "/v1/statistics");
    expect(r.status).toBe(200);
    expect(r.body.generatedAt).toBeTruthy();
    expect(r.body.period).toBeDefined();
    expect(r.body.sections.map((s: any) => s.name)).toEqual([
      "listings",
      "demands",
      "matches",
      "deals",
      "serviceOrders",
    ]);
    const so = r.body.sections[4];
    expect(so.cuts.map((c: any) => c.dimension)).toEqual(["kind", "evaluationKind", "state"]);
    expect(so.count).toBeGreaterThan(5);
    for (const cut of so.cuts) {
      expect(cut.groups.reduce((n: number, g: any) => n + g.count, 0)).toBe(so.count);
      const keys = cut.groups.map((g: any) => g.key);
      expect([...keys].sort()).toEqual(keys);
    }
    const kinds = so.cuts[0].groups.map((g: any) => g.key);
    expect(kinds).toEqual(["ip", "legal"]);
    expect(so.cuts[1].groups.map((g: any) => g.key)).toEqual(["none"]);
    const listings = r.body.sections[0];
    expect(listings.cuts.map((c: any) => c.dimension)).toEqual(["ipcSection", "region", "kind", "language", "status"]);
    expect(r.body.sections[1].cuts.map((c: any) => c.dimension)).toEqual([
      "ipcSection",
      "region",
      "language",
      "status",
    ]);
    expect(r.body.sections[2].cuts.map((c: any) => c.dimension)).toEqual(["status", "origin", "ipcSection", "region"]);
    expect(r.body.sections[3].cuts.map((c: any) => c.dimension)).toEqual([
      "type",
      "paymentMode",
      "origin",
      "state",
      "ipcSection",
      "region",
    ]);
    expect(r.body.sections[3].steps.map((s: any) => s.step)).toEqual([
      "matchToContract",
      "contractToFirstDelivery",
      "inspection",
      "followUpResponse",
    ]);
    expect((await asOperator()("GET", "/v1/statistics")).status).toBe(200);
    expect((await as(admin)("GET", "/v1/statistics")).status).toBe(200);
    expect(refusal(await as(company)("GET", "/v1/statistics"))).toEqual([403, "FORBIDDEN"]);
    expect(refusal(await as(reviewer)("GET", "/v1/statistics"))).toEqual([403, "FORBIDDEN"]);
    expect(refusal(await as()("GET", "/v1/statistics"))).toEqual([401, "AUTHENTICATION_REQUIRED"]);
    expect(refusal(await as(company)("GET", "/v1/statistics/deals"))).toEqual([403, "FORBIDDEN"]);
    expect((await as(auditor)("GET", "/v1/statistics/deals")).status).toBe(200);
  });
  it("the period: dates, offsets, refusals", async () => {
    const a = await as(auditor)("GET", "/v1/statistics?from=2027-01-01&to=2027-04-01");
    expect(a.status).toBe(200);
    expect(a.body.period).toEqual({ from: "2027-01-01", to: "2027-04-01" });
    expect(a.body.sections.every((s: any) => s.count === 0)).toBe(true);
    const b = await as(auditor)(
      "GET",
      `/v1/statistics?from=${encodeURIComponent("2027-01-01T08:00:00+08:00")}&to=2027-04-01`,
    );
    expect(b.status).toBe(200);
    for (const q of ["from=2027-02-30", "from=2027-1-1", "to=2027-02-30", "from=2027-01-01T08:00:00", "format=xml"]) {
      const r = await as(auditor)("GET", `/v1/statistics?${q}`);
      expect([q, ...refusal(r)]).toEqual([q, 400, "INVALID_REQUEST"]);
      if (!q.startsWith("format"))
        expect(JSON.stringify(r.body.error.details)).toContain(`query.${q.slice(0, q.indexOf("="))}`);
    }
    expect(refusal(await as(auditor)("GET", "/v1/statistics?from=2027-04-01&to=2027-01-01"))).toEqual([
      400,
      "PERIOD_REVERSED",
    ]);
    expect(refusal(await as(auditor)("GET", "/v1/statistics?from=2027-01-01&to=2027-01-01"))).toEqual([
      400,
      "PERIOD_REVERSED",
    ]);
    expect(refusal(await as(auditor)("GET", "/v1/statistics/deals?from=2027-04-01&to=2027-01-01"))).toEqual([
      422,
      "PERIOD_REVERSED",
    ]);
    // a period around now counts the orders
    const now = new Date(Date.now() + clockAhead);
    const c = await as(auditor)(
      "GET",
      `/v1/statistics?from=${new Date(now.getTime() - DAY).toISOString()}&to=${new Date(now.getTime() + DAY).toISOString()}`,
    );
    expect(c.status).toBe(200);
    expect(c.body.sections[4].count).toBeGreaterThan(5);
  });
  it("period edge cases: empty from on /v1, bad from on the page, echo of an offset date-time", async () => {
    expect(refusal(await as(auditor)("GET", "/v1/statistics?from=&to="))).toEqual([400, "INVALID_REQUEST"]);
    const pageBad = await fetch(`${t.url}/statistics?from=2027-02-30`, {
      headers: { authorization: `Bearer ${auditor.token}` },
    });
    expect(pageBad.status).toBe(400);
    const pageRev = await fetch(`${t.url}/statistics?from=2027-04-01&to=2027-01-01`, {
      headers: { authorization: `Bearer ${auditor.token}` },
    });
    expect(pageRev.status).toBe(400);
    expect((await pageRev.json()).error.code).toBe("PERIOD_REVERSED");
    const off = await as(auditor)("GET", `/v1/statistics?from=${encodeURIComponent("2027-01-01T08:00:00+08:00")}`);
    expect(off.body.period).toEqual({ from: "2027-01-01T08:00:00+08:00" });
    expect((await as(auditor)("GET", `/v1/statistics`)).body.period).toEqual({});
    const ticket = (await as(auditor)("POST", "/v1/statistics/page-tickets")).body.ticket;
    expect(refusal(await as()("POST", `/v1/statistics/page-tickets?ticket=${ticket}`))).toEqual([
      401,
      "AUTHENTICATION_REQUIRED",
    ]);
    expect(refusal(await as(auditor)("GET", "/v1/statistics/deals?from=2027-02-30"))).toEqual([400, "INVALID_REQUEST"]);
  });
  it("CSV: text/csv download, header, CRLF, section rows", async () => {
    const response = await fetch(`${t.url}/v1/statistics?format=csv`, {
      headers: { authorization: `Bearer ${auditor.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("statistics.csv");
    const text = await response.text();
    expect(text.startsWith("section,dimension,key,currency,count,amount,median_seconds\r\n")).toBe(true);
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines).toContain("listings,all,all,,0,,");
    expect(lines.some((l) => /^serviceOrders,all,all,,\d+,,$/.test(l))).toBe(true);
    expect(lines.some((l) => /^serviceOrders,kind,legal,,\d+,,$/.test(l))).toBe(true);
    expect(lines).toContain("deals,step,matchToContract,,0,,");
  });
  it("page tickets: 201 sptk_, opens the page and the JSON for 15 min, nothing else", async () => {
    expect(refusal(await as(company)("POST", "/v1/statistics/page-tickets"))).toEqual([403, "FORBIDDEN"]);
    expect(refusal(await as()("POST", "/v1/statistics/page-tickets"))).toEqual([401, "AUTHENTICATION_REQUIRED"]);
    const r = await as(auditor)("POST", "/v1/statistics/page-tickets");
    expect(r.status).toBe(201);
    expect(r.body.ticket).toMatch(/^sptk_/);
    expect(r.body.url).toBe(`/statistics?ticket=${r.body.ticket}`);
    expect(Math.abs(Date.parse(r.body.expiresAt) - Date.now() - 15 * 60_000)).toBeLessThan(60_000); // the real clock, not the platform clock
    const page = await fetch(`${t.url}${r.body.url}&from=&to=`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    expect(html).toContain("<svg");
    expect(html).not.toContain("<script");
    expect(html).toContain("format=csv");
    expect(html).toMatch(/<form[\s\S]*name="ticket"[\s\S]*<\/form>/);
    expect(html).toMatch(/name="from"/);
    expect(html).toMatch(/name="to"/);
    expect((await fetch(`${t.url}${r.body.url}`)).status).toBe(200);
    const json = await as()("GET", `/v1/statistics?ticket=${r.body.ticket}`);
    expect(json.status).toBe(200);
    const csv = await fetch(`${t.url}/v1/statistics?format=csv&ticket=${r.body.ticket}`);
    expect(csv.status).toBe(200);
    expect(refusal(await as()("GET", `/v1/service-orders?ticket=${r.body.ticket}`))).toEqual([
      401,
      "AUTHENTICATION_REQUIRED",
    ]);
    expect(refusal(await as()("GET", `/v1/statistics/deals?ticket=${r.body.ticket}`))).toEqual([
      401,
      "AUTHENTICATION_REQUIRED",
    ]);
    const unknown = await fetch(`${t.url}/statistics?ticket=sptk_nope`);
    expect(unknown.status).toBe(401);
    expect((await unknown.json().catch(() => ({}))).error?.code).toBe("STATISTICS_TICKET_INVALID");
    expect(refusal(await as()("GET", `/v1/statistics?ticket=sptk_nope`))).toEqual([401, "STATISTICS_TICKET_INVALID"]);
    // page by bearer; none without
    expect((await fetch(`${t.url}/statistics`, { headers: { authorization: `Bearer ${auditor.token}` } })).status).toBe(
      200,
    );
    expect((await fetch(`${t.url}/statistics`)).status).toBe(401);
    expect((await fetch(`${t.url}/statistics`, { headers: { authorization: `Bearer ${company.token}` } })).status).toBe(
      403,
    );
    // operator service key may ask too
    expect((await asOperator()("POST", "/v1/statistics/page-tickets")).status).toBe(201);
  });
});

describe("SERVICES.md § notifications, forStatistics", () => {
  it("every step tells the other side with a service.order notification", async () => {
    const o = (await as(company)("POST", "/v1/service-orders", { offeringId: legal.id, brief: "notify me" })).body;
    const inst = await eventually(
      async () => {
        const r = await as(legalFirm)("GET", "/v1/inbox");
        return (
          r.body.notifications?.find?.(
            (n: any) => n.kind === "service.order" && n.link === `/v1/service-orders/${o.id}`,
          ) ??
          (Array.isArray(r.body)
            ? r.body.find((n: any) => n.kind === "service.order" && n.link === `/v1/service-orders/${o.id}`)
            : undefined)
        );
      },
      10_000,
      "institution notified",
    );
    expect(inst.kind).toBe("service.order");
    await as(legalFirm)("POST", `/v1/service-orders/${o.id}/decision`, { accepted: true });
    const mine = await eventually(
      async () => {
        const r = await as(company)("GET", "/v1/inbox");
        const list = r.body.notifications ?? r.body;
        return Array.isArray(list)
          ? list.find((n: any) => n.kind === "service.order" && n.link === `/v1/service-orders/${o.id}`)
          : undefined;
      },
      10_000,
      "orderer notified",
    );
    expect(mine.userId).toBe(company.id);
  });
  it("platform.serviceOrders.forStatistics gives the documented shape", async () => {
    const rows = await (t.platform as any).serviceOrders.forStatistics({});
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      expect(
        Object.keys(row).every((k) =>
          [
            "id",
            "kind",
            "evaluationKind",
            "state",
            "institutionId",
            "dealId",
            "createdAt",
            "deliveredAt",
            "completedAt",
          ].includes(k),
        ),
      ).toBe(true);
      expect(row.id).toMatch(/^svc_/);
    }
    expect(await (t.platform as any).serviceOrders.forStatistics({ to: "2000-01-01T00:00:00Z" })).toEqual([]);
  });
});

describe("SERVICES.md § An evaluation for a deal", () => {
  let dealId: string;
  let supplier: TestUser, demander: TestUser, plainFirm: TestUser, plainValuation: any, evalOrder: any;
  beforeAll(async () => {
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    plainFirm = await makeUser(t, { type: "service" });
    plainValuation = await publishOffering(
      t,
      plainFirm,
      reviewer,
      valuationOffering({
        qualifications: [{ type: "licence", number: creditCode(903), issuer: "云南省财政厅", expiresOn: "2031-06-30" }],
      }),
    );
    dealId = (await openDeal(t, supplier, demander, reviewer)).id;
  }, 120_000);
  it("403 NOT_A_PARTICIPANT for someone outside the deal", async () => {
    const r = await as(stranger)("POST", "/v1/service-orders", {
      offeringId: valuation.id,
      brief: "x",
      evaluationKind: "value",
      dealId,
    });
    expect(refusal(r)).toEqual([403, "NOT_A_PARTICIPANT"]);
  });
  it("422 NOT_AN_EVALUATOR when the institution lacks the evaluator role", async () => {
    const r = await as(demander)("POST", "/v1/service-orders", {
      offeringId: plainValuation.id,
      brief: "x",
      evaluationKind: "value",
      dealId,
    });
    expect(refusal(r)).toEqual([422, "NOT_AN_EVALUATOR"]);
  });
  it("a party orders: 201 with engagementRecordId and dealId", async () => {
    const r = await as(demander)("POST", "/v1/service-orders", {
      offeringId: valuation.id,
      brief: "value it",
      evaluationKind: "value",
      dealId,
    });
    expect(r.status).toBe(201);
    evalOrder = r.body;
    expect(r.body).toMatchObject({ kind: "evaluation", evaluationKind: "value", dealId, state: "ordered" });
    expect(r.body.engagementRecordId).toBeTruthy();
  });
  it("a delivery of deliverables is refused: 422 EVALUATION_REPORT_REQUIRED", async () => {
    expect((await as(firm)("POST", `/v1/service-orders/${evalOrder.id}/decision`, { accepted: true })).status).toBe(
      200,
    );
    const r = await as(firm)("POST", `/v1/service-orders/${evalOrder.id}/deliveries`, {
      deliverables: [{ type: "report", files: [pdf()] }],
    });
    expect(refusal(r)).toEqual([422, "EVALUATION_REPORT_REQUIRED"]);
  });
  it("statistics: the deal's listing, demand, match and deal are counted with the documented keys", async () => {
    const r = await as(auditor)("GET", "/v1/statistics");
    const sec = (name: string) => r.body.sections.find((x: any) => x.name === name);
    const keys = (name: string, dim: string) =>
      sec(name)
        .cuts.find((c: any) => c.dimension === dim)
        .groups.map((g: any) => g.key);
    expect(sec("listings").count).toBe(1);
    expect(sec("demands").count).toBe(1);
    expect(sec("matches").count).toBe(1);
    expect(sec("deals").count).toBe(1);
    expect(keys("listings", "status")).toEqual(["approved"]);
    expect(keys("listings", "ipcSection")[0]).toMatch(/^[A-H]$/);
    expect(keys("matches", "status")).toEqual(["confirmed"]);
    expect(keys("matches", "origin")).toEqual(["online"]);
    expect(keys("deals", "type")).toEqual(["none"]);
    expect(keys("deals", "paymentMode")).toEqual(["none"]);
    expect(keys("deals", "origin")).toEqual(["match"]);
    expect(sec("deals").amounts).toEqual([]);
    for (const st of sec("deals").steps) if (st.count === 0) expect(st.medianSeconds).toBeNull();
    const csv = await (
      await fetch(`${t.url}/v1/statistics?format=csv`, { headers: { authorization: `Bearer ${auditor.token}` } })
    ).text();
    const lines = csv.split("\r\n");
    expect(lines).toContain("deals,all,all,,1,,");
    expect(lines).toContain("deals,type,none,,1,,");
    expect(lines).toContain("matches,origin,online,,1,,");
    const order = lines
      .filter(Boolean)
      .slice(1)
      .map((l) => l.split(",")[0]);
    expect([...new Set(order)]).toEqual(["listings", "demands", "matches", "deals", "serviceOrders"]);
  });
  it("an overseer ordering for a deal: 403 NOT_A_DEAL_PARTICIPANT", async () => {
    const r = await as(auditor)("POST", "/v1/service-orders", {
      offeringId: valuation.id,
      brief: "x",
      evaluationKind: "value",
      dealId,
    });
    expect(refusal(r)).toEqual([403, "NOT_A_DEAL_PARTICIPANT"]);
  });
  it("statistics count it under evaluation / value", async () => {
    const r = await as(auditor)("GET", "/v1/statistics");
    const so = r.body.sections.find((x: any) => x.name === "serviceOrders");
    expect(so.cuts.find((c: any) => c.dimension === "kind").groups.map((g: any) => g.key)).toContain("evaluation");
    expect(so.cuts.find((c: any) => c.dimension === "evaluationKind").groups.map((g: any) => g.key)).toEqual([
      "none",
      "value",
    ]);
  });
});

describe("SERVICES.md § late in progress, reassignment keeps deliveries", () => {
  it("changes_requested past deliverBy is late and reassignable; deliveries and reviews kept; decision, deliverBy dropped", async () => {
    const o = (await as(company)("POST", "/v1/service-orders", { offeringId: search.id, brief: "keep", patent })).body;
    await as(agency)("POST", `/v1/service-orders/${o.id}/decision`, { accepted: true });
    await as(agency)("POST", `/v1/service-orders/${o.id}/deliveries`, {
      deliverables: [{ type: "report", files: [pdf()] }],
    });
    const ch = await as(company)("POST", `/v1/service-orders/${o.id}/review`, { accepted: false, comment: "more" });
    expect(ch.body.state).toBe("changes_requested");
    // another, accepted: delivering late is allowed
    const p = (await as(company)("POST", "/v1/service-orders", { offeringId: search.id, brief: "late delivery" })).body;
    await as(agency)("POST", `/v1/service-orders/${p.id}/decision`, { accepted: true });
    clockAhead += 11 * DAY;
    expect((await as(company)("GET", `/v1/service-orders/${o.id}`)).body.late).toBe(true);
    expect((await as(company)("GET", `/v1/service-orders/${p.id}`)).body.late).toBe(true);
    const d = await as(agency)("POST", `/v1/service-orders/${p.id}/deliveries`, {
      deliverables: [{ type: "report", files: [pdf()] }],
    });
    expect(d.status).toBe(201);
    expect(d.body.late).toBe(false);
    const r = await asOperator()("POST", `/v1/service-orders/${o.id}/reassignment`, {
      offeringId: otherSearch.id,
      reason: "late",
    });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe("ordered");
    expect(r.body.deliveries.length).toBe(1);
    expect(r.body.reviews.length).toBe(1);
    expect(r.body.patent.number).toBeTruthy();
    expect(r.body.brief).toBe("keep");
    expect(r.body.decision).toBeUndefined();
    expect(r.body.deliverBy).toBeUndefined();
    expect(r.body.price).toEqual(otherSearch.price);
  });
});

describe("SDK and OpenAPI names the docs give", () => {
  it("SERVICES.md § SDK: actions, schemas, constants, cnPatentNumberProblem", async () => {
    const c: any = sdk.createGatewayClient({ baseUrl: t.url, token: company.token });
    for (const name of [
      "submitServiceOffering",
      "listServiceOfferings",
      "getServiceOffering",
      "reviewQualification",
      "withdrawServiceOffering",
      "orderService",
      "listServiceOrders",
      "getServiceOrder",
      "decideServiceOrder",
      "deliverServiceOrder",
      "reviewServiceDelivery",
      "rateServiceOrder",
      "reassignServiceOrder",
      "getStatistics",
      "createStatisticsPageTicket",
    ])
      expect([name, typeof c[name]]).toEqual([name, "function"]);
    const x: any = sdk;
    for (const name of [
      "serviceOfferingSchema",
      "serviceOrderSchema",
      "offeringInputSchema",
      "patentParticularsSchema",
      "SERVICE_KINDS",
      "QUALIFICATION_TYPES",
      "OFFERING_STATES",
      "ORDER_STATES",
      "DELIVERABLE_TYPES",
      "PATENT_STATUSES",
      "cnPatentNumberProblem",
      "statisticsSchema",
      "statisticsSectionSchema",
      "statisticsGroupSchema",
      "statisticsAmountSchema",
      "statisticsStepSchema",
      "statisticsPageTicketSchema",
    ])
      expect([name, x[name] !== undefined]).toEqual([name, true]);
    expect(x.cnPatentNumberProblem("201710601862.3")).toBeFalsy();
    expect(x.cnPatentNumberProblem("201710601862.4")).toBeTruthy();
    expect([...x.ORDER_STATES].sort()).toEqual([
      "accepted",
      "changes_requested",
      "completed",
      "declined",
      "delivered",
      "ordered",
    ]);
    expect([...x.SERVICE_KINDS].sort()).toEqual(["consulting", "evaluation", "ip", "legal", "mediation", "research"]);
    const orders = await c.listServiceOrders({});
    for (const o of orders.orders ?? orders) sdk.serviceOrderSchema.parse(o);
    const stats = await sdk
      .createGatewayClient({ baseUrl: t.url, token: auditor.token })
      .getStatistics({ from: "2020-01-01" });
    expect(stats.sections.length).toBe(5);
    const tk = await sdk.createGatewayClient({ baseUrl: t.url, token: auditor.token }).createStatisticsPageTicket();
    expect(tk.url).toMatch(/^\/statistics\?ticket=sptk_/);
  });
  it("/openapi.json has ServiceOrder", async () => {
    const r = await as()("GET", "/openapi.json");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).toContain('"ServiceOrder"');
  });
});

describe("SERVICES.md § reminders", () => {
  const inbox = async (user: TestUser) => {
    const r = await as(user)("GET", "/v1/inbox?limit=200");
    return (r.body.notifications ?? r.body) as any[];
  };
  const remindersOf = async (id: string) =>
    (await inbox(legalFirm)).filter((n) => n.kind === "reminder.deadline" && n.link === `/v1/service-orders/${id}`);
  it(
    "reminder.deadline REMINDER_LEAD_SECONDS before acceptBy, or halfway through a shorter period; once",
    { timeout: 60_000 },
    async () => {
      const a = (await as(company)("POST", "/v1/service-orders", { offeringId: legal.id, brief: "long" })).body;
      const b = (
        await as(company)("POST", "/v1/service-orders", {
          offeringId: legal.id,
          brief: "short",
          acceptBy: new Date(Date.now() + clockAhead + 2 * HOUR).toISOString(),
        })
      ).body;
      await new Promise((r) => setTimeout(r, 600));
      expect(await remindersOf(b.id)).toEqual([]);
      clockAhead += 61 * 60_000;
      const rb = await eventually(
        async () => ((await remindersOf(b.id)).length ? await remindersOf(b.id) : undefined),
        10_000,
        "short reminder",
      );
      expect(rb[0].deadline).toBe(b.acceptBy);
      expect(await remindersOf(a.id)).toEqual([]);
      clockAhead += 24 * HOUR;
      const ra = await eventually(
        async () => ((await remindersOf(a.id)).length ? await remindersOf(a.id) : undefined),
        10_000,
        "long reminder",
      );
      expect(ra[0].deadline).toBe(a.acceptBy);
      await new Promise((r) => setTimeout(r, 800));
      expect((await remindersOf(b.id)).length).toBe(1);
      expect((await remindersOf(a.id)).length).toBe(1);
    },
  );
});

describe("SERVICES.md § expired qualifications (clock moved past them)", () => {
  it("an offering whose qualification expired is not orderable: 422 QUALIFICATION_EXPIRED; approving it too", async () => {
    const pending = await as(agency)(
      "POST",
      "/v1/service-offerings",
      patentSearchOffering({
        qualifications: [{ type: "patent_agency", number: "53101", issuer: "x", expiresOn: "2031-12-31" }],
      }),
    );
    expect(pending.status).toBe(201);
    clockAhead += Date.parse("2032-06-01T00:00:00Z") - (Date.now() + clockAhead);
    expect(refusal(await as(company)("POST", "/v1/service-orders", { offeringId: search.id, brief: "x" }))).toEqual([
      422,
      "QUALIFICATION_EXPIRED",
    ]);
    expect(
      refusal(
        await as(reviewer)("POST", `/v1/service-offerings/${pending.body.id}/qualifications/0/review`, {
          approved: true,
        }),
      ),
    ).toEqual([422, "QUALIFICATION_EXPIRED"]);
  });
});
