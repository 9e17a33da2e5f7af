import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGatewayClient,
  escrowMoveSchema,
  escrowViewSchema,
  recordAcknowledgementSchema,
  recordViewSchema,
  subjectChainSchema,
  type GatewayClient,
} from "tech-transfer-ledger/sdk";
import { certifiedOnChain, openDeal } from "../../helpers/escrow";
import { makeUser } from "../../helpers/identity";
import { startTestPlatform, type TestPlatform } from "../../helpers/platform";

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe("routes declare the SDK's response schemas", () => {
  let t: TestPlatform;
  let operator: GatewayClient;

  beforeAll(async () => {
    t = await startTestPlatform();
    operator = createGatewayClient({ baseUrl: t.url, token: t.token });
  });
  afterAll(async () => {
    await t?.close();
  });

  const schemaOf = (method: string, path: string, status: number) =>
    t.platform.app.routes.find((route) => route.method === method && route.path === path)?.responses[status]?.schema;

  it("the evidence and escrow routes answer in the shapes the SDK owns", () => {
    expect(schemaOf("POST", "/v1/evidence", 202)).toBe(recordAcknowledgementSchema);
    expect(schemaOf("GET", "/v1/evidence/:id", 200)).toBe(recordViewSchema);
    expect(schemaOf("GET", "/v1/subjects/:id/evidence", 200)).toBe(subjectChainSchema);
    expect(schemaOf("GET", "/v1/deals/:id/escrow", 200)).toBe(escrowViewSchema);
    for (const move of ["moves", "release", "finalize", "reissue"]) {
      expect(schemaOf("POST", `/v1/deals/:id/milestones/:milestone/${move}`, 200)).toBe(escrowMoveSchema);
    }
  });

  it("the OpenAPI description shows them", async () => {
    const document = await (await fetch(`${t.url}/openapi.json`)).json();
    const answer = (path: string, method: string, status: string) =>
      document.paths[path][method].responses[status].content["application/json"].schema;
    expect(answer("/v1/deals/{id}/escrow", "get", "200")).toEqual({ $ref: "#/components/schemas/Escrow" });
    expect(answer("/v1/subjects/{id}/evidence", "get", "200")).toEqual({ $ref: "#/components/schemas/SubjectChain" });
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(["Record", "RecordAnchor", "RecordAcknowledgement", "EscrowMilestone", "EscrowMove"]),
    );
  });

  it("a recorded piece of evidence, its record and its subject's chain parse with those schemas", async () => {
    const subject = "test:response-schemas";
    const recorded = await operator.recordEvidence({
      kind: "listing.submitted",
      subject,
      data: { title: "光伏组件回收技术" },
    });
    const { id } = recordAcknowledgementSchema.parse(recorded);
    const anchored = await operator.waitForAnchor({ id });
    expect(recordViewSchema.parse(anchored)).toMatchObject({ id, status: "anchored" });
    const chain = subjectChainSchema.parse(await operator.getSubjectEvidence({ subject }));
    expect(chain.records.map((record) => record.id)).toEqual([id]);
  });

  it("a deal's escrow on chain and the moves on it parse with those schemas", async () => {
    const [supplier, demander, arbitrator, reviewer] = [
      await makeUser(t, { type: "institute", roles: ["supplier"] }),
      await makeUser(t, { type: "enterprise", roles: ["demander"] }),
      await makeUser(t, { type: "institute", roles: ["arbitrator"] }),
      await makeUser(t, { roles: ["reviewer"] }),
    ];
    const deal = await openDeal(t, supplier, demander, reviewer);
    await certifiedOnChain(t, supplier, demander);
    const as = (user: { token: string }) => createGatewayClient({ baseUrl: t.url, token: user.token });
    await as(demander).proposeEscrowTerms({
      dealId: deal.id,
      contract: { name: "contract.pdf", mediaType: "application/pdf", bytes: new TextEncoder().encode("%PDF-1.4\n") },
      currency: "CNY",
      total: 2_000_000,
      milestones: [0, 1].map((i) => ({ title: `Milestone ${i}`, amount: 1_000_000, deliverBy: inDays(2) })),
      arbitratorId: arbitrator.id,
      inspectionPeriodSeconds: 86_400,
      rulingPeriodSeconds: 7 * 86_400,
    });
    for (const party of [supplier, demander])
      await as(party).signEscrowTerms({ dealId: deal.id, signer: party.wallet });

    const escrow = escrowViewSchema.parse(await as(demander).getEscrow({ dealId: deal.id }));
    expect(escrow).toMatchObject({ status: "created", dealId: deal.id });
    const waiting = await as(supplier).moveMilestone({
      dealId: deal.id,
      milestone: 0,
      action: "cancel",
      signer: supplier.wallet,
    });
    expect(escrowMoveSchema.parse(waiting)).toMatchObject({ waitingFor: "demander" });
    const cancelled = await as(demander).moveMilestone({
      dealId: deal.id,
      milestone: 0,
      action: "cancel",
      signer: demander.wallet,
    });
    expect(escrowMoveSchema.parse(cancelled)).toMatchObject({ milestone: { state: "cancelled" } });
  }, 120_000);
});
