import { randomUUID } from "node:crypto";
import hre from "hardhat";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildCertificate,
  buildMerkleTree,
  DOSSIER_FORMAT,
  fileDigest,
  FILES_FIELD,
  RECEIPT_FORMAT,
  RECEIPT_TYPES,
  receiptDomain,
  sealRecord,
  summarizeDispute,
  trustAnchorOf,
  verifyDossier,
  verifyDossierOffline,
  verifyReceipts,
  ZERO_HASH,
  type DisputeDossier,
  type EvidenceCertificate,
  type EvidenceReceipt,
  type SealedRecord,
  type TrustAnchor,
} from "../../../sdk";
import { Wallet } from "ethers";
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

const KINDS = ["contract.signed", "escrow.event", "negotiation.recorded"];

/** The records of one subject, each linked to the one before; `data[i]` is record i's data. */
function subjectChain(subject: string, data: Array<Record<string, unknown>>, prev = ZERO_HASH): SealedRecord[] {
  const records: SealedRecord[] = [];
  for (const [seq, fields] of data.entries()) {
    const record = sealRecord({
      header: {
        v: 1,
        id: randomUUID(),
        kind: KINDS[seq % 3],
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

const DISPUTE_ID = "deal_ab12.m0";

/**
 * Three records of SUBJECT: a contract with its file, the escrow's DisputeOpened
 * event as the gateway records it, and a negotiation message with its report.
 */
function threeRecords(): SealedRecord[] {
  return subjectChain(SUBJECT, [
    { price: 1_200_000, currency: "CNY", [FILES_FIELD]: [descriptor("contract.pdf", contract)] },
    {
      event: "DisputeOpened",
      dealId: "deal_ab12",
      milestone: 0,
      args: {
        dealId: randomCommitments(1)[0],
        milestone: "0",
        by: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        reasonDigest: randomCommitments(1)[0],
      },
      transactionHash: randomCommitments(1)[0],
      blockNumber: 9,
      logIndex: 0,
      blockTime: "2026-11-29T10:00:00.000Z",
      knowHow: "退火温度 450 °C",
    },
    {
      dispute: DISPUTE_ID,
      milestone: 0,
      text: "验收报告附后 · the acceptance report is attached",
      [FILES_FIELD]: [descriptor("acceptance.pdf", acceptance)],
    },
  ]);
}

/** The dispute summary the records give, as the gateway puts it in a dossier. */
function summaryOf(records: SealedRecord[]): DisputeDossier["dispute"] {
  return summarizeDispute(records, 0)!;
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
    dispute: summaryOf(records.slice(0, certificates.length)),
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
      "dispute",
    ]);
    expect(result.checks.every((c) => c.ok)).toBe(true);
    expect(result).toMatchObject({ verdict: "UNVERIFIED", dispute: { id: DISPUTE_ID, status: "open" } });
    expect(result.dispute!.recordIds).toEqual([records[1].header.id, records[2].header.id]);
  });

  it("says FIELD_WITHHELD for a certificate that withholds a field", () => {
    const dossier = copy();
    dossier.certificates[1] = buildCertificate({
      record: records[1],
      merkle: certificates[1].merkle,
      anchor: certificates[1].anchor,
      disclose: Object.keys(records[1].data).filter((name) => name !== "knowHow"),
    });
    const result = verifyDossierOffline(dossier);
    expect(result).toMatchObject({ verdict: "INVALID", code: "FIELD_WITHHELD" });
    expect(result.reason).toMatch(/seq 1 withholds field "knowHow"/);
  });

  it("says EMPTY for a dossier with no record", () => {
    const result = verifyDossierOffline({
      ...dossierOf(records, certificates),
      certificates: [],
      documents: [],
      pendingRecords: 3,
    });
    expect(result).toMatchObject({ verdict: "INVALID", code: "EMPTY", records: 0 });
  });

  it("says DOCUMENT_MISSING when a file a record commits to is not in the dossier", () => {
    const dossier = copy();
    dossier.documents.splice(1, 1);
    const result = verifyDossierOffline(dossier);
    expect(result.code).toBe("DOCUMENT_MISSING");
    expect(result.reason).toContain(`"acceptance.pdf" (SHA-256 ${fileDigest(acceptance)}) of seq 2`);
  });

  it("says SUMMARY_MISMATCH when the dispute summary is not what the records say", () => {
    const ruled = copy();
    Object.assign(ruled.dispute, {
      status: "final",
      ruling: { release: "1200000", refund: "0", digest: ZERO_HASH, at: "2026-11-29T11:00:00.000Z", final: true },
    });
    const result = verifyDossierOffline(ruled);
    expect(result.code).toBe("SUMMARY_MISMATCH");
    expect(result.reason).toMatch(/\(status, ruling\)/);
    const elsewhere = copy();
    elsewhere.dispute.milestone = 3;
    expect(verifyDossierOffline(elsewhere)).toMatchObject({ code: "SUMMARY_MISMATCH" });
    expect(verifyDossierOffline(elsewhere).reason).toMatch(/no record opens a dispute on milestone 3/);
  });

  it("refuses a file that names a member twice", () => {
    const text = JSON.stringify(valid).replace('"subject":', '"subject":"deal:other","subject":');
    expect(verifyDossierOffline(text)).toMatchObject({ code: "MALFORMED" });
    expect(verifyDossierOffline(text).reason).toMatch(/duplicate member name "subject"/);
    expect(verifyDossierOffline(JSON.stringify(valid)).valid).toBe(true);
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
      dispute: summaryOf(records),
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

  it("says FIELD_WITHHELD when the document's record withholds its files", () => {
    const dossier = copy();
    dossier.certificates[0] = buildCertificate({
      record: records[0],
      merkle: certificates[0].merkle,
      anchor: certificates[0].anchor,
      disclose: ["price", "currency"],
    });
    const result = verifyDossierOffline(dossier);
    expect(result.code).toBe("FIELD_WITHHELD");
    expect(result.reason).toMatch(/withholds field "\$files"/);
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
  let trust: TrustAnchor;
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
    trust = trustAnchorOf({
      chainId: (await ethers.provider.getNetwork()).chainId,
      registry: await registry.getAddress(),
    });
  });

  it("accepts an anchored dossier, checking each distinct anchor once", async () => {
    const result = await verifyDossier({ dossier, provider: provider(), trust });
    expect(result.verdict).toBe("VALID");
    expect(result.valid).toBe(true);
    expect(result.anchors).toHaveLength(2);
    expect(result.checks.filter((c) => c.name === "anchor")).toHaveLength(2);
    expect(result.pendingRecords).toBe(2);
  });

  it("keeps the certificate verifier's code when an anchor is forged", async () => {
    const forged = structuredClone(dossier);
    for (const certificate of forged.certificates.slice(0, 2)) certificate.anchor.blockTime -= 3600;
    const result = await verifyDossier({ dossier: forged, provider: provider(), trust });
    expect(result.code).toBe("ANCHOR_MISMATCH");
    expect(result.reason).toContain(`the anchor of root ${dossier.certificates[0].merkle.root} (seq 0, 1)`);
  });

  it("says ROOT_NOT_ANCHORED for a dossier whose last batch never reached the chain", async () => {
    const unanchored = structuredClone(dossier);
    [, , unanchored.certificates[2]] = certify(records, [
      { members: [2, 1], anchor: dossier.certificates[2].anchor }, // another tree, so another root
    ]);
    expect((await verifyDossier({ dossier: unanchored, provider: provider(), trust })).code).toBe("ROOT_NOT_ANCHORED");
  });

  it("says the chain is unavailable rather than invalid when the endpoint is down", async () => {
    const result = await verifyDossier({ dossier, rpcUrl: "http://127.0.0.1:9", trust });
    expect(result.verdict).toBe("UNVERIFIED");
    expect(result.valid).toBe(false);
    expect(result.code).toBe("CHAIN_UNAVAILABLE");
  });

  it("does not ask the chain about a dossier that fails offline", async () => {
    const broken = structuredClone(dossier);
    broken.certificates.splice(1, 1);
    expect((await verifyDossier({ dossier: broken, rpcUrl: "http://127.0.0.1:9", trust })).code).toBe("INCOMPLETE");
  });

  it("says REGISTRY_NOT_TRUSTED for a dossier whose records are anchored in a registry the reader did not choose", async () => {
    const lookAlike = await deployRegistry();
    const forged = dossierOf(records, certify(records, [await anchorBatch(lookAlike, [0, 1, 2])]));
    const result = await verifyDossier({ dossier: forged, provider: provider(), trust });
    expect(result).toMatchObject({ verdict: "INVALID", code: "REGISTRY_NOT_TRUSTED" });
  });

  describe("with receipts", () => {
    const gateway = Wallet.createRandom();
    let receipts: EvidenceReceipt[];
    let withSigner: TrustAnchor;

    beforeAll(async () => {
      withSigner = { ...trust, receiptSigners: [gateway.address] };
      receipts = await Promise.all(
        records.map(async ({ header, commitment }) => {
          const fields = { recordId: header.id, subject: header.subject, seq: header.seq, commitment };
          return {
            format: RECEIPT_FORMAT,
            chainId: trust.chainId,
            ...fields,
            signer: gateway.address,
            signature: await gateway.signTypedData(receiptDomain(trust.chainId), RECEIPT_TYPES, fields),
          } as EvidenceReceipt;
        }),
      );
    });

    it("accepts a dossier that holds every record a receipt proves", async () => {
      const checked = verifyReceipts(receipts, withSigner);
      const result = await verifyDossier({ dossier, provider: provider(), trust: withSigner, receipts: checked });
      expect(result).toMatchObject({ verdict: "VALID", receipts: 3 });
    });

    it("says RECORD_MISSING for a dossier cut short at the end", () => {
      const cut = { ...structuredClone(dossier), documents: [dossier.documents[0]] };
      cut.certificates.pop();
      cut.dispute = summaryOf(records.slice(0, 2));
      expect(verifyDossierOffline(cut).valid).toBe(true); // without the receipt, nothing shows the cut
      const result = verifyDossierOffline(cut, { receipts: verifyReceipts(receipts, withSigner) });
      expect(result).toMatchObject({ verdict: "INVALID", code: "RECORD_MISSING" });
      expect(result.reason).toContain(`record ${records[2].header.id} at seq 2`);
    });

    it("says RECEIPT_MISMATCH when the dossier holds another record at a receipt's seq", () => {
      const other = { ...receipts[1], recordId: randomUUID() };
      const forgedReceipt = { ...other, signature: "" };
      // Re-signed by the gateway key: a genuine receipt for another record at seq 1.
      return gateway
        .signTypedData(receiptDomain(trust.chainId), RECEIPT_TYPES, {
          recordId: other.recordId,
          subject: other.subject,
          seq: other.seq,
          commitment: other.commitment,
        })
        .then((signature) => {
          const result = verifyDossierOffline(dossier, {
            receipts: verifyReceipts([{ ...forgedReceipt, signature }], withSigner),
          });
          expect(result.code).toBe("RECEIPT_MISMATCH");
        });
    });

    it("refuses receipts signed by a key the trust anchor does not name", async () => {
      expect(() => verifyReceipts(receipts, { ...trust, receiptSigners: [Wallet.createRandom().address] })).toThrow(
        /not a receipt signer of the trust anchor/,
      );
      const tampered = [{ ...receipts[0], seq: 7 }];
      expect(() => verifyReceipts(tampered, withSigner)).toThrow(/not signed by/);
    });
  });
});
