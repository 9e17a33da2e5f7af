import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { trustAnchorOfDeployment } from "../../gateway/chain/deploy";
import { verifyCertificate, type EvidenceCertificate } from "../../sdk";
import { waitForRpc } from "../../gateway/chain/localChain";
import { client, eventually, freePort } from "../helpers/platform";
import { gatewayNodeOptions } from "../../scripts/lib/gatewayNodeOptions";

// `npm start` with its own supervised local chain, killed with SIGKILL in the
// ways that used to break certificates already handed out (issue 9).
const ROOT = path.join(__dirname, "..", "..");
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A running `npm start` on a fresh data folder with a local chain on its own port. */
async function platform() {
  const dataDir = await mkdtemp(path.join(tmpdir(), "ttl-chain-faults-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    CHAIN_PORT: String(await freePort()),
    BATCH_MAX_RECORDS: "16",
    BATCH_MAX_AGE_MS: "100",
  };
  delete env.CHAIN_RPC_URL;
  const base = `http://127.0.0.1:${env.PORT}`;
  const rpcUrl = `http://127.0.0.1:${env.CHAIN_PORT}`;
  let output = "";
  let gateway: ChildProcess | undefined;
  const chainPid = async () => Number(await readFile(path.join(dataDir, "chain", "anvil.pid"), "utf8"));
  const start = async () => {
    // As `npm start` runs it (its Node options from package.json).
    gateway = spawn(process.execPath, [...gatewayNodeOptions(), "scripts/start.ts"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    gateway.stdout!.on("data", (chunk) => (output += chunk));
    gateway.stderr!.on("data", (chunk) => (output += chunk));
    await eventually(
      async () => ((await fetch(`${base}/health`).catch(() => undefined))?.ok ? true : undefined),
      60_000,
      "the gateway",
    );
  };
  cleanups.push(async () => {
    if (gateway && gateway.exitCode === null) {
      gateway.kill("SIGTERM");
      await exited(gateway);
    }
    const pid = await chainPid().catch(() => 0);
    if (pid && alive(pid)) process.kill(pid, "SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  });
  await start();
  const api = client(base, (await readFile(path.join(dataDir, "operator.key"), "utf8")).trim());

  const acknowledged: string[] = [];
  const certificates: EvidenceCertificate[] = [];
  /** Records one piece of evidence and fetches its certificate as soon as there is one. */
  const recordAndCertify = async (n: number) => {
    const posted = await api("POST", "/v1/evidence", {
      kind: "evidence.attested",
      subject: `fault:${n % 3}`,
      data: { n },
    });
    expect(posted.status).toBe(202);
    acknowledged.push(posted.body.id);
    const certificate = await eventually(async () => {
      const response = await api("GET", `/v1/evidence/${posted.body.id}/certificate`);
      if (response.status === 409) expect(response.body.error.code).toMatch(/^NOT_YET_(ANCHORED|FINAL)$/);
      return response.status === 200 ? (response.body as EvidenceCertificate) : undefined;
    });
    certificates.push(certificate);
    return certificate;
  };
  /** After the faults: nothing waits, every record is anchored, every certificate handed out verifies. */
  const checkEverything = async () => {
    await eventually(
      async () => ((await api("GET", "/health")).body.anchoring.waiting === 0 ? true : undefined),
      30_000,
      "an empty backlog",
    );
    for (const id of acknowledged) expect((await api("GET", `/v1/evidence/${id}`)).body.status).toBe("anchored");
    const failed: string[] = [];
    for (const certificate of certificates) {
      // The reader's trust: the deployment as npm start recorded it, not what a certificate names.
      const deployment = JSON.parse(await readFile(path.join(dataDir, "deployment.json"), "utf8"));
      const result = await verifyCertificate(certificate, { rpcUrl, trust: trustAnchorOfDeployment(deployment) });
      if (!result.valid) failed.push(`${certificate.record.header.id}: ${result.code}`);
    }
    expect(failed).toEqual([]);
  };
  /** `npm run audit` with the same settings as the gateway (no CHAIN_RPC_URL: it must find CHAIN_PORT). */
  const audit = async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/audit.ts"], { cwd: ROOT, env, stdio: "pipe" });
    let text = "";
    child.stdout!.on("data", (chunk) => (text += chunk));
    child.stderr!.on("data", (chunk) => (text += chunk));
    await exited(child);
    return { code: child.exitCode, output: text };
  };
  const stop = async () => {
    gateway!.kill("SIGTERM");
    await exited(gateway!);
  };
  return {
    api,
    rpcUrl,
    start,
    stop,
    audit,
    gateway: () => gateway!,
    chainPid,
    output: () => output,
    acknowledged,
    certificates,
    recordAndCertify,
    checkEverything,
  };
}

describe("faults of the local chain under `npm start`", () => {
  it("restarts a chain killed right after an anchoring; every certificate handed out still verifies", async () => {
    const p = await platform();
    for (let n = 0; n < 3; n++) await p.recordAndCertify(n);
    const pid = await p.chainPid();
    // Right after a certificate was handed out, before the node's own once-a-second save.
    await p.recordAndCertify(3);
    const killedAt = Date.now();
    process.kill(pid, "SIGKILL");
    const down = await eventually(async () => {
      const health = (await p.api("GET", "/health")).body;
      return health.status === "degraded" && !health.chain.reachable ? health : undefined;
    });
    expect(down.chain.error).toBeTruthy();
    // A record acknowledged while the chain is away is anchored once it is back.
    const during = p.recordAndCertify(4);

    await waitForRpc(p.rpcUrl, 30_000);
    const answeredAt = Date.now();
    const ok = await eventually(async () => {
      const health = (await p.api("GET", "/health")).body;
      return health.status === "ok" ? health : undefined;
    });
    expect(Date.now() - answeredAt).toBeLessThanOrEqual(2000);
    expect(ok.chain.reachable).toBe(true);
    // The supervisor counts its restart once the new node answers, so /health may say ok a moment before.
    const restarts = await eventually(
      async () => {
        const { count } = (await p.api("GET", "/health")).body.chain.restarts;
        return count >= 1 ? count : undefined;
      },
      5000,
      "the restart counted",
    );
    expect(restarts).toBe(1);
    // The reconnection makes the anchorer check every anchored batch again (the head is read every 500 ms).
    await eventually(
      async () => {
        const { reconciliation } = (await p.api("GET", "/health")).body.anchoring;
        return Date.parse(reconciliation.lastAt) > killedAt ? true : undefined;
      },
      5000,
      "a reconciliation after the restart",
    );
    expect(await p.chainPid()).not.toBe(pid);
    expect(p.output()).toMatch(/the local chain \(pid \d+\) died \(SIGKILL\); restarting it/);
    expect(p.output()).toMatch(/local chain restarted \(pid \d+\) on its saved state/);

    await during;
    for (let n = 5; n < 8; n++) await p.recordAndCertify(n);
    await p.checkEverything();
    expect((await p.api("GET", "/health")).body.anchoring.reanchored.batches).toBe(0);
    // The audit finds the running local chain on CHAIN_PORT, as the gateway does.
    const audit = await p.audit();
    expect(audit.output).toContain("CLEAN");
    expect(audit.code).toBe(0);
  });

  it("kills gateway and chain together right after certificates were handed out; all still verify after the restart", async () => {
    const p = await platform();
    await Promise.all(Array.from({ length: 6 }, (_, n) => p.recordAndCertify(n)));
    const pid = await p.chainPid();
    // Under a second after the last certificate: the node's own save may not have run yet.
    p.gateway().kill("SIGKILL");
    process.kill(pid, "SIGKILL");
    await exited(p.gateway());
    await eventually(async () => (alive(pid) ? undefined : true), 5000, "the chain to die");

    await p.start();
    for (let n = 6; n < 9; n++) await p.recordAndCertify(n);
    await p.checkEverything();
    const health = (await p.api("GET", "/health")).body;
    expect(health).toMatchObject({ status: "ok", anchoring: { reanchored: { batches: 0 }, orphaned: { records: 0 } } });
    // Stopped: the audit reads the chain's saved state in a read-only node of its own.
    await p.stop();
    const audit = await p.audit();
    expect(audit.output).toContain("reading the chain's saved state");
    expect(audit.output).toContain("CLEAN");
    expect(audit.code).toBe(0);
  });
});
