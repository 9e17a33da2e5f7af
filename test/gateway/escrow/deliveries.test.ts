import { execFileSync, spawnSync } from "node:child_process";
import http from "node:http";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { JsonRpcProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decryptDelivery,
  encryptDelivery,
  encryptDeliveryStream,
  fileDigest,
  generateDeliveryKey,
  readAgeHeader,
  statementDigest,
  verifyDossierOffline,
} from "../../../sdk";
import { DealEscrow__factory } from "../../../sdk/typechain/factories/contracts/DealEscrow__factory";
import { agreeTerms, certifiedOnChain, move, openDeal, signedBankClient } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const CONTRACT_PDF = Buffer.from("%PDF-1.4\n% technology transfer contract, deliveries to the demander\n%%EOF\n");
const DAY = 86_400;
const inDays = (days: number) => new Date(Date.now() + days * DAY * 1000).toISOString();
/** The test platform's delivery limit: small, so that a refusal for size is quick to reach. */
const LIMIT = 1024 * 1024;
/** The age CLI (Debian's `age`), when installed: no npm package ships it. */
const ageCli = spawnSync("age", ["--version"]).status === 0;

async function sealedStream(plaintext: Uint8Array, recipients: string[]): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const part of encryptDeliveryStream(Readable.from([plaintext]), recipients)) out.push(Buffer.from(part));
  return Buffer.concat(out);
}

describe("Delivery that keeps its promise: age files to exactly the contract's recipients (6.8.2)", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let arbitrator: TestUser;
  let deal: { id: string; price?: { amount: number; currency: string } };
  let key: { identity: string; recipient: string };
  let arbitratorRecipient: string;
  let amounts: number[];
  let currency: string;
  const as = (user?: TestUser) => client(t.url, user?.token);

  async function lock(m: number) {
    const credentials = await t.platform.credentials.createSigningKey({ label: `bank ${m}`, roles: ["bank"] });
    const report = await signedBankClient(t.url, () => credentials)("POST", "/v1/bank/deposits", {
      dealId: deal.id,
      milestone: m,
      currency,
      amount: amounts[m],
      bankRef: `REF-DELIVERY-${m}`,
    });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    const [id, milestone, code, deposited, bankRef] = report.body.attest.args;
    const provider = new JsonRpcProvider(t.chain.rpcUrl, undefined, { cacheTimeout: -1 });
    const escrow = DealEscrow__factory.connect(t.deployment.escrow!, new Wallet(t.bankKey, provider));
    await (await escrow.lockDeposit(id, milestone, code, deposited, bankRef, { gasPrice: 0, type: 0 })).wait();
    await t.platform.escrowEvents.catchUp();
  }

  /** Streams `body` to the upload route as `user`. */
  async function upload(
    user: TestUser,
    m: number,
    body: Uint8Array,
    recipients: string[],
    type = "application/octet-stream",
  ) {
    const query = new URLSearchParams({ name: "package.zip.age", recipients: recipients.join(",") });
    // node:http, not fetch: a refusal may come before the body is all sent, and is read all the same.
    return new Promise<{ status: number; body: any }>((resolve, reject) => {
      const request = http.request(`${t.url}/v1/deals/${deal.id}/milestones/${m}/delivery-files?${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${user.token}`, "content-type": type, "content-length": body.length },
      });
      request.on("response", (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      });
      request.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
      });
      request.end(body);
    });
  }

  const milestoneOf = async (m: number) =>
    (await as(demander)("GET", `/v1/deals/${deal.id}/escrow`)).body.milestones[m];

  beforeAll(async () => {
    t = await startTestPlatform({ deliveryFileLimit: LIMIT });
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    arbitrator = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    deal = await openDeal(t, supplier, demander, reviewer);
    await certifiedOnChain(t, supplier, demander);
    key = await generateDeliveryKey();
    await t.platform.users.setEncryptionRecipient(demander.id, key.recipient);
    const total = deal.price?.amount ?? 3_000_000;
    currency = deal.price?.currency ?? "CNY";
    amounts = [Math.floor(total / 3), Math.floor(total / 3), total - 2 * Math.floor(total / 3)];
    const escrow = await agreeTerms(t, deal, supplier, demander, {
      contract: { name: "contract.pdf", mediaType: "application/pdf", contentBase64: CONTRACT_PDF.toString("base64") },
      currency,
      total,
      milestones: amounts.map((amount, i) => ({ title: `Milestone ${i}`, amount, deliverBy: inDays(10) })),
      arbitratorId: arbitrator.id,
      inspectionPeriodSeconds: DAY,
      rulingPeriodSeconds: 7 * DAY,
    });
    expect(escrow.terms.deliverToArbitrator).toBe(false);
    expect(escrow.parties.demander.recipient).toBe(key.recipient);
    arbitratorRecipient = escrow.parties.arbitrator.recipient;
    await lock(0);
    await lock(1);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it("refuses inline delivery files that are not age, not to the contract's recipients, or say other recipients", async () => {
    const materials = Buffer.from("%PDF-1.4 process package v1.0");
    const deliver = (files: Array<{ name: string; bytes: Buffer; recipients?: string[] }>) =>
      move(t, supplier, deal.id, 0, "deliver", { statement: { text: "Process package v1.0", files } });

    const plain = await deliver([{ name: "package.pdf", bytes: materials, recipients: [key.recipient] }]);
    expect([plain.status, plain.body.error.code]).toEqual([422, "DELIVERY_NOT_AGE"]);
    expect(plain.body.error.message).toContain('file 0 ("package.pdf") is not an age file');

    // The contract names the demander only: a file the arbitrator could open as well is refused.
    const both = Buffer.from(await encryptDelivery(materials, [key.recipient, arbitratorRecipient]));
    const toBoth = await deliver([{ name: "package.age", bytes: both, recipients: [key.recipient] }]);
    expect([toBoth.status, toBoth.body.error.code]).toEqual([422, "DELIVERY_RECIPIENTS_WRONG"]);
    expect(toBoth.body.error.message).toContain("2 X25519 stanza(s); the contract names 1");

    const sealed = await sealedStream(materials, [key.recipient]);
    const unnamed = await deliver([{ name: "package.age", bytes: sealed }]);
    expect([unnamed.status, unnamed.body.error.code]).toEqual([422, "DELIVERY_RECIPIENTS_WRONG"]);
    expect(unnamed.body.error.message).toContain(key.recipient);
    const misnamed = await deliver([{ name: "package.age", bytes: sealed, recipients: [arbitratorRecipient] }]);
    expect([misnamed.status, misnamed.body.error.code]).toEqual([422, "DELIVERY_RECIPIENTS_WRONG"]);

    const cut = await deliver([
      { name: "package.age", bytes: sealed.subarray(0, sealed.length - 40), recipients: [key.recipient] },
    ]);
    expect([cut.status, cut.body.error.code]).toEqual([422, "DELIVERY_NOT_AGE"]);
    const passphrase = Buffer.from(sealed.toString("latin1").replace("-> X25519 ", "-> scrypt "), "latin1");
    const other = await deliver([{ name: "package.age", bytes: passphrase, recipients: [key.recipient] }]);
    expect([other.status, other.body.error.code]).toEqual([422, "DELIVERY_RECIPIENTS_WRONG"]);

    // A document of another move names no recipients, and no upload.
    const request = await move(t, demander, deal.id, 0, "request-changes", {
      statement: { text: "x", files: [{ name: "notes.txt", bytes: materials, recipients: [key.recipient] }] },
    });
    expect([request.status, request.body.error.code]).toEqual([400, "RECIPIENTS_ONLY_FOR_DELIVERY"]);
    expect((await milestoneOf(0)).state).toBe("locked");
  });

  it("takes an age file to the demander, whom the SDK and the age CLI both let read it; the dossier ties its digest to it", async () => {
    const materials = Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 7) % 256));
    const sealed = await sealedStream(materials, [key.recipient]);
    const statement = {
      text: "Process package v1.0, encrypted to the demander",
      files: [{ name: "package.age", bytes: sealed, recipients: [key.recipient] }],
    };
    const delivered = await move(t, supplier, deal.id, 0, "deliver", { statement });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect(delivered.body.milestone.deliveryDigest).toBe(statementDigest(statement));

    const download = await fetch(`${t.url}/v1/deals/${deal.id}/documents/${fileDigest(sealed)}`, {
      headers: { authorization: `Bearer ${demander.token}` },
    });
    const received = Buffer.from(await download.arrayBuffer());
    expect(Buffer.from(await decryptDelivery(received, key.identity)).equals(materials)).toBe(true);
    if (ageCli) {
      const dir = await mkdtemp(path.join(tmpdir(), "ttl-age-"));
      await writeFile(path.join(dir, "identity.txt"), `${key.identity}\n`, { mode: 0o600 });
      await writeFile(path.join(dir, "package.age"), received);
      const opened = execFileSync("age", ["-d", "-i", path.join(dir, "identity.txt"), path.join(dir, "package.age")]);
      expect(opened.equals(materials)).toBe(true);
    } else {
      console.warn("age CLI not on PATH: the CLI half of this check was skipped (apt-get install age)");
    }

    const opened = await move(t, demander, deal.id, 0, "open-dispute", {
      statement: { text: "The yield table is wrong" },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const dossier = await eventually(
      async () => {
        const answer = await as(arbitrator)("GET", `/v1/disputes/${deal.id}.m0/dossier`);
        return answer.status === 200 && answer.body.pendingRecords === 0 ? answer.body : undefined;
      },
      30_000,
      "an anchored dossier",
    );
    const verdict = verifyDossierOffline(dossier);
    expect(verdict.valid, verdict.reason).toBe(true);
    expect(verdict.checks.find((c) => c.name === "deliveries")?.detail).toMatch(/^1 delivery digest/);
  });

  it("streams a delivery file in, refusing what is not age to the contract's recipients, and delivers it by its hash", async () => {
    const materials = Buffer.alloc(300_000, 0x42);
    const sealed = await sealedStream(materials, [key.recipient]);

    expect((await upload(demander, 1, sealed, [key.recipient])).status).toBe(403);
    const notSupplier = await upload(arbitrator, 1, sealed, [key.recipient]);
    expect(notSupplier.status).toBe(403);
    const json = await upload(supplier, 1, sealed, [key.recipient], "application/json");
    expect([json.status, json.body.error.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    const wrongNamed = await upload(supplier, 1, sealed, [arbitratorRecipient]);
    expect([wrongNamed.status, wrongNamed.body.error.code]).toEqual([422, "DELIVERY_RECIPIENTS_WRONG"]);
    const notAge = await upload(supplier, 1, Buffer.alloc(200_000, 0x25), [key.recipient]);
    expect([notAge.status, notAge.body.error.code]).toEqual([422, "DELIVERY_NOT_AGE"]);
    const both = await upload(supplier, 1, await sealedStream(materials, [key.recipient, arbitratorRecipient]), [
      key.recipient,
    ]);
    expect([both.status, both.body.error.code]).toEqual([422, "DELIVERY_RECIPIENTS_WRONG"]);
    // Cut inside its last chunk's tag: what a payload length can show (a cut at a whole chunk only decryption can).
    const reading = readAgeHeader(sealed);
    const headerLength = reading.status === "complete" ? reading.header.length : 0;
    const lastChunk = (sealed.length - headerLength - 16) % (65_536 + 16);
    const cut = await upload(supplier, 1, sealed.subarray(0, sealed.length - lastChunk + 7), [key.recipient]);
    expect([cut.status, cut.body.error.code]).toEqual([422, "DELIVERY_NOT_AGE"]);
    const large = await upload(supplier, 1, await sealedStream(Buffer.alloc(LIMIT), [key.recipient]), [key.recipient]);
    expect([large.status, large.body.error.code]).toEqual([413, "DELIVERY_TOO_LARGE"]);
    const nowhere = await upload(supplier, 5, sealed, [key.recipient]);
    expect([nowhere.status, nowhere.body.error.code]).toEqual([404, "MILESTONE_NOT_FOUND"]);

    const uploaded = await upload(supplier, 1, sealed, [key.recipient]);
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(uploaded.body.file).toMatchObject({
      sha256: fileDigest(sealed),
      size: sealed.length,
      recipients: [key.recipient],
    });

    const unknown = await move(t, supplier, deal.id, 1, "deliver", {
      statement: {
        text: "v1",
        files: [{ name: "p.age", uploaded: `0x${"ab".repeat(32)}`, recipients: [key.recipient] }],
      },
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([422, "DELIVERY_FILE_UNKNOWN"]);
    const elsewhere = await move(t, demander, deal.id, 1, "request-changes", {
      statement: { text: "v1", files: [{ name: "p.age", uploaded: fileDigest(sealed) }] },
    });
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([400, "UPLOAD_ONLY_FOR_DELIVERY"]);

    const statement = {
      text: "Process package v2.0, uploaded",
      files: [{ name: "package.zip.age", uploaded: fileDigest(sealed), recipients: [key.recipient] }],
    };
    const delivered = await move(t, supplier, deal.id, 1, "deliver", { statement });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect(delivered.body.milestone.deliveryDigest).toBe(
      statementDigest({
        text: statement.text,
        files: [{ name: "package.zip.age", sha256: fileDigest(sealed), recipients: [key.recipient] }],
      }),
    );
    const download = await fetch(`${t.url}/v1/deals/${deal.id}/documents/${fileDigest(sealed)}`, {
      headers: { authorization: `Bearer ${demander.token}` },
    });
    expect(download.status).toBe(200);
    const received = Buffer.from(await download.arrayBuffer());
    expect(Buffer.from(await decryptDelivery(received, key.identity)).equals(materials)).toBe(true);
  });

  it("refuses delivery files while the demander has registered no recipient to encrypt to", async () => {
    const sealed = await sealedStream(Buffer.from("x"), [key.recipient]);
    const users = t.platform.tables.identity.users;
    const held = (await users.get(demander.id))!;
    // An account from before recipients were asked for at registration: it holds none.
    await t.platform.tables.identity.database.write([
      { type: "put", sublevel: users, key: demander.id, value: { ...held, encryptionKeys: [] } },
    ]);
    const cache = (t.platform.users as unknown as { cache: Map<string, unknown> }).cache;
    cache.delete(demander.id);
    try {
      const refused = await upload(supplier, 2, sealed, [key.recipient]);
      expect([refused.status, refused.body.error.code]).toEqual([409, "DELIVERY_RECIPIENT_UNKNOWN"]);
      expect(refused.body.error.message).toContain("the demander has registered no encryption recipient");
    } finally {
      await t.platform.tables.identity.database.write([
        { type: "put", sublevel: users, key: demander.id, value: held },
      ]);
    }
  });
});
