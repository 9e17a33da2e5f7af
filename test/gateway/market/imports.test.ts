import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchId, importApprovalMessage, lineDigest } from "../../../gateway/market/imports";
import { readCatalogue, runImport } from "../../../scripts/import";
import { makeUser, type TestUser } from "../../helpers/identity";
import { pvRecyclingSupply, solarRecyclingDemand } from "../../helpers/listings";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";

/** A catalogue line: a supply with its own title, so every line is a different listing. */
const supplyLine = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    importId: `cat-${n}`,
    ...pvRecyclingSupply({ title: { zh: `光伏组件回收技术第${n}号`, en: `PV module recycling, offer ${n}` } }),
    ...extra,
  });

describe("importing a catalogue (npm run import)", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let reviewer: TestUser;
  let work: string;
  const count = async (owner: TestUser) =>
    (await client(t.url, owner.token)("GET", "/v1/listings/mine")).body.listings.length as number;

  beforeAll(async () => {
    t = await startTestPlatform();
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
    work = await mkdtemp(path.join(tmpdir(), "ttl-import-"));
  });
  afterAll(async () => {
    await t?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("reports every refusal of a dry run with its line number and reasons, and changes nothing", async () => {
    const file = path.join(work, "dry.jsonl");
    await writeFile(
      file,
      [
        supplyLine(1),
        "{ not json",
        supplyLine(3, { trl: 12, price: { amount: 1.5, currency: "CNY" } }),
        "",
        supplyLine(1),
        JSON.stringify(solarRecyclingDemand()),
        supplyLine(7),
      ].join("\n"),
    );
    const report = await runImport({ file, asUser: supplier.id, gateway: t.url, token: t.token, dryRun: true });
    expect(report.lines).toBe(6);
    expect(report.valid).toBe(2);
    expect(report.refused.map((r) => r.line)).toEqual([2, 3, 5, 6]);
    const byLine = Object.fromEntries(report.refused.map((r) => [r.line, r.problems]));
    expect(byLine[2][0].message).toMatch(/not JSON/);
    // Both problems of line 3 at once, with their paths.
    expect(byLine[3].map((p) => p.path).sort()).toEqual(["price.amount", "trl"]);
    expect(byLine[5][0].message).toBe("the same import id as line 1");
    expect(byLine[6][0].message).toMatch(/demander role/);
    expect(await count(supplier)).toBe(0);
  });

  it("publishes through the normal path, pre-approved by a reviewer's signature, and resumes after a crash without duplicates", async () => {
    const file = path.join(work, "real.jsonl");
    const lines = Array.from({ length: 120 }, (_, i) => supplyLine(100 + i));
    await writeFile(file, lines.join("\n") + "\n");
    const { lines: parsed } = readCatalogue(lines.join("\n"));
    const manifest = Object.fromEntries(parsed.map((l) => [l.importId, lineDigest(l.content)]));
    const id = batchId(supplier.id, manifest);
    const signature = await reviewer.wallet.signMessage(importApprovalMessage(id));
    const options = {
      file,
      asUser: supplier.id,
      gateway: t.url,
      token: t.token,
      approval: { reviewerId: reviewer.id, signature },
    };

    // A crash after the first chunk of 100 lines (sent alone, so the second is not in flight).
    await expect(
      runImport({
        ...options,
        chunkSize: 100,
        inFlight: 1,
        afterChunk: () => {
          throw new Error("crash");
        },
      }),
    ).rejects.toThrow("crash");
    expect(await count(supplier)).toBe(100);

    const resumed = await runImport(options);
    expect(resumed).toMatchObject({ batchId: id, lines: 120, approved: 20, alreadyImported: 100, refused: [] });
    expect(await count(supplier)).toBe(120);
    const again = await runImport(options);
    expect(again).toMatchObject({ approved: 0, published: 0, alreadyImported: 120 });
    expect(await count(supplier)).toBe(120);

    // Approved, public and searchable; the batch and its approval are evidence.
    const found = await client(t.url)("GET", `/v1/listings?q=${encodeURIComponent("offer 219")}&side=supply`);
    expect(found.body.results[0].content.title.en).toBe("PV module recycling, offer 219");
    const batchRecords = await client(t.url, t.token)("GET", `/v1/subjects/import:${id}/evidence`);
    expect(batchRecords.body.records.map((r: { kind: string }) => r.kind)).toEqual(["listing.import.batch"]);
    const listing = (await client(t.url, supplier.token)("GET", "/v1/listings/mine")).body.listings[0];
    expect(listing.status).toBe("approved");
    expect(listing.versions[0].review.note).toContain(`signature on import batch ${id}`);
  });

  it("refuses an approval not signed by a reviewer, and lines that are not in the batch's manifest", async () => {
    const file = path.join(work, "bad.jsonl");
    await writeFile(file, supplyLine(900));
    const impostor = await makeUser(t, { roles: ["supplier"] });
    const { lines } = readCatalogue(supplyLine(900));
    const id = batchId(supplier.id, { [lines[0].importId]: lineDigest(lines[0].content) });
    const forged = await impostor.wallet.signMessage(importApprovalMessage(id));
    await expect(
      runImport({
        file,
        asUser: supplier.id,
        gateway: t.url,
        token: t.token,
        approval: { reviewerId: impostor.id, signature: forged },
      }),
    ).rejects.toThrow(/403 NOT_A_REVIEWER/);
    const wrongSigner = await impostor.wallet.signMessage(importApprovalMessage(id));
    await expect(
      runImport({
        file,
        asUser: supplier.id,
        gateway: t.url,
        token: t.token,
        approval: { reviewerId: reviewer.id, signature: wrongSigner },
      }),
    ).rejects.toThrow(/400 APPROVAL_SIGNATURE_INVALID/);

    const opened = await client(t.url, t.token)("POST", "/v1/imports", {
      asUser: supplier.id,
      manifest: { [lines[0].importId]: lineDigest(lines[0].content) },
    });
    expect(opened.status).toBe(200);
    const altered = await client(t.url, t.token)("POST", `/v1/imports/${opened.body.id}/lines`, {
      lines: [{ line: 1, importId: lines[0].importId, content: { ...(lines[0].content as object), trl: 3 } }],
    });
    expect(altered.body.lines[0]).toMatchObject({ status: "refused", problems: [{ message: /differs/ }] });
    const unknown = await client(t.url, t.token)("POST", `/v1/imports/0x${"ab".repeat(32)}/lines`, {
      lines: [{ line: 1, importId: "x", content: {} }],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("IMPORT_BATCH_NOT_FOUND");
  });
});
