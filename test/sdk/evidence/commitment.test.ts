import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { AbiCoder, keccak256 } from "ethers";
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  fieldCommitment,
  leafHash,
  recordCommitment,
  sealRecord,
  ZERO_HASH,
  type RecordHeader,
} from "../../../sdk";
import vectorFile from "../../vectors/evidence.json";

interface Vector {
  header: RecordHeader;
  data: Record<string, unknown>;
  salts: Record<string, string>;
  fieldCommitments: Record<string, string>;
  commitment: string;
  leaf: string;
}
const vectors = vectorFile as unknown as { records: Vector[] };

const sha256 = (bytes: Buffer) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

describe("record commitments", () => {
  it("reproduces the golden vectors with the SDK", () => {
    for (const vector of vectors.records) {
      const sealed = sealRecord({ header: vector.header, data: vector.data, salts: vector.salts });
      expect(sealed.fieldCommitments).toEqual(vector.fieldCommitments);
      expect(sealed.commitment).toBe(vector.commitment);
      expect(leafHash(sealed.commitment)).toBe(vector.leaf);
    }
  });

  it("reproduces the golden vectors with nothing but SHA-256, RFC 8785 and keccak256", () => {
    for (const vector of vectors.records) {
      const fields: Record<string, string> = {};
      for (const [name, value] of Object.entries(vector.data)) {
        const salt = Buffer.from(vector.salts[name].slice(2), "hex");
        fields[name] = sha256(Buffer.concat([salt, Buffer.from(canonicalize([name, value])!, "utf8")]));
      }
      expect(fields).toEqual(vector.fieldCommitments);
      const commitment = sha256(Buffer.from(canonicalize({ header: vector.header, fields })!, "utf8"));
      expect(commitment).toBe(vector.commitment);
      const leaf = keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [commitment])));
      expect(leaf).toBe(vector.leaf);
    }
  });

  it("links the second vector record to the first", () => {
    expect(vectors.records[1].header.prev).toBe(vectors.records[0].commitment);
    expect(vectors.records[0].header.prev).toBe(ZERO_HASH);
  });

  it("gives a different commitment for another salt, another field name or another value", () => {
    const salt = `0x${"ab".repeat(32)}`;
    const base = fieldCommitment("price", 100, salt);
    expect(fieldCommitment("price", 100, `0x${"ac".repeat(32)}`)).not.toBe(base);
    expect(fieldCommitment("budget", 100, salt)).not.toBe(base);
    expect(fieldCommitment("price", 101, salt)).not.toBe(base);
    expect(fieldCommitment("price", "100", salt)).not.toBe(base);
  });

  it("does not depend on the order of keys in the data", () => {
    const salt = `0x${"01".repeat(32)}`;
    expect(fieldCommitment("terms", { a: 1, b: [2, { c: 3, d: 4 }] }, salt)).toBe(
      fieldCommitment("terms", { b: [2, { d: 4, c: 3 }], a: 1 }, salt),
    );
  });

  it("draws a fresh 32-byte salt for every field", () => {
    const header = vectors.records[0].header as RecordHeader;
    const a = sealRecord({ header, data: { yes: true, no: false } });
    const b = sealRecord({ header, data: { yes: true, no: false } });
    expect(a.salts.yes).toMatch(/^0x[0-9a-f]{64}$/);
    expect(new Set([a.salts.yes, a.salts.no, b.salts.yes, b.salts.no]).size).toBe(4);
    expect(a.commitment).not.toBe(b.commitment);
  });

  it("refuses values JSON cannot carry faithfully", () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalJson({ x: 2 ** 60 })).toThrow(/2\^53/);
    expect(() => canonicalJson({ x: undefined })).toThrow(/JSON/);
    expect(() => canonicalJson({ x: new Date() })).toThrow(/JSON/);
    expect(() => fieldCommitment("x", 1, "0x1234")).toThrow(/32 bytes/);
  });

  it("commits to the header: changing the subject, sequence or link changes the record commitment", () => {
    const vector = vectors.records[1];
    const header = vector.header as RecordHeader;
    const fields = vector.fieldCommitments;
    expect(recordCommitment(header, fields)).toBe(vector.commitment);
    expect(recordCommitment({ ...header, subject: "deal:other" }, fields)).not.toBe(vector.commitment);
    expect(recordCommitment({ ...header, seq: 2 }, fields)).not.toBe(vector.commitment);
    expect(recordCommitment({ ...header, prev: ZERO_HASH }, fields)).not.toBe(vector.commitment);
  });
});
