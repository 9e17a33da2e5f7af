import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileDigest, FILES_FIELD, verifyCertificate } from "../../sdk";
import { client, eventually, startTestPlatform, type TestPlatform } from "../helpers/platform";

describe("evidence API", () => {
  let t: TestPlatform;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestPlatform({ bodyLimit: 256 * 1024 });
    api = client(t.url, t.token);
  });
  afterAll(async () => {
    await t?.close();
  });

  const anchored = (id: string) =>
    eventually(
      async () => {
        const response = await api("GET", `/v1/evidence/${id}/certificate`);
        return response.status === 200 ? response.body : undefined;
      },
      15_000,
      `record ${id} to be anchored`,
    );

  it("answers 202 with the id and commitment, then anchors the record and issues a certificate that verifies", async () => {
    const file = Buffer.from("licence document v1");
    const posted = await api("POST", "/v1/evidence", {
      kind: "contract.signed",
      subject: "deal:api-1",
      data: { price: 1200000, currency: "CNY", title: "光伏组件回收技术" },
      files: [{ name: "licence.txt", mediaType: "text/plain", contentBase64: file.toString("base64") }],
    });
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({ subject: "deal:api-1", seq: 0, status: "pending" });
    expect(posted.body.commitment).toMatch(/^0x[0-9a-f]{64}$/);
    expect(posted.headers.get("location")).toBe(`/v1/evidence/${posted.body.id}`);

    const certificate = await anchored(posted.body.id);
    expect(certificate.commitment).toBe(posted.body.commitment);
    expect(certificate.record.fields[FILES_FIELD].value).toEqual([
      { name: "licence.txt", mediaType: "text/plain", size: file.length, sha256: fileDigest(file) },
    ]);
    const result = await verifyCertificate(certificate, { rpcUrl: t.chain.rpcUrl, trust: t.trust, file });
    expect(result.valid).toBe(true);

    const view = await api("GET", `/v1/evidence/${posted.body.id}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ status: "anchored", fields: ["price", "currency", "title", FILES_FIELD] });
    expect(view.body.anchor.transactionHash).toBe(certificate.anchor.transactionHash);

    const download = await fetch(`${t.url}/v1/files/${fileDigest(file)}`, {
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(file);
  });

  it("discloses only the fields asked for", async () => {
    const posted = await api("POST", "/v1/evidence", {
      kind: "investigation.recorded",
      subject: "deal:api-2",
      data: { valueRange: [100, 200], method: "income", knowHow: "secret" },
    });
    await anchored(posted.body.id);
    const partial = await api("GET", `/v1/evidence/${posted.body.id}/certificate?fields=method,valueRange`);
    expect(partial.status).toBe(200);
    expect(partial.body.record.fields.knowHow).toEqual({ commitment: expect.any(String) });
    expect(partial.body.record.fields.method.value).toBe("income");
    expect((await verifyCertificate(partial.body, { rpcUrl: t.chain.rpcUrl, trust: t.trust })).valid).toBe(true);
    const unknown = await api("GET", `/v1/evidence/${posted.body.id}/certificate?fields=nope`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("UNKNOWN_FIELD");
  });

  it("chains a subject's records and reports the chain complete up to its anchored head", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const posted = await api("POST", "/v1/evidence", {
        kind: "negotiation.recorded",
        subject: "deal:chain",
        data: { round: i },
      });
      expect(posted.body.seq).toBe(i);
      ids.push(posted.body.id);
    }
    await anchored(ids[4]);
    const chain = await api("GET", "/v1/subjects/deal:chain/evidence");
    expect(chain.status).toBe(200);
    expect(chain.body).toMatchObject({ length: 5, intact: true, completeUpToAnchoredHead: true, problems: [] });
    expect(chain.body.anchoredHead.seq).toBe(4);
    const records = chain.body.records as Array<{ prev: string; commitment: string }>;
    for (let i = 1; i < records.length; i++) expect(records[i].prev).toBe(records[i - 1].commitment);
  });

  it("gives consecutive sequence numbers to concurrent records of one subject", async () => {
    const posted = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api("POST", "/v1/evidence", { kind: "negotiation.recorded", subject: "deal:concurrent", data: { n: i } }),
      ),
    );
    expect(posted.every((p) => p.status === 202)).toBe(true);
    expect(posted.map((p) => p.body.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const chain = await api("GET", "/v1/subjects/deal:concurrent/evidence");
    expect(chain.body.intact).toBe(true);
  });

  it("answers 409 with Retry-After for the certificate of a record not anchored yet", async () => {
    await t.platform.anchorer.stop();
    try {
      const posted = await api("POST", "/v1/evidence", {
        kind: "evidence.attested",
        subject: "note:1",
        data: { text: "x" },
      });
      const early = await api("GET", `/v1/evidence/${posted.body.id}/certificate`);
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe("NOT_YET_ANCHORED");
      expect(early.headers.get("retry-after")).toBe("2");
      expect((await api("GET", `/v1/evidence/${posted.body.id}`)).body.status).toBe("pending");
    } finally {
      await t.platform.anchorer.start();
    }
  });

  describe("bad input", () => {
    const valid = { kind: "evidence.attested", subject: "note:bad", data: { a: 1 } };
    const cases: Array<[string, () => Promise<{ status: number; body: any }>, number, string]> = [
      ["malformed JSON", () => api("POST", "/v1/evidence", "{not json"), 400, "MALFORMED_JSON"],
      [
        "an empty body",
        () => api("POST", "/v1/evidence", "", { "content-type": "application/json" }),
        400,
        "EMPTY_BODY",
      ],
      [
        "a body that is not JSON",
        () => api("POST", "/v1/evidence", "a=1", { "content-type": "application/x-www-form-urlencoded" }),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      ],
      ["an unknown kind", () => api("POST", "/v1/evidence", { ...valid, kind: "made.up" }), 400, "INVALID_REQUEST"],
      ["a kind of the wrong type", () => api("POST", "/v1/evidence", { ...valid, kind: 7 }), 400, "INVALID_REQUEST"],
      ["data that is an array", () => api("POST", "/v1/evidence", { ...valid, data: [1, 2] }), 400, "INVALID_REQUEST"],
      [
        "a reserved field name",
        () => api("POST", "/v1/evidence", { ...valid, data: { $files: [] } }),
        400,
        "INVALID_REQUEST",
      ],
      [
        "a subject with a slash",
        () => api("POST", "/v1/evidence", { ...valid, subject: "deal/1" }),
        400,
        "INVALID_REQUEST",
      ],
      ["a missing subject", () => api("POST", "/v1/evidence", { kind: valid.kind, data: {} }), 400, "INVALID_REQUEST"],
      [
        "an unknown top-level property",
        () => api("POST", "/v1/evidence", { ...valid, extra: 1 }),
        400,
        "INVALID_REQUEST",
      ],
      [
        "a number beyond 2^53",
        () =>
          api("POST", "/v1/evidence", `{"kind":"evidence.attested","subject":"n:1","data":{"a":12345678901234567890}}`),
        400,
        "INVALID_DATA",
      ],
      [
        "a file that is not base64",
        () => api("POST", "/v1/evidence", { ...valid, files: [{ name: "a", contentBase64: "!!!" }] }),
        400,
        "INVALID_REQUEST",
      ],
      [
        "a file name with a slash",
        () => api("POST", "/v1/evidence", { ...valid, files: [{ name: "../a", contentBase64: "aGk=" }] }),
        400,
        "INVALID_REQUEST",
      ],
      [
        "a body over the limit",
        () => api("POST", "/v1/evidence", { ...valid, data: { big: "x".repeat(300 * 1024) } }),
        413,
        "BODY_TOO_LARGE",
      ],
      [
        "data over its limit",
        () => api("POST", "/v1/evidence", { ...valid, data: { big: "x".repeat(70 * 1024) } }),
        413,
        "DATA_TOO_LARGE",
      ],
      ["a record id that is not a UUID", () => api("GET", "/v1/evidence/123"), 400, "INVALID_REQUEST"],
      [
        "an unknown record",
        () => api("GET", "/v1/evidence/0b6f8a9e-6a53-4c53-9d5c-31d0b7f1c2aa"),
        404,
        "RECORD_NOT_FOUND",
      ],
      ["an unknown file", () => api("GET", `/v1/files/0x${"00".repeat(32)}`), 404, "FILE_NOT_FOUND"],
      ["an unknown route", () => api("GET", "/v1/nothing"), 404, "NOT_FOUND"],
      ["a wrong method", () => api("DELETE", "/v1/evidence"), 405, "METHOD_NOT_ALLOWED"],
    ];
    for (const [what, send, status, code] of cases) {
      it(`answers ${status} ${code} to ${what}`, async () => {
        const response = await send();
        expect(response.status).toBe(status);
        expect(response.body.error.code).toBe(code);
        expect(response.body.error.message.length).toBeGreaterThan(5);
      });
    }

    it("keeps nothing of a refused record", async () => {
      await api("POST", "/v1/evidence", { ...valid, subject: "note:refused", data: { $bad: 1 } });
      await api("POST", "/v1/evidence", { ...valid, subject: "note:refused", kind: "nope" });
      const chain = await api("GET", "/v1/subjects/note:refused/evidence");
      expect(chain.body.length).toBe(0);
      const ok = await api("POST", "/v1/evidence", { ...valid, subject: "note:refused" });
      expect(ok.body.seq).toBe(0);
    });
  });

  it("describes every route in OpenAPI 3.1 and on a readable page", async () => {
    const openapi = await api("GET", "/openapi.json");
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toBe("3.1.0");
    const post = openapi.body.paths["/v1/evidence"].post;
    expect(post.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/RecordEvidence");
    expect(openapi.body.components.schemas.RecordEvidence.properties.kind.enum).toContain("contract.signed");
    expect(post["x-roles"]).toEqual(["operator"]);
    expect(
      openapi.body.paths["/v1/evidence/{id}/certificate"].get.parameters.map((p: { name: string }) => p.name),
    ).toEqual(["id", "fields"]);
    const page = await fetch(`${t.url}/docs`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("/v1/evidence/{id}/certificate");
  });

  it("reports its health: chain, backlog and last batch", async () => {
    const health = await client(t.url)("GET", "/health");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");
    expect(health.body.chain).toMatchObject({
      reachable: true,
      chainId: t.deployment.chainId,
      registry: t.deployment.registry,
    });
    expect(health.body.chain.blockNumber).toBeGreaterThan(0);
    expect(health.body.anchoring.lastBatch.root).toMatch(/^0x/);
    expect(typeof health.body.anchoring.lastBatch.ageSeconds).toBe("number");
    expect(typeof health.body.anchoring.waiting).toBe("number");
  });
});
