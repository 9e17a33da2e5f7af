import { describe, expect, it } from "vitest";
import { EvidenceThread } from "../../../gateway/evidence/evidenceThread";
import { fieldCommitment, recordCommitment, sealFields, sealRecord } from "../../../sdk";
import { eventually } from "../../helpers/platform";

describe("the evidence thread", () => {
  it("seals fields on its thread as sealFields does here: each commitment recomputes from its salt", async () => {
    const thread = EvidenceThread.forProcess();
    await eventually(async () => thread.threaded || undefined);
    const records = Array.from({ length: 30 }, (_, n) => ({
      amount: 100_000 + n,
      payer: "云南光伏科技有限公司",
      constructor: "a field named like Object's",
      nested: { list: [1, "two", { three: null }], deep: { n } },
    }));
    let sealedHere = 0;
    const sealed = await Promise.all(
      records.map((data) =>
        thread.sealFields(data, () => {
          sealedHere++;
          return sealFields(data);
        }),
      ),
    );
    expect(sealedHere).toBe(0);
    sealed.forEach((fields, i) => {
      for (const [name, value] of Object.entries(records[i])) {
        expect(fields.fieldCommitments[name]).toBe(fieldCommitment(name, value, fields.salts[name]));
      }
      // The record sealed from them is the record the SDK seals with the same salts.
      const header = {
        v: 1 as const,
        id: `id-${i}`,
        kind: "k",
        subject: "s",
        seq: i,
        prev: `0x${"00".repeat(32)}`,
        recordedAt: "t",
      };
      const record = sealRecord({ header, data: records[i], fields });
      expect(record.commitment).toBe(recordCommitment(header, fields.fieldCommitments));
      expect(record).toEqual(sealRecord({ header, data: records[i], salts: fields.salts }));
    });
    // Fresh salts every time.
    expect(new Set(sealed.map((fields) => fields.salts.amount)).size).toBe(records.length);
  });

  it("does the work here when told to, with the same results", async () => {
    const here = EvidenceThread.here();
    expect(here.threaded).toBe(false);
    const fields = await here.sealFields({ a: 1 }, () => sealFields({ a: 1 }));
    expect(fields.fieldCommitments.a).toBe(fieldCommitment("a", 1, fields.salts.a));
  });
});
