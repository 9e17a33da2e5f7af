import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../../gateway/config";
import { assertRetention } from "../../../gateway/deal/archives";
import {
  createGatewayClient,
  trustAnchorOf,
  verifyArchive,
  verifyArchiveOffline,
  type DealArchive,
} from "../../../sdk";
import { agreeTerms, certifiedOnChain, openDeal } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString();
const evaluation = {
  wentWell: ["需求清晰 / the need was clear"],
  wentBadly: ["现场考察推迟一周 / the site visit slipped a week"],
  scores: { overall: 4, communication: 5 },
  comment: "Would work with them again.",
};

/** 6.10: the deal's summary, and its archive built on archiving, downloaded, verified offline, kept, purged. */
describe("the deal's summary and archive", () => {
  let t: TestPlatform;
  let now = Date.now();
  let supplier: TestUser;
  let demander: TestUser;
  let manager: TestUser;
  let evaluator: TestUser;
  let reviewer: TestUser;
  let arbitrator: TestUser;
  const as = (user?: TestUser) => client(t.url, user?.token);
  const operator = () => client(t.url, t.token);

  beforeAll(async () => {
    t = await startTestPlatform({ clock: () => new Date(now) });
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    manager = await makeUser(t, { roles: ["manager"] });
    evaluator = await makeUser(t, { roles: ["evaluator"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
    arbitrator = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Downloads the archive once it is built (409 ARCHIVE_NOT_READY while the archive move waits for its anchor). */
  async function download(dealId: string, user: TestUser) {
    return eventually(
      async () => {
        const response = await fetch(`${t.url}/v1/deals/${dealId}/archive`, {
          headers: { authorization: `Bearer ${user.token}` },
        });
        if (response.status === 409) {
          const body = (await response.json()) as { error: { code: string } };
          expect(body.error.code).toBe("ARCHIVE_NOT_READY");
          expect(response.headers.get("retry-after")).toBe("2");
          return undefined;
        }
        expect(response.status).toBe(200);
        return { text: await response.text(), headers: response.headers };
      },
      20_000,
      "the archive built",
    );
  }

  it("summarises a cancelled deal, archives it, and the archive verifies offline against the reader's trust anchor", async () => {
    const deal = await openDeal(t, supplier, demander, reviewer);
    expect(
      (await operator()("POST", `/v1/deals/${deal.id}/participants`, { role: "manager", userId: manager.id })).status,
    ).toBe(200);
    const engaged = await as(demander)("POST", `/v1/deals/${deal.id}/evaluators`, {
      userId: evaluator.id,
      kinds: ["value"],
    });
    expect(engaged.status).toBe(200);
    const photo = Buffer.from("现场照片 / site photo");
    const message = await as(supplier)("POST", `/v1/deals/${deal.id}/messages`, {
      text: "工艺说明见附件 / the process note is attached",
      language: "zh",
      files: [{ name: "photo.jpg", mediaType: "image/jpeg", contentBase64: photo.toString("base64") }],
    });
    expect(message.status, JSON.stringify(message.body)).toBe(201);

    // Nothing is summarised before the deal is delivered or given up.
    const early = await as(supplier)("POST", `/v1/deals/${deal.id}/summary/self-evaluation`, evaluation);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("SUMMARY_NOT_DUE");
    expect((await operator()("GET", `/v1/deals/${deal.id}/archive`)).body.error.code).toBe("DEAL_NOT_ARCHIVED");

    now += 2 * 86400_000;
    expect((await as(supplier)("POST", `/v1/deals/${deal.id}/moves`, { move: "cancel" })).status).toBe(200);

    const own = await as(supplier)("POST", `/v1/deals/${deal.id}/summary/self-evaluation`, evaluation);
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body).toMatchObject({
      type: "self-evaluation",
      as: "supplier",
      by: supplier.id,
      scores: { overall: 4 },
    });
    const twice = await as(supplier)("POST", `/v1/deals/${deal.id}/summary/self-evaluation`, evaluation);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe("SUMMARY_EXISTS");
    expect(
      (await as(demander)("POST", `/v1/deals/${deal.id}/summary/self-evaluation`, { ...evaluation, wentBadly: [] }))
        .status,
    ).toBe(201);
    const notParty = await as(manager)("POST", `/v1/deals/${deal.id}/summary/self-evaluation`, evaluation);
    expect(notParty.status).toBe(403);
    expect(notParty.body.error.code).toBe("PARTIES_ONLY");
    const third = await as(evaluator)("POST", `/v1/deals/${deal.id}/summary/third-party-evaluation`, evaluation);
    expect(third.status, JSON.stringify(third.body)).toBe(201);
    expect(third.body).toMatchObject({ type: "third-party-evaluation", as: "evaluator" });
    const notEngaged = await as(manager)("POST", `/v1/deals/${deal.id}/summary/third-party-evaluation`, evaluation);
    expect(notEngaged.body.error.code).toBe("NOT_ENGAGED");
    const byParty = await as(supplier)("POST", `/v1/deals/${deal.id}/summary/service`, {
      work: ["x"],
      outcome: "cancelled",
    });
    expect(byParty.body.error.code).toBe("SERVICE_STAFF_ONLY");
    const service = await as(manager)("POST", `/v1/deals/${deal.id}/summary/service`, {
      work: ["组织首次洽谈 / organised the first meeting", "安排评估 / arranged the valuation"],
      outcome: "cancelled",
      outcomeNote: "The demander found another process.",
    });
    expect(service.status, JSON.stringify(service.body)).toBe(201);
    expect(service.body.steps.map((s: { state: string }) => s.state)).toEqual(["opened", "cancelled"]);
    expect(service.body.steps[0].seconds).toBeGreaterThanOrEqual(0);
    expect(service.body.steps[1].leftAt).toBeUndefined();

    const summary = await as(evaluator)("GET", `/v1/deals/${deal.id}/summary`);
    expect(summary.status).toBe(200);
    expect(summary.body.selfEvaluations.map((p: { as: string }) => p.as).sort()).toEqual(["demander", "supplier"]);
    expect(summary.body.thirdPartyEvaluations).toHaveLength(1);
    expect(summary.body.serviceSummary.outcome).toBe("cancelled");

    const archived = await as(manager)("POST", `/v1/deals/${deal.id}/moves`, { move: "archive" });
    expect(archived.status).toBe(200);
    expect(archived.body.state).toBe("archived");

    const { text, headers } = await download(deal.id, supplier);
    expect(headers.get("content-disposition")).toContain(`archive-${deal.id}.json`);
    const archive = JSON.parse(text) as DealArchive;
    expect(archive.subject).toBe(`deal:${deal.id}`);
    expect(archive.certificates.at(-1)!.record.header.id).toBe(archived.body.history.at(-1).recordId);
    expect(archive.documents.map((d) => Buffer.from(d.contentBase64, "base64").toString())).toContain(photo.toString());
    expect(archive.summary.summaries.map((s) => s.type)).toEqual([
      "self-evaluation",
      "self-evaluation",
      "third-party-evaluation",
      "service-summary",
    ]);
    expect(archive.summary.steps.map((s) => s.state)).toEqual(["opened", "cancelled", "archived"]);
    expect(archive.summary.escrow).toEqual([]);

    // Offline the records hold, and nothing says the anchors are real: UNVERIFIED, never VALID.
    const offline = verifyArchiveOffline(text);
    expect(offline, JSON.stringify(offline.checks)).toMatchObject({ verdict: "UNVERIFIED", valid: true });
    const full = await verifyArchive({ archive: text, rpcUrl: t.chain.rpcUrl, trust: t.trust });
    expect(full.verdict, `${full.code}: ${full.reason}`).toBe("VALID");
    expect(full.records).toBe(archive.certificates.length);

    // `npm run verify` says the same, against the trust anchor file the reader chose.
    const folder = await mkdtemp(path.join(tmpdir(), "archive-"));
    const put = async (name: string, content: string) => {
      await writeFile(path.join(folder, name), content);
      return path.join(folder, name);
    };
    const trustFile = await put("trust.json", JSON.stringify(t.trust));
    const verifyCli = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "scripts/verify.ts", ...args, "--rpc", t.chain.rpcUrl], {
        encoding: "utf8",
      });
    const cli = verifyCli(await put("archive.json", text), "--trust", trustFile);
    expect(cli.status, cli.stdout + cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^VALID: seq 0\.\./m);
    expect(cli.stdout).toContain(`deal ${deal.id}: archived`);
    const changed = JSON.parse(text) as DealArchive;
    changed.summary.archivedAt = new Date(0).toISOString();
    const refused = verifyCli(await put("changed.json", JSON.stringify(changed)), "--trust", trustFile);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("INVALID (SUMMARY_MISMATCH)");

    // The same file every time: kept as built, its digest a record of the deal.
    const again = await download(deal.id, demander);
    expect(again.text).toBe(text);
    const digest = again.headers.get("x-archive-sha256");
    expect(digest).toMatch(/^0x[0-9a-f]{64}$/);

    // One byte changed anywhere is a named failure.
    const tampered = (edit: (a: DealArchive) => void) => {
      const copy = JSON.parse(text) as DealArchive;
      edit(copy);
      return verifyArchiveOffline(JSON.stringify(copy));
    };
    const flip = (base64: string) => {
      const bytes = Buffer.from(base64, "base64");
      bytes[0] ^= 1;
      return bytes.toString("base64");
    };
    expect(tampered((a) => (a.documents[0].contentBase64 = flip(a.documents[0].contentBase64))).code).toBe(
      "DOCUMENT_MISMATCH",
    );
    expect(tampered((a) => (a.summary.steps[0].state = "openeD")).code).toBe("SUMMARY_MISMATCH");
    expect(
      tampered((a) => {
        const header = a.certificates[1].record.header;
        header.recordedAt = header.recordedAt.replace(/\d(?=Z$)/, (d) => (d === "0" ? "1" : "0"));
      }).code,
    ).toBe("CERTIFICATE_INVALID");
    expect(tampered((a) => a.certificates.pop()).code).toBe("NOT_ARCHIVED");
    expect(tampered((a) => a.certificates.splice(2, 1)).code).toBe("INCOMPLETE");

    // A registry the reader does not trust: the archive's own registry counts for nothing.
    const stranger = trustAnchorOf({ registry: Wallet.createRandom().address, chainId: t.trust.chainId });
    const wrong = await verifyArchive({ archive: text, rpcUrl: t.chain.rpcUrl, trust: stranger });
    expect(wrong.verdict).toBe("INVALID");
    expect(wrong.code).toBe("REGISTRY_NOT_TRUSTED");

    // The SDK's download action answers the same file.
    const sdk = createGatewayClient({ baseUrl: t.url, token: manager.token });
    expect(JSON.stringify(await sdk.getDealArchive({ dealId: deal.id }))).toBe(text);

    // Nobody else reads it: the archive discloses confidential threads too.
    const byEvaluator = await as(evaluator)("GET", `/v1/deals/${deal.id}/archive`);
    expect(byEvaluator.status).toBe(403);
    expect(byEvaluator.body.error.code).toBe("NOT_AN_ARCHIVE_READER");

    // After archiving the deal takes nothing more.
    const refusals: Array<[TestUser | undefined, string, string, unknown, string]> = [
      [manager, "POST", "moves", { move: "close" }, "DEAL_MOVE_NOT_ALLOWED"],
      [undefined, "POST", "moves", { move: "archive" }, "DEAL_MOVE_NOT_ALLOWED"],
      [supplier, "POST", "messages", { text: "one more thing", language: "en" }, "DEAL_NOT_OPEN"],
      [supplier, "POST", "threads", { title: "After the archive" }, "DEAL_NOT_OPEN"],
      [supplier, "POST", "evaluators", { userId: evaluator.id, kinds: ["process"] }, "DEAL_NOT_OPEN"],
      [undefined, "POST", "participants", { role: "broker", userId: manager.id }, "DEAL_NOT_OPEN"],
      [demander, "POST", "sessions", { agenda: ["more"] }, "DEAL_NOT_OPEN"],
      [demander, "POST", "summary/self-evaluation", evaluation, "DEAL_NOT_OPEN"],
      [supplier, "PUT", "threads/thr_main/confidentiality", { confidential: true }, "DEAL_NOT_OPEN"],
      [manager, "POST", "summary/service", { work: ["more"], outcome: "cancelled" }, "DEAL_NOT_OPEN"],
    ];
    for (const [user, method, path, body, code] of refusals) {
      const response = await (user ? as(user) : operator())(method, `/v1/deals/${deal.id}/${path}`, body);
      expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(409);
      expect(response.body.error.code, path).toBe(code);
    }

    // Kept for the retention period: a purge before it is refused with the date it may be purged.
    const early2 = await operator()("DELETE", `/v1/deals/${deal.id}/archive`);
    expect(early2.status).toBe(409);
    expect(early2.body.error.code).toBe("ARCHIVE_RETAINED");
    const retainUntil = headers.get("x-retain-until")!;
    expect(early2.body.error.message).toContain(retainUntil);
    expect(Date.parse(retainUntil) - Date.parse(archive.summary.archivedAt)).toBeGreaterThanOrEqual(
      3 * 365 * 86400_000,
    );
    expect((await as(manager)("DELETE", `/v1/deals/${deal.id}/archive`)).status).toBe(403);

    now = Date.parse(retainUntil) + 1000;
    const purged = await operator()("DELETE", `/v1/deals/${deal.id}/archive`);
    expect(purged.status, JSON.stringify(purged.body)).toBe(200);
    expect(purged.body).toMatchObject({ sha256: digest, retainUntil, purged: { recordId: expect.any(String) } });
    expect(purged.body.body).toBeUndefined();
    const record = await operator()("GET", `/v1/evidence/${purged.body.purged.recordId}`);
    expect(record.body).toMatchObject({ kind: "archive.recorded", subject: `deal:${deal.id}` });
    const gone = await as(supplier)("GET", `/v1/deals/${deal.id}/archive`);
    expect(gone.status).toBe(410);
    expect(gone.body.error.code).toBe("ARCHIVE_PURGED");
    expect((await operator()("DELETE", `/v1/deals/${deal.id}/archive`)).body.error.code).toBe("ARCHIVE_PURGED");
    now = Date.now();
  }, 120_000);

  it("archives a deal the escrow signed, with its on-chain history checked against the trusted escrow", async () => {
    await certifiedOnChain(t, supplier, demander);
    const deal = await openDeal(t, supplier, demander, reviewer);
    expect(
      (await operator()("POST", `/v1/deals/${deal.id}/participants`, { role: "manager", userId: manager.id })).status,
    ).toBe(200);
    await agreeTerms(t, deal, supplier, demander, {
      contract: {
        name: "contract.pdf",
        mediaType: "application/pdf",
        contentBase64: Buffer.from("%PDF-1.4 技术转让合同").toString("base64"),
      },
      currency: "CNY",
      total: 5_000_000,
      milestones: [{ title: "Process package", amount: 5_000_000, deliverBy: inDays(30) }],
      arbitratorId: arbitrator.id,
      inspectionPeriodSeconds: 7 * 86400,
      rulingPeriodSeconds: 14 * 86400,
    });
    await eventually(
      async () =>
        (await as(manager)("GET", `/v1/deals/${deal.id}/workspace`)).body.state === "signed" ? true : undefined,
      20_000,
      "the deal signed",
    );
    for (const move of ["begin_performance", "deliver", "close", "archive"]) {
      const moved = await as(manager)("POST", `/v1/deals/${deal.id}/moves`, { move });
      expect(moved.status, `${move}: ${JSON.stringify(moved.body)}`).toBe(200);
    }
    const { text } = await download(deal.id, manager);
    const archive = JSON.parse(text) as DealArchive;
    expect(archive.summary.escrow.map((e) => e.event)).toContain("DealCreated");
    expect(archive.documents.map((d) => d.name)).toContain("contract.pdf");
    expect(archive.summary.steps.map((s) => s.state)).toEqual([
      "opened",
      "signed",
      "performing",
      "delivered",
      "closed",
      "archived",
    ]);
    const full = await verifyArchive({ archive: text, rpcUrl: t.chain.rpcUrl, trust: t.trust });
    expect(full.verdict, `${full.code}: ${full.reason}`).toBe("VALID");
    expect(full.checks.find((c) => c.name === "escrow events")?.detail).toMatch(/checked against the trusted escrow/);
  }, 120_000);

  it("refuses a retention shorter than three years at start", () => {
    expect(() => assertRetention(2)).toThrow(/at least 3 years/);
    expect(() => readConfig({ ARCHIVE_RETENTION_YEARS: "2" })).toThrow(/ARCHIVE_RETENTION_YEARS/);
    expect(readConfig({}).archiveRetentionYears).toBe(3);
    expect(readConfig({ ARCHIVE_RETENTION_YEARS: "10" }).archiveRetentionYears).toBe(10);
  });
});
