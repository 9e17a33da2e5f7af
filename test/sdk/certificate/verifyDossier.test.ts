import { randomUUID } from "node:crypto";
import hre from "hardhat";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildCertificate,
  buildMerkleTree,
  DOSSIER_FORMAT,
  fileDigest,
  FILES_FIELD,
  sealRecord,
  verifyDossier,
  verifyDossierOffline,
  ZERO_HASH,
  type DisputeDossier,
  type EvidenceCertificate,
  type SealedRecord,
} from "../../../sdk";
import { randomCommitments } from "../../helpers/records";

const { ethers } = hre;

const SUBJECT = "deal:deal_ab12";
const contract = new TextEncoder().encode("技术转让合同 — technology transfer contract, v3");
const acceptance = new TextEncoder().encode("验收报告: the licensee accepts the pilot line");

const descriptor = (name: string, bytes: Uint8Array) => ({
  name,
  mediaType: "application/pdf",
  size: bytes.length,
  sha256: fileDigest(bytes),
});
const document = (record: SealedRecord, name: string, bytes: Uint8Array) => ({
  recordId: record.header.id,
  name,
  mediaType: "application/pdf",
  sha256: fileDigest(bytes),
  contentBase64: Buffer.from(bytes).toString("base64"),
});

/** The records of one subject, each linked to the one before; `data[i]` is record i's data. */
function subjectChain(subject: string, data: Array<Record<string, unknown>>, prev = ZERO_HASH): SealedRecord[] {
  const records: SealedRecord[] = [];
  for (const [seq, fields] of data.entries()) {
    const record = sealRecord({
      header: {
        v: 1,
        id: randomUUID(),
        kind: ["contract.signed", "milestone.delivered", "milestone.accepted"][seq % 3],
        subject,
        seq,
        prev: seq === 0 ? prev : records[seq - 1].commitment,
        recordedAt: new Date().toISOString(),
      },
      data: fields,
    });
    records.push(record);
  }
  return records;
}

type Anchor = EvidenceCertificate["anchor"];

/** A plausible anchor that no chain holds: the offline checks never look at one. */
function fakeAnchor(blockNumber: number): Anchor {
  const [transactionHash, blockHash] = randomCommitments(2);
  return {
    chainId: "31337",
    registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    transactionHash,
    blockNumber,
    blockHash,
    blockTime: 1_770_000_000 + blockNumber,
  };
}

/** Certificates of `records`, anchored as the batches given (each a list of indexes into `records`). */
function certify(
  records: SealedRecord[],
  batches: Array<{ members: number[]; anchor: Anchor }>,
): EvidenceCertificate[] {
  const certificates: EvidenceCertificate[] = [];
  for (const { members, anchor } of batches) {
    const tree = buildMerkleTree(members.map((i) => records[i].commitment));
    for (const [leaf, i] of members.entries()) {
      certificates[i] = buildCertificate({
        record: records[i],
        merkle: { root: tree.root, proof: tree.proof(leaf) },
        // Each its own copy, as when parsed from JSON: structuredClone keeps shared objects shared.
        anchor: { ...anchor },
      });
    }
  }
  return certificates;
}

/** Three records of SUBJECT: a contract with its file, a delivery, an acceptance with its report. */
function threeRecords(): SealedRecord[] {
  return subjectChain(SUBJECT, [
    { price: 1_200_000, currency: "CNY", [FILES_FIELD]: [descriptor("contract.pdf", contract)] },
    { milestone: 1, knowHow: "退火温度 450 °C" },
    { milestone: 1, accepted: true, [FILES_FIELD]: [descriptor("acceptance.pdf", acceptance)] },
  ]);
}

function dossierOf(
  records: SealedRecord[],
  certificates: EvidenceCertificate[],
  overrides: Partial<DisputeDossier> = {},
): DisputeDossier {
  return {
    format: DOSSIER_FORMAT,
    issuedAt: new Date().toISOString(),
    subject: SUBJECT,
    dispute: { id: "dsp_01", raisedBy: "licensee", claim: "milestone 1 not delivered" },
    certificates,
    pendingRecords: 0,
    documents: [document(records[0], "contract.pdf", contract), document(records[2], "acceptance.pdf", acceptance)],
    ...overrides,
  };
}

describe("verifyDossierOffline", () => {
  let records: SealedRecord[];
  let certificates: EvidenceCertificate[];
  let valid: DisputeDossier;

  beforeAll(() => {
    records = threeRecords();
    // Records 0 and 1 went out in one batch, record 2 in a later one.
    certificates = certify(records, [
      { members: [0, 1], anchor: fakeAnchor(10) },
      { members: [2], anchor: fakeAnchor(14) },
    ]);
    valid = dossierOf(records, certificates);
  });

  const copy = () => structuredClone(valid);

  it("accepts a complete dossier and lists its distinct anchors", () => {
    const result = verifyDossierOffline(valid);
    expect(result.valid).toBe(true);
    expect(result.code).toBeUndefined();
    expect(result.records).toBe(3);
    expect(result.documents).toBe(2);
    expect(result.subject).toBe(SUBJECT);
    expect(result.anchors.map((a) => [a.root, a.blockNumber])).toEqual([
      [certificates[0].merkle.root, 10],
      [certificates[2].merkle.root, 14],
    ]);
    expect(result.checks.map((c) => c.name)).toEqual([
      "format",
      "certificates",
      "subject",
      "sequence",
      "anchors",
      "documents",
    ]);
    expect(result.checks.every((c) => c.ok)).toBe(true);
  });

  it("accepts certificates that withhold fields other than the files of its documents", () => {
    const dossier = copy();
    dossier.certificates[1] = buildCertificate({
      record: records[1],
      merkle: certificates[1].merkle,
      anchor: certificates[1].anchor,
      disclose: ["milestone"],
    });
    expect(dossier.certificates[1].record.fields.knowHow).not.toHaveProperty("value");
    expect(verifyDossierOffline(dossier).valid).toBe(true);
  });

  it("accepts a dossier of a subject with nothing anchored yet", () => {
    const result = verifyDossierOffline(dossierOf(records, [], { documents: [], pendingRecords: 3 }));
    expect(result).toMatchObject({ valid: true, records: 0, documents: 0, anchors: [], pendingRecords: 3 });
  });

  it("says INCOMPLETE, naming the seq, when a middle certificate is dropped", () => {
    const dossier = copy();
    dossier.certificates.splice(1, 1);
    const result = verifyDossierOffline(dossier);
    expect(result.valid).toBe(false);
    expect(result.code).toBe("INCOMPLETE");
    expect(result.reason).toMatch(/seq 1 of the subject is missing/);
  });

  it("says INCOMPLETE when the chain does not start at seq 0", () => {
    const dossier = copy();
    dossier.certificates.shift();
    dossier.documents.shift();
    const result = verifyDossierOffline(dossier);
    expect(result.code).toBe("INCOMPLETE");
    expect(result.reason).toMatch(/seq 0 of the subject is missing/);
  });

  it("says INCOMPLETE when the certificates are reordered", () => {
    const dossier = copy();
    dossier.certificates = [certificates[0], certificates[2], certificates[1]];
    const result = verifyDossierOffline(dossier);
    expect(result.code).toBe("INCOMPLETE");
    expect(result.reason).toMatch(/out of order: position 1 holds seq 2, seq 1 comes at position 2/);
  });

  it("says WRONG_SUBJECT for a valid certificate of another subject", () => {
    const other = subjectChain("deal:deal_cd34", [{ a: 1 }, { b: 2 }]);
    const [, foreign] = certify(other, [{ members: [0, 1], anchor: fakeAnchor(11) }]);
    const dossier = copy();
    dossier.certificates[1] = foreign;
    const result = verifyDossierOffline(dossier);
    expect(result.code).toBe("WRONG_SUBJECT");
    expect(result.reason).toContain("deal:deal_cd34");
  });

  it("says CHAIN_BROKEN for a valid certificate of the same seq from another history", () => {
    // Another record 1 of the subject, linked to record 0: record 2 does not follow it.
    const [, substitute] = subjectChain(SUBJECT, [{}, { milestone: 1, knowHow: "退火温度 300 °C" }]);
    const forked = sealRecord({
      header: { ...substitute.header, prev: records[0].commitment },
      data: substitute.data,
    });
    const dossier = copy();
    [dossier.certificates[1]] = certify([forked], [{ members: [0], anchor: fakeAnchor(12) }]);
    const result = verifyDossierOffline(dossier);
    expect(result.code).toBe("CHAIN_BROKEN");
    expect(result.reason).toMatch(/seq 2 does not follow seq 1/);
  });

  it("says CHAIN_BROKEN when seq 0 names a previous record", () => {
    const [late] = subjectChain(SUBJECT, [{ a: 1 }], records[2].commitment);
    const dossier = dossierOf(records, certify([late], [{ members: [0], anchor: fakeAnchor(20) }]), {
      documents: [],
    });
    expect(verifyDossierOffline(dossier).code).toBe("CHAIN_BROKEN");
  });

  it("says CERTIFICATE_INVALID, naming the seq and the inner reason, for a tampered certificate", () => {
    const dossier = copy();
    (dossier.certificates[1].record.fields.knowHow as { value: string }).value = "退火温度 460 °C";
    const result = verifyDossierOffline(dossier);
    expect(result.code).toBe("CERTIFICATE_INVALID");
    expect(result.reason).toMatch(/seq 1 .*FIELD_MISMATCH.*knowHow/);
  });

  it("says ANCHOR_MISMATCH when certificates of one root state different anchors", () => {
    const dossier = copy();
    dossier.certificates[1].anchor.blockNumber += 1;
    const result = verifyDossierOffline(dossier);
    expect(result.code).toBe("ANCHOR_MISMATCH");
    expect(result.reason).toContain(certificates[1].merkle.root);
  });

  it("says DOCUMENT_MISMATCH when a byte of a document was changed", () => {
    const dossier = copy();
    const altered = contract.slice();
    altered[7] ^= 1;
    dossier.documents[0].contentBase64 = Buffer.from(altered).toString("base64");
    const result = verifyDossierOffline(dossier);
    expect(result.code).toBe("DOCUMENT_MISMATCH");
    expect(result.reason).toContain(`content has SHA-256 ${fileDigest(altered)}`);
  });

  it("says DOCUMENT_MISMATCH when a document's record is not in the dossier", () => {
    // A valid prefix of the subject (record 2 still pending) that kept record 2's document.
    const dossier = copy();
    dossier.certificates.pop();
    dossier.pendingRecords = 1;
    const result = verifyDossierOffline(dossier);
    expect(result.code).toBe("DOCUMENT_MISMATCH");
    expect(result.reason).toContain(`record ${records[2].header.id} is not in the dossier`);
  });

  it("says DOCUMENT_MISMATCH when the document's record withholds its files", () => {
    const dossier = copy();
    dossier.certificates[0] = buildCertificate({
      record: records[0],
      merkle: certificates[0].merkle,
      anchor: certificates[0].anchor,
      disclose: ["price", "currency"],
    });
    const result = verifyDossierOffline(dossier);
    expect(result.code).toBe("DOCUMENT_MISMATCH");
    expect(result.reason).toMatch(/does not disclose its files/);
  });

  it("says DOCUMENT_MISMATCH when the document claims a digest or name its record does not list", () => {
    const moved = copy();
    moved.documents[1].recordId = records[0].header.id; // the acceptance report, claimed for the contract record
    expect(verifyDossierOffline(moved).code).toBe("DOCUMENT_MISMATCH");
    const renamed = copy();
    renamed.documents[0].name = "contract-final.pdf";
    expect(verifyDossierOffline(renamed).code).toBe("DOCUMENT_MISMATCH");
    const swapped = copy();
    swapped.documents[0].sha256 = fileDigest(acceptance);
    swapped.documents[0].contentBase64 = Buffer.from(acceptance).toString("base64");
    expect(verifyDossierOffline(swapped).code).toBe("DOCUMENT_MISMATCH");
  });

  it("treats anything that is not a dossier as malformed", () => {
    const extraKey = { ...copy(), verified: true };
    const badBase64 = copy();
    badBase64.documents[0].contentBase64 = "not base64!";
    const negativePending = { ...copy(), pendingRecords: -1 };
    const malformedCertificate = copy();
    (malformedCertificate.certificates[2] as { commitment: string }).commitment = "0x12";
    for (const input of [
      undefined,
      null,
      42,
      "text",
      [],
      {},
      { format: DOSSIER_FORMAT },
      { ...copy(), format: "tech-transfer-ledger/dispute-dossier@2" },
      certificates[0],
      extraKey,
      badBase64,
      negativePending,
      malformedCertificate,
    ]) {
      const result = verifyDossierOffline(input);
      expect(result).toMatchObject({ valid: false, code: "MALFORMED", records: 0, documents: 0, anchors: [] });
      expect(result.reason).toMatch(/^not a dispute dossier: /);
    }
  });
});

describe("verifyDossier", () => {
  let records: SealedRecord[];
  let dossier: DisputeDossier;
  const provider = () => ethers.provider;

  /** Anchors `members` of `records` as one batch in `registry`, as the gateway does. */
  async function anchorBatch(
    registry: Awaited<ReturnType<typeof deployRegistry>>,
    members: number[],
  ): Promise<{ members: number[]; anchor: Anchor }> {
    const tree = buildMerkleTree(members.map((i) => records[i].commitment));
    const receipt = (await (await registry.anchorBatch(tree.root, members.length, { gasPrice: 0 })).wait())!;
    const block = (await ethers.provider.getBlock(receipt.blockNumber))!;
    return {
      members,
      anchor: {
        chainId: (await ethers.provider.getNetwork()).chainId.toString(),
        registry: await registry.getAddress(),
        transactionHash: receipt.hash,
        blockNumber: receipt.blockNumber,
        blockHash: block.hash!,
        blockTime: block.timestamp,
      },
    };
  }

  async function deployRegistry() {
    const [admin] = await ethers.getSigners();
    const factory = await ethers.getContractFactory("EvidenceRegistry");
    return factory.deploy(admin.address, admin.address);
  }

  beforeAll(async () => {
    records = threeRecords();
    const registry = await deployRegistry();
    const batches = [await anchorBatch(registry, [0, 1]), await anchorBatch(registry, [2])];
    dossier = dossierOf(records, certify(records, batches), { pendingRecords: 2 });
  });

  it("accepts an anchored dossier, checking each distinct anchor once", async () => {
    const result = await verifyDossier({ dossier, provider: provider() });
    expect(result.valid).toBe(true);
    expect(result.anchors).toHaveLength(2);
    expect(result.checks.filter((c) => c.name === "anchor")).toHaveLength(2);
    expect(result.pendingRecords).toBe(2);
  });

  it("keeps the certificate verifier's code when an anchor is forged", async () => {
    const forged = structuredClone(dossier);
    for (const certificate of forged.certificates.slice(0, 2)) certificate.anchor.blockTime -= 3600;
    const result = await verifyDossier({ dossier: forged, provider: provider() });
    expect(result.code).toBe("ANCHOR_MISMATCH");
    expect(result.reason).toContain(`the anchor of root ${dossier.certificates[0].merkle.root} (seq 0, 1)`);
  });

  it("says ROOT_NOT_ANCHORED for a dossier whose last batch never reached the chain", async () => {
    const unanchored = structuredClone(dossier);
    [, , unanchored.certificates[2]] = certify(records, [
      { members: [2, 1], anchor: dossier.certificates[2].anchor }, // another tree, so another root
    ]);
    expect((await verifyDossier({ dossier: unanchored, provider: provider() })).code).toBe("ROOT_NOT_ANCHORED");
  });

  it("says the chain is unavailable rather than invalid when the endpoint is down", async () => {
    const result = await verifyDossier({ dossier, rpcUrl: "http://127.0.0.1:9" });
    expect(result.valid).toBe(false);
    expect(result.code).toBe("CHAIN_UNAVAILABLE");
  });

  it("does not ask the chain about a dossier that fails offline", async () => {
    const broken = structuredClone(dossier);
    broken.certificates.splice(1, 1);
    expect((await verifyDossier({ dossier: broken, rpcUrl: "http://127.0.0.1:9" })).code).toBe("INCOMPLETE");
  });
});
