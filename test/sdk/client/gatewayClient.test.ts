import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGatewayClient,
  GatewayRequestError,
  InvalidArgumentError,
  verifyCertificate,
  type GatewayClient,
  type UserView,
} from "../../../sdk";
import { USER_ROLES as GATEWAY_USER_ROLES } from "../../../gateway/auth/roles";
import { ACCOUNT_TYPES as GATEWAY_ACCOUNT_TYPES } from "../../../gateway/identity/types";
import { AGE_RECIPIENT_PATTERN } from "../../../gateway/identity/users";
import { ACCOUNT_TYPES, USER_ROLES } from "../../../sdk";
import { eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

/** A valid X25519 recipient from the age specification (the age-encryption package is not installed). */
const AGE_RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const LICENCE_PDF = new TextEncoder().encode("%PDF-1.4\n% test licence\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

/** Resident ids with valid GB 11643 check digits, one per test person. */
const RESIDENT_IDS = ["11010519491231002X", "110101199001010015"];

/** Expects `promise` to fail with a GatewayRequestError of `status` and `code`. */
async function expectRefusal(promise: Promise<unknown>, status: number, code: string): Promise<GatewayRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayRequestError);
  expect(error).toMatchObject({ status, code });
  return error as GatewayRequestError;
}

describe("the gateway client against a running gateway", () => {
  let t: TestPlatform;
  let anonymous: GatewayClient;
  let operator: GatewayClient;
  let reviewer: GatewayClient;

  const registerPerson = (name: string, signer = Wallet.createRandom()) =>
    anonymous.register({ signer, type: "individual", names: { en: name }, encryptionRecipient: AGE_RECIPIENT });

  beforeAll(async () => {
    t = await startTestPlatform();
    anonymous = createGatewayClient({ baseUrl: t.url });
    operator = anonymous.withToken(t.token);

    // The operator makes a reviewer out of a third account, who then signs in.
    const reviewerKey = Wallet.createRandom();
    const { user } = await registerPerson("Reviewer", reviewerKey);
    const granted = await operator.grantRole({ userId: user.id, role: "reviewer" });
    expect(granted.roles.map((grant) => grant.role)).toEqual(["reviewer"]);
    ({ client: reviewer } = await anonymous.signIn({ signer: reviewerKey }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it("registers an enterprise and an individual, and a reviewer certifies both", async () => {
    const company = await anonymous.register({
      signer: Wallet.createRandom(),
      type: "enterprise",
      names: { zh: "云南光伏科技有限公司", en: "Yunnan PV Technology Co., Ltd." },
      encryptionRecipient: AGE_RECIPIENT,
    });
    expect(company.user).toMatchObject({ type: "enterprise", status: "registered", certified: false });
    expect(company.client.token).toBe(company.token);
    const personKey = Wallet.createRandom();
    const person = await registerPerson("Wang Fang", personKey);
    expect(person.user.signingAddress).toBe(personKey.address);

    const submitted = await company.client.submitCertification({
      userId: company.user.id,
      identity: {
        kind: "credit-code",
        name: "云南光伏科技有限公司",
        number: "91350100M000100Y43",
        legalRepresentative: "张三",
      },
      licence: { name: "licence.pdf", mediaType: "application/pdf", bytes: LICENCE_PDF },
    });
    expect(submitted.status).toBe("pending_review");
    expect(submitted.certification?.licence).toMatchObject({ name: "licence.pdf", size: LICENCE_PDF.length });
    await person.client.submitCertification({
      userId: person.user.id,
      identity: { kind: "resident-id", name: "王芳", number: RESIDENT_IDS[0] },
    });

    const { users: queue } = await reviewer.listUsers({ status: "pending_review" });
    expect(queue.map((user) => user.id)).toEqual(expect.arrayContaining([company.user.id, person.user.id]));
    // A reviewer sees document numbers in full.
    expect(queue.find((user) => user.id === person.user.id)?.certification?.identity.number).toBe(RESIDENT_IDS[0]);

    for (const userId of [company.user.id, person.user.id]) {
      const decided = await reviewer.decideCertification({ userId, approved: true });
      expect(decided).toMatchObject({ status: "certified", certified: true });
    }
    expect(await company.client.getMe()).toMatchObject({ id: company.user.id, certified: true });
    expect(await person.client.getMe()).toMatchObject({ id: person.user.id, certified: true });

    // A new sign-in with the same key gets a session for the same, certified account.
    const again = await anonymous.signIn({ signer: personKey });
    expect(again.user).toMatchObject({ id: person.user.id, certified: true });
  });

  it("refuses a rejection without a reason, and records one with a reason", async () => {
    const applicant = await registerPerson("Li Si");
    await applicant.client.submitCertification({
      userId: applicant.user.id,
      identity: { kind: "resident-id", name: "李四", number: RESIDENT_IDS[1] },
    });

    await expectRefusal(
      reviewer.decideCertification({ userId: applicant.user.id, approved: false }),
      400,
      "REASON_REQUIRED",
    );
    const rejected = await reviewer.decideCertification({
      userId: applicant.user.id,
      approved: false,
      reason: "the name does not match the document",
    });
    expect(rejected).toMatchObject({ status: "rejected", certified: false });
    expect(rejected.certification?.decision).toMatchObject({
      approved: false,
      reason: "the name does not match the document",
    });
  });

  it("rotates the signing key: a new session works and the old one is refused as stale", async () => {
    const oldKey = Wallet.createRandom();
    const { user, client: oldSession } = await registerPerson("Zhao Liu", oldKey);
    const newKey = Wallet.createRandom();

    const rotated = await oldSession.rotateSigningKey({ userId: user.id, newSigner: newKey });
    expect(rotated.token).not.toBe(oldSession.token);
    expect(rotated.user.signingAddress).toBe(newKey.address);
    expect(rotated.user.signingKeys).toEqual([
      expect.objectContaining({ value: oldKey.address, until: expect.any(String) }),
      expect.objectContaining({ value: newKey.address }),
    ]);
    expect((await rotated.client.getMe()).id).toBe(user.id);

    await expectRefusal(oldSession.getMe(), 401, "SESSION_STALE");
    // The retired key no longer signs in; the new one does.
    await expectRefusal(anonymous.signIn({ signer: oldKey }), 401, "NOT_REGISTERED");
    expect((await anonymous.signIn({ signer: newKey })).user.id).toBe(user.id);
  });

  it("issues a user the certificate of their own registration record, which verifies on chain", async () => {
    const { user, client: me } = await registerPerson("Sun Qi");
    const subject = `user:${user.id}`;

    const registration = await eventually(
      async () => {
        const chain = await me.getSubjectEvidence({ subject });
        const record = chain.records.find((r) => r.kind === "user.registered");
        return record?.status === "anchored" ? record : undefined;
      },
      30_000,
      "the registration record to be anchored",
    );
    expect(registration).toMatchObject({ subject, seq: 0 });
    expect(await me.getRecord({ id: registration.id })).toMatchObject({ id: registration.id, status: "anchored" });

    const certificate = await me.getCertificate({ id: registration.id });
    expect(certificate.record.header).toMatchObject({ id: registration.id, kind: "user.registered", subject });
    expect(certificate.anchor.transactionHash).toBe(registration.anchor?.transactionHash);
    const result = await verifyCertificate(certificate, { rpcUrl: t.chain.rpcUrl, trust: t.trust });
    expect(result).toMatchObject({ valid: true, record: { id: registration.id, subject } });

    // Selective disclosure: only the named field keeps its value.
    const partial = await me.getCertificate({ id: registration.id, fields: ["type"] });
    expect(partial.record.fields.type).toMatchObject({ value: "individual" });
    expect(partial.record.fields.names).not.toHaveProperty("value");
    expect((await verifyCertificate(partial, { rpcUrl: t.chain.rpcUrl, trust: t.trust })).valid).toBe(true);
  });

  it("refuses a user another user's account, records and subject with status 403", async () => {
    const alice = await registerPerson("Alice");
    const bob = await registerPerson("Bob");

    const error = await expectRefusal(alice.client.getUser({ userId: bob.user.id }), 403, "FORBIDDEN");
    expect(error).toMatchObject({ method: "GET", path: `/v1/users/${bob.user.id}` });
    expect(error.shortMessage).toMatch(/this route is for/);
    await expectRefusal(alice.client.getSubjectEvidence({ subject: `user:${bob.user.id}` }), 403, "NOT_YOUR_RECORD");
    const bobsRecords = await bob.client.getSubjectEvidence({ subject: `user:${bob.user.id}` });
    await expectRefusal(alice.client.getRecord({ id: bobsRecords.records[0].id }), 403, "NOT_YOUR_RECORD");
    // Their own account is theirs to read.
    expect((await alice.client.getUser({ userId: alice.user.id })).id).toBe(alice.user.id);
  });

  it("records evidence with a file as the operator, waits for its anchor and verifies its certificate", async () => {
    const receipt = await operator.recordEvidence({
      kind: "evidence.attested",
      subject: "deal:2026-0042",
      data: { title: "光伏组件回收技术", price: 1200000, currency: "CNY" },
      files: [{ name: "contract.pdf", mediaType: "application/pdf", bytes: LICENCE_PDF }],
    });
    expect(receipt).toMatchObject({ subject: "deal:2026-0042", seq: 0, status: "pending" });

    const anchored = await receipt.wait({ timeoutMs: 30_000, pollMs: 50 });
    expect(anchored).toMatchObject({ id: receipt.id, status: "anchored", commitment: receipt.commitment });
    expect(anchored.fields).toEqual(expect.arrayContaining(["title", "price", "currency", "$files"]));

    const certificate = await operator.getCertificate({ id: receipt.id, fields: ["price", "currency"] });
    expect(certificate.record.fields.price).toMatchObject({ value: 1200000 });
    expect(certificate.record.fields.title).not.toHaveProperty("value");
    expect((await verifyCertificate(certificate, { rpcUrl: t.chain.rpcUrl, trust: t.trust })).valid).toBe(true);

    const chain = await operator.getSubjectEvidence({ subject: "deal:2026-0042" });
    expect(chain).toMatchObject({ length: 1, intact: true, head: { id: receipt.id } });
  });

  it("lets an admin suspend an account, whose session then stops working, and reinstate it", async () => {
    const { user, client: me } = await registerPerson("Zhou Ba");
    const suspended = await operator.setSuspended({ userId: user.id, suspended: true, reason: "test" });
    expect(suspended).toMatchObject({ status: "suspended", suspensionReason: "test" });
    await expectRefusal(me.getMe(), 403, "ACCOUNT_SUSPENDED");
    const reinstated = await operator.setSuspended({ userId: user.id, suspended: false, reason: "cleared" });
    expect(reinstated.status).toBe("registered");
    expect((await me.getMe()).status).toBe("registered");
  });

  it("grants and revokes roles, and changes the encryption recipient", async () => {
    const { user, client: me } = await registerPerson("Wu Jiu");
    await expectRefusal(operator.grantRole({ userId: user.id, role: "broker" }), 400, "CERTIFICATE_NUMBER_REQUIRED");
    const broker = await operator.grantRole({ userId: user.id, role: "broker", certificateNumber: "JSJJ-2026-0042" });
    expect(broker.roles).toEqual([expect.objectContaining({ role: "broker", certificateNumber: "JSJJ-2026-0042" })]);
    expect((await operator.revokeRole({ userId: user.id, role: "broker" })).roles).toEqual([]);

    const recipient = "age1" + "q".repeat(58);
    const changed = await me.setEncryptionRecipient({ userId: user.id, recipient });
    expect(changed.encryptionRecipient).toBe(recipient);
    await expectRefusal(me.setEncryptionRecipient({ userId: user.id, recipient }), 409, "KEY_UNCHANGED");
  });

  it("tells a sign-in with an unregistered key to register, and reports the gateway's health", async () => {
    await expectRefusal(anonymous.signIn({ signer: Wallet.createRandom() }), 401, "NOT_REGISTERED");
    await expectRefusal(anonymous.getMe(), 401, "AUTHENTICATION_REQUIRED");
    const health = await anonymous.getHealth();
    expect(health).toMatchObject({ status: "ok", chain: { reachable: true } });
    expect(await anonymous.getChainInfo()).toMatchObject({ chainId: String(t.deployment.chainId) });
  });

  it("checks arguments before sending anything", async () => {
    let sent = 0;
    const counting = createGatewayClient({
      baseUrl: t.url,
      fetch: (...args) => {
        sent++;
        return fetch(...args);
      },
    });
    const refusals: Array<() => Promise<unknown>> = [
      () => counting.getUser({ userId: "usr_123" }),
      () => counting.getRecord({ id: "not-a-uuid" }),
      () => counting.grantRole({ userId: "usr_" + "0".repeat(24), role: "king" as never }),
      () => counting.requestChallenge({ address: "0x1234" }),
      () => counting.signIn({ signer: {} as never }),
      () =>
        counting.register({
          signer: Wallet.createRandom(),
          type: "individual",
          names: { en: "X" },
          encryptionRecipient: "age1nope",
        }),
      () => counting.recordEvidence({ kind: "evidence.attested", subject: "deal 1", data: {} }),
      () => counting.recordEvidence({ kind: "evidence.attested", subject: "deal:1", data: { $files: [] } }),
      () => counting.listUsers({ limit: 0 }),
      () =>
        counting.submitCertification({
          userId: "usr_" + "0".repeat(24),
          identity: { kind: "resident-id", name: "X", number: "1" },
          licence: { name: "a/b.pdf", mediaType: "application/pdf", bytes: LICENCE_PDF },
        }),
    ];
    for (const call of refusals) await expect(call()).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sent).toBe(0);
    expect(() => createGatewayClient({ baseUrl: "ftp://example.org" })).toThrow(InvalidArgumentError);
    expect(() => createGatewayClient({ baseUrl: t.url, token: "two words" })).toThrow(InvalidArgumentError);
  });

  it("exposes every problem of a refused request as GatewayRequestError.details", async () => {
    const error = await expectRefusal(
      operator.request("GET", "/v1/users?status=bogus&limit=9999"),
      400,
      "INVALID_REQUEST",
    );
    expect(error.details).toEqual([
      expect.objectContaining({ path: "query.status", code: "INVALID_VALUE" }),
      expect.objectContaining({ path: "query.limit", code: "TOO_BIG" }),
    ]);
    expect(error.message).toContain("query.limit");
    const single = await expectRefusal(operator.request("GET", "/v1/users/not-a-user"), 400, "INVALID_REQUEST");
    expect(single.details).toHaveLength(1);
    const none = await expectRefusal(anonymous.request("GET", "/v1/users"), 401, "AUTHENTICATION_REQUIRED");
    expect(none.details).toEqual([]);
  });

  it("keeps the base URL and token, and binds a new token with withToken", () => {
    const client = createGatewayClient({ baseUrl: `${t.url}/` });
    expect(client.baseUrl).toBe(t.url);
    expect(client.token).toBeUndefined();
    const bound = client.withToken("ses.abc");
    expect(bound).toMatchObject({ baseUrl: t.url, token: "ses.abc" });
    expect(client.token).toBeUndefined();
  });

  it("gives the user view every documented field", async () => {
    const { user } = await registerPerson("Zheng Shi");
    const keys: Array<keyof UserView> = [
      "id",
      "type",
      "names",
      "status",
      "certified",
      "signingAddress",
      "encryptionRecipient",
      "signingKeys",
      "encryptionKeys",
      "roles",
      "createdAt",
      "updatedAt",
    ];
    for (const key of keys) expect(user).toHaveProperty(key);
    expect(user.id).toMatch(/^usr_[0-9a-f]{24}$/);
  });

  it("keeps its hand-written lists in step with the gateway's", () => {
    // The SDK does not import the gateway; this catches a role or account type added on one side only.
    expect([...USER_ROLES]).toEqual([...GATEWAY_USER_ROLES]);
    expect([...ACCOUNT_TYPES]).toEqual([...GATEWAY_ACCOUNT_TYPES]);
    expect(AGE_RECIPIENT_PATTERN.test(AGE_RECIPIENT)).toBe(true);
  });
});
