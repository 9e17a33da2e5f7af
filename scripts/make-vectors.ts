// Regenerates test/vectors/evidence.json from fixed inputs. The vectors pin the
// hash formats: a change here that is not a deliberate format change is a bug.
// Usage: npx tsx scripts/make-vectors.ts
import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildMerkleTree, leafHash, sealRecord, ZERO_HASH, type RecordHeader } from "../sdk";

const salt = (byte: string) => `0x${byte.repeat(32)}`;
const header: RecordHeader = {
  v: 1,
  id: "00000000-0000-4000-8000-000000000001",
  kind: "contract.signed",
  subject: "deal:vector",
  seq: 0,
  prev: ZERO_HASH,
  recordedAt: "2026-01-01T00:00:00.000Z",
};
const data = {
  title: "光伏组件回收技术 / PV module recycling",
  price: 1200000,
  currency: "CNY",
  terms: { milestones: [{ amount: 400000 }, { amount: 800000 }], exclusive: true, note: null },
};
const salts = { title: salt("11"), price: salt("22"), currency: salt("33"), terms: salt("44") };
const record = sealRecord({ header, data, salts });
const second = sealRecord({
  header: {
    ...header,
    id: "00000000-0000-4000-8000-000000000002",
    seq: 1,
    prev: record.commitment,
    kind: "escrow.event",
  },
  data: { amount: 400000, currency: "CNY", event: "deposit.locked" },
  salts: { amount: salt("55"), currency: salt("66"), event: salt("77") },
});
const tree = buildMerkleTree([record.commitment, second.commitment]);
const vectors = {
  description: "Golden vectors of the record, commitment and Merkle formats (docs/CERTIFICATE.md).",
  records: [record, second].map((r) => ({
    header: r.header,
    data: r.data,
    salts: r.salts,
    fieldCommitments: r.fieldCommitments,
    commitment: r.commitment,
    leaf: leafHash(r.commitment),
  })),
  merkle: { root: tree.root, proofs: [tree.proof(0), tree.proof(1)] },
};
writeFileSync(path.join(__dirname, "..", "test", "vectors", "evidence.json"), `${JSON.stringify(vectors, null, 2)}\n`);
console.log("wrote test/vectors/evidence.json");
