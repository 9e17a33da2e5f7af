import { createHash } from "node:crypto";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayClient, minutesContentDigest, type GatewayClient } from "../../../sdk";
import { openDeal } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";

/** Negotiation (6.5) and site visits (6.6) in a deal's workspace, through the SDK's actions. */
describe("the deal workspace: messages, confidential threads, signed minutes, site visits", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let broker: TestUser;
  let manager: TestUser;
  let evaluator: TestUser;
  let auditor: TestUser;
  let stranger: TestUser;
  let dealId: string;
  const sha256 = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;
  const sdk = (user: TestUser): GatewayClient => createGatewayClient({ baseUrl: t.url, token: user.token });
  const as = (user?: TestUser) => client(t.url, user?.token);
  const operator = () => client(t.url, t.token);
  const minutesInput = (overrides: Record<string, unknown> = {}) => ({
    dealId,
    heldAt: "2026-11-20T09:30:00+08:00",
    place: "云南某大学 成果转化中心 / Technology transfer centre, Kunming",
    agenda: ["许可范围 Licence scope", "Royalty base"],
    attendees: [
      { name: "王教授", side: "supplier" as const },
      { name: "Ms Anan Srisuk", side: "demander" as const },
      { name: "李经纪", side: "broker" as const },
    ],
    agreed: ["Exclusive licence for Thailand and Viet Nam"],
    open: ["Royalty rate: 3% or 4% of net sales"],
    nextSteps: ["Site visit of the pilot line before 2026-12-15"],
    ...overrides,
  });

  beforeAll(async () => {
    t = await startTestPlatform();
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    broker = await makeUser(t, { roles: ["broker"] });
    manager = await makeUser(t, { roles: ["manager"] });
    evaluator = await makeUser(t, { roles: ["evaluator"] });
    auditor = await makeUser(t, { roles: ["auditor"] });
    stranger = await makeUser(t, { roles: ["demander"] });
    dealId = (await openDeal(t, supplier, demander, reviewer)).id;
    await sdk(supplier).appointDealParticipant({ dealId, role: "broker", userId: broker.id });
    await sdk(demander).appointDealParticipant({ dealId, role: "broker", userId: broker.id });
    await operator()("POST", `/v1/deals/${dealId}/participants`, { role: "manager", userId: manager.id });
    await sdk(supplier).engageEvaluator({ dealId, userId: evaluator.id, kinds: ["value"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("keeps messages in Chinese and English with files, each a record of the deal with the file's digest", async () => {
    const drawing = new TextEncoder().encode("pilot line layout v3");
    const zh = await sdk(supplier).sendDealMessage({
      dealId,
      text: "我们可以安排参观中试线，并提供工艺参数说明。",
      language: "zh",
      files: [{ name: "layout.pdf", mediaType: "application/pdf", bytes: drawing }],
    });
    expect(zh).toMatchObject({ threadId: "thr_main", as: "supplier", language: "zh" });
    expect(zh.files).toEqual([
      { name: "layout.pdf", mediaType: "application/pdf", size: drawing.length, sha256: sha256(drawing) },
    ]);
    const en = await sdk(demander).sendDealMessage({
      dealId,
      text: "Thank you, we would like to visit.",
      language: "en",
    });
    await sdk(broker).sendDealMessage({ dealId, text: "我来组织正式谈判。", language: "zh" });
    const { messages } = await sdk(evaluator).listDealMessages({ dealId });
    expect(messages.map((m) => m.id)).toEqual([zh.id, en.id, messages[2].id]);
    expect(messages.map((m) => m.as)).toEqual(["supplier", "demander", "broker"]);
    const record = await operator()("GET", `/v1/evidence/${zh.recordId}`);
    expect(record.body).toMatchObject({ kind: "negotiation.recorded", subject: `deal:${dealId}` });
    // The file is the deal's: whoever reads the message downloads it by its digest.
    const download = await fetch(`${t.url}/v1/deals/${dealId}/files/${zh.files[0].sha256}`, {
      headers: { authorization: `Bearer ${evaluator.token}` },
    });
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(drawing);
    const unknown = await as(demander)("GET", `/v1/deals/${dealId}/files/0x${"ab".repeat(32)}`);
    expect(unknown.body.error.code).toBe("FILE_NOT_FOUND");
    const byEvaluator = await as(evaluator)("POST", `/v1/deals/${dealId}/messages`, { text: "hi", language: "en" });
    expect(byEvaluator.body.error.code).toBe("NOT_A_NEGOTIATOR");
    expect((await as(stranger)("GET", `/v1/deals/${dealId}/messages`)).status).toBe(403);
  });

  it("lets a party make a thread confidential: then only the parties, the broker and the manager read it", async () => {
    const thread = await sdk(demander).openDealThread({ dealId, title: "Royalty base", confidential: true });
    expect(thread.confidential).toBe(true);
    const secret = await sdk(demander).sendDealMessage({
      dealId,
      threadId: thread.id,
      text: "Our net sales in 2025 were THB 1.2 bn.",
      language: "en",
    });
    for (const reader of [supplier, demander, broker, manager]) {
      const { messages } = await sdk(reader).listDealMessages({ dealId, threadId: thread.id });
      expect(
        messages.map((m) => m.id),
        reader.id,
      ).toEqual([secret.id]);
    }
    for (const outsider of [evaluator, auditor]) {
      const all = await sdk(outsider).listDealMessages({ dealId });
      expect(all.messages.map((m) => m.id)).not.toContain(secret.id);
      const one = await as(outsider)("GET", `/v1/deals/${dealId}/messages?thread=${thread.id}`);
      expect([one.status, one.body.error.code]).toEqual([403, "THREAD_CONFIDENTIAL"]);
    }
    // The record of a confidential message is not the evaluator's to read either.
    expect((await as(evaluator)("GET", `/v1/evidence/${secret.recordId}`)).status).toBe(403);
    expect((await as(broker)("GET", `/v1/evidence/${secret.recordId}`)).status).toBe(200);

    // The broker may not change a thread's confidentiality; a party may, and it is a record.
    const byBroker = await as(broker)("PUT", `/v1/deals/${dealId}/threads/thr_main/confidentiality`, {
      confidential: true,
    });
    expect(byBroker.body.error.code).toBe("PARTIES_ONLY");
    const main = await sdk(supplier).setThreadConfidentiality({ dealId, threadId: "thr_main", confidential: true });
    expect(main.confidential).toBe(true);
    expect((await sdk(evaluator).listDealMessages({ dealId })).messages).toEqual([]);
    await sdk(supplier).setThreadConfidentiality({ dealId, threadId: "thr_main", confidential: false });
    expect((await sdk(evaluator).listDealMessages({ dealId })).messages.length).toBeGreaterThan(0);
  });

  it("asks the broker for a formal session, records minutes, and takes each party's signature by its own key only", async () => {
    const early = await as(broker)("POST", `/v1/deals/${dealId}/minutes`, minutesInput({ dealId: undefined }));
    expect([early.status, early.body.error.code]).toEqual([409, "DEAL_NOT_NEGOTIATING"]);
    await sdk(demander).moveDeal({ dealId, move: "begin_negotiation" });

    const session = await sdk(demander).requestNegotiationSession({
      dealId,
      agenda: ["licence scope", "royalty"],
      proposedTimes: ["2026-11-20T09:30:00+08:00"],
    });
    expect((await sdk(broker).listNegotiationSessions({ dealId })).sessions).toEqual([session]);
    expect((await as(broker)("POST", `/v1/deals/${dealId}/sessions`, { agenda: ["x"] })).status).toBe(403);

    const minutes = await sdk(broker).recordNegotiationMinutes(minutesInput({ sessionId: session.id }));
    expect(minutes).toMatchObject({ status: "drafted", signatures: {}, recordedBy: broker.id });
    expect(minutes.contentDigest).toBe(minutesContentDigest({ ...minutes, minutesId: minutes.id }));

    // A signature by another key than the party's registered one is refused.
    const impostor = new Wallet(Wallet.createRandom().privateKey);
    const forged = await impostor.signTypedData(
      minutes.typedData.domain,
      minutes.typedData.types as never,
      minutes.typedData.message,
    );
    const refused = await as(demander)("POST", `/v1/deals/${dealId}/minutes/${minutes.id}/signatures`, {
      signature: forged,
    });
    expect([refused.status, refused.body.error.code]).toEqual([422, "WRONG_SIGNER"]);
    // Nor may the supplier's key sign for the demander.
    const crossed = await supplier.wallet.signTypedData(
      minutes.typedData.domain,
      minutes.typedData.types as never,
      minutes.typedData.message,
    );
    const crossRefused = await as(demander)("POST", `/v1/deals/${dealId}/minutes/${minutes.id}/signatures`, {
      signature: crossed,
    });
    expect(crossRefused.body.error.code).toBe("WRONG_SIGNER");
    const byBroker = await as(broker)("POST", `/v1/deals/${dealId}/minutes/${minutes.id}/signatures`, {
      signature: crossed,
    });
    expect(byBroker.body.error.code).toBe("PARTIES_ONLY");

    const half = await sdk(supplier).signNegotiationMinutes({ dealId, minutesId: minutes.id, signer: supplier.wallet });
    expect(half.status).toBe("drafted");
    expect(half.signatures.supplier?.signer).toBe(supplier.wallet.address);
    const again = await as(supplier)("POST", `/v1/deals/${dealId}/minutes/${minutes.id}/signatures`, {
      signature: half.signatures.supplier!.signature,
    });
    expect(again.body.error.code).toBe("ALREADY_SIGNED");
    const signed = await sdk(demander).signNegotiationMinutes({
      dealId,
      minutesId: minutes.id,
      signer: demander.wallet,
    });
    expect(signed.status).toBe("signed");
    const record = await t.platform.tables.evidence.records.get(signed.signedRecordId!);
    expect(record).toMatchObject({ header: { kind: "negotiation.recorded", subject: `deal:${dealId}` } });
    expect(record!.data).toMatchObject({
      type: "minutes.signed",
      digest: minutes.digest,
      supplier: supplier.wallet.address,
      demander: demander.wallet.address,
    });
    expect((await sdk(evaluator).listNegotiationMinutes({ dealId })).minutes).toEqual([signed]);
  });

  it("records a site visit with its photos' digests and each party's confirmation, once", async () => {
    const photo = new TextEncoder().encode("JPEG bytes of the pyrolysis furnace");
    const visit = await sdk(broker).recordSiteVisit({
      dealId,
      visitedAt: "2026-12-02T10:00:00+08:00",
      place: "Pilot line, 呈贡 Kunming",
      visitors: { supplier: ["王教授"], demander: ["Ms Anan Srisuk", "Mr Somchai"], others: ["李经纪"] },
      examined: ["pyrolysis furnace at 480 °C", "leaching tanks"],
      findings: "Silicon recovery 95.2% on the day's batch; silver recovery not shown.",
      files: [{ name: "furnace.jpg", mediaType: "image/jpeg", bytes: photo }],
    });
    expect(visit.files[0].sha256).toBe(sha256(photo));
    const record = await t.platform.tables.evidence.records.get(visit.recordId);
    expect(record!.header).toMatchObject({ kind: "investigation.recorded", subject: `deal:${dealId}` });
    expect((record!.data.$files as Array<{ sha256: string }>)[0].sha256).toBe(visit.files[0].sha256);

    const bySupplier = await sdk(supplier).confirmSiteVisit({ dealId, visitId: visit.id, confirmed: true });
    expect(bySupplier.confirmations.supplier?.confirmed).toBe(true);
    const byDemander = await sdk(demander).confirmSiteVisit({
      dealId,
      visitId: visit.id,
      confirmed: false,
      note: "Silver recovery was not demonstrated",
    });
    expect(byDemander.confirmations).toMatchObject({
      supplier: { confirmed: true },
      demander: { confirmed: false, note: "Silver recovery was not demonstrated" },
    });
    const twice = await as(demander)("POST", `/v1/deals/${dealId}/visits/${visit.id}/confirmations`, {
      confirmed: true,
    });
    expect(twice.body.error.code).toBe("ALREADY_CONFIRMED");
    const byBroker = await as(broker)("POST", `/v1/deals/${dealId}/visits/${visit.id}/confirmations`, {
      confirmed: true,
    });
    expect(byBroker.body.error.code).toBe("PARTIES_ONLY");
    expect((await sdk(manager).listSiteVisits({ dealId })).visits).toEqual([byDemander]);
  });

  it("leaves a record on the deal's subject for every step, its chain whole", async () => {
    const chain = await operator()("GET", `/v1/subjects/deal:${dealId}/evidence`);
    expect(chain.body.intact).toBe(true);
    const kinds = new Set(chain.body.records.map((r: { kind: string }) => r.kind));
    for (const kind of [
      "deal.opened",
      "deal.participant.changed",
      "deal.moved",
      "negotiation.recorded",
      "investigation.recorded",
    ]) {
      expect(kinds, kind).toContain(kind);
    }
  });
});
