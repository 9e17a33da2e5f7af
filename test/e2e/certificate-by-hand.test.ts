// Follows docs/CERTIFICATE.md "Verify by hand" step by step with public libraries
// only: nothing from sdk/ or gateway/ takes part in the verification. The platform
// helper is used only to obtain real certificates.
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { Contract, id, JsonRpcProvider, Wallet, zeroPadValue } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployLookAlikeRegistry } from "../helpers/contracts";
import { client, eventually, startTestPlatform, type TestPlatform } from "../helpers/platform";

// ─── The procedure of docs/CERTIFICATE.md ──────────────────────────────────

interface Certificate {
  format: string;
  issuedAt: string;
  record: {
    header: { v: number; id: string; kind: string; subject: string; seq: number; prev: string; recordedAt: string };
    fields: Record<string, { commitment: string; salt?: string; value?: unknown }>;
  };
  commitment: string;
  merkle: { leafEncoding: string[]; root: string; proof: string[] };
  anchor: {
    chainId: string;
    registry: string;
    transactionHash: string;
    blockNumber: number;
    blockHash: string;
    blockTime: number;
  };
}

type Verdict = { valid: true; anchoredAt: string } | { valid: false; step: number; reason: string };

/** What the reader trusts, obtained from their own node and the consortium's published deployment. */
interface Trust {
  chainId: string;
  genesisHash?: string;
  registries: Array<{ address: string; fromBlock: number; untilBlock?: number }>;
}

const FORMAT = "tech-transfer-ledger/evidence-certificate@1";
const BYTES32 = /^0x[0-9a-f]{64}$/;
const ZERO = `0x${"00".repeat(32)}`;

const REGISTRY_ABI = [
  "function version() view returns (string)",
  "function batchOf(bytes32 root) view returns (tuple(uint64 blockNumber, uint64 timestamp, uint32 recordCount))",
  "function verifyRecord(bytes32 root, bytes32 commitment, bytes32[] proof) view returns (bool)",
  "event BatchAnchored(bytes32 indexed root, uint32 recordCount, address indexed anchorer)",
  "event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)",
  "event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)",
];
const ANCHORER_ROLE = id("ANCHORER_ROLE");

const bytes = (hex: string) => Buffer.from(hex.slice(2), "hex");
const utf8 = (text: string) => Buffer.from(text, "utf8");
const sha256 = (...parts: Uint8Array[]) =>
  `0x${parts.reduce((hash, part) => hash.update(part), createHash("sha256")).digest("hex")}`;
const jcs = (value: unknown) => {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("not JSON");
  return text;
};

async function verifyByHand(
  cert: Certificate,
  trust: Trust,
  provider: JsonRpcProvider,
  file?: Uint8Array,
): Promise<Verdict> {
  const fail = (step: number, reason: string): Verdict => ({ valid: false, step, reason });

  // 1. Format
  const hashes = [
    cert.commitment,
    cert.merkle.root,
    ...cert.merkle.proof,
    cert.record.header.prev,
    cert.anchor.transactionHash,
    cert.anchor.blockHash,
    ...Object.values(cert.record.fields).flatMap((f) =>
      f.salt === undefined ? [f.commitment] : [f.commitment, f.salt],
    ),
  ];
  if (cert.format !== FORMAT) return fail(1, `format is ${cert.format}`);
  if (JSON.stringify(cert.merkle.leafEncoding) !== '["bytes32"]') return fail(1, "leaf encoding");
  if (!hashes.every((h) => BYTES32.test(h))) return fail(1, "a hash is not lower-case bytes32");

  // 2. Disclosed fields
  for (const [name, f] of Object.entries(cert.record.fields)) {
    if ("salt" in f && sha256(bytes(f.salt!), utf8(jcs([name, f.value]))) !== f.commitment) {
      return fail(2, `field ${name}`);
    }
  }

  // 3. Record commitment
  const fields = Object.fromEntries(Object.entries(cert.record.fields).map(([n, f]) => [n, f.commitment]));
  if (sha256(utf8(jcs({ header: cert.record.header, fields }))) !== cert.commitment) return fail(3, "record");

  // 4. Merkle proof
  if (!StandardMerkleTree.verify(cert.merkle.root, ["bytes32"], [cert.commitment], cert.merkle.proof)) {
    return fail(4, "proof");
  }

  // 5. Original file
  if (file) {
    const files = cert.record.fields.$files;
    if (!files || !("salt" in files)) return fail(5, "$files not disclosed");
    const digest = sha256(file);
    const entry = (files.value as Array<{ sha256: string; size: number }>).find((f) => f.sha256 === digest);
    if (!entry || entry.size !== file.length) return fail(5, `file ${digest} is not one of the record's files`);
  }

  // 6. Trust: the certificate's chain and registry must be ones the reader chose.
  if (cert.anchor.chainId !== trust.chainId) return fail(6, "another chain than the trusted one");
  const trusted = trust.registries.find(
    (r) =>
      r.address.toLowerCase() === cert.anchor.registry.toLowerCase() &&
      cert.anchor.blockNumber >= r.fromBlock &&
      (r.untilBlock === undefined || cert.anchor.blockNumber <= r.untilBlock),
  );
  if (!trusted) return fail(6, "registry not trusted");

  // 7. Chain
  if (BigInt(await provider.send("eth_chainId", [])).toString() !== trust.chainId) return fail(7, "chain id");
  if (trust.genesisHash && (await provider.getBlock(0))?.hash !== trust.genesisHash) return fail(7, "genesis");

  // 8. Anchored batch
  if ((await provider.getCode(trusted.address)) === "0x") return fail(8, "no registry");
  const registry = new Contract(trusted.address, REGISTRY_ABI, provider);
  if (!(await registry.version()).startsWith("1.")) return fail(8, "registry version");
  const batch = await registry.batchOf(cert.merkle.root);
  if (batch.blockNumber === 0n) return fail(8, "root never anchored");
  if (batch.blockNumber !== BigInt(cert.anchor.blockNumber) || batch.timestamp !== BigInt(cert.anchor.blockTime)) {
    return fail(8, `anchored in block ${batch.blockNumber} at ${batch.timestamp}`);
  }

  // 9. The registry accepts the proof
  if (!(await registry.verifyRecord(cert.merkle.root, cert.commitment, cert.merkle.proof)))
    return fail(9, "proof rejected");

  // 10. Block
  const block = await provider.getBlock(cert.anchor.blockNumber);
  if (block?.hash !== cert.anchor.blockHash || block.timestamp !== cert.anchor.blockTime) return fail(10, "block");

  // 11. Transaction
  const receipt = await provider.getTransactionReceipt(cert.anchor.transactionHash);
  const log =
    receipt?.status === 1 && receipt.blockHash === cert.anchor.blockHash
      ? receipt.logs.find(
          (l) =>
            l.address.toLowerCase() === trusted.address.toLowerCase() &&
            registry.interface.parseLog(l)?.args.root === cert.merkle.root,
        )
      : undefined;
  if (!log) return fail(11, "transaction");

  // 12. Anchorer: held ANCHORER_ROLE in that registry when it anchored.
  const anchorer = registry.interface.parseLog(log)!.args.anchorer as string;
  const roleLogs = await provider.getLogs({
    address: trusted.address,
    topics: [
      [registry.interface.getEvent("RoleGranted")!.topicHash, registry.interface.getEvent("RoleRevoked")!.topicHash],
      ANCHORER_ROLE,
      zeroPadValue(anchorer, 32),
    ],
    fromBlock: trusted.fromBlock,
    toBlock: log.blockNumber,
  });
  const before = roleLogs.filter((l) => l.blockNumber < log.blockNumber || l.index < log.index);
  const last = before.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index).at(-1);
  if (registry.interface.parseLog(last ?? log)?.name !== "RoleGranted") return fail(12, "anchorer not authorised");

  return { valid: true, anchoredAt: new Date(cert.anchor.blockTime * 1000).toISOString() };
}

// ─── Helpers ───────────────────────────────────────────────────────────────

const clone = (cert: Certificate): Certificate => structuredClone(cert);

/** Flips the last hex digit, keeping the value well-formed. */
const flip = (hex: string) => hex.slice(0, -1) + (hex.endsWith("0") ? "1" : "0");

// ─── The tests ─────────────────────────────────────────────────────────────

describe("Verifying a certificate by hand (docs/CERTIFICATE.md)", () => {
  const contract = Buffer.from("技术转让合同 / Technology transfer contract\nPrice: 1,200,000 CNY\n", "utf8");
  let platform: TestPlatform;
  let provider: JsonRpcProvider;
  let full: Certificate;
  let priceOnly: Certificate;
  let first: Certificate;
  let trust: Trust;

  beforeAll(async () => {
    // A batch goes out when four records wait, so all four below share one tree
    // and every proof has siblings to tamper with.
    platform = await startTestPlatform({ anchoring: { maxRecords: 4, maxAgeMs: 20_000 } });
    provider = new JsonRpcProvider(platform.chain.rpcUrl);
    // The reader's own: the deployment as published, and the genesis of their own node.
    trust = {
      chainId: platform.deployment.chainId,
      genesisHash: (await provider.getBlock(0))!.hash!,
      registries: [{ address: platform.deployment.registry, fromBlock: platform.deployment.blockNumber }],
    };
    const request = client(platform.url, platform.token);

    const opening = await request("POST", "/v1/evidence", {
      kind: "negotiation.recorded",
      subject: "deal:by-hand",
      data: { minutes: "双方就许可范围达成一致" },
    });
    expect(opening.status).toBe(202);
    // The signed contract first, then two more: whatever the platform itself recorded at
    // start, the records after it fill its batch, so it never goes out alone (sent at once,
    // the two small ones could complete a batch before it and leave it by itself).
    const signed = await request("POST", "/v1/evidence", {
      kind: "contract.signed",
      subject: "deal:by-hand",
      data: { price: 1200000, currency: "CNY", title: "光伏组件回收技术" },
      files: [{ name: "contract.txt", mediaType: "text/plain", contentBase64: contract.toString("base64") }],
    });
    const others = await Promise.all([
      request("POST", "/v1/evidence", { kind: "evidence.attested", subject: "deal:other", data: { note: "a" } }),
      request("POST", "/v1/evidence", { kind: "evidence.attested", subject: "deal:other", data: { note: "b" } }),
    ]);
    expect([signed, ...others].map((r) => r.status)).toEqual([202, 202, 202]);

    const certificate = (id: string, query = "") =>
      eventually(
        async () => {
          const response = await request("GET", `/v1/evidence/${id}/certificate${query}`);
          return response.status === 200 ? (response.body as Certificate) : undefined;
        },
        30_000,
        `the certificate of ${id}`,
      );
    full = await certificate(signed.body.id);
    priceOnly = await certificate(signed.body.id, "?fields=price");
    first = await certificate(opening.body.id);
  });

  afterAll(async () => {
    provider?.destroy();
    await platform?.close();
  });

  it("accepts a certificate with every field disclosed, and the original file", async () => {
    expect(Object.keys(full.record.fields).sort()).toEqual(["$files", "currency", "price", "title"]);
    expect(Object.values(full.record.fields).every((f) => "salt" in f && "value" in f)).toBe(true);
    expect(full.record.fields.$files.value).toEqual([
      { name: "contract.txt", mediaType: "text/plain", size: contract.length, sha256: sha256(contract) },
    ]);
    const verdict = await verifyByHand(full, trust, provider, contract);
    expect(verdict).toEqual({ valid: true, anchoredAt: new Date(full.anchor.blockTime * 1000).toISOString() });
  });

  it("accepts a certificate that discloses only the price, its withheld fields keeping their commitments", async () => {
    expect(priceOnly.record.fields.price).toEqual(full.record.fields.price);
    for (const name of ["currency", "title", "$files"]) {
      expect(priceOnly.record.fields[name]).toEqual({ commitment: full.record.fields[name].commitment });
    }
    expect(priceOnly.commitment).toBe(full.commitment);
    expect((await verifyByHand(priceOnly, trust, provider)).valid).toBe(true);
    expect(await verifyByHand(priceOnly, trust, provider, contract)).toMatchObject({ valid: false, step: 5 });
  });

  it("computes the documented field-commitment test vector", () => {
    const salt = bytes(`0x${"11".repeat(32)}`);
    expect(sha256(salt, utf8(jcs(["price", 1200000])))).toBe(
      "0xda85b9f6de3694f0e485674a9c9bb6f1b30336e2f7a2f264623c9ccd22c7064d",
    );
    expect(sha256(salt, utf8(jcs(["title", "光伏组件回收技术"])))).toBe(
      "0x1bc3924340652ae9227821f9d92d67786ab606e88e7145861f19efd3ce29e6bb",
    );
  });

  it("links the deal's records into a hash chain through header.prev and seq", async () => {
    expect((await verifyByHand(first, trust, provider)).valid).toBe(true);
    expect([first.record.header.seq, first.record.header.prev]).toEqual([0, ZERO]);
    expect(full.record.header.subject).toBe(first.record.header.subject);
    expect([full.record.header.seq, full.record.header.prev]).toEqual([1, first.commitment]);
  });

  it("rejects a tampered value at step 2", async () => {
    const cert = clone(full);
    cert.record.fields.price.value = 120000;
    expect(await verifyByHand(cert, trust, provider)).toMatchObject({ valid: false, step: 2, reason: "field price" });
  });

  it("rejects a tampered salt at step 2", async () => {
    const cert = clone(full);
    cert.record.fields.title.salt = flip(cert.record.fields.title.salt!);
    expect(await verifyByHand(cert, trust, provider)).toMatchObject({ valid: false, step: 2, reason: "field title" });
  });

  it("rejects a changed header or a changed withheld commitment at step 3", async () => {
    const header = clone(priceOnly);
    header.record.header.recordedAt = "2020-01-01T00:00:00.000Z";
    expect(await verifyByHand(header, trust, provider)).toMatchObject({ valid: false, step: 3 });
    const withheld = clone(priceOnly);
    withheld.record.fields.currency.commitment = flip(withheld.record.fields.currency.commitment);
    expect(await verifyByHand(withheld, trust, provider)).toMatchObject({ valid: false, step: 3 });
  });

  it("rejects a tampered proof element at step 4, and the registry rejects it too", async () => {
    expect(full.merkle.proof.length).toBeGreaterThan(0);
    const cert = clone(full);
    cert.merkle.proof[0] = flip(cert.merkle.proof[0]);
    expect(await verifyByHand(cert, trust, provider)).toMatchObject({ valid: false, step: 4 });
    const registry = new Contract(full.anchor.registry, REGISTRY_ABI, provider);
    expect(await registry.verifyRecord(cert.merkle.root, cert.commitment, cert.merkle.proof)).toBe(false);
    expect(await registry.verifyRecord(full.merkle.root, full.commitment, full.merkle.proof)).toBe(true);
  });

  it("rejects a different file at step 5", async () => {
    const other = Buffer.from(contract);
    other[other.length - 2] ^= 1;
    expect(await verifyByHand(full, trust, provider, other)).toMatchObject({ valid: false, step: 5 });
  });

  it("rejects a wrong chain id or another registry at step 6, and an endpoint of another chain at step 7", async () => {
    const cert = clone(full);
    cert.anchor.chainId = "1";
    expect(await verifyByHand(cert, trust, provider)).toMatchObject({ valid: false, step: 6 });
    const elsewhere = clone(full);
    elsewhere.anchor.registry = platform.deployment.accounts;
    expect(await verifyByHand(elsewhere, trust, provider)).toMatchObject({ valid: false, step: 6 });
    const otherGenesis = { ...trust, genesisHash: flip(trust.genesisHash!) };
    expect(await verifyByHand(full, otherGenesis, provider)).toMatchObject({ valid: false, step: 7 });
  });

  it("rejects at step 6 a record anchored in a look-alike registry that anyone deployed", async () => {
    // The forger deploys the very same contract under its own key and anchors a made-up record.
    const sender = new JsonRpcProvider(platform.chain.rpcUrl, undefined, { cacheTimeout: -1 });
    const forger = new Wallet(Wallet.createRandom().privateKey, sender);
    const lookAlike = await deployLookAlikeRegistry(forger);
    const forged = clone(first);
    forged.record.fields = { price: { commitment: "", salt: `0x${"22".repeat(32)}`, value: 1 } };
    forged.record.fields.price.commitment = sha256(bytes(forged.record.fields.price.salt!), utf8(jcs(["price", 1])));
    forged.commitment = sha256(
      utf8(jcs({ header: forged.record.header, fields: { price: forged.record.fields.price.commitment } })),
    );
    const root = StandardMerkleTree.of([[forged.commitment]], ["bytes32"]).root;
    const sent = await lookAlike.anchorBatch(root, 1, { gasPrice: 0, type: 0 });
    const receipt = (await sent.wait())!;
    const block = (await provider.getBlock(receipt.blockNumber))!;
    forged.merkle = { leafEncoding: ["bytes32"], root, proof: [] };
    forged.anchor = {
      chainId: trust.chainId,
      registry: await lookAlike.getAddress(),
      transactionHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      blockHash: block.hash!,
      blockTime: block.timestamp,
    };
    expect(await verifyByHand(forged, trust, provider)).toMatchObject({
      valid: false,
      step: 6,
      reason: "registry not trusted",
    });
    // Trusting whatever registry the file names would have passed every later step:
    const gullible = { ...trust, registries: [{ address: forged.anchor.registry, fromBlock: 0 }] };
    expect((await verifyByHand(forged, gullible, provider)).valid).toBe(true);
    sender.destroy();
  });

  it("rejects a wrong blockTime at step 8", async () => {
    const cert = clone(full);
    cert.anchor.blockTime += 60;
    expect(await verifyByHand(cert, trust, provider)).toMatchObject({ valid: false, step: 8 });
  });

  it("rejects a wrong block hash at step 10 and a wrong transaction at step 11", async () => {
    const block = clone(full);
    block.anchor.blockHash = flip(block.anchor.blockHash);
    expect(await verifyByHand(block, trust, provider)).toMatchObject({ valid: false, step: 10 });
    const transaction = clone(full);
    transaction.anchor.transactionHash = flip(transaction.anchor.transactionHash);
    expect(await verifyByHand(transaction, trust, provider)).toMatchObject({ valid: false, step: 11 });
  });
});
