import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { verifyCertificate } from "../../sdk";
import { startLocalChain } from "../../gateway/chain/localChain";
import {
  client,
  eventually,
  freePort,
  startTestChain,
  startTestPlatform,
  type TestPlatform,
} from "../helpers/platform";

const ROOT = path.join(__dirname, "..", "..");
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

/** Runs a TypeScript entry point in one Node process (so SIGKILL kills exactly it). */
function runScript(script: string, env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return Object.assign(child, { output: () => output });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

describe("faults", () => {
  it("accepts records while the chain is down and anchors them once it is back", async () => {
    const t = await startTestPlatform({
      persistentChain: true,
      anchoring: { maxRecords: 16, maxBackoffMs: 300 },
    });
    cleanups.push(() => t.close());
    const chain = t.chain;
    let currentChain = chain;
    cleanups.push(() => currentChain.stop());
    const api = client(t.url, t.token);

    const before = await api("POST", "/v1/evidence", {
      kind: "evidence.attested",
      subject: "note:outage",
      data: { n: 0 },
    });
    await eventually(async () =>
      (await api("GET", `/v1/evidence/${before.body.id}`)).body.status === "anchored" ? true : undefined,
    );

    await chain.stop();
    const during: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const posted = await api("POST", "/v1/evidence", {
        kind: "evidence.attested",
        subject: "note:outage",
        data: { n: i },
      });
      expect(posted.status).toBe(202);
      during.push(posted.body.id);
    }
    const degraded = await eventually(async () => {
      const health = await api("GET", "/health");
      // At least the 20: the escrow's deployment events (RoleGranted), read by the events loop, may land
      // in the queue after the last batch and before the chain stopped, on a loaded machine.
      return health.body.status === "degraded" && health.body.anchoring.waiting >= 20 ? health.body : undefined;
    });
    expect(degraded.chain.reachable, JSON.stringify(degraded)).toBe(false);
    expect(degraded.anchoring.failingSince).toBeTruthy();

    currentChain = await startLocalChain({ port: t.chainPort, stateFile: t.chainStateFile });
    for (const id of during) {
      await eventually(
        async () => ((await api("GET", `/v1/evidence/${id}`)).body.status === "anchored" ? true : undefined),
        20_000,
      );
    }
    const health = await api("GET", "/health");
    expect(health.body).toMatchObject({ status: "ok", anchoring: { waiting: 0 } });
    const certificate = (await api("GET", `/v1/evidence/${during[19]}/certificate`)).body;
    expect((await verifyCertificate(certificate, { rpcUrl: currentChain.rpcUrl, trust: t.trust })).valid).toBe(true);
    const chainView = await api("GET", "/v1/subjects/note:outage/evidence");
    expect(chainView.body).toMatchObject({ length: 21, intact: true, completeUpToAnchoredHead: true });
  });

  it("anchors again a batch that the chain lost, and the new certificate verifies", async () => {
    const t: TestPlatform = await startTestPlatform();
    cleanups.push(() => t.close());
    const api = client(t.url, t.token);
    const rpc = (method: string, params: unknown[] = []) =>
      fetch(t.chain.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      }).then(async (r) => (await r.json()).result);

    const snapshot = await rpc("evm_snapshot");
    const posted = await api("POST", "/v1/evidence", {
      kind: "evidence.attested",
      subject: "note:lost",
      data: { n: 1 },
    });
    const first = await eventually(async () => {
      const response = await api("GET", `/v1/evidence/${posted.body.id}/certificate`);
      return response.status === 200 ? response.body : undefined;
    });
    // The chain forgets the last block, as a node restored from a snapshot taken a second too early would.
    await t.platform.anchorer.stop();
    expect(await rpc("evm_revert", [snapshot])).toBe(true);
    expect((await verifyCertificate(first, { rpcUrl: t.chain.rpcUrl, trust: t.trust })).valid).toBe(false);

    await t.platform.anchorer.start();
    // The same transaction may be signed again byte for byte (same nonce, same
    // data), so the proof of re-anchoring is that a fresh certificate verifies.
    const second = await eventually(async () => {
      const response = await api("GET", `/v1/evidence/${posted.body.id}/certificate`);
      if (response.status !== 200) return undefined;
      return (await verifyCertificate(response.body, { rpcUrl: t.chain.rpcUrl, trust: t.trust })).valid
        ? response.body
        : undefined;
    });
    expect(second.merkle.root).toBe(first.merkle.root);
  });

  it("loses no acknowledged record when the gateway is killed with SIGKILL under load", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "ttl-kill-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const { chain } = await startTestChain();
    cleanups.push(() => chain.stop());
    const port = await freePort();
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      CHAIN_RPC_URL: chain.rpcUrl,
      BATCH_MAX_RECORDS: "64",
      BATCH_MAX_AGE_MS: "200",
    };
    const start = () => {
      const gateway = runScript("scripts/start.ts", env);
      cleanups.push(async () => {
        gateway.kill("SIGKILL");
        await exited(gateway);
      });
      return gateway;
    };
    const base = `http://127.0.0.1:${port}`;
    const up = () =>
      eventually(
        async () => ((await fetch(`${base}/health`).catch(() => undefined))?.ok ? true : undefined),
        30_000,
        "the gateway",
      );

    let gateway = start();
    await up();
    const token = (await readFile(path.join(dataDir, "operator.key"), "utf8")).trim();
    const api = client(base, token);

    const acknowledged: string[] = [];
    let stopLoad = false;
    const worker = async (w: number) => {
      for (let i = 0; !stopLoad; i++) {
        const response = await api("POST", "/v1/evidence", {
          kind: "evidence.attested",
          subject: `load:${w % 4}`,
          data: { worker: w, i },
        }).catch(() => undefined);
        if (response?.status === 202) acknowledged.push(response.body.id);
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
    await eventually(async () => (acknowledged.length >= 300 ? true : undefined), 30_000, "300 acknowledged records");
    gateway.kill("SIGKILL");
    await exited(gateway);
    stopLoad = true;
    await load;
    const count = acknowledged.length;
    expect(count).toBeGreaterThanOrEqual(300);

    gateway = start();
    await up();
    for (const id of acknowledged) {
      const view = await api("GET", `/v1/evidence/${id}`);
      expect(view.status, `record ${id}`).toBe(200);
    }
    await eventually(
      async () => ((await api("GET", "/health")).body.anchoring.waiting === 0 ? true : undefined),
      30_000,
      "an empty backlog",
    );
    for (const id of acknowledged) expect((await api("GET", `/v1/evidence/${id}`)).body.status).toBe("anchored");
    for (let w = 0; w < 4; w++) {
      expect((await api("GET", `/v1/subjects/load:${w}/evidence`)).body).toMatchObject({
        intact: true,
        completeUpToAnchoredHead: true,
      });
    }

    gateway.kill("SIGTERM");
    await exited(gateway);
    const audit = runScript("scripts/audit.ts", env);
    const code = await exited(audit);
    expect(audit.output()).toContain("CLEAN");
    expect(code).toBe(0);
  });
});
