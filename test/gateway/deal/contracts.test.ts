import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGatewayClient,
  contractDigest,
  renderContract,
  REGISTRATION_CSV_COLUMNS,
  type ContractFieldsInput,
} from "../../../sdk";
import { CONTRACT_FIXTURES } from "../../sdk/deal/contractFixtures";
import { certifiedOnChain, openDeal } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString();

/** A licence with two instalments due in the future: they become the escrow's milestones. */
function licence(total = 300_000_000): ContractFieldsInput {
  const first = 100_000_000;
  return {
    ...CONTRACT_FIXTURES.licence,
    payment: {
      mode: "instalments",
      currency: "CNY",
      total,
      instalments: [
        {
          title: { zh: "技术资料交付", en: "Technical materials delivered" },
          amount: first,
          condition: { zh: "资料验收合格", en: "Materials accepted" },
          deliverBy: inDays(60),
        },
        {
          title: { zh: "中试验收", en: "Pilot line accepted" },
          amount: total - first,
          condition: { zh: "中试线验收合格", en: "Pilot line accepted" },
          deliverBy: inDays(180),
        },
      ],
    },
  } as ContractFieldsInput;
}

/** The technology contract (6.7): drafted, versioned, signed by both parties' keys, and carried to the escrow. */
describe("the deal workspace: the technology contract", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let broker: TestUser;
  let arbitrator: TestUser;
  let auditor: TestUser;
  let evaluator: TestUser;
  let dealId: string;
  const as = (user?: TestUser) => client(t.url, user?.token);
  const sdk = (user: TestUser) => createGatewayClient({ baseUrl: t.url, token: user.token });
  const terms = (extra: Record<string, unknown> = {}) => ({
    arbitratorId: arbitrator.id,
    inspectionPeriodSeconds: 7 * 86400,
    rulingPeriodSeconds: 14 * 86400,
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestPlatform();
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    broker = await makeUser(t, { roles: ["broker"] });
    arbitrator = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
    auditor = await makeUser(t, { roles: ["auditor"] });
    evaluator = await makeUser(t, { roles: ["evaluator"] });
    await certifiedOnChain(t, supplier, demander);
    dealId = (await openDeal(t, supplier, demander, reviewer)).id;
    await as(supplier)("POST", `/v1/deals/${dealId}/participants`, { role: "broker", userId: broker.id });
    await as(demander)("POST", `/v1/deals/${dealId}/participants`, { role: "broker", userId: broker.id });
    await as(supplier)("POST", `/v1/deals/${dealId}/evaluators`, { userId: evaluator.id, kinds: ["value"] });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("drafts once the deal is contracting, from the template, its fields checked by the SDK's schema", async () => {
    const early = await as(supplier)("POST", `/v1/deals/${dealId}/contract`, { language: "zh", fields: licence() });
    expect([early.status, early.body.error.code]).toEqual([409, "DEAL_NOT_CONTRACTING"]);
    await as(demander)("POST", `/v1/deals/${dealId}/moves`, { move: "begin_negotiation" });
    await as(broker)("POST", `/v1/deals/${dealId}/moves`, { move: "begin_contracting" });

    const { patent: _patent, ...withoutPatent } = licence() as ContractFieldsInput & { patent?: unknown };
    const incomplete = await as(supplier)("POST", `/v1/deals/${dealId}/contract`, {
      language: "zh",
      fields: withoutPatent,
    });
    expect([incomplete.status, incomplete.body.error.code]).toEqual([422, "CONTRACT_FIELDS_INVALID"]);
    expect(incomplete.body.error.details.map((d: { path: string }) => d.path)).toContain("body.fields.patent");
    const byEvaluator = await as(evaluator)("POST", `/v1/deals/${dealId}/contract`, {
      language: "zh",
      fields: licence(),
    });
    expect([byEvaluator.status, byEvaluator.body.error.code]).toEqual([403, "NOT_A_NEGOTIATOR"]);

    const drafted = await as(broker)("POST", `/v1/deals/${dealId}/contract`, { language: "zh", fields: licence() });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    expect(drafted.body).toMatchObject({ contractType: "licence", status: "drafting", signatures: {} });
    const v1 = drafted.body.versions[0];
    expect(v1).toMatchObject({ version: 1, language: "zh", changes: [], by: broker.id });
    const again = await as(supplier)("POST", `/v1/deals/${dealId}/contract`, { language: "zh", fields: licence() });
    expect(again.body.error.code).toBe("CONTRACT_ALREADY_DRAFTED");

    // The text served is the SDK's rendering, and its SHA-256 is the version's digest.
    const served = await as(demander)("GET", `/v1/deals/${dealId}/contract/versions/1`);
    expect(served.body.text).toBe(renderContract("licence", "zh", v1.fields).text);
    expect(served.body.contractDigest).toBe(contractDigest(served.body.text));
    expect(served.body.html).toContain('<html lang="zh-CN">');
    const html = await fetch(`${t.url}/v1/deals/${dealId}/contract/versions/1/document`, {
      headers: { authorization: `Bearer ${demander.token}` },
    });
    expect(html.headers.get("content-type")).toContain("text/html");
    expect(await html.text()).toBe(served.body.html);
    const text = await fetch(`${t.url}/v1/deals/${dealId}/contract/versions/1/document?format=text`, {
      headers: { authorization: `Bearer ${demander.token}` },
    });
    expect(await text.text()).toBe(served.body.text);
    const record = await t.platform.tables.evidence.records.get(v1.recordId);
    expect(record!.header).toMatchObject({ kind: "contract.drafted", subject: `deal:${dealId}` });
  });

  it("keeps versions with what changed, and takes each party's signature of the last version by its own key only", async () => {
    const v2 = await as(demander)("POST", `/v1/deals/${dealId}/contract/versions`, {
      language: "en",
      fields: licence(320_000_000),
    });
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);
    const changes = v2.body.versions[1].changes;
    expect(changes).toContainEqual({ path: "$language", change: "changed", before: "zh", after: "en" });
    expect(changes).toContainEqual({
      path: "payment.total",
      change: "changed",
      before: 300_000_000,
      after: 320_000_000,
    });
    expect(changes).toContainEqual({
      path: "payment.instalments.1.amount",
      change: "changed",
      before: 200_000_000,
      after: 220_000_000,
    });
    const { domain, types, message } = v2.body.typedData;
    expect(message).toMatchObject({ version: 2, language: "en", contractDigest: v2.body.versions[1].contractDigest });

    const impostor = new Wallet(Wallet.createRandom().privateKey);
    const forged = await impostor.signTypedData(domain, types, message);
    const refused = await as(supplier)("POST", `/v1/deals/${dealId}/contract/signatures`, {
      version: 2,
      signature: forged,
    });
    expect([refused.status, refused.body.error.code]).toEqual([422, "WRONG_SIGNER"]);
    const crossed = await demander.wallet.signTypedData(domain, types, message);
    const crossRefused = await as(supplier)("POST", `/v1/deals/${dealId}/contract/signatures`, {
      version: 2,
      signature: crossed,
    });
    expect(crossRefused.body.error.code).toBe("WRONG_SIGNER");
    const old = await as(supplier)("POST", `/v1/deals/${dealId}/contract/signatures`, {
      version: 1,
      signature: crossed,
    });
    expect([old.status, old.body.error.code]).toEqual([409, "CONTRACT_VERSION_SUPERSEDED"]);
    const byBroker = await as(broker)("POST", `/v1/deals/${dealId}/contract/signatures`, {
      version: 2,
      signature: crossed,
    });
    expect(byBroker.body.error.code).toBe("PARTIES_ONLY");

    // Before signing, the registration data is not there yet.
    const early = await as(supplier)("GET", `/v1/deals/${dealId}/contract/registration`);
    expect([early.status, early.body.error.code]).toEqual([409, "CONTRACT_NOT_SIGNED"]);

    // The SDK's action renders the version itself and checks the digest before it signs.
    const half = { body: await sdk(supplier).signContract({ dealId, signer: supplier.wallet }) };
    expect(half.body).toMatchObject({
      status: "drafting",
      signatures: { supplier: { signer: supplier.wallet.address } },
    });
    const signed = await as(demander)("POST", `/v1/deals/${dealId}/contract/signatures`, {
      version: 2,
      signature: crossed,
    });
    expect(signed.body).toMatchObject({
      status: "signed",
      signed: { version: 2, contractDigest: v2.body.versions[1].contractDigest, price: { amount: 320_000_000 } },
    });
    const record = await t.platform.tables.evidence.records.get(signed.body.signed.recordId);
    expect(record!.header).toMatchObject({ kind: "contract.signed", subject: `deal:${dealId}` });
    expect(record!.data).toMatchObject({ supplier: supplier.wallet.address, demander: demander.wallet.address });
    // The negotiated price is fixed at signing; the signed contract changes no more.
    expect((await as(supplier)("GET", `/v1/deals/${dealId}/workspace`)).body.price).toEqual({
      amount: 320_000_000,
      currency: "CNY",
    });
    const later = await as(demander)("POST", `/v1/deals/${dealId}/contract/versions`, { fields: licence() });
    expect([later.status, later.body.error.code]).toEqual([409, "CONTRACT_SIGNED"]);
  });

  it("exports the registration data as JSON and CSV for the parties and the auditor, not the broker", async () => {
    const json = await as(auditor)("GET", `/v1/deals/${dealId}/contract/registration`);
    expect(json.status, JSON.stringify(json.body)).toBe(200);
    expect(json.body).toMatchObject({
      contractType: "licence",
      contractTypeName: "技术许可合同",
      supplierName: "云南理工大学",
      amount: 320_000_000,
      patentNumber: "ZL202210512345.6",
    });
    const csv = await fetch(`${t.url}/v1/deals/${dealId}/contract/registration?format=csv`, {
      headers: { authorization: `Bearer ${supplier.token}` },
    });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const [header, line] = (await csv.text()).split("\r\n");
    expect(header).toBe(REGISTRATION_CSV_COLUMNS.join(","));
    expect(line).toContain("320000000");
    expect(await sdk(demander).getContractRegistration({ dealId })).toEqual(json.body);
    const byBroker = await as(broker)("GET", `/v1/deals/${dealId}/contract/registration`);
    expect([byBroker.status, byBroker.body.error.code]).toEqual([403, "PARTIES_AND_OVERSEERS"]);
  });

  it("takes the escrow terms' contract and milestones from the signed contract, and refuses terms that disagree", async () => {
    const disagreeing = await as(demander)(
      "POST",
      `/v1/deals/${dealId}/terms`,
      terms({
        currency: "CNY",
        total: 320_000_000,
        milestones: [{ title: "all at once", amount: 320_000_000, deliverBy: inDays(60) }],
      }),
    );
    expect([disagreeing.status, disagreeing.body.error.code]).toEqual([422, "TERMS_DISAGREE_WITH_CONTRACT"]);
    expect(disagreeing.body.error.details.map((d: { path: string }) => d.path)).toContain("body.milestones");
    const otherFile = await as(demander)(
      "POST",
      `/v1/deals/${dealId}/terms`,
      terms({
        contract: {
          name: "c.pdf",
          mediaType: "application/pdf",
          contentBase64: Buffer.from("%PDF").toString("base64"),
        },
      }),
    );
    expect(otherFile.body.error.details.map((d: { path: string }) => d.path)).toEqual(["body.contract"]);

    const contract = (await as(demander)("GET", `/v1/deals/${dealId}/contract`)).body;
    const proposed = await as(demander)("POST", `/v1/deals/${dealId}/terms`, terms());
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    expect(proposed.body.terms).toMatchObject({
      currency: "CNY",
      total: 320_000_000,
      contract: { sha256: contract.signed.contractDigest },
    });
    expect(proposed.body.terms.milestones.map((m: { amount: number }) => m.amount)).toEqual([100_000_000, 220_000_000]);
    expect(proposed.body.terms.message.contractDigest).toBe(contract.signed.contractDigest);
    for (const party of [supplier, demander]) {
      const { domain, types, message } = proposed.body.typedData;
      const signature = await party.wallet.signTypedData(domain, types, message);
      expect((await as(party)("POST", `/v1/deals/${dealId}/terms/signatures`, { signature })).status).toBe(200);
    }
    await eventually(
      async () =>
        (await as(supplier)("GET", `/v1/deals/${dealId}/workspace`)).body.state === "signed" ? true : undefined,
      20_000,
      "the deal signed on the escrow",
    );
  });

  it("describes every contract and evaluation route in the OpenAPI document with the SDK's schemas", async () => {
    const document = await (await fetch(`${t.url}/openapi.json`)).json();
    for (const path of [
      "/v1/deals/{id}/evaluations",
      "/v1/deals/{id}/contract",
      "/v1/deals/{id}/contract/versions",
      "/v1/deals/{id}/contract/versions/{version}",
      "/v1/deals/{id}/contract/versions/{version}/document",
      "/v1/deals/{id}/contract/signatures",
      "/v1/deals/{id}/contract/registration",
      "/v1/contract-templates",
      "/v1/contract-templates/{type}",
    ]) {
      expect(document.paths[path], path).toBeDefined();
    }
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(["DealEvaluation", "DealContract", "DealContractVersion", "ContractRegistration"]),
    );
    const licence = await sdk(supplier).getContractTemplate({ type: "licence" });
    expect(licence.clauses.map((clause) => clause.id)).toContain("licenceScope");
    const templates = await sdk(supplier).listContractTemplates();
    expect(templates.templates.map((template) => template.type)).toEqual([
      "development",
      "transfer",
      "licence",
      "consulting",
      "service",
    ]);
  });
});
