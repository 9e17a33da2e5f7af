// `npm run verify` as a reader uses it: several original files, usage errors, duplicate members.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, eventually, startTestPlatform, type TestPlatform } from "../helpers/platform";

describe("npm run verify", () => {
  let t: TestPlatform;
  let dir: string;
  const files = { certificate: "", trust: "", contract: "", annex: "", other: "", duplicated: "" };
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/verify.ts", ...args], {
      encoding: "utf8",
      env: { ...process.env, CHAIN_RPC_URL: t.chain.rpcUrl },
    });

  beforeAll(async () => {
    t = await startTestPlatform();
    dir = await mkdtemp(path.join(tmpdir(), "ttl-verify-cli-"));
    const contract = Buffer.from("技术许可合同 v2\n");
    const annex = Buffer.from("附件一：技术参数\n");
    const posted = await client(t.url, t.token)("POST", "/v1/evidence", {
      kind: "contract.signed",
      subject: "deal:cli",
      data: { price: 800_000, currency: "CNY" },
      files: [
        { name: "contract.txt", mediaType: "text/plain", contentBase64: contract.toString("base64") },
        { name: "annex.txt", mediaType: "text/plain", contentBase64: annex.toString("base64") },
      ],
    });
    const certificate = await eventually(async () => {
      const answer = await client(t.url, t.token)("GET", `/v1/evidence/${posted.body.id}/certificate`);
      return answer.status === 200 ? answer.body : undefined;
    });
    const put = async (name: string, content: string | Buffer) => {
      const file = path.join(dir, name);
      await writeFile(file, content);
      return file;
    };
    files.certificate = await put("certificate.json", JSON.stringify(certificate, null, 2));
    files.trust = await put("trust.json", JSON.stringify(t.trust));
    files.contract = await put("contract.txt", contract);
    files.annex = await put("annex.txt", annex);
    files.other = await put("other.txt", "not an original\n");
    files.duplicated = await put(
      "duplicated.json",
      JSON.stringify(certificate).replace('"commitment":', '"commitment":"0x00","commitment":'),
    );
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("checks every --file given, and fails the run on a wrong one", () => {
    const both = run(files.certificate, "--trust", files.trust, "--file", files.contract, "--file", files.annex);
    expect(both.status, both.stdout + both.stderr).toBe(0);
    expect(both.stdout).toMatch(/^ok {3}file: contract\.txt/m);
    expect(both.stdout).toMatch(/^ok {3}file: annex\.txt/m);
    const wrong = run(files.certificate, "--trust", files.trust, "--file", files.contract, "--file", files.other);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(/^INVALID \(FILE_MISMATCH\)/m);
  });

  it("refuses a certificate that names a member twice", () => {
    const result = run(files.duplicated, "--trust", files.trust);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^INVALID \(CERTIFICATE_MALFORMED\): duplicate member name "commitment"/m);
  });

  it("answers usage errors with exit 2 and no verdict", () => {
    for (const args of [
      [files.certificate],
      [files.certificate, "--registry", t.deployment.registry],
      [files.certificate, "--trust", files.trust, "--registry", t.deployment.registry, "--chain-id", "1"],
      [files.certificate, "--trust", files.contract],
      [files.certificate, "--trust", files.trust, "--receipts", files.trust],
      [files.certificate, "--trust", files.trust, "--file", path.join(dir, "missing.txt")],
      [path.join(dir, "missing.json"), "--trust", files.trust],
    ]) {
      const result = run(...args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stdout, args.join(" ")).not.toMatch(/VALID/);
      expect(result.stderr).toMatch(/^error: /m);
    }
  });
});
