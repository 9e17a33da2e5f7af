import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareAccounts, userRefOf } from "../../../gateway/identity/accountSync";
import { assertMayTrade } from "../../../gateway/identity/eligibility";
import {
  AGE_RECIPIENT,
  LICENCE_PDF,
  creditCode,
  creditCodeWithOrganisation,
  makeUser,
  residentId,
} from "../../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const newWallet = () => new Wallet(Wallet.createRandom().privateKey);

describe("accounts, certification and sign-in over HTTP", () => {
  let t: TestPlatform;
  const anonymous = () => client(t.url);
  const operator = () => client(t.url, t.token);

  /** Challenge, sign, and send to `path` with `extra` (registration or sign-in). */
  async function signed(
    wallet: Wallet,
    path: string,
    extra: Record<string, unknown> = {},
    token?: string,
    method = "POST",
  ) {
    const challenge = await anonymous()("POST", "/v1/auth/challenge", { address: wallet.address });
    expect(challenge.status).toBe(201);
    const signature = await wallet.signMessage(challenge.body.message);
    return client(t.url, token)(method, path, { ...extra, message: challenge.body.message, signature });
  }
  const register = (wallet: Wallet, type: string, names: Record<string, string>) =>
    signed(wallet, "/v1/users", { type, names, encryptionRecipient: AGE_RECIPIENT });
  const listed = (address: string) => t.platform.chain.accounts.isCertified(address);

  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("registers an enterprise and an individual, certifies them by a reviewer, and lists them on chain", async () => {
    const companyKey = newWallet();
    const company = await register(companyKey, "enterprise", {
      zh: "云南光伏科技有限公司",
      en: "Yunnan PV Technology Co., Ltd.",
    });
    expect(company.status).toBe(201);
    expect(company.body.user).toMatchObject({
      type: "enterprise",
      status: "registered",
      signingAddress: companyKey.address,
    });
    const personKey = newWallet();
    const person = await register(personKey, "individual", { zh: "李四", en: "Li Si" });
    expect(person.status).toBe(201);

    // The operator makes a reviewer out of a third account.
    const reviewerKey = newWallet();
    const reviewer = await register(reviewerKey, "individual", { en: "Reviewer" });
    expect((await operator()("POST", `/v1/users/${reviewer.body.user.id}/roles`, { role: "reviewer" })).status).toBe(
      200,
    );
    const reviewerSession = await signed(reviewerKey, "/v1/auth/session");
    expect(reviewerSession.status).toBe(201);

    const asCompany = client(t.url, company.body.token);
    const submitted = await asCompany("POST", `/v1/users/${company.body.user.id}/certification`, {
      identity: {
        kind: "credit-code",
        name: "云南光伏科技有限公司",
        number: creditCode(1).toLowerCase(),
        legalRepresentative: "王五",
      },
      licence: { name: "营业执照.pdf", mediaType: "application/pdf", contentBase64: LICENCE_PDF.toString("base64") },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe("pending_review");
    expect(submitted.body.certification.identity.number).toBe(creditCode(1));
    expect(submitted.body.certification.licence.sha256).toMatch(/^0x[0-9a-f]{64}$/);
    const asPerson = client(t.url, person.body.token);
    expect(
      (
        await asPerson("POST", `/v1/users/${person.body.user.id}/certification`, {
          identity: { kind: "resident-id", name: "李四", number: residentId(7) },
        })
      ).status,
    ).toBe(200);

    const asReviewer = client(t.url, reviewerSession.body.token);
    const pending = await asReviewer("GET", "/v1/users?status=pending_review");
    expect(pending.body.users.map((u: { id: string }) => u.id).sort()).toEqual(
      [company.body.user.id, person.body.user.id].sort(),
    );
    for (const id of [company.body.user.id, person.body.user.id]) {
      const decided = await asReviewer("POST", `/v1/users/${id}/certification/decision`, { approved: true });
      expect(decided.status).toBe(200);
      expect(decided.body.status).toBe("certified");
    }
    expect((await asCompany("GET", "/v1/users/me")).body.certified).toBe(true);
    await eventually(async () =>
      (await listed(companyKey.address)) && (await listed(personKey.address)) ? true : undefined,
    );
    expect(await listed(reviewerKey.address)).toBe(false);
    await eventually(async () => {
      const health = await anonymous()("GET", "/health");
      return health.body.accounts.inSync ? health.body : undefined;
    });

    // Every step is a record of the account's subject, in order.
    const chain = await asCompany("GET", `/v1/subjects/user:${company.body.user.id}/evidence`);
    expect(chain.body.records.map((r: { kind: string }) => r.kind)).toEqual([
      "user.registered",
      "user.certification.submitted",
      "user.certification.decided",
    ]);
    expect(chain.body.intact).toBe(true);
  });

  describe("sign-in", () => {
    let wallet: Wallet;
    beforeAll(async () => {
      wallet = newWallet();
      expect((await register(wallet, "individual", { en: "Signer" })).status).toBe(201);
    });

    it("issues a session for a signed challenge, once", async () => {
      const challenge = await anonymous()("POST", "/v1/auth/challenge", { address: wallet.address });
      expect(challenge.body.message).toContain("ledger.test wants you to sign in with your Ethereum account:");
      expect(challenge.body.message).toContain(`Nonce: ${challenge.body.nonce}`);
      const body = { message: challenge.body.message, signature: await wallet.signMessage(challenge.body.message) };
      const first = await anonymous()("POST", "/v1/auth/session", body);
      expect(first.status).toBe(201);
      expect(first.body.token).toMatch(/^ses\./);
      expect((await client(t.url, first.body.token)("GET", "/v1/users/me")).body.signingAddress).toBe(wallet.address);
      const replay = await anonymous()("POST", "/v1/auth/session", body);
      expect([replay.status, replay.body.error.code]).toEqual([401, "CHALLENGE_UNKNOWN"]);
    });

    const refusals: Array<
      [string, (message: string) => Promise<{ message: string; signature: string }>, number, string]
    > = [
      [
        "a signature by another key",
        async (m) => ({ message: m, signature: await newWallet().signMessage(m) }),
        401,
        "SIGNATURE_INVALID",
      ],
      [
        "a message for another domain",
        async (m) => {
          const foreign = m.replace("ledger.test wants", "evil.example wants");
          return { message: foreign, signature: await wallet.signMessage(foreign) };
        },
        401,
        "DOMAIN_MISMATCH",
      ],
      [
        "an altered message",
        async (m) => {
          const altered = m.replace("Version: 1", "Version: 2");
          return { message: altered, signature: await wallet.signMessage(altered) };
        },
        401,
        "CHALLENGE_ALTERED",
      ],
      [
        "something that is not a challenge",
        async () => ({ message: "hello", signature: await wallet.signMessage("hello") }),
        400,
        "CHALLENGE_MALFORMED",
      ],
      [
        "a signature that is not one",
        async (m) => ({ message: m, signature: `0x${"11".repeat(65)}` }),
        401,
        "SIGNATURE_INVALID",
      ],
    ];
    for (const [what, forge, status, code] of refusals) {
      it(`refuses ${what} (${code})`, async () => {
        const challenge = await anonymous()("POST", "/v1/auth/challenge", { address: wallet.address });
        const response = await anonymous()("POST", "/v1/auth/session", await forge(challenge.body.message));
        expect([response.status, response.body.error.code]).toEqual([status, code]);
      });
    }

    it("refuses an expired challenge", async () => {
      const { message } = t.platform.challenges.issue(wallet.address, Date.now() - 10 * 60_000);
      const response = await anonymous()("POST", "/v1/auth/session", {
        message,
        signature: await wallet.signMessage(message),
      });
      expect([response.status, response.body.error.code]).toEqual([401, "CHALLENGE_EXPIRED"]);
    });

    it("refuses an address without an account, and a second account for one address", async () => {
      const stranger = newWallet();
      const response = await signed(stranger, "/v1/auth/session");
      expect([response.status, response.body.error.code]).toEqual([401, "NOT_REGISTERED"]);
      const again = await register(wallet, "enterprise", { en: "Second" });
      expect([again.status, again.body.error.code]).toEqual([409, "ADDRESS_TAKEN"]);
    });

    it("refuses altered and expired session tokens", async () => {
      const user = await makeUser(t);
      const [prefix, claims, mac] = user.token.split(".");
      const forged = JSON.parse(Buffer.from(claims, "base64url").toString());
      forged.sub = "usr_000000000000000000000000";
      const altered = `${prefix}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${mac}`;
      expect((await client(t.url, altered)("GET", "/v1/users/me")).status).toBe(401);
      const expired = t.platform.sessions.issue(user.id, user.wallet.address, Date.now() - 3600_000).token;
      const response = await client(t.url, expired)("GET", "/v1/users/me");
      expect([response.status, response.body.error.code]).toEqual([401, "INVALID_CREDENTIAL"]);
    });
  });

  describe("bad certification input keeps nothing", () => {
    const cases: Array<[string, string, Record<string, unknown>, number, string]> = [
      [
        "a wrong check digit",
        "individual",
        { identity: { kind: "resident-id", name: "甲", number: "110105194912310021" } },
        400,
        "RESIDENT_ID_CHECK_DIGIT",
      ],
      [
        "an impossible birth date",
        "individual",
        { identity: { kind: "resident-id", name: "甲", number: "110101199902300018" } },
        400,
        "RESIDENT_ID_BIRTH_DATE",
      ],
      [
        "a passport of China",
        "individual",
        { identity: { kind: "passport", name: "甲", number: "E12345678", country: "CN" } },
        400,
        "PASSPORT_COUNTRY_CN",
      ],
      [
        "a wrong credit code check character",
        "enterprise",
        {
          identity: {
            kind: "credit-code",
            name: "乙",
            number: creditCode(3).slice(0, 17) + (creditCode(3).endsWith("0") ? "1" : "0"),
            legalRepresentative: "丙",
          },
          licence: { name: "l.pdf", mediaType: "application/pdf", contentBase64: LICENCE_PDF.toString("base64") },
        },
        400,
        "CREDIT_CODE_CHECK_CHARACTER",
      ],
      [
        "an organisation without its licence",
        "enterprise",
        { identity: { kind: "credit-code", name: "乙", number: creditCode(4), legalRepresentative: "丙" } },
        400,
        "LICENCE_REQUIRED",
      ],
      [
        "a licence that is not what it says",
        "enterprise",
        {
          identity: { kind: "credit-code", name: "乙", number: creditCode(5), legalRepresentative: "丙" },
          licence: {
            name: "l.png",
            mediaType: "image/png",
            contentBase64: Buffer.from("not an image").toString("base64"),
          },
        },
        400,
        "FILE_TYPE_MISMATCH",
      ],
      [
        "a licence of a forbidden type",
        "enterprise",
        {
          identity: { kind: "credit-code", name: "乙", number: creditCode(6), legalRepresentative: "丙" },
          licence: { name: "l.exe", mediaType: "application/x-msdownload", contentBase64: "AAAA" },
        },
        400,
        "INVALID_REQUEST",
      ],
      [
        "a licence over the limit",
        "enterprise",
        {
          identity: { kind: "credit-code", name: "乙", number: creditCode(8), legalRepresentative: "丙" },
          licence: {
            name: "l.pdf",
            mediaType: "application/pdf",
            contentBase64: Buffer.concat([LICENCE_PDF, Buffer.alloc(4 * 1024 * 1024)]).toString("base64"),
          },
        },
        413,
        "FILE_TOO_LARGE",
      ],
      [
        "an individual's document for an enterprise",
        "enterprise",
        { identity: { kind: "resident-id", name: "乙", number: residentId(9) } },
        400,
        "IDENTITY_KIND_MISMATCH",
      ],
      [
        "an empty resident ID number",
        "individual",
        { identity: { kind: "resident-id", name: "甲", number: "" } },
        400,
        "RESIDENT_ID_FORMAT",
      ],
      [
        "a resident ID number of 19 characters",
        "individual",
        { identity: { kind: "resident-id", name: "甲", number: `${residentId(11)}1` } },
        400,
        "RESIDENT_ID_FORMAT",
      ],
      [
        "a credit code whose organisation code fails its GB 11714 check",
        "enterprise",
        {
          identity: {
            kind: "credit-code",
            name: "乙",
            // Character 17 changed, character 18 recomputed: only the organisation code's own check can tell.
            number: creditCodeWithOrganisation("M000100Y5"),
            legalRepresentative: "丙",
          },
          licence: { name: "l.pdf", mediaType: "application/pdf", contentBase64: LICENCE_PDF.toString("base64") },
        },
        400,
        "CREDIT_CODE_ORGANISATION_CHECK_CHARACTER",
      ],
      [
        "a missing name",
        "individual",
        { identity: { kind: "resident-id", number: residentId(10) } },
        400,
        "INVALID_REQUEST",
      ],
    ];
    for (const [what, type, body, status, code] of cases) {
      it(`refuses ${what} (${status} ${code})`, async () => {
        const user = await makeUser(t, { type: type as "individual", certified: false });
        const before = await client(t.url, t.token)("GET", `/v1/subjects/user:${user.id}/evidence`);
        const response = await client(t.url, user.token)("POST", `/v1/users/${user.id}/certification`, body);
        expect([response.status, response.body.error.code]).toEqual([status, code]);
        const me = await client(t.url, user.token)("GET", "/v1/users/me");
        expect(me.body.status).toBe("registered");
        expect(me.body.certification).toBeUndefined();
        const after = await client(t.url, t.token)("GET", `/v1/subjects/user:${user.id}/evidence`);
        expect(after.body.length).toBe(before.body.length);
      });
    }

    it("refuses a document number that another account holds as certified", async () => {
      const holder = await makeUser(t);
      const second = await makeUser(t, { certified: false });
      const identity = (await t.platform.users.get(holder.id)).certification!.identity;
      const taken = await client(t.url, second.token)("POST", `/v1/users/${second.id}/certification`, { identity });
      expect([taken.status, taken.body.error.code]).toEqual([409, "IDENTITY_TAKEN"]);
    });

    it("lets the real holder submit a number another account claims in review, and shows the reviewer both", async () => {
      const squatter = await makeUser(t, { certified: false });
      const holder = await makeUser(t, { certified: false });
      const reviewer = await makeUser(t, { roles: ["reviewer"] });
      const identity = { kind: "resident-id", name: "丁", number: residentId(990) };
      const claimed = await client(t.url, squatter.token)("POST", `/v1/users/${squatter.id}/certification`, {
        identity,
      });
      expect(claimed.status).toBe(200);
      const submitted = await client(t.url, holder.token)("POST", `/v1/users/${holder.id}/certification`, {
        identity,
      });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
      expect(submitted.body.status).toBe("pending_review");
      // The owner does not learn who else claims the number; the reviewer does.
      expect(submitted.body.certification.otherClaims).toBeUndefined();

      const asReviewer = client(t.url, reviewer.token);
      const seen = await asReviewer("GET", `/v1/users/${holder.id}`);
      expect(seen.body.certification.otherClaims).toEqual([{ userId: squatter.id, status: "pending_review" }]);
      const queue = await asReviewer("GET", "/v1/users?status=pending_review&limit=500");
      const squatterInQueue = queue.body.users.find((user: { id: string }) => user.id === squatter.id);
      expect(squatterInQueue.certification.otherClaims).toEqual([{ userId: holder.id, status: "pending_review" }]);

      // Once one is certified, the other cannot be approved with the same number.
      expect(
        (await asReviewer("POST", `/v1/users/${holder.id}/certification/decision`, { approved: true })).status,
      ).toBe(200);
      const second = await asReviewer("POST", `/v1/users/${squatter.id}/certification/decision`, { approved: true });
      expect([second.status, second.body.error.code]).toEqual([409, "IDENTITY_TAKEN"]);
      const rejected = await asReviewer("POST", `/v1/users/${squatter.id}/certification/decision`, {
        approved: false,
        reason: "the number belongs to another certified account",
      });
      expect(rejected.body.status).toBe("rejected");
    });

    it("releases the number a rejected certification claimed, so that its real holder can certify", async () => {
      const squatter = await makeUser(t, { certified: false });
      const holder = await makeUser(t, { certified: false });
      const reviewer = await makeUser(t, { roles: ["reviewer"] });
      const identity = { kind: "resident-id", name: "戊", number: residentId(991) };
      expect(
        (await client(t.url, squatter.token)("POST", `/v1/users/${squatter.id}/certification`, { identity })).status,
      ).toBe(200);
      const rejected = await client(t.url, reviewer.token)("POST", `/v1/users/${squatter.id}/certification/decision`, {
        approved: false,
        reason: "the licence does not match the number",
      });
      expect(rejected.body.status).toBe("rejected");
      expect(await t.platform.users.otherClaimants(await t.platform.users.get(squatter.id))).toEqual([]);

      const submitted = await client(t.url, holder.token)("POST", `/v1/users/${holder.id}/certification`, {
        identity,
      });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
      const seen = await client(t.url, reviewer.token)("GET", `/v1/users/${holder.id}`);
      expect(seen.body.certification.otherClaims).toEqual([]);
      const approved = await client(t.url, reviewer.token)("POST", `/v1/users/${holder.id}/certification/decision`, {
        approved: true,
      });
      expect(approved.body.status).toBe("certified");
      // The squatter, resubmitting, now meets a certified holder.
      const again = await client(t.url, squatter.token)("POST", `/v1/users/${squatter.id}/certification`, {
        identity,
      });
      expect([again.status, again.body.error.code]).toEqual([409, "IDENTITY_TAKEN"]);
    });

    it("lists every problem of a certification at once, with the validator's code for the number", async () => {
      const user = await makeUser(t, { certified: false });
      const response = await client(t.url, user.token)("POST", `/v1/users/${user.id}/certification`, {
        identity: { kind: "resident-id", name: "", number: 18 },
        extra: true,
      });
      expect([response.status, response.body.error.code]).toEqual([400, "INVALID_REQUEST"]);
      expect(response.body.error.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: "body.identity.name", code: "TOO_SMALL" }),
          expect.objectContaining({ path: "body.identity.number", code: "INVALID_TYPE" }),
          expect.objectContaining({ path: "body", code: "UNRECOGNIZED_KEYS" }),
        ]),
      );
      expect(response.body.error.details).toHaveLength(3);
      expect(response.body.error.message).toMatch(/and 2 more problems/);
    });
  });

  it("sends a certified account that changes its details back to review, and off the chain's list", async () => {
    const user = await makeUser(t);
    await eventually(async () => ((await listed(user.wallet.address)) ? true : undefined));
    const changed = await client(t.url, user.token)("POST", `/v1/users/${user.id}/certification`, {
      identity: { kind: "passport", name: "Li Si", number: "x1234567", country: "sg" },
    });
    expect(changed.body).toMatchObject({
      status: "pending_review",
      certification: { identity: { number: "X1234567", country: "SG" } },
    });
    await eventually(async () => ((await listed(user.wallet.address)) ? undefined : true));
    const userAccount = await t.platform.users.get(user.id);
    expect(() => assertMayTrade(userAccount)).toThrow(/waiting for a reviewer/);
  });

  it("rejects with a reason the user can act on, and lets them resubmit", async () => {
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    const user = await makeUser(t, { certified: false });
    await client(t.url, user.token)("POST", `/v1/users/${user.id}/certification`, {
      identity: { kind: "resident-id", name: "戊", number: residentId(500) },
    });
    const asReviewer = client(t.url, reviewer.token);
    const noReason = await asReviewer("POST", `/v1/users/${user.id}/certification/decision`, { approved: false });
    expect([noReason.status, noReason.body.error.code]).toEqual([400, "REASON_REQUIRED"]);
    const rejected = await asReviewer("POST", `/v1/users/${user.id}/certification/decision`, {
      approved: false,
      reason: "姓名与证件不符 / name does not match the document",
    });
    expect(rejected.body.status).toBe("rejected");
    const userAccount = await t.platform.users.get(user.id);
    expect(() => assertMayTrade(userAccount)).toThrow(/name does not match/);
    const twice = await asReviewer("POST", `/v1/users/${user.id}/certification/decision`, { approved: true });
    expect([twice.status, twice.body.error.code]).toEqual([409, "NOT_PENDING_REVIEW"]);
    const again = await client(t.url, user.token)("POST", `/v1/users/${user.id}/certification`, {
      identity: { kind: "resident-id", name: "戊", number: residentId(500) },
    });
    expect(again.body.status).toBe("pending_review");
    const own = await client(t.url, reviewer.token)("POST", `/v1/users/${reviewer.id}/certification/decision`, {
      approved: true,
    });
    expect([own.status, own.body.error.code]).toEqual([403, "SELF_REVIEW"]);
  });

  it("suspends and reinstates an account: sessions refused, chain listing removed and restored", async () => {
    const user = await makeUser(t);
    await eventually(async () => ((await listed(user.wallet.address)) ? true : undefined));
    const suspended = await operator()("POST", `/v1/users/${user.id}/suspension`, {
      suspended: true,
      reason: "投诉调查中 / complaint under investigation",
    });
    expect(suspended.body.status).toBe("suspended");
    const refused = await client(t.url, user.token)("GET", "/v1/users/me");
    expect([refused.status, refused.body.error.code]).toEqual([403, "ACCOUNT_SUSPENDED"]);
    const signIn = await signed(user.wallet, "/v1/auth/session");
    expect([signIn.status, signIn.body.error.code]).toEqual([403, "ACCOUNT_SUSPENDED"]);
    await eventually(async () => ((await listed(user.wallet.address)) ? undefined : true));
    const reinstated = await operator()("POST", `/v1/users/${user.id}/suspension`, {
      suspended: false,
      reason: "cleared",
    });
    expect(reinstated.body.status).toBe("certified");
    await eventually(async () => ((await listed(user.wallet.address)) ? true : undefined));
    expect((await client(t.url, user.token)("GET", "/v1/users/me")).status).toBe(200);
  });

  it("grants and revokes roles, with certificate numbers for brokers, and a revoked role stops at once", async () => {
    const user = await makeUser(t);
    const noNumber = await operator()("POST", `/v1/users/${user.id}/roles`, { role: "broker" });
    expect([noNumber.status, noNumber.body.error.code]).toEqual([400, "CERTIFICATE_NUMBER_REQUIRED"]);
    const broker = await operator()("POST", `/v1/users/${user.id}/roles`, {
      role: "broker",
      certificateNumber: "YN-JJR-2026-0042",
    });
    expect(broker.body.roles).toEqual([
      expect.objectContaining({ role: "broker", certificateNumber: "YN-JJR-2026-0042" }),
    ]);
    expect((await operator()("POST", `/v1/users/${user.id}/roles`, { role: "reviewer" })).status).toBe(200);
    const target = await makeUser(t, { certified: false });
    await client(t.url, target.token)("POST", `/v1/users/${target.id}/certification`, {
      identity: { kind: "resident-id", name: "己", number: residentId(600) },
    });
    expect((await operator()("DELETE", `/v1/users/${user.id}/roles/reviewer`)).status).toBe(200);
    const denied = await client(t.url, user.token)("POST", `/v1/users/${target.id}/certification/decision`, {
      approved: true,
    });
    expect(denied.status).toBe(403);
    const records = await operator()("GET", `/v1/subjects/user:${user.id}/evidence`);
    expect(records.body.records.filter((r: { kind: string }) => r.kind === "user.role.changed")).toHaveLength(3);
  });

  it("rotates the signing key: the old one is retired and unlisted, its sessions end, and it cannot be reused", async () => {
    const user = await makeUser(t);
    await eventually(async () => ((await listed(user.wallet.address)) ? true : undefined));
    const next = newWallet();
    const rotated = await signed(next, `/v1/users/${user.id}/keys/signing`, {}, user.token, "PUT");
    expect(rotated.status).toBe(200);
    expect(rotated.body.user.signingAddress).toBe(next.address);
    expect(rotated.body.user.signingKeys).toEqual([
      expect.objectContaining({ value: user.wallet.address, until: expect.any(String) }),
      expect.objectContaining({ value: next.address }),
    ]);
    const stale = await client(t.url, user.token)("GET", "/v1/users/me");
    expect([stale.status, stale.body.error.code]).toEqual([401, "SESSION_STALE"]);
    expect((await client(t.url, rotated.body.token)("GET", "/v1/users/me")).status).toBe(200);
    await eventually(async () =>
      (await listed(next.address)) && !(await listed(user.wallet.address)) ? true : undefined,
    );
    const reuse = await register(user.wallet, "individual", { en: "Reuse" });
    expect([reuse.status, reuse.body.error.code]).toEqual([409, "ADDRESS_TAKEN"]);
    const oldSignIn = await signed(user.wallet, "/v1/auth/session");
    expect([oldSignIn.status, oldSignIn.body.error.code]).toEqual([401, "NOT_REGISTERED"]);
    const recipient = await client(t.url, rotated.body.token)("PUT", `/v1/users/${user.id}/keys/encryption`, {
      recipient: "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj",
    });
    expect(recipient.status).toBe(200);
    expect(recipient.body.encryptionKeys).toHaveLength(2);
  });

  it("says why an account may not trade", async () => {
    const fresh = await makeUser(t, { certified: false });
    const freshAccount = await t.platform.users.get(fresh.id);
    expect(() => assertMayTrade(freshAccount)).toThrow(/submit your real-name certification/);
  });

  it("shows an account registry that disagrees with the store in /health and in the audit's comparison", async () => {
    const user = await makeUser(t);
    await eventually(async () => ((await listed(user.wallet.address)) ? true : undefined));
    // Someone with the registrar key unlists a certified account behind the gateway's back.
    const { chain } = t.platform;
    await chain.sendAndWait((overrides) => chain.accounts.revoke(user.wallet.address, overrides));
    const mismatches = await t.platform.accountSync.check();
    expect(mismatches).toEqual([{ address: user.wallet.address, userId: user.id, expected: true, onChain: false }]);
    const health = await anonymous()("GET", "/health");
    expect(health.body.status).toBe("degraded");
    expect(health.body.accounts).toMatchObject({ inSync: false, mismatches: 1 });
    expect(await compareAccounts(t.platform.tables.identity, chain.accounts)).toHaveLength(1);
    // Putting it back makes them agree again.
    await chain.sendAndWait((overrides) => chain.accounts.certify(user.wallet.address, userRefOf(user.id), overrides));
    expect(await t.platform.accountSync.check()).toEqual([]);
  });
});
