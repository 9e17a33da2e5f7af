import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { JsonRpcProvider } from "ethers";
import { connectRegistry, verifyCertificate } from "../../sdk";
import { auditStore } from "../../gateway/evidence/audit";
import { client, eventually, startTestPlatform, type TestPlatform } from "../helpers/platform";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function platform(options: Parameters<typeof startTestPlatform>[0] = {}) {
  const t: TestPlatform = await startTestPlatform(options);
  cleanups.push(() => t.close());
  const api = client(t.url, t.token);
  const rpc = async (method: string, params: unknown[] = []) => {
    const response = await fetch(t.chain.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    return (await response.json()).result;
  };
  const post = async (subject: string, n: number) => {
    const posted = await api("POST", "/v1/evidence", { kind: "evidence.attested", subject, data: { n } });
    expect(posted.status).toBe(202);
    return posted.body.id as string;
  };
  const certificate = (id: string) =>
    eventually(async () => {
      const response = await api("GET", `/v1/evidence/${id}/certificate`);
      return response.status === 200 ? response.body : undefined;
    });
  const verifies = async (certificate: unknown) =>
    (await verifyCertificate(certificate as never, { rpcUrl: t.chain.rpcUrl, trust: t.trust })).valid;
  return { t, api, rpc, post, certificate, verifies };
}

describe("anchoring: finality and reconciliation", () => {
  it("answers 409 NOT_YET_FINAL with Retry-After until the anchoring block is final", async () => {
    const { api, rpc, post, verifies } = await platform({ finalityDepth: 2 });
    const id = await post("note:final", 1);
    // anvil mines on demand: the anchoring block gets no successor until we mine one.
    const notFinal = await eventually(async () => {
      const response = await api("GET", `/v1/evidence/${id}/certificate`);
      return response.body?.error?.code === "NOT_YET_FINAL" ? response : undefined;
    });
    expect(notFinal.status).toBe(409);
    expect(notFinal.headers.get("retry-after")).toBe("1");
    expect((await api("GET", `/v1/evidence/${id}`)).body).toMatchObject({ status: "pending" });
    const health = await api("GET", "/health");
    // Waiting for finality is not a failure: the gateway is well.
    expect(health.body.status).toBe("ok");
    expect(health.body.anchoring.waiting).toBeGreaterThanOrEqual(1);
    expect(health.body.anchoring.failingSince).toBeUndefined();
    expect(health.body.anchoring.finality).toContain("2 block(s)");

    await rpc("evm_mine");
    await rpc("evm_mine");
    // Two blocks on top make it final. Blocks keep coming while we wait, as on a
    // live chain, in case a batch of the escrow watcher's records was ahead of ours.
    const issued = await eventually(async () => {
      const response = await api("GET", `/v1/evidence/${id}/certificate`);
      if (response.status === 200) return response.body;
      expect(response.body.error.code).toBe("NOT_YET_FINAL");
      await rpc("evm_mine");
      return undefined;
    });
    expect(await verifies(issued)).toBe(true);
    expect((await api("GET", `/v1/evidence/${id}`)).body).toMatchObject({ status: "anchored" });
  });

  it("finds a lost batch among newer ones at the periodic check, anchors it again and reports it", async () => {
    // The head is read rarely here, so only the periodic reconciliation can notice the loss.
    const { t, api, rpc, post, certificate, verifies } = await platform({
      chainPollMs: 60_000,
      anchoring: { reconcileIntervalMs: 60_000 },
    });
    const first = await certificate(await post("note:older", 1));
    const snapshot = await rpc("evm_snapshot");
    const lostId = await post("note:lost", 2);
    const lost = await certificate(lostId);
    // The chain forgets the block of the second batch, and goes on with other blocks.
    expect(await rpc("evm_revert", [snapshot])).toBe(true);
    await rpc("evm_mine");
    await rpc("evm_mine");
    const newer = await certificate(await post("note:newer", 3));
    expect(newer.anchor.blockNumber).toBeGreaterThan(lost.anchor.blockNumber);
    expect(await verifies(lost)).toBe(false);
    expect((await api("GET", "/health")).body.anchoring.reanchored.batches).toBe(0);

    // The next periodic check (brought forward here) walks every anchored batch, not only the newest.
    (t.platform.anchorer as unknown as { nextReconcileAt: number }).nextReconcileAt = 0;
    t.platform.anchorer.notifyQueued([]);
    const health = await eventually(async () => {
      const body = (await api("GET", "/health")).body;
      return body.anchoring.reanchored.batches === 1 && body.anchoring.waiting === 0 ? body : undefined;
    });
    expect(health.status).toBe("ok");
    expect(health.anchoring.reanchored).toMatchObject({ records: 1 });
    expect(Date.parse(health.anchoring.reanchored.since)).toBeGreaterThan(0);
    expect(health.anchoring.reconciliation.batchesChecked).toBeGreaterThanOrEqual(3);

    const reissued = await certificate(lostId);
    expect(reissued.merkle.root).toBe(lost.merkle.root);
    expect(reissued.anchor.blockHash).not.toBe(lost.anchor.blockHash);
    expect(await verifies(reissued)).toBe(true);
    expect(await verifies(first)).toBe(true);
    expect(await verifies(newer)).toBe(true);
    const batch = await t.platform.tables.evidence.batches.get(lost.merkle.root);
    expect(batch?.lostAnchors).toMatchObject([{ blockHash: lost.anchor.blockHash }]);
    // The audit reports the re-anchoring, and finds nothing wrong with it.
    const provider = new JsonRpcProvider(t.chain.rpcUrl);
    const report = await auditStore(t.platform.tables.evidence, {
      registry: connectRegistry(t.deployment.registry, provider),
    });
    provider.destroy();
    expect(report.findings).toEqual([]);
    expect(report.reanchored).toMatchObject([
      { root: lost.merkle.root, records: 1, anchoredIn: reissued.anchor.blockNumber },
    ]);
    expect(report.reanchored[0].lostAnchors[0].blockNumber).toBe(lost.anchor.blockNumber);
  });

  it("flags a record no anchoring queue knows and refuses its certificate with 409 NOT_ANCHORED", async () => {
    const { t, api, post, certificate } = await platform();
    const id = await post("note:orphans", 0);
    await certificate(id);
    // What tampering (or a bug) leaves behind: a record in the store, in no batch and not queued.
    const original = (await t.platform.tables.evidence.records.get(id))!;
    const orphanId = randomUUID();
    await t.platform.database.write([
      {
        type: "put",
        sublevel: t.platform.tables.evidence.records,
        key: orphanId,
        value: { ...original, header: { ...original.header, id: orphanId, recordedAt: "2026-01-01T00:00:00.000Z" } },
      },
    ]);
    const refused = await api("GET", `/v1/evidence/${orphanId}/certificate`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("NOT_ANCHORED");
    expect(refused.body.error.message).toContain("npm run audit");
    expect(refused.headers.get("retry-after")).toBeNull();
    expect((await api("GET", `/v1/evidence/${orphanId}`)).body.status).toBe("orphaned");

    // Found by the anchorer's own search of the store too, without anyone asking for it.
    await t.platform.anchorer.stop();
    await t.platform.anchorer.start();
    const health = await eventually(async () => {
      const body = (await api("GET", "/health")).body;
      return body.anchoring.orphaned.records === 1 ? body : undefined;
    });
    expect(health.status).toBe("degraded");
    expect(health.anchoring.orphaned.ids).toEqual([orphanId]);
  });

  it("shows an orphaned record in its subject's chain", async () => {
    const { t, api, post, certificate } = await platform();
    const id = await post("note:chain-orphan", 0);
    await certificate(id);
    const original = (await t.platform.tables.evidence.records.get(id))!;
    const orphanId = randomUUID();
    await t.platform.database.write([
      {
        type: "put",
        sublevel: t.platform.tables.evidence.records,
        key: orphanId,
        value: { ...original, header: { ...original.header, id: orphanId, seq: 1 } },
      },
      {
        type: "put",
        sublevel: t.platform.tables.evidence.subjects,
        key: "note:chain-orphan\x000000000001",
        value: orphanId,
      },
    ]);
    const chain = (await api("GET", "/v1/subjects/note:chain-orphan/evidence")).body;
    expect(chain.orphaned).toEqual([{ seq: 1, id: orphanId }]);
    expect(chain.records[1].status).toBe("orphaned");
    expect(chain.anchoredHead.seq).toBe(0);
  });
});
