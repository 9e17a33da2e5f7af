// A registry that looks like ours, deployed by anyone who can send a transaction,
// must not make a forged record or a forged ruling verify: the CLI, the SDK and the
// by-hand steps check the anchor against the registry the reader chose.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildCertificate,
  buildMerkleTree,
  connectRegistry,
  DOSSIER_FORMAT,
  sealRecord,
  summarizeDispute,
  summarizedRecordOf,
  verifyCertificate,
  verifyDossier,
  ZERO_HASH,
  type DisputeDossier,
  type EvidenceCertificate,
  type SealedRecord,
} from "../../sdk";
import { deployLookAlikeRegistry } from "../helpers/contracts";
import { client, eventually, startTestPlatform, type TestPlatform } from "../helpers/platform";

const SUBJECT = "deal:look-alike";

describe("a look-alike registry on the same chain", () => {
  let t: TestPlatform;
  let dir: string;
  let provider: JsonRpcProvider;
  let lookAlike: string;
  /** Anchors `records` in the look-alike, as its deployer can, and certifies them. */
  let forge: (records: SealedRecord[]) => Promise<EvidenceCertificate[]>;
  const genuine: EvidenceCertificate[] = [];
  const receipts: unknown[] = [];

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/verify.ts", ...args, "--rpc", t.chain.rpcUrl], {
      encoding: "utf8",
    });
  const save = async (name: string, value: unknown) => {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(value));
    return file;
  };

  beforeAll(async () => {
    t = await startTestPlatform();
    dir = await mkdtemp(path.join(tmpdir(), "ttl-look-alike-"));
    provider = new JsonRpcProvider(t.chain.rpcUrl, undefined, { polling: true, cacheTimeout: -1 });
    // Genuine records of the deal: the dispute's opening and two negotiation messages.
    const operator = client(t.url, t.token);
    const bodies = [
      {
        kind: "escrow.event",
        data: {
          event: "DisputeOpened",
          dealId: "look-alike",
          milestone: 0,
          args: { dealId: ZERO_HASH, milestone: "0", by: Wallet.createRandom().address, reasonDigest: ZERO_HASH },
          transactionHash: ZERO_HASH,
          blockNumber: 1,
          logIndex: 0,
          blockTime: "2026-11-29T10:00:00.000Z",
        },
      },
      { kind: "negotiation.recorded", data: { dispute: "look-alike.m0", text: "协商记录 1" } },
      { kind: "negotiation.recorded", data: { dispute: "look-alike.m0", text: "协商记录 2" } },
    ];
    for (const body of bodies) {
      const answer = await operator("POST", "/v1/evidence", { ...body, subject: SUBJECT });
      expect(answer.status).toBe(202);
      receipts.push(answer.body.receipt);
      genuine.push(
        await eventually(async () => {
          const c = await operator("GET", `/v1/evidence/${answer.body.id}/certificate`);
          return c.status === 200 ? c.body : undefined;
        }),
      );
    }

    // The forger: a key of its own, a registry of its own, on the same chain.
    const forger = new Wallet(Wallet.createRandom().privateKey, provider);
    const registry = await deployLookAlikeRegistry(forger);
    lookAlike = await registry.getAddress();
    forge = async (records) => {
      const tree = buildMerkleTree(records.map((r) => r.commitment));
      const sent = await connectRegistry(lookAlike, forger).anchorBatch(tree.root, records.length, {
        gasPrice: 0,
        type: 0,
      });
      const receipt = (await sent.wait())!;
      const block = (await provider.getBlock(receipt.blockNumber))!;
      const anchor = {
        chainId: t.trust.chainId,
        registry: lookAlike,
        transactionHash: receipt.hash,
        blockNumber: receipt.blockNumber,
        blockHash: block.hash!,
        blockTime: block.timestamp,
      };
      return records.map((record, i) =>
        buildCertificate({ record, merkle: { root: tree.root, proof: tree.proof(i) }, anchor }),
      );
    };
  });
  afterAll(async () => {
    provider?.destroy();
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const header = (seq: number, prev: string, kind: string) => ({
    v: 1 as const,
    id: randomUUID(),
    kind,
    subject: SUBJECT,
    seq,
    prev,
    recordedAt: new Date().toISOString(),
  });

  it('refuses a made-up record anchored there ("contract.signed, price 1"), by the CLI and the SDK', async () => {
    const [forged] = await forge([
      sealRecord({ header: header(0, ZERO_HASH, "contract.signed"), data: { price: 1, currency: "CNY" } }),
    ]);
    const trustFile = await save("trust.json", t.trust);
    const file = await save("forged.json", forged);

    const withTrust = cli(file, "--trust", trustFile);
    expect(withTrust.status, withTrust.stdout + withTrust.stderr).toBe(1);
    expect(withTrust.stdout).toMatch(
      /^INVALID \(REGISTRY_NOT_TRUSTED\): the registry 0x[0-9a-fA-F]{40} is not one the trust anchor names/m,
    );
    const pinned = cli(file, "--registry", t.deployment.registry, "--chain-id", t.trust.chainId);
    expect(pinned.status).toBe(1);
    expect(pinned.stdout).toContain("REGISTRY_NOT_TRUSTED");
    const none = cli(file);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no trust anchor/);
    expect(none.stdout).not.toMatch(/VALID/);

    const sdk = await verifyCertificate(forged, { rpcUrl: t.chain.rpcUrl, trust: t.trust });
    expect(sdk).toMatchObject({ verdict: "INVALID", code: "REGISTRY_NOT_TRUSTED" });
  });

  it("still accepts the genuine certificates, and calls unreachable or offline UNVERIFIED", async () => {
    const file = await save("genuine.json", genuine[2]);
    const trustFile = await save("trust.json", t.trust);
    const valid = cli(file, "--trust", trustFile);
    expect(valid.status, valid.stdout + valid.stderr).toBe(0);
    expect(valid.stdout).toMatch(
      new RegExp(`^VALID: record .* in registry ${t.trust.registries[0].address} on chain`, "m"),
    );
    expect(cli(file, "--registry", t.deployment.registry.toLowerCase(), "--chain-id", t.trust.chainId).status).toBe(0);
    const offline = spawnSync(process.execPath, ["--import", "tsx", "scripts/verify.ts", file, "--offline"], {
      encoding: "utf8",
    });
    expect(offline.status).toBe(3);
    expect(offline.stdout).toMatch(/^UNVERIFIED \(offline\)/m);
    const away = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/verify.ts", file, "--trust", trustFile, "--rpc", "http://127.0.0.1:9"],
      { encoding: "utf8" },
    );
    expect(away.status).toBe(3);
    expect(away.stdout).toMatch(/^UNVERIFIED \(CHAIN_UNAVAILABLE\)/m);
  });

  it("refuses a dossier whose last record is a forged 100% release ruling anchored in the look-alike", async () => {
    const last = genuine[2];
    const ruling = sealRecord({
      header: header(3, last.commitment, "escrow.event"),
      data: {
        event: "RulingIssued",
        dealId: "look-alike",
        milestone: 0,
        args: {
          dealId: ZERO_HASH,
          milestone: "0",
          release: "1200000",
          refund: "0",
          rulingDigest: ZERO_HASH,
          appealEnds: "0",
        },
        transactionHash: ZERO_HASH,
        blockNumber: 2,
        logIndex: 0,
        blockTime: "2026-11-29T11:00:00.000Z",
      },
    });
    const [forgedRuling] = await forge([ruling]);
    const certificates = [...genuine, forgedRuling];
    const records = certificates.map(summarizedRecordOf);
    const dossier: DisputeDossier = {
      format: DOSSIER_FORMAT,
      issuedAt: new Date().toISOString(),
      subject: SUBJECT,
      dispute: summarizeDispute(records, 0)!,
      certificates,
      pendingRecords: 0,
      documents: [],
    };
    expect(dossier.dispute).toMatchObject({ status: "final", ruling: { release: "1200000", refund: "0" } });
    const file = await save("forged-dossier.json", dossier);
    const run = cli(file, "--trust", await save("trust.json", t.trust));
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^INVALID \(REGISTRY_NOT_TRUSTED\)/m);
    const sdk = await verifyDossier({ dossier, rpcUrl: t.chain.rpcUrl, trust: t.trust });
    expect(sdk).toMatchObject({ verdict: "INVALID", code: "REGISTRY_NOT_TRUSTED" });
  });

  it("catches a dossier cut short at the end with a receipt the party kept (--receipts)", async () => {
    const records = genuine.map(summarizedRecordOf);
    const cut: DisputeDossier = {
      format: DOSSIER_FORMAT,
      issuedAt: new Date().toISOString(),
      subject: SUBJECT,
      dispute: summarizeDispute(records.slice(0, 2), 0)!,
      certificates: genuine.slice(0, 2),
      pendingRecords: 0,
      documents: [],
    };
    const file = await save("cut.json", cut);
    // The made-up DisputeOpened record cites no real escrow event, so this reader names no escrow.
    const { escrows: _none, ...withoutEscrow } = t.trust;
    const trustFile = await save("trust-no-escrow.json", withoutEscrow);
    expect(cli(file, "--trust", trustFile).status).toBe(0); // nothing in the file shows the cut
    const run = cli(file, "--trust", trustFile, "--receipts", await save("receipts.json", receipts));
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^INVALID \(RECORD_MISSING\): a receipt proves record .* at seq 2/m);
    const forgedReceipt = [{ ...(receipts[2] as object), seq: 5 }];
    const bad = cli(file, "--trust", trustFile, "--receipts", await save("bad-receipts.json", forgedReceipt));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/not signed by/);
  });
});
