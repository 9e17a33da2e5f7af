import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseChromium, launchBrowser, type TestBrowser } from "../helpers/browser";
import { deployLookAlikeRegistry } from "../helpers/contracts";
import { client, eventually, startTestPlatform, type TestPlatform } from "../helpers/platform";
import { JsonRpcProvider, Wallet } from "ethers";
import {
  buildCertificate,
  buildMerkleTree,
  sealRecord,
  summarizeDispute,
  summarizedRecordOf,
  ZERO_HASH,
} from "../../sdk";

// Outside the suite so that a missing browser shows as a failed test, not only as skipped ones.
it("has Chromium to drive the verification page (the system's, or the one from npm)", async () => {
  await chooseChromium();
});

/** The verification page at /verify, driven in headless Chromium against a real gateway and chain. */
describe("verification page (browser)", () => {
  const original = Buffer.from(
    "技术转让合同 · Technology transfer contract\n光伏组件回收技术, CNY 1,200,000\n",
    "utf8",
  );
  const other = Buffer.from("not the contract\n", "utf8");

  let platform: TestPlatform;
  let browser: TestBrowser;
  let folder: string;
  let certificate: any;
  const paths = {
    certificate: "",
    tampered: "",
    original: "",
    other: "",
    dossier: "",
    gappedDossier: "",
    lookAlike: "",
  };

  beforeAll(async () => {
    // Launch first: without Chromium the suite fails here, saying why.
    browser = await launchBrowser();
    platform = await startTestPlatform();
    folder = await mkdtemp(path.join(tmpdir(), "ttl-verify-page-"));

    const request = client(platform.url, platform.token);
    const posted = await request("POST", "/v1/evidence", {
      kind: "contract.signed",
      subject: "deal:page",
      data: { title: "光伏组件回收技术", price: 1200000, currency: "CNY" },
      files: [
        {
          name: "contract.txt",
          mediaType: "text/plain",
          contentBase64: original.toString("base64"),
        },
      ],
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    certificate = await eventually(
      async () => {
        const response = await request("GET", `/v1/evidence/${posted.body.id}/certificate`);
        return response.status === 200 ? response.body : undefined;
      },
      30_000,
      "the record's certificate",
    );

    const tampered = structuredClone(certificate);
    tampered.record.fields.price.value = 1;
    paths.certificate = path.join(folder, "certificate.json");
    paths.tampered = path.join(folder, "certificate-tampered.json");
    paths.original = path.join(folder, "contract.txt");
    paths.other = path.join(folder, "other.txt");
    await writeFile(paths.certificate, JSON.stringify(certificate, null, 2));
    await writeFile(paths.tampered, JSON.stringify(tampered, null, 2));
    await writeFile(paths.original, original);
    await writeFile(paths.other, other);

    // A dossier of a small subject: its records from seq 0, as certificates, in order:
    // the dispute's opening as the escrow watcher records it, then two negotiation messages.
    const ids: string[] = [];
    const steps = [
      {
        kind: "escrow.event",
        data: {
          event: "DisputeOpened",
          dealId: "page-dossier",
          milestone: 0,
          args: {
            dealId: ZERO_HASH,
            milestone: "0",
            by: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
            reasonDigest: ZERO_HASH,
          },
          transactionHash: ZERO_HASH,
          blockNumber: 1,
          logIndex: 0,
          blockTime: "2026-11-29T10:00:00.000Z",
        },
      },
      { kind: "negotiation.recorded", data: { dispute: "page-dossier.m0", text: "协商 1" } },
      { kind: "negotiation.recorded", data: { dispute: "page-dossier.m0", text: "协商 2" } },
    ];
    for (const step of steps) {
      const added = await request("POST", "/v1/evidence", { ...step, subject: "deal:page-dossier" });
      ids.push(added.body.id);
    }
    const certificates = [];
    for (const id of ids) {
      certificates.push(
        await eventually(async () => {
          const response = await request("GET", `/v1/evidence/${id}/certificate`);
          return response.status === 200 ? response.body : undefined;
        }, 30_000),
      );
    }
    const records = certificates.map(summarizedRecordOf);
    const dossier = {
      format: "tech-transfer-ledger/dispute-dossier@1",
      issuedAt: new Date().toISOString(),
      subject: "deal:page-dossier",
      dispute: summarizeDispute(records, 0),
      certificates,
      pendingRecords: 0,
      documents: [],
    };
    paths.dossier = path.join(folder, "dossier.json");
    paths.gappedDossier = path.join(folder, "dossier-gapped.json");
    await writeFile(paths.dossier, JSON.stringify(dossier));
    await writeFile(
      paths.gappedDossier,
      JSON.stringify({ ...dossier, certificates: [certificates[0], certificates[2]] }),
    );

    // A record anchored in a registry anyone deployed on the same chain.
    const sender = new JsonRpcProvider(platform.chain.rpcUrl, undefined, { cacheTimeout: -1 });
    const forger = new Wallet(Wallet.createRandom().privateKey, sender);
    const lookAlike = await deployLookAlikeRegistry(forger);
    const forged = sealRecord({
      header: { ...certificate.record.header, id: "00000000-0000-4000-8000-000000000001" },
      data: { price: 1 },
    });
    const tree = buildMerkleTree([forged.commitment]);
    const receipt = (await (await lookAlike.anchorBatch(tree.root, 1, { gasPrice: 0, type: 0 })).wait())!;
    const block = (await sender.getBlock(receipt.blockNumber))!;
    const forgedCertificate = buildCertificate({
      record: forged,
      merkle: { root: tree.root, proof: [] },
      anchor: {
        chainId: certificate.anchor.chainId,
        registry: await lookAlike.getAddress(),
        transactionHash: receipt.hash,
        blockNumber: receipt.blockNumber,
        blockHash: block.hash!,
        blockTime: block.timestamp,
      },
    });
    sender.destroy();
    paths.lookAlike = path.join(folder, "look-alike.json");
    await writeFile(paths.lookAlike, JSON.stringify(forgedCertificate));
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  interface OpenedPage {
    page: Page;
    /** Every request the page made, in order. */
    requests: { method: string; url: string; postData: string | null }[];
    /** Uncaught errors in the page. */
    errors: string[];
  }

  /** Opens /verify in a new page (recording its requests) and waits for the chain endpoint to be prefilled. */
  async function openPage(): Promise<OpenedPage> {
    const page = await browser.context.newPage();
    const opened: OpenedPage = { page, requests: [], errors: [] };
    page.on("request", (r: Request) =>
      opened.requests.push({
        method: r.method(),
        url: r.url(),
        postData: r.postData(),
      }),
    );
    page.on("pageerror", (error) => opened.errors.push(error.message));
    const response = await page.goto(`${platform.url}/verify`);
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.inputValue("#rpc-url")).toBe(platform.chain.rpcUrl);
    // The trusted registry and chain id, prefilled from the gateway and shown plainly.
    await expect.poll(() => page.inputValue("#registry")).toBe(platform.trust.registries[0].address);
    await expect.poll(() => page.inputValue("#chain-id")).toBe(platform.trust.chainId);
    return opened;
  }

  /** Picks the certificate and, when given, the file; clicks verify; waits for the verdict. */
  async function verify(page: Page, certificatePath: string, filePath?: string): Promise<void> {
    await page.setInputFiles("#certificate-input", certificatePath);
    await page.waitForSelector("#verify-button:enabled");
    await expect.poll(() => page.textContent("#certificate-name")).toContain(`✓ ${path.basename(certificatePath)}`);
    if (filePath) {
      await page.setInputFiles("#file-input", filePath);
      await expect.poll(() => page.textContent("#file-name")).toContain(`✓ ${path.basename(filePath)}`);
    }
    // Clear the previous verdict, if any, so the wait below sees the new one.
    await page.evaluate(() => {
      document.getElementById("verdict")?.removeAttribute("data-valid");
      document.getElementById("verdict")?.removeAttribute("data-verdict");
    });
    await page.click("#verify-button");
    await page.waitForSelector("#verdict[data-verdict]", {
      state: "visible",
      timeout: 20_000,
    });
    await page.waitForSelector("#verify-button:enabled");
  }

  it("says a genuine certificate with its original file is valid, with the anchored time", async () => {
    const { page, errors } = await openPage();
    await verify(page, paths.certificate, paths.original);

    expect(await page.getAttribute("#verdict", "data-valid")).toBe("true");
    const title = await page.textContent("#verdict-title");
    expect(title).toContain("有效");
    expect(title).toContain("Valid");
    expect(await page.getAttribute("#anchored-at", "data-iso")).toBe(
      new Date(certificate.anchor.blockTime * 1000).toISOString(),
    );
    expect(await page.$("#reason")).toBeNull();
    expect(await page.getAttribute("#verdict", "data-verdict")).toBe("VALID");
    expect(await page.textContent("#checked-against")).toContain(
      `Checked against registry ${platform.trust.registries[0].address} on chain ${platform.trust.chainId}`,
    );

    await page.screenshot({ path: "/tmp/verify-page.png", fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("verifies a dispute dossier: complete and valid, or INCOMPLETE when a record was taken out", async () => {
    const { page, errors } = await openPage();
    await verify(page, paths.dossier);
    expect(await page.getAttribute("#verdict", "data-valid")).toBe("true");
    expect(await page.textContent("#verdict-title")).toContain("Valid dossier");
    expect(await page.textContent("#dossier-records")).toBe("3");
    await page.close();
    const second = await openPage();
    await verify(second.page, paths.gappedDossier);
    expect(await second.page.getAttribute("#verdict", "data-valid")).toBe("false");
    expect(await second.page.getAttribute("#reason", "data-code")).toBe("INCOMPLETE");
    expect([...errors, ...second.errors]).toEqual([]);
    await second.page.close();
  });

  it("says REGISTRY_NOT_TRUSTED for a record anchored in a look-alike registry, and names the registry it checked", async () => {
    const { page, errors } = await openPage();
    await verify(page, paths.lookAlike);
    expect(await page.getAttribute("#verdict", "data-verdict")).toBe("INVALID");
    expect(await page.getAttribute("#reason", "data-code")).toBe("REGISTRY_NOT_TRUSTED");
    expect(await page.textContent("#checked-against")).toContain(platform.trust.registries[0].address);
    // A reader who empties the registry field gets no verdict at all, not VALID.
    await page.fill("#registry", "");
    await page.evaluate(() => document.getElementById("verdict")?.removeAttribute("data-verdict"));
    await page.click("#verify-button");
    await expect.poll(() => page.getAttribute("#reason", "data-code")).toBe("TRUST_ANCHOR_REQUIRED");
    expect(await page.textContent("#verdict")).not.toMatch(/✓/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("says FILE_MISMATCH for a file that is not the original", async () => {
    const { page, errors } = await openPage();
    await verify(page, paths.certificate, paths.other);

    expect(await page.getAttribute("#verdict", "data-valid")).toBe("false");
    const title = await page.textContent("#verdict-title");
    expect(title).toContain("无效");
    expect(title).toContain("Invalid");
    expect(await page.getAttribute("#reason", "data-code")).toBe("FILE_MISMATCH");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("says FIELD_MISMATCH for a certificate whose disclosed value was changed", async () => {
    const { page, errors } = await openPage();
    await verify(page, paths.tampered, paths.original);

    expect(await page.getAttribute("#verdict", "data-valid")).toBe("false");
    expect(await page.getAttribute("#reason", "data-code")).toBe("FIELD_MISMATCH");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("sends nothing to the gateway and talks only to the chain endpoint", async () => {
    const { page, requests, errors } = await openPage();
    await verify(page, paths.certificate, paths.original);
    expect(await page.getAttribute("#verdict", "data-valid")).toBe("true");
    // The same page again, with the wrong file.
    await verify(page, paths.certificate, paths.other);
    expect(await page.getAttribute("#verdict", "data-valid")).toBe("false");
    expect(await page.getAttribute("#reason", "data-code")).toBe("FILE_MISMATCH");
    expect(errors).toEqual([]);
    await page.close();

    const gateway = new URL(platform.url).origin;
    const rpc = new URL(platform.chain.rpcUrl);

    const toGateway = requests.filter((r) => new URL(r.url).origin === gateway);
    expect(toGateway.filter((r) => r.method !== "GET")).toEqual([]);
    expect(toGateway.map((r) => new URL(r.url).pathname)).toEqual(
      expect.arrayContaining(["/verify", "/verify/app.js", "/v1/chain", "/v1/chain/trust"]),
    );

    const elsewhere = requests.filter((r) => new URL(r.url).origin !== gateway);
    expect(elsewhere.length, "the valid certificate is checked against the chain").toBeGreaterThan(0);
    for (const r of elsewhere) {
      const url = new URL(r.url);
      expect(`${url.origin}${url.pathname}`, `${r.method} ${r.url}`).toBe(`${rpc.origin}${rpc.pathname}`);
    }

    // Neither file's bytes nor their base64 leave the browser, to anyone.
    const needles = [
      original.toString("utf8"),
      original.toString("base64"),
      other.toString("utf8"),
      other.toString("base64"),
    ];
    for (const r of requests) {
      for (const needle of needles) expect(r.postData ?? "").not.toContain(needle);
    }
  });
});
