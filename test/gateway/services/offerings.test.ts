import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cnPatentNumberProblem, createGatewayClient, serviceOfferingSchema } from "../../../sdk";
import { makeUser, type TestUser } from "../../helpers/identity";
import { valuationOffering } from "../../helpers/services";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";

/** Service offerings: an institution publishes, a reviewer checks each qualification, anyone signed in finds it. */
describe("service offerings", () => {
  let t: TestPlatform;
  let firm: TestUser;
  let agency: TestUser;
  let company: TestUser;
  let reviewer: TestUser;
  const as = (user?: TestUser) => client(t.url, user?.token);
  const refusal = (response: { status: number; body: any }) => [response.status, response.body?.error?.code];

  beforeAll(async () => {
    t = await startTestPlatform();
    firm = await makeUser(t, { type: "service", roles: ["evaluator"] });
    agency = await makeUser(t, { type: "service" });
    company = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("checks CN patent and application numbers with their check character", () => {
    expect(cnPatentNumberProblem("201710601862.3")).toBeUndefined();
    expect(cnPatentNumberProblem("ZL 2017 1 0601862.3")).toBeUndefined();
    expect(cnPatentNumberProblem("CN112345678A")).toBeUndefined();
    expect(cnPatentNumberProblem("88201465.X")).toBeUndefined();
    expect(cnPatentNumberProblem("201710601862.4")?.code).toBe("PATENT_NUMBER_CHECK_DIGIT");
    expect(cnPatentNumberProblem("201750601862.3")?.code).toBe("PATENT_NUMBER_FORMAT");
    expect(cnPatentNumberProblem("US10000000B2")?.code).toBe("PATENT_NUMBER_FORMAT");
  });

  it("refuses an offering from an account that is not a service institution", async () => {
    expect(refusal(await as(company)("POST", "/v1/service-offerings", valuationOffering()))).toEqual([
      403,
      "NOT_A_SERVICE_INSTITUTION",
    ]);
  });

  it("refuses an uncertified institution", async () => {
    const pending = await makeUser(t, { type: "service", certified: false });
    expect(refusal(await as(pending)("POST", "/v1/service-offerings", valuationOffering()))).toEqual([
      403,
      "NOT_CERTIFIED",
    ]);
  });

  it("names every certificate number in the wrong format, and an expired qualification, at once", async () => {
    const refused = await as(agency)(
      "POST",
      "/v1/service-offerings",
      valuationOffering({
        qualifications: [
          { type: "licence", number: "91530100MA0000000", issuer: "x", expiresOn: "2031-01-01" },
          { type: "patent_agency", number: "5310", issuer: "国家知识产权局", expiresOn: "2031-01-01" },
          { type: "practitioner", number: "zc 1", issuer: "x", expiresOn: "2031-01-01" },
          { type: "patent_agency", number: "53101", issuer: "国家知识产权局", expiresOn: "2020-01-01" },
        ],
      }),
    );
    expect(refusal(refused)).toEqual([400, "QUALIFICATION_NUMBER_FORMAT"]);
    expect(refused.body.error.details.map((d: any) => [d.path, d.code])).toEqual([
      ["body.qualifications.0.number", "QUALIFICATION_NUMBER_FORMAT"],
      ["body.qualifications.1.number", "QUALIFICATION_NUMBER_FORMAT"],
      ["body.qualifications.2.number", "QUALIFICATION_NUMBER_FORMAT"],
      ["body.qualifications.3.expiresOn", "QUALIFICATION_EXPIRED"],
    ]);
  });

  it("refuses an evaluation without its kinds, kinds on another service, and no price nor basis", async () => {
    const post = (body: unknown) => as(firm)("POST", "/v1/service-offerings", body);
    expect(refusal(await post(valuationOffering({ evaluationKinds: undefined })))).toEqual([
      422,
      "EVALUATION_KINDS_REQUIRED",
    ]);
    expect(refusal(await post(valuationOffering({ kind: "legal" })))).toEqual([422, "EVALUATION_KINDS_NOT_FOR_KIND"]);
    expect(refusal(await post(valuationOffering({ price: undefined })))).toEqual([422, "PRICE_REQUIRED"]);
    expect(refusal(await post(valuationOffering({ price: { amount: 12.5, currency: "CNY" } })))[0]).toBe(400);
  });

  it("publishes an offering once a reviewer passed each qualification, each check a record", async () => {
    const sdk = createGatewayClient({ baseUrl: t.url, token: firm.token });
    const submitted = await sdk.submitServiceOffering(valuationOffering() as never);
    expect(serviceOfferingSchema.parse(submitted).state).toBe("in_review");
    const record = await t.platform.tables.evidence.records.get(submitted.recordId);
    expect(record!.header).toMatchObject({
      kind: "service.offering.recorded",
      subject: `service-offering:${submitted.id}`,
    });
    // In review: not shown to others, not orderable.
    expect(refusal(await as(company)("GET", `/v1/service-offerings/${submitted.id}`))).toEqual([
      404,
      "OFFERING_NOT_FOUND",
    ]);
    expect(
      refusal(await as(company)("POST", "/v1/service-orders", { offeringId: submitted.id, brief: "value it" })),
    ).toEqual([422, "OFFERING_NOT_ORDERABLE"]);
    // A refusal needs a reason; the institution cannot review its own; the index must exist.
    const review = (user: TestUser, index: number, body: unknown) =>
      as(user)("POST", `/v1/service-offerings/${submitted.id}/qualifications/${index}/review`, body);
    expect(refusal(await review(reviewer, 0, { approved: false }))).toEqual([422, "REASON_REQUIRED"]);
    expect(refusal(await review(reviewer, 5, { approved: true }))).toEqual([404, "NO_SUCH_QUALIFICATION"]);
    expect(refusal(await review(firm, 0, { approved: true }))).toEqual([403, "FORBIDDEN"]);
    const first = await review(reviewer, 0, { approved: true });
    expect(first.body.state).toBe("in_review");
    expect(refusal(await review(reviewer, 0, { approved: true }))).toEqual([409, "QUALIFICATION_REVIEWED"]);
    const second = await createGatewayClient({ baseUrl: t.url, token: reviewer.token }).reviewQualification({
      offeringId: submitted.id,
      index: 1,
      approved: true,
    });
    expect(second.state).toBe("published");
    expect(second.qualifications.map((q) => q.review?.by)).toEqual([reviewer.id, reviewer.id]);
    const check = await t.platform.tables.evidence.records.get(second.qualifications[1].review!.recordId);
    expect(check!.data).toMatchObject({ step: "qualification.reviewed", qualification: 1, approved: true });
    // Published: found by anyone signed in, by kind and words.
    const company$ = createGatewayClient({ baseUrl: t.url, token: company.token });
    expect((await company$.getServiceOffering({ offeringId: submitted.id })).id).toBe(submitted.id);
    const found = await company$.listServiceOfferings({ kind: "evaluation", q: "income valuation" });
    expect(found.offerings.map((o) => o.id)).toContain(submitted.id);
    expect((await company$.listServiceOfferings({ kind: "legal" })).offerings).toEqual([]);
    expect((await company$.listServiceOfferings({ q: "区块链" })).offerings).toEqual([]);
  });

  it("does not let a reviewer check the qualifications of their own offering", async () => {
    const reviewingFirm = await makeUser(t, { type: "service", roles: ["reviewer"] });
    const submitted = await as(reviewingFirm)("POST", "/v1/service-offerings", valuationOffering());
    expect(
      refusal(
        await as(reviewingFirm)("POST", `/v1/service-offerings/${submitted.body.id}/qualifications/0/review`, {
          approved: true,
        }),
      ),
    ).toEqual([403, "OWN_OFFERING"]);
  });

  it("refuses an offering when one qualification is refused, with the reviewer's reason", async () => {
    const submitted = await as(firm)("POST", "/v1/service-offerings", valuationOffering());
    const refused = await as(reviewer)("POST", `/v1/service-offerings/${submitted.body.id}/qualifications/1/review`, {
      approved: false,
      reason: "the certificate is not in the association's register",
    });
    expect(refused.body).toMatchObject({
      state: "rejected",
      qualifications: [
        {},
        { review: { approved: false, reason: "the certificate is not in the association's register" } },
      ],
    });
    expect(
      refusal(
        await as(reviewer)("POST", `/v1/service-offerings/${submitted.body.id}/qualifications/0/review`, {
          approved: true,
        }),
      ),
    ).toEqual([409, "OFFERING_NOT_IN_REVIEW"]);
    // Staff and the institution still read it; others do not.
    expect((await as(firm)("GET", `/v1/service-offerings/${submitted.body.id}`)).status).toBe(200);
    expect((await client(t.url, t.token)("GET", `/v1/service-offerings/${submitted.body.id}`)).status).toBe(200);
    expect((await as(company)("GET", `/v1/service-offerings/${submitted.body.id}`)).status).toBe(404);
  });

  it("lets only the institution withdraw its offering, which can then not be ordered", async () => {
    const submitted = await as(firm)("POST", "/v1/service-offerings", valuationOffering());
    for (const index of [0, 1]) {
      await as(reviewer)("POST", `/v1/service-offerings/${submitted.body.id}/qualifications/${index}/review`, {
        approved: true,
      });
    }
    const path = `/v1/service-offerings/${submitted.body.id}/withdrawal`;
    expect(refusal(await as(agency)("POST", path, {}))).toEqual([403, "NOT_YOUR_OFFERING"]);
    const withdrawn = await as(firm)("POST", path, { reason: "our valuers are booked until spring" });
    expect(withdrawn.body).toMatchObject({
      state: "withdrawn",
      withdrawal: { reason: "our valuers are booked until spring" },
    });
    expect(refusal(await as(firm)("POST", path, {}))).toEqual([409, "OFFERING_WITHDRAWN"]);
    expect(
      refusal(
        await as(company)("POST", "/v1/service-orders", {
          offeringId: submitted.body.id,
          brief: "value it",
          evaluationKind: "value",
        }),
      ),
    ).toEqual([422, "OFFERING_WITHDRAWN"]);
  });
});
