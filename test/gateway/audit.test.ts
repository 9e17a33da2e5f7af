import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonRpcProvider } from "ethers";
import { connectRegistry, sealRecord, type SealedRecord } from "../../sdk";
import { auditStore } from "../../gateway/evidence/audit";
import { subjectKey } from "../../gateway/evidence/repository";
import { client, eventually, startTestPlatform, type TestPlatform } from "../helpers/platform";

describe("integrity audit", () => {
  let t: TestPlatform;
  let ids: string[];
  const audit = () => {
    const registry = connectRegistry(t.deployment.registry, new JsonRpcProvider(t.chain.rpcUrl));
    return auditStore(t.platform.tables.evidence, { registry });
  };

  beforeAll(async () => {
    t = await startTestPlatform({ anchoring: { maxRecords: 8 } });
    // The escrow's deployment granted five roles (admin, pauser, bank, operator, arbitration body); the gateway
    // records them on the escrow's subject first.
    await t.platform.escrowEvents.catchUp();
    const api = client(t.url, t.token);
    ids = [];
    for (let i = 0; i < 12; i++) {
      const subject = i < 6 ? "deal:audit-a" : "deal:audit-b";
      const posted = await api("POST", "/v1/evidence", {
        kind: "escrow.event",
        subject,
        data: { amount: 1000 * i, currency: "CNY" },
      });
      ids.push(posted.body.id);
    }
    await eventually(async () =>
      (await api("GET", `/v1/evidence/${ids[11]}`)).body.status === "anchored" ? true : undefined,
    );
    await t.platform.anchorer.stop();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("finds nothing wrong in an untouched store", async () => {
    const report = await audit();
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ records: 17, anchoredRecords: 17, waitingRecords: 0, subjects: 3 });
    expect(report.batches).toBeGreaterThanOrEqual(2);
  });

  it("names a record whose value was altered afterwards", async () => {
    const original = (await t.platform.tables.evidence.records.get(ids[2]))!;
    await t.platform.tables.evidence.records.put(ids[2], { ...original, data: { ...original.data, amount: 999_999 } });
    try {
      const { findings } = await audit();
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.every((f) => f.recordId === ids[2] || f.root !== undefined)).toBe(true);
      expect(findings[0]).toMatchObject({ kind: "altered", recordId: ids[2] });
      expect(findings[0].detail).toContain("amount");
    } finally {
      await t.platform.tables.evidence.records.put(ids[2], original);
    }
  });

  it("names a record altered together with its commitment", async () => {
    const original = (await t.platform.tables.evidence.records.get(ids[7]))!;
    const forged = sealRecord({
      header: original.header,
      data: { ...original.data, amount: 1 },
      salts: original.salts,
    });
    await t.platform.tables.evidence.records.put(ids[7], forged);
    try {
      const { findings } = await audit();
      expect(findings.some((f) => f.kind === "altered" && f.recordId === ids[7])).toBe(true);
    } finally {
      await t.platform.tables.evidence.records.put(ids[7], original);
    }
  });

  it("names a record that was removed", async () => {
    const original = (await t.platform.tables.evidence.records.get(ids[4]))!;
    await t.platform.tables.evidence.records.del(ids[4]);
    try {
      const { findings } = await audit();
      expect(findings.some((f) => f.kind === "removed" && f.recordId === ids[4])).toBe(true);
    } finally {
      await t.platform.tables.evidence.records.put(ids[4], original);
    }
  });

  it("names a record that was added afterwards", async () => {
    const last = (await t.platform.tables.evidence.records.get(ids[11]))!;
    const added: SealedRecord = sealRecord({
      header: {
        ...last.header,
        id: "00000000-0000-4000-8000-0000000000ad",
        seq: last.header.seq + 1,
        prev: last.commitment,
      },
      data: { amount: 1, currency: "CNY" },
    });
    await t.platform.tables.evidence.records.put(added.header.id, added);
    await t.platform.tables.evidence.subjects.put(subjectKey(added.header.subject, added.header.seq), added.header.id);
    try {
      const { findings } = await audit();
      expect(findings).toEqual([expect.objectContaining({ kind: "added", recordId: added.header.id })]);
    } finally {
      await t.platform.tables.evidence.records.del(added.header.id);
      await t.platform.tables.evidence.subjects.del(subjectKey(added.header.subject, added.header.seq));
    }
  });

  it("names a whole batch that the store lost but the chain holds", async () => {
    const [root] = await t.platform.tables.evidence.batches.keys({ limit: 1 }).all();
    const batch = (await t.platform.tables.evidence.batches.get(root))!;
    await t.platform.tables.evidence.batches.del(root);
    try {
      const { findings } = await audit();
      expect(findings.some((f) => f.kind === "removed" && f.root === root)).toBe(true);
      expect(findings.some((f) => f.kind === "added" && batch.ids.includes(f.recordId!))).toBe(true);
    } finally {
      await t.platform.tables.evidence.batches.put(root, batch);
    }
    expect((await audit()).findings).toEqual([]);
  });
});
