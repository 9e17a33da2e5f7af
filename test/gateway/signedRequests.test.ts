import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CredentialService } from "../../gateway/auth/credentials";
import { SignedRequestVerifier } from "../../gateway/auth/signedRequests";
import { openDatabase } from "../../gateway/store/database";
import { AuthRepository } from "../../gateway/auth/repository";
import { signRequest } from "../../sdk";
import { client, startTestPlatform, type TestPlatform } from "../helpers/platform";

describe("signed service requests and idempotent writes", () => {
  let t: TestPlatform;
  let key: { keyId: string; secret: string };

  /** Sends a request signed with `key` (or altered by `tamper`). */
  async function signed(
    method: string,
    path: string,
    body: unknown,
    options: {
      idempotencyKey?: string;
      tamper?: (h: Record<string, string>, b: string) => [Record<string, string>, string];
      requestId?: string;
      timestamp?: number;
      with?: { keyId: string; secret: string };
    } = {},
  ) {
    let text = body === undefined ? "" : JSON.stringify(body);
    let headers = signRequest({
      ...(options.with ?? key),
      method,
      path,
      body: text,
      requestId: options.requestId,
      timestamp: options.timestamp,
    });
    if (options.tamper) [headers, text] = options.tamper(headers, text);
    const response = await fetch(`${t.url}${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(options.idempotencyKey ? { "idempotency-key": options.idempotencyKey } : {}),
      },
      body: body === undefined ? undefined : text,
    });
    return {
      status: response.status,
      headers: response.headers,
      body: response.status === 204 ? undefined : await response.json(),
    };
  }
  const record = (n: number) => ({
    kind: "escrow.event",
    subject: "deal:bank-test",
    data: { event: "deposit.locked", amount: 100_000 + n, currency: "CNY", reference: `BANK-${n}` },
  });

  beforeAll(async () => {
    t = await startTestPlatform();
    const issued = await client(t.url, t.token)("POST", "/v1/service-keys", {
      label: "supervising bank",
      roles: ["operator"],
      kind: "signing",
    });
    expect(issued.status).toBe(201);
    key = { keyId: issued.body.keyId, secret: issued.body.secret };
  });
  afterAll(async () => {
    await t?.close();
  });

  it("accepts a write signed with a live signing key", async () => {
    const response = await signed("POST", "/v1/evidence", record(1), { idempotencyKey: "idem-0001" });
    expect(response.status).toBe(202);
    expect(response.body.subject).toBe("deal:bank-test");
  });

  it("answers a retry with the first answer and records nothing twice", async () => {
    const first = await signed("POST", "/v1/evidence", record(2), { idempotencyKey: "idem-0002" });
    const retry = await signed("POST", "/v1/evidence", record(2), { idempotencyKey: "idem-0002" });
    expect(retry.status).toBe(202);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const chain = await client(t.url, t.token)("GET", "/v1/subjects/deal:bank-test/evidence");
    expect(chain.body.records.filter((r: { id: string }) => r.id === first.body.id)).toHaveLength(1);
    const reused = await signed("POST", "/v1/evidence", record(3), { idempotencyKey: "idem-0002" });
    expect([reused.status, reused.body.error.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
  });

  it("refuses a retry while the first is still being handled", async () => {
    // Two requests sent at once nearly always overlap in the gateway; on a loaded machine
    // the second can arrive after the first was answered, and is then (rightly) its
    // replay. Up to five pairs, each with its own key, until one overlaps.
    for (let attempt = 0; attempt < 5; attempt++) {
      const idempotencyKey = `idem-0004-${attempt}`;
      const [a, b] = await Promise.all([
        signed("POST", "/v1/evidence", record(4), { idempotencyKey }),
        signed("POST", "/v1/evidence", record(4), { idempotencyKey }),
      ]);
      const refused = [a, b].find((r) => r.status === 409);
      if (refused) {
        expect([a.status, b.status].sort()).toEqual([202, 409]);
        expect(refused.body.error.code).toBe("IDEMPOTENCY_IN_FLIGHT");
        return;
      }
      expect([a.status, b.status], "not overlapping: the first answer and its replay").toEqual([202, 202]);
      expect(b.body.id).toBe(a.body.id);
    }
    throw new Error("no retry overlapped its first request in five tries");
  });

  it("requires an Idempotency-Key on signed writes, and makes bearer writes idempotent when they send one", async () => {
    const missing = await signed("POST", "/v1/evidence", record(5));
    expect([missing.status, missing.body.error.code]).toEqual([400, "IDEMPOTENCY_KEY_REQUIRED"]);
    const api = client(t.url, t.token);
    const one = await api("POST", "/v1/evidence", record(6), { "idempotency-key": "bearer-0006" });
    const two = await api("POST", "/v1/evidence", record(6), { "idempotency-key": "bearer-0006" });
    expect(two.body.id).toBe(one.body.id);
  });

  const refusals: Array<[string, Parameters<typeof signed>[3], string]> = [
    ["a changed body", { tamper: (h, b) => [h, b.replace("100007", "999999")] }, "SIGNATURE_INVALID"],
    [
      "a signature moved to another key",
      { tamper: (h, b) => [{ ...h, "ttl-key-id": "0".repeat(16) }, b] },
      "SIGNING_KEY_UNKNOWN",
    ],
    ["a timestamp ten minutes old", { timestamp: Math.floor(Date.now() / 1000) - 600 }, "SIGNATURE_EXPIRED"],
    ["a missing header", { tamper: (h, b) => [{ ...h, "ttl-request-id": "" }, b] }, "SIGNATURE_HEADERS_MISSING"],
    [
      "a signature by another secret",
      { with: { keyId: "", secret: "" }, tamper: (h, b) => [{ ...h, "ttl-signature": "v1,AAAA" }, b] },
      "SIGNATURE_INVALID",
    ],
  ];
  for (const [what, options, code] of refusals) {
    it(`refuses ${what} (${code})`, async () => {
      const o = { ...options, with: options?.with?.keyId === "" ? key : options?.with };
      const response = await signed("POST", "/v1/evidence", record(7), { idempotencyKey: "idem-0007", ...o });
      expect([response.status, response.body.error.code]).toEqual([401, code]);
    });
  }

  it("refuses a replayed request id, and a signature moved to another route", async () => {
    const first = await signed("POST", "/v1/evidence", record(8), {
      idempotencyKey: "idem-0008",
      requestId: "req_replay_0001",
    });
    expect(first.status).toBe(202);
    const replay = await signed("POST", "/v1/evidence", record(8), {
      idempotencyKey: "idem-0009",
      requestId: "req_replay_0001",
    });
    expect([replay.status, replay.body.error.code]).toEqual([401, "REQUEST_REPLAYED"]);
    const headers = signRequest({
      ...key,
      method: "GET",
      path: "/v1/evidence/0b6f8a9e-6a53-4c53-9d5c-31d0b7f1c2aa",
      body: "",
    });
    const moved = await fetch(`${t.url}/v1/subjects/deal:bank-test/evidence`, { headers });
    expect(moved.status).toBe(401);
  });

  it("stops a revoked key at once, and lets a second key take over without a gap", async () => {
    const api = client(t.url, t.token);
    const next = await api("POST", "/v1/service-keys", { label: "bank key 2", roles: ["operator"], kind: "signing" });
    expect((await api("DELETE", `/v1/service-keys/${key.keyId}`)).status).toBe(204);
    const old = await signed("POST", "/v1/evidence", record(10), { idempotencyKey: "idem-0010" });
    expect([old.status, old.body.error.code]).toEqual([401, "SIGNING_KEY_UNKNOWN"]);
    const fresh = await signed("POST", "/v1/evidence", record(11), { idempotencyKey: "idem-0011", with: next.body });
    expect(fresh.status).toBe(202);
    const records = await api("GET", `/v1/subjects/service-key:${next.body.keyId}/evidence`);
    expect(records.body.records.map((r: { kind: string }) => r.kind)).toEqual(["service.key.changed"]);
    expect(JSON.stringify(records.body)).not.toContain(next.body.secret);
  });
});

describe("replay protection across restarts", () => {
  it("remembers request ids over a clean restart, and after a crash refuses every timestamp it may have accepted", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "ttl-seen-"));
    let now = Date.now();
    const clock = () => now;
    const database = await openDatabase(dir);
    const store = new AuthRepository(database);
    try {
      const credentials = new CredentialService(store);
      const issued = await credentials.createSigningKey({ label: "bank", roles: ["bank"] });
      const request = (requestId: string, timestamp = Math.floor(now / 1000)) => {
        const headers = signRequest({
          ...issued,
          method: "GET",
          path: "/v1/bank/instructions",
          body: "",
          requestId,
          timestamp,
        });
        return {
          header: (name: string) => headers[name] ?? "",
          method: "GET",
          path: "/v1/bank/instructions",
          body: "",
        };
      };
      const first = new SignedRequestVerifier(credentials, store, clock);
      await first.init();
      await first.verify(request("req_before_restart"));
      await first.close();

      const afterCleanStop = new SignedRequestVerifier(credentials, store, clock);
      await afterCleanStop.init();
      await expect(afterCleanStop.verify(request("req_before_restart"))).rejects.toMatchObject({
        code: "REQUEST_REPLAYED",
      });
      const signedEarlier = request("req_signed_earlier", Math.floor(now / 1000) - 10);
      await afterCleanStop.verify(signedEarlier);
      // Signed as far ahead of the clock as the window allows, and sent before the crash.
      const aheadTimestamp = Math.floor(now / 1000) + 300;
      const signedAhead = request("req_signed_ahead", aheadTimestamp);
      await afterCleanStop.verify(signedAhead);
      // No close(): a crash. The next start cannot know what was seen, so it refuses every timestamp it may
      // have accepted: those signed before it, and those up to the bound it kept on disk.
      now += 2000;
      const afterCrash = new SignedRequestVerifier(credentials, store, clock);
      await afterCrash.init();
      await expect(afterCrash.verify(signedEarlier)).rejects.toMatchObject({ code: "SIGNED_BEFORE_RESTART" });
      // Before the bound was kept, this replay was accepted: its timestamp lay after the restart.
      await expect(afterCrash.verify(signedAhead)).rejects.toMatchObject({ code: "SIGNED_BEFORE_RESTART" });
      expect(afterCrash.notBefore).toBeGreaterThan(aheadTimestamp);
      // Signed again past the bound (within the window), a request goes through at once.
      await expect(afterCrash.verify(request("req_after_crash", afterCrash.notBefore))).resolves.toMatchObject({
        kind: "service",
      });
    } finally {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
