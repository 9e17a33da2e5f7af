import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  buildCertificate,
  buildMerkleTree,
  DOSSIER_FORMAT,
  fileDigest,
  FILES_FIELD,
  sealRecord,
  statementDigest,
  summarizeDispute,
  verifyDossierOffline,
  ZERO_HASH,
  type DisputeDossier,
  type SealedRecord,
} from "../../../sdk";
import { randomCommitments } from "../../helpers/records";

const SUBJECT = "deal:deal_dl01";
const CIPHERTEXT = new TextEncoder().encode("age-encryption.org/v1\n(stands in for the delivered ciphertext)");
const RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const [DELIVERY_TX, DISPUTE_TX, CHAIN_DEAL] = randomCommitments(3);

/** One delivery as the gateway records it: the move with its statement and file, then the escrow's events. */
function deliveryRecords(change: { statementText?: string; eventDigest?: string; signedDigest?: string } = {}) {
  const statement = {
    text: "Process package v1.0, encrypted to the demander",
    files: [{ name: "package.age", sha256: fileDigest(CIPHERTEXT), recipients: [RECIPIENT] }],
    records: [],
  };
  const digest = statementDigest(statement);
  const data: Array<[string, Record<string, unknown>]> = [
    [
      "escrow.move",
      {
        dealId: "deal_dl01",
        milestone: 0,
        move: "deliver",
        signedAction: { data: change.signedDigest ?? digest },
        statement: { ...statement, text: change.statementText ?? statement.text },
        transactionHash: DELIVERY_TX,
        [FILES_FIELD]: [
          {
            name: "package.age",
            mediaType: "application/octet-stream",
            size: CIPHERTEXT.length,
            sha256: fileDigest(CIPHERTEXT),
          },
        ],
      },
    ],
    [
      "escrow.event",
      {
        event: "DeliverySubmitted",
        dealId: "deal_dl01",
        milestone: 0,
        args: {
          dealId: CHAIN_DEAL,
          milestone: "0",
          deliveryDigest: change.eventDigest ?? digest,
          round: "0",
          inspectionEnds: "1770000000",
        },
        transactionHash: DELIVERY_TX,
        blockNumber: 8,
        logIndex: 0,
        blockTime: "2026-11-29T09:00:00.000Z",
      },
    ],
    [
      "escrow.event",
      {
        event: "DisputeOpened",
        dealId: "deal_dl01",
        milestone: 0,
        args: {
          dealId: CHAIN_DEAL,
          milestone: "0",
          by: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
          reasonDigest: digest,
        },
        transactionHash: DISPUTE_TX,
        blockNumber: 9,
        logIndex: 0,
        blockTime: "2026-11-29T10:00:00.000Z",
      },
    ],
  ];
  const records: SealedRecord[] = [];
  for (const [seq, [kind, fields]] of data.entries()) {
    records.push(
      sealRecord({
        header: {
          v: 1,
          id: randomUUID(),
          kind,
          subject: SUBJECT,
          seq,
          prev: seq === 0 ? ZERO_HASH : records[seq - 1].commitment,
          recordedAt: new Date().toISOString(),
        },
        data: fields,
      }),
    );
  }
  return records;
}

function dossierOf(records: SealedRecord[]): DisputeDossier {
  const tree = buildMerkleTree(records.map((r) => r.commitment));
  const [transactionHash, blockHash] = randomCommitments(2);
  const anchor = {
    chainId: "31337",
    registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    transactionHash,
    blockNumber: 12,
    blockHash,
    blockTime: 1_770_000_012,
  };
  return {
    format: DOSSIER_FORMAT,
    issuedAt: new Date().toISOString(),
    subject: SUBJECT,
    dispute: summarizeDispute(records, 0)!,
    certificates: records.map((record, i) =>
      buildCertificate({ record, merkle: { root: tree.root, proof: tree.proof(i) }, anchor: { ...anchor } }),
    ),
    pendingRecords: 0,
    documents: [
      {
        recordId: records[0].header.id,
        name: "package.age",
        mediaType: "application/octet-stream",
        sha256: fileDigest(CIPHERTEXT),
        contentBase64: Buffer.from(CIPHERTEXT).toString("base64"),
      },
    ],
  };
}

describe("verifyDossierOffline: each delivery's on-chain digest is tied to its files", () => {
  it("recomputes the digest from the statement, the files' hashes and their recipients", () => {
    const result = verifyDossierOffline(dossierOf(deliveryRecords()));
    expect(result.valid, result.reason).toBe(true);
    expect(result.checks.find((c) => c.name === "deliveries")).toMatchObject({
      ok: true,
      detail: "1 delivery digest(s) recomputed from the statement and the files",
    });
  });

  it("refuses a DeliverySubmitted whose digest is not the statement's (DELIVERY_DIGEST_MISMATCH)", () => {
    const result = verifyDossierOffline(dossierOf(deliveryRecords({ eventDigest: randomCommitments(1)[0] })));
    expect([result.valid, result.code]).toEqual([false, "DELIVERY_DIGEST_MISMATCH"]);
    expect(result.reason).toContain("deliveryDigest");
  });

  it("refuses a delivery whose recorded statement is not what was signed and anchored on chain", () => {
    const result = verifyDossierOffline(dossierOf(deliveryRecords({ statementText: "Some other package" })));
    expect([result.valid, result.code]).toEqual([false, "DELIVERY_DIGEST_MISMATCH"]);
  });

  it("refuses a delivery whose signed data differs from the escrow's digest", () => {
    const result = verifyDossierOffline(dossierOf(deliveryRecords({ signedDigest: randomCommitments(1)[0] })));
    expect([result.valid, result.code]).toEqual([false, "DELIVERY_DIGEST_MISMATCH"]);
  });
});
