import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type TestBrowser } from "../helpers/browser";
import { client, eventually, startTestPlatform, type TestPlatform } from "../helpers/platform";

/**
 * The verification page's Chinese renders on a machine without CJK fonts, with the
 * font the gateway serves (Noto Sans SC from npm). Each verdict is screenshotted,
 * its Chinese and its English part apart, and the Chinese compared with a render
 * of the same text with the served font forced off: on the packaged Chromium
 * (no CJK font of its own) that render is blank, so a glyph-less render cannot pass.
 */
describe("verification page fonts (browser)", () => {
  const original = Buffer.from("技术转让合同 · Technology transfer contract\n", "utf8");
  let platform: TestPlatform;
  let browser: TestBrowser;
  let folder: string;
  const paths = { certificate: "", original: "", other: "" };

  beforeAll(async () => {
    browser = await launchBrowser();
    platform = await startTestPlatform();
    folder = await mkdtemp(path.join(tmpdir(), "ttl-verify-fonts-"));
    const request = client(platform.url, platform.token);
    const posted = await request("POST", "/v1/evidence", {
      kind: "contract.signed",
      subject: "deal:fonts",
      data: { title: "光伏组件回收技术" },
      files: [{ name: "contract.txt", mediaType: "text/plain", contentBase64: original.toString("base64") }],
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    const certificate = await eventually(async () => {
      const response = await request("GET", `/v1/evidence/${posted.body.id}/certificate`);
      return response.status === 200 ? response.body : undefined;
    }, 30_000);
    paths.certificate = path.join(folder, "certificate.json");
    paths.original = path.join(folder, "contract.txt");
    paths.other = path.join(folder, "other.txt");
    await writeFile(paths.certificate, JSON.stringify(certificate));
    await writeFile(paths.original, original);
    await writeFile(paths.other, "not the contract\n");
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** Opens /verify, verifies `file` against the certificate, and waits for the verdict and its font. */
  async function verdictPage(file: string): Promise<{ page: Page; fontRequests: { url: string; status: number }[] }> {
    const page = await browser.context.newPage();
    const fontRequests: { url: string; status: number }[] = [];
    page.on("response", (response) => {
      if (new URL(response.url()).pathname.startsWith("/verify/fonts"))
        fontRequests.push({ url: response.url(), status: response.status() });
    });
    await page.goto(`${platform.url}/verify`);
    await expect.poll(() => page.inputValue("#rpc-url")).toBe(platform.chain.rpcUrl);
    await page.setInputFiles("#certificate-input", paths.certificate);
    await page.setInputFiles("#file-input", file);
    await page.waitForSelector("#verify-button:enabled");
    await page.click("#verify-button");
    await page.waitForSelector("#verdict[data-valid]", { state: "visible", timeout: 20_000 });
    await page.evaluate(() => document.fonts.ready);
    return { page, fontRequests };
  }

  /** The box of the Chinese text at the start of the verdict's title (before its English span). */
  async function chineseBox(page: Page) {
    return page.evaluate(() => {
      const title = document.getElementById("verdict-title")!;
      const text = Array.from(title.childNodes).find(
        (node) => node.nodeType === Node.TEXT_NODE && /[\u4e00-\u9fff]/.test(node.textContent!),
      )!;
      const start = text.textContent!.search(/[\u4e00-\u9fff]/);
      const range = document.createRange();
      range.setStart(text, start);
      range.setEnd(text, text.textContent!.trimEnd().length);
      const box = range.getBoundingClientRect();
      return { x: box.x, y: box.y, width: box.width, height: box.height, text: range.toString() };
    });
  }

  /** How many pixels of a PNG are ink (darker than the verdict's light background), counted in the browser. */
  async function inkPixels(page: Page, png: Buffer): Promise<number> {
    return page.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext("2d")!;
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      let ink = 0;
      for (let i = 0; i < data.length; i += 4)
        if (0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] < 160) ink++;
      return ink;
    }, png.toString("base64"));
  }

  for (const [verdict, file, valid, zh, en] of [
    ["valid", "original", "true", "证书有效", "Valid certificate"],
    ["invalid", "other", "false", "证书无效", "Invalid certificate"],
  ] as const) {
    it(`renders the ${verdict} verdict's Chinese with the served font, not blank boxes, and its English`, async () => {
      const { page, fontRequests } = await verdictPage(paths[file]);
      expect(await page.getAttribute("#verdict", "data-valid")).toBe(valid);
      // The verdict sits below the form: bring it into the viewport the screenshots are taken of.
      await page.locator("#verdict-title").scrollIntoViewIfNeeded();
      const box = await chineseBox(page);
      expect(box.text).toContain(zh);
      const clip = { x: box.x, y: box.y, width: Math.ceil(box.width), height: Math.ceil(box.height) };

      // The font came from the gateway, in a few slices of the package's hundred.
      expect(fontRequests.length).toBeGreaterThan(1);
      expect(fontRequests.length).toBeLessThan(30);
      expect(fontRequests.every((r) => r.status === 200)).toBe(true);
      expect(await page.evaluate((text) => document.fonts.check('16px "Noto Sans SC"', text), zh)).toBe(true);

      const withFont = await page.screenshot({ clip });
      const english = await page.locator("#verdict-title .en").screenshot();
      expect(await page.locator("#verdict-title .en").textContent()).toContain(en);

      // The same text with the served font forced off.
      await page.addStyleTag({ content: "#verdict-title { font-family: sans-serif !important; }" });
      await page.evaluate(() => new Promise(requestAnimationFrame));
      const withoutFont = await page.screenshot({ clip });

      const inkWith = await inkPixels(page, withFont);
      const inkWithout = await inkPixels(page, withoutFont);
      expect(inkWith, "the Chinese glyphs leave ink").toBeGreaterThan(clip.width * clip.height * 0.05);
      expect(withFont.equals(withoutFont), "the served font draws the Chinese, not a fallback").toBe(false);
      if (browser.chromium.kind === "packaged") {
        // The packaged Chromium has no CJK font: without the served one the characters are blank or boxes,
        // which leave far less ink than four real glyphs.
        expect(inkWithout).toBeLessThan(inkWith * 0.6);
      }
      expect(await inkPixels(page, english), "the English part renders").toBeGreaterThan(50);
      await page.close();
    });
  }

  it("draws the button's Chinese too (a form control keeps its own font unless told)", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${platform.url}/verify`);
    await page.evaluate(() => document.fonts.ready);
    await page.evaluate(() => new Promise(requestAnimationFrame));
    const withFont = await page.locator("#verify-button").screenshot();
    await page.addStyleTag({ content: "#verify-button { font-family: sans-serif !important; }" });
    await page.evaluate(() => new Promise(requestAnimationFrame));
    const withoutFont = await page.locator("#verify-button").screenshot();
    expect(withFont.equals(withoutFont)).toBe(false);
    await page.close();
  });

  it("serves only the slices its stylesheet names", async () => {
    const css = await fetch(`${platform.url}/verify/fonts.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    const text = await css.text();
    const files = [...text.matchAll(/url\(\/verify\/fonts\/([a-z0-9-]+\.woff2)\)/g)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(90);
    expect(text).not.toContain("./files/");
    const slice = await fetch(`${platform.url}/verify/fonts/${files[0]}`);
    expect([slice.status, slice.headers.get("content-type")]).toEqual([200, "font/woff2"]);
    expect(
      Buffer.from(await slice.arrayBuffer())
        .subarray(0, 4)
        .toString("latin1"),
    ).toBe("wOF2");
    const unknown = await fetch(`${platform.url}/verify/fonts/noto-sans-sc-9999-400-normal.woff2`);
    expect([unknown.status, (await unknown.json()).error.code]).toEqual([404, "FONT_NOT_FOUND"]);
    const traversal = await fetch(`${platform.url}/verify/fonts/..%2Fpackage.json`);
    expect([traversal.status, (await traversal.json()).error.code]).toEqual([400, "INVALID_REQUEST"]);
  });
});
