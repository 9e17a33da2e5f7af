import hre from "hardhat";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildCertificate,
  buildMerkleTree,
  fileDigest,
  FILES_FIELD,
  sealRecord,
  TRUST_ANCHOR_FORMAT,
  trustAnchorOf,
  verifyCertificate,
  verifyCertificateOffline,
  ZERO_HASH,
  type EvidenceCertificate,
  type TrustAnchor,
} from "../../../sdk";
import type { EvidenceRegistry } from "../../../sdk/typechain/contracts/EvidenceRegistry";

const { ethers } = hre;

const original = new TextEncoder().encode("技术转让合同 — technology transfer contract, v3");

/** What a reader who chose this registry on this chain trusts. */
async function trustIn(registry: { getAddress(): Promise<string> }): Promise<TrustAnchor> {
  const chainId = (await ethers.provider.getNetwork()).chainId;
  return trustAnchorOf({ chainId, registry: await registry.getAddress() });
}

/**
 * A fresh registry (or, with `contract`, a look-alike) on the in-process chain,
 * with three records anchored in one batch, and the trust anchor of a reader who chose it.
 */
async function anchoredCertificates(contract: "EvidenceRegistry" | "UnguardedRegistry" = "EvidenceRegistry"): Promise<{
  certificates: EvidenceCertificate[];
  registry: EvidenceRegistry;
  trust: TrustAnchor;
}> {
  const [admin] = await ethers.getSigners();
  const factory = await ethers.getContractFactory(contract);
  const registry = (contract === "EvidenceRegistry"
    ? await factory.deploy(admin.address, admin.address)
    : await factory.deploy(admin.address)) as unknown as EvidenceRegistry;
  const records = [0, 1, 2].map((seq) =>
    sealRecord({
      header: {
        v: 1,
        id: `00000000-0000-4000-8000-00000000000${seq}`,
        kind: "contract.signed",
        subject: `deal:${seq}`,
        seq: 0,
        prev: ZERO_HASH,
        recordedAt: new Date().toISOString(),
      },
      data: {
        price: 1_200_000 + seq,
        currency: "CNY",
        knowHow: "退火温度 450 °C",
        [FILES_FIELD]: [
          { name: "contract.pdf", mediaType: "application/pdf", size: original.length, sha256: fileDigest(original) },
        ],
      },
    }),
  );
  const tree = buildMerkleTree(records.map((r) => r.commitment));
  const receipt = (await (await registry.anchorBatch(tree.root, records.length, { gasPrice: 0 })).wait())!;
  const block = (await ethers.provider.getBlock(receipt.blockNumber))!;
  const anchor = {
    chainId: (await ethers.provider.getNetwork()).chainId.toString(),
    registry: await registry.getAddress(),
    transactionHash: receipt.hash,
    blockNumber: receipt.blockNumber,
    blockHash: block.hash!,
    blockTime: block.timestamp,
  };
  const certificates = records.map((record, i) =>
    buildCertificate({ record, merkle: { root: tree.root, proof: tree.proof(i) }, anchor }),
  );
  return { certificates, registry, trust: await trustIn(registry) };
}

const clone = <T>(value: T): T => structuredClone(value);
const flipLastHexDigit = (hex: string) => hex.slice(0, -1) + (hex.endsWith("0") ? "1" : "0");

describe("verifyCertificate", () => {
  let certificates: EvidenceCertificate[];
  let provider: typeof ethers.provider;
  let trust: TrustAnchor;

  beforeAll(async () => {
    ({ certificates, trust } = await anchoredCertificates());
    provider = ethers.provider;
  });

  it("accepts a certificate and its original file, and says when the record was anchored", async () => {
    const result = await verifyCertificate(certificates[1], { provider, trust, file: original });
    expect(result.verdict).toBe("VALID");
    expect(result.valid).toBe(true);
    expect(result.registry).toBe(trust.registries[0].address);
    expect(result.anchoredAt).toBe(new Date(certificates[1].anchor.blockTime * 1000).toISOString());
    expect(result.checks.map((c) => c.name)).toEqual([
      "format",
      "fields",
      "record",
      "proof",
      "file",
      "trust",
      "registry",
      "anchor",
      "block",
      "anchorer",
    ]);
  });

  it("accepts a certificate that withholds fields, and refuses to disclose a field the record lacks", async () => {
    const {
      certificates: [first],
    } = { certificates };
    const record = {
      header: first.record.header,
      data: Object.fromEntries(
        Object.entries(first.record.fields).map(([k, f]) => [k, (f as { value: unknown }).value]),
      ),
      salts: Object.fromEntries(Object.entries(first.record.fields).map(([k, f]) => [k, (f as { salt: string }).salt])),
      fieldCommitments: Object.fromEntries(Object.entries(first.record.fields).map(([k, f]) => [k, f.commitment])),
      commitment: first.commitment,
    };
    const partial = buildCertificate({ record, merkle: first.merkle, anchor: first.anchor, disclose: ["price"] });
    expect(partial.record.fields.knowHow).toEqual({ commitment: first.record.fields.knowHow.commitment });
    expect((await verifyCertificate(partial, { provider, trust })).valid).toBe(true);
    expect(JSON.stringify(partial)).not.toContain("退火温度");
    expect(() => buildCertificate({ record, merkle: first.merkle, anchor: first.anchor, disclose: ["nope"] })).toThrow(
      /no field "nope"/,
    );
    const withFile = await verifyCertificate(partial, { provider, trust, file: original });
    expect(withFile.code).toBe("FILE_NOT_DISCLOSED");
  });

  const tampering: Array<[string, (c: EvidenceCertificate) => void, string]> = [
    ["a byte of a disclosed value", (c) => ((c.record.fields.price as { value: number }).value += 1), "FIELD_MISMATCH"],
    [
      "a character of a disclosed text",
      (c) => ((c.record.fields.knowHow as { value: string }).value = "退火温度 460 °C"),
      "FIELD_MISMATCH",
    ],
    [
      "a salt",
      (c) =>
        ((c.record.fields.currency as { salt: string }).salt = flipLastHexDigit(
          (c.record.fields.currency as { salt: string }).salt,
        )),
      "FIELD_MISMATCH",
    ],
    [
      "a withheld commitment",
      (c) => (c.record.fields.currency.commitment = flipLastHexDigit(c.record.fields.currency.commitment)),
      "FIELD_MISMATCH",
    ],
    ["the subject", (c) => (c.record.header.subject = "deal:other"), "RECORD_MISMATCH"],
    ["the sequence number", (c) => (c.record.header.seq = 1), "RECORD_MISMATCH"],
    ["the record commitment", (c) => (c.commitment = flipLastHexDigit(c.commitment)), "RECORD_MISMATCH"],
    ["a proof element", (c) => (c.merkle.proof[0] = flipLastHexDigit(c.merkle.proof[0])), "PROOF_MISMATCH"],
    ["the root", (c) => (c.merkle.root = flipLastHexDigit(c.merkle.root)), "PROOF_MISMATCH"],
    ["the chain id", (c) => (c.anchor.chainId = "1"), "CHAIN_MISMATCH"],
    ["the registry", (c) => (c.anchor.registry = "0x000000000000000000000000000000000000dEaD"), "REGISTRY_NOT_TRUSTED"],
    ["the block number", (c) => (c.anchor.blockNumber += 1), "ANCHOR_MISMATCH"],
    ["the block time", (c) => (c.anchor.blockTime -= 3600), "ANCHOR_MISMATCH"],
    ["the block hash", (c) => (c.anchor.blockHash = flipLastHexDigit(c.anchor.blockHash)), "BLOCK_MISMATCH"],
    [
      "the transaction hash",
      (c) => (c.anchor.transactionHash = flipLastHexDigit(c.anchor.transactionHash)),
      "TRANSACTION_MISMATCH",
    ],
    ["the format", (c) => ((c as { format: string }).format = "something/else"), "CERTIFICATE_MALFORMED"],
  ];
  for (const [what, tamper, code] of tampering) {
    it(`catches a change to ${what} (${code})`, async () => {
      const certificate = clone(certificates[2]);
      tamper(certificate);
      const result = await verifyCertificate(certificate, { provider, trust });
      expect(result.verdict).toBe("INVALID");
      expect(result.valid).toBe(false);
      expect(result.code).toBe(code);
      expect(result.reason).toBeTruthy();
    });
  }

  it("catches a changed byte of the original file", async () => {
    const altered = original.slice();
    altered[5] ^= 1;
    const result = await verifyCertificate(certificates[0], { provider, trust, file: altered });
    expect(result.code).toBe("FILE_MISMATCH");
  });

  it("refuses a proof borrowed from another record of the same batch", async () => {
    const certificate = clone(certificates[0]);
    certificate.merkle.proof = certificates[1].merkle.proof;
    expect((await verifyCertificate(certificate, { provider, trust })).code).toBe("PROOF_MISMATCH");
  });

  it("says the chain is unavailable rather than invalid when the endpoint is down", async () => {
    const result = await verifyCertificate(certificates[0], { rpcUrl: "http://127.0.0.1:9", trust });
    expect(result.verdict).toBe("UNVERIFIED");
    expect(result.valid).toBe(false);
    expect(result.code).toBe("CHAIN_UNAVAILABLE");
  });

  it("refuses to verify without a trust anchor", async () => {
    await expect(
      verifyCertificate(certificates[0], { provider } as unknown as Parameters<typeof verifyCertificate>[1]),
    ).rejects.toMatchObject({ code: "TRUST_ANCHOR_REQUIRED" });
  });

  it("calls offline checks UNVERIFIED, never VALID", () => {
    const result = verifyCertificateOffline(certificates[0]);
    expect(result).toMatchObject({ verdict: "UNVERIFIED", valid: true });
  });

  it("refuses a certificate whose text names a member twice", async () => {
    const text = JSON.stringify(certificates[0]).replace('"format":', '"format":"x","format":');
    const result = await verifyCertificate(text, { provider, trust });
    expect(result.code).toBe("CERTIFICATE_MALFORMED");
    expect(result.reason).toMatch(/duplicate member name "format"/);
    expect((await verifyCertificate(JSON.stringify(certificates[0]), { provider, trust })).verdict).toBe("VALID");
  });

  it("refuses a chain whose genesis is not the trusted one, and a trust anchor for another chain", async () => {
    const genesis = (await provider.getBlock(0))!.hash!;
    const pinned: TrustAnchor = { ...trust, genesisHash: genesis };
    expect((await verifyCertificate(certificates[0], { provider, trust: pinned })).verdict).toBe("VALID");
    const other = { ...trust, genesisHash: flipLastHexDigit(genesis) };
    const result = await verifyCertificate(certificates[0], { provider, trust: other });
    expect(result.code).toBe("CHAIN_MISMATCH");
    expect(result.reason).toMatch(/genesis/);
    const elsewhere = await verifyCertificate(certificates[0], { provider, trust: { ...trust, chainId: "5" } });
    expect(elsewhere.code).toBe("CHAIN_MISMATCH");
  });

  it("trusts a replaced registry only up to the block it was replaced in", async () => {
    const { blockNumber } = certificates[0].anchor;
    const [registry] = trust.registries;
    const retiredBefore: TrustAnchor = {
      format: TRUST_ANCHOR_FORMAT,
      chainId: trust.chainId,
      registries: [{ address: registry.address, fromBlock: 0, untilBlock: blockNumber - 1 }],
    };
    const result = await verifyCertificate(certificates[0], { provider, trust: retiredBefore });
    expect(result.code).toBe("REGISTRY_NOT_TRUSTED");
    const retiredAfter = {
      ...retiredBefore,
      registries: [{ ...retiredBefore.registries[0], untilBlock: blockNumber }],
    };
    expect((await verifyCertificate(certificates[0], { provider, trust: retiredAfter })).verdict).toBe("VALID");
  });

  it("treats anything that is not a certificate as malformed", () => {
    for (const input of [
      undefined,
      null,
      42,
      "text",
      [],
      {},
      { format: "tech-transfer-ledger/evidence-certificate@1" },
    ]) {
      expect(verifyCertificateOffline(input).code).toBe("CERTIFICATE_MALFORMED");
    }
  });
});

describe("verifyCertificate against contracts that are not the registry", () => {
  it("refuses a record anchored in a look-alike registry: REGISTRY_NOT_TRUSTED", async () => {
    const genuine = await anchoredCertificates();
    // Anyone may deploy a registry of their own and anchor what they like in it.
    const forged = await anchoredCertificates();
    const result = await verifyCertificate(forged.certificates[0], { provider: ethers.provider, trust: genuine.trust });
    expect(result).toMatchObject({ verdict: "INVALID", code: "REGISTRY_NOT_TRUSTED" });
    expect(result.reason).toContain(forged.certificates[0].anchor.registry);
    // Its maker, trusting it, would see it valid: the reader's choice is what decides.
    expect(
      (await verifyCertificate(forged.certificates[0], { provider: ethers.provider, trust: forged.trust })).verdict,
    ).toBe("VALID");
  });

  it("says ROOT_NOT_ANCHORED when the trusted registry never anchored the root", async () => {
    const { certificates } = await anchoredCertificates();
    const [admin] = await ethers.getSigners();
    const other = await (await ethers.getContractFactory("EvidenceRegistry")).deploy(admin.address, admin.address);
    const certificate = structuredClone(certificates[0]);
    certificate.anchor.registry = await other.getAddress();
    expect(
      (await verifyCertificate(certificate, { provider: ethers.provider, trust: await trustIn(other) })).code,
    ).toBe("ROOT_NOT_ANCHORED");
  });

  it("says ANCHORER_NOT_AUTHORISED when the anchoring account never held ANCHORER_ROLE", async () => {
    const { certificates, trust } = await anchoredCertificates("UnguardedRegistry");
    const result = await verifyCertificate(certificates[0], { provider: ethers.provider, trust });
    expect(result).toMatchObject({ verdict: "INVALID", code: "ANCHORER_NOT_AUTHORISED" });
  });

  it("says REGISTRY_UNSUPPORTED when the anchor names a contract that is not an evidence registry", async () => {
    const { certificates } = await anchoredCertificates();
    const [admin] = await ethers.getSigners();
    // A contract whose every call returns the number 42: code, but no registry.
    const runtime = "602a60005260206000f3";
    const deployer = `0x600a600c600039600a6000f3${runtime}`;
    const receipt = (await (await admin.sendTransaction({ data: deployer })).wait())!;
    const certificate = structuredClone(certificates[0]);
    certificate.anchor.registry = receipt.contractAddress!;
    const trust = trustAnchorOf({ chainId: certificate.anchor.chainId, registry: receipt.contractAddress! });
    const result = await verifyCertificate(certificate, { provider: ethers.provider, trust });
    expect(result.code).toBe("REGISTRY_UNSUPPORTED");
  });

  it("calls a forged value that no record could hold invalid instead of throwing", async () => {
    const { certificates } = await anchoredCertificates();
    const certificate = structuredClone(certificates[0]);
    (certificate.record.fields.price as { value: unknown }).value = 2 ** 60;
    const result = verifyCertificateOffline(certificate);
    expect(result.valid).toBe(false);
    expect(result.code).toBe("FIELD_MISMATCH");
  });
});
