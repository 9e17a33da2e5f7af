import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  ageRecipientKey,
  agePayloadLengthProblem,
  ageRecipientsProblem,
  decryptDelivery,
  encryptDelivery,
  encryptDeliveryStream,
  generateDeliveryKey,
  readAgeHeader,
  statementDigest,
  type AgeHeader,
} from "../../../sdk";

/** The `age` CLI (Debian's `age` package), when installed: no npm package ships it. */
const ageCli = spawnSync("age", ["--version"]).status === 0;

async function sealed(plaintext: Uint8Array, recipients: string[], piece = 1000): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < plaintext.length; i += piece) pieces.push(Buffer.from(plaintext.subarray(i, i + piece)));
  const out: Buffer[] = [];
  for await (const part of encryptDeliveryStream(Readable.from(pieces), recipients)) out.push(Buffer.from(part));
  return Buffer.concat(out);
}

function headerOf(file: Uint8Array): AgeHeader {
  const reading = readAgeHeader(file);
  if (reading.status !== "complete") throw new Error(JSON.stringify(reading));
  return reading.header;
}

describe("encryptDeliveryStream: age v1 in flat memory, on Node's native ciphers", () => {
  // Sizes around the 64 KiB chunk: empty, one byte, exactly one chunk, one more byte, several chunks.
  for (const size of [0, 1, 65_536, 65_537, 200_000]) {
    it(`writes ${size} bytes as age that the SDK decrypts`, async () => {
      const demander = await generateDeliveryKey();
      const plaintext = Buffer.alloc(size, 0x5a);
      const file = await sealed(plaintext, [demander.recipient]);
      const header = headerOf(file);
      expect(header.stanzas.map((s) => s.type)).toEqual(["X25519"]);
      expect(agePayloadLengthProblem(file.length - header.length)).toBeUndefined();
      expect(Buffer.from(await decryptDelivery(file, demander.identity)).equals(plaintext)).toBe(true);
    });
  }

  it("seals whole chunks straight from large pieces, whatever their size", async () => {
    const demander = await generateDeliveryKey();
    const plaintext = Buffer.from(Array.from({ length: 400_000 }, (_, i) => (i * 13) % 256));
    for (const piece of [65_536, 70_000, 131_072, 400_000]) {
      const file = await sealed(plaintext, [demander.recipient], piece);
      expect(Buffer.from(await decryptDelivery(file, demander.identity)).equals(plaintext), `pieces of ${piece}`).toBe(
        true,
      );
    }
  });

  it("encrypts to each recipient, and only to them", async () => {
    const [demander, arbitrator, stranger] = await Promise.all([1, 2, 3].map(() => generateDeliveryKey()));
    const plaintext = new TextEncoder().encode("pyrolysis at 480 °C, 45 min");
    const file = await sealed(plaintext, [demander.recipient, arbitrator.recipient]);
    expect(ageRecipientsProblem(headerOf(file), 2)).toBeUndefined();
    expect(await decryptDelivery(file, demander.identity)).toEqual(plaintext);
    expect(await decryptDelivery(file, arbitrator.identity)).toEqual(plaintext);
    await expect(decryptDelivery(file, stranger.identity)).rejects.toThrow();
  });

  it.skipIf(!ageCli)(
    "writes what the age CLI decrypts with the demander's identity, as the SDK does (skipped without `age` on PATH)",
    async () => {
      const demander = await generateDeliveryKey();
      const plaintext = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
      const file = await sealed(plaintext, [demander.recipient], 4096);
      const dir = await mkdtemp(path.join(tmpdir(), "ttl-age-"));
      await writeFile(path.join(dir, "identity.txt"), `${demander.identity}\n`, { mode: 0o600 });
      await writeFile(path.join(dir, "package.age"), file);
      const cli = execFileSync("age", ["-d", "-i", path.join(dir, "identity.txt"), path.join(dir, "package.age")]);
      expect(cli.equals(plaintext)).toBe(true);
      expect(Buffer.from(await decryptDelivery(file, demander.identity)).equals(plaintext)).toBe(true);
    },
  );

  it("refuses a recipient that is not an age X25519 recipient", async () => {
    const { recipient } = await generateDeliveryKey();
    const broken = `${recipient.slice(0, -1)}${recipient.endsWith("q") ? "p" : "q"}`;
    expect(() => ageRecipientKey(broken)).toThrow(/not an age X25519 recipient/);
    expect(() => ageRecipientKey(recipient.toUpperCase())).toThrow();
    expect(ageRecipientKey(recipient)).toHaveLength(32);
    await expect(sealed(new Uint8Array(1), [])).rejects.toThrow(/at least one/);
  });
});

describe("readAgeHeader, ageRecipientsProblem, agePayloadLengthProblem", () => {
  it("reads the age-encryption library's files as well as the streaming encryptor's", async () => {
    const demander = await generateDeliveryKey();
    const file = await encryptDelivery(new TextEncoder().encode("v1"), [demander.recipient]);
    const header = headerOf(file);
    expect(header.stanzas).toHaveLength(1);
    expect(header.stanzas[0].args[0]).toMatch(/^[A-Za-z0-9+/]{43}$/);
    expect(ageRecipientsProblem(header, 1)).toBeUndefined();
  });

  it("asks for more bytes while the header is not complete, and refuses what is not age at once", async () => {
    const demander = await generateDeliveryKey();
    const file = await sealed(new Uint8Array(10), [demander.recipient]);
    expect(readAgeHeader(file.subarray(0, 30))).toEqual({ status: "incomplete" });
    expect(readAgeHeader(Buffer.from("%PDF-1.4"))).toMatchObject({ status: "invalid" });
    expect(readAgeHeader(Buffer.from("-----BEGIN AGE ENCRYPTED FILE-----\n"))).toMatchObject({ status: "invalid" });
    expect(readAgeHeader(Buffer.alloc(70_000, 0x61))).toMatchObject({ status: "invalid" });
  });

  it("counts the stanzas against the recipients, and refuses other stanza types and repeated shares", async () => {
    const [a, b] = await Promise.all([generateDeliveryKey(), generateDeliveryKey()]);
    const two = headerOf(await sealed(new Uint8Array(3), [a.recipient, b.recipient]));
    expect(ageRecipientsProblem(two, 1)).toMatch(/2 X25519 stanza\(s\); the contract names 1/);
    const file = await sealed(new Uint8Array(3), [a.recipient]);
    const scrypt = Buffer.from(file.toString("latin1").replace("-> X25519 ", "-> scrypt "), "latin1");
    expect(ageRecipientsProblem(headerOf(scrypt), 1)).toMatch(/type scrypt/);
    const repeated: AgeHeader = { ...two, stanzas: [two.stanzas[0], two.stanzas[0]] };
    expect(ageRecipientsProblem(repeated, 2)).toMatch(/same ephemeral share/);
    // Non-canonical base64: the share's last character with a padding bit set.
    const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const text = file.toString("latin1");
    const share = /-> X25519 (\S+)/.exec(text)![1];
    const bent = `${share.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(share.at(-1)!) + 1]}`;
    expect(readAgeHeader(Buffer.from(text.replace(share, bent), "latin1"))).toMatchObject({ status: "invalid" });
  });

  it("holds the payload to whole STREAM chunks", () => {
    const chunk = 65_536 + 16;
    expect(agePayloadLengthProblem(16 + 16)).toBeUndefined();
    expect(agePayloadLengthProblem(16 + chunk)).toBeUndefined();
    expect(agePayloadLengthProblem(16 + chunk + 17)).toBeUndefined();
    expect(agePayloadLengthProblem(16)).toMatch(/shorter/);
    expect(agePayloadLengthProblem(16 + chunk + 5)).toMatch(/fragment/);
    expect(agePayloadLengthProblem(16 + chunk + 16)).toMatch(/empty chunk/);
  });
});

describe("statementDigest with delivered files", () => {
  it("binds a file's recipients, and takes its hash for its bytes", () => {
    const bytes = new TextEncoder().encode("ciphertext");
    const plain = statementDigest({ text: "v1", files: [{ name: "p.age", bytes }] });
    const hashed = statementDigest({
      text: "v1",
      files: [{ name: "p.age", sha256: "0x3c6b2b3a1e5b3c0b4e7a1c39b5e7ab1f4b3c0d59e4e53c6c1cdb0f3b4d8e8a7f" }],
    });
    expect(hashed).not.toBe(plain);
    const withRecipients = statementDigest({ text: "v1", files: [{ name: "p.age", bytes, recipients: ["age1x"] }] });
    expect(withRecipients).not.toBe(plain);
  });
});
