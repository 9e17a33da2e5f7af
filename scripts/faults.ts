// `npm run faults`: a few minutes of `kill -9` of the gateway, of its local
// chain, or of both, under load, against a real `npm start` on a fresh data
// folder. After each restart it checks that every acknowledged record is found
// and that every certificate handed out so far still verifies against the chain;
// at the end, that everything is anchored and the audit is clean.
//
// Options (env): FAULTS_SECONDS (default 180), FAULTS_INTERVAL_SECONDS (between
// faults, default 12), FAULTS_WORKERS (concurrent writers, default 8),
// FAULTS_CERTIFY_EVERY (fetch the certificate of every n-th record, default 10).
// Exit status 0 when nothing was lost and every certificate still verifies.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { verifyCertificate, verifyCertificateOffline, type EvidenceCertificate } from "../sdk";
import { waitForRpc } from "../gateway/chain/localChain";
import { trustAnchorOfDeployment } from "../gateway/chain/deploy";
import { freePortNear } from "./lib/ports";
import { gatewayNodeOptions } from "./lib/gatewayNodeOptions";

const SECONDS = Number(process.env.FAULTS_SECONDS ?? 180);
const INTERVAL_MS = Number(process.env.FAULTS_INTERVAL_SECONDS ?? 12) * 1000;
const WORKERS = Number(process.env.FAULTS_WORKERS ?? 8);
const CERTIFY_EVERY = Number(process.env.FAULTS_CERTIFY_EVERY ?? 10);
const ROOT = path.join(__dirname, "..");
type Fault = "gateway" | "chain" | "both";
const FAULTS: Fault[] = ["chain", "gateway", "both"];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (message: string) => console.error(`[faults ${new Date().toISOString().slice(11, 19)}] ${message}`);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Runs `work` over `items` with `concurrency` at a time. */
async function each<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "ttl-faults-"));
  const port = await freePortNear(20000 + Math.floor(Math.random() * 20000));
  const chainPort = await freePortNear(port + 1);
  const base = `http://127.0.0.1:${port}`;
  const rpcUrl = `http://127.0.0.1:${chainPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    CHAIN_PORT: String(chainPort),
  };
  delete env.CHAIN_RPC_URL;
  let gateway: ChildProcess | undefined;
  let gatewayLog = "";
  const chainPid = async () => Number(await readFile(path.join(dataDir, "chain", "anvil.pid"), "utf8"));
  const health = async () =>
    fetch(`${base}/health`)
      .then((r) => r.json())
      .catch(() => undefined);
  const start = () => {
    gateway = spawn(process.execPath, [...gatewayNodeOptions(), "scripts/start.ts"], {
      cwd: ROOT,
      env,
      stdio: "pipe",
    });
    gateway.stdout!.on("data", (chunk) => (gatewayLog += chunk));
    gateway.stderr!.on("data", (chunk) => (gatewayLog += chunk));
  };
  /** Waits until /health says ok; returns the milliseconds since `since`. */
  const recovered = async (since: number) => {
    for (;;) {
      if ((await health())?.status === "ok") return Date.now() - since;
      if (Date.now() - since > 120_000) throw new Error("the platform did not recover within two minutes");
      await sleep(50);
    }
  };

  start();
  await recovered(Date.now());
  const token = (await readFile(path.join(dataDir, "operator.key"), "utf8")).trim();
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const acknowledged: string[] = [];
  const certificates = new Map<string, EvidenceCertificate>();
  const wantCertificate: string[] = [];
  let stop = false;

  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const response = await fetch(`${base}/v1/evidence`, {
        method: "POST",
        headers,
        body: JSON.stringify({ kind: "evidence.attested", subject: `faults:${w}`, data: { w, i } }),
      }).catch(() => undefined);
      if (response?.status === 202) {
        const { id } = await response.json();
        acknowledged.push(id);
        if (acknowledged.length % CERTIFY_EVERY === 0) wantCertificate.push(id);
      } else {
        await response?.text().catch(() => undefined);
        await sleep(50);
      }
    }
  };
  const certifier = async () => {
    while (!stop || wantCertificate.length) {
      const id = wantCertificate.shift();
      if (!id) {
        await sleep(100);
        continue;
      }
      const response = await fetch(`${base}/v1/evidence/${id}/certificate`, { headers }).catch(() => undefined);
      if (response?.status === 200) certificates.set(id, await response.json());
      else {
        await response?.text().catch(() => undefined);
        wantCertificate.push(id);
        await sleep(100);
      }
    }
  };

  /** Every acknowledged record is found; every certificate handed out verifies. */
  const check = async (label: string) => {
    // Each writer has its own subject: its chain lists every record it was acknowledged.
    const ids = [...acknowledged];
    const found = new Set<string>();
    for (let w = 0; w < WORKERS; w++) {
      const response = await fetch(`${base}/v1/subjects/faults:${w}/evidence`, { headers });
      for (const record of (await response.json()).records ?? []) found.add(record.id);
    }
    const lost = ids.filter((id) => !found.has(id));
    // Certificates of one batch name the same root and anchor, so one full check
    // against the chain per anchor, and the offline checks (record, proof) for
    // every certificate, say for each exactly what `verifyCertificate` would.
    const handedOut = [...certificates.values()];
    // The reader's trust: the deployment as npm start recorded it, not what a certificate names.
    const trust = trustAnchorOfDeployment(JSON.parse(await readFile(path.join(dataDir, "deployment.json"), "utf8")));
    const byAnchor = new Map<string, EvidenceCertificate[]>();
    for (const certificate of handedOut) {
      const key = JSON.stringify([certificate.merkle.root, certificate.anchor]);
      byAnchor.set(key, [...(byAnchor.get(key) ?? []), certificate]);
    }
    const broken: string[] = [];
    await each([...byAnchor.values()], 8, async ([first, ...others]) => {
      const onChain = await verifyCertificate(first, { rpcUrl, trust });
      for (const certificate of [first, ...others]) {
        const result = certificate === first ? onChain : verifyCertificateOffline(certificate);
        const code = onChain.valid ? (result.valid ? undefined : result.code) : onChain.code;
        if (code) broken.push(`${certificate.record.header.id} (${code})`);
      }
    });
    say(
      `${label}: ${ids.length} acknowledged, ${lost.length} not found; ` +
        `${handedOut.length} certificates, ${broken.length} no longer verify`,
    );
    return { lost, broken };
  };

  const load = [...Array.from({ length: WORKERS }, (_, w) => writer(w)), certifier()];
  const recoveries: Record<Fault, number[]> = { gateway: [], chain: [], both: [] };
  const lost = new Set<string>();
  const broken = new Set<string>();
  const deadline = Date.now() + SECONDS * 1000;
  let faults = 0;
  try {
    while (Date.now() + INTERVAL_MS < deadline) {
      await sleep(INTERVAL_MS);
      const fault = FAULTS[faults++ % FAULTS.length];
      const pid = await chainPid();
      const killedAt = Date.now();
      if (fault === "gateway" || fault === "both") gateway!.kill("SIGKILL");
      if (fault === "chain" || fault === "both") process.kill(pid, "SIGKILL");
      say(`fault ${faults}: kill -9 of ${fault === "both" ? "gateway and chain" : `the ${fault}`}`);
      if (fault !== "chain") {
        while (gateway!.exitCode === null && gateway!.signalCode === null) await sleep(20);
        if (fault === "both") while (alive(pid)) await sleep(20);
        start();
      } else {
        await waitForRpc(rpcUrl, 60_000);
      }
      const ms = await recovered(killedAt);
      recoveries[fault].push(ms);
      say(`recovered in ${ms} ms`);
      const result = await check(`after fault ${faults}`);
      result.lost.forEach((id) => lost.add(id));
      result.broken.forEach((id) => broken.add(id));
    }
  } finally {
    stop = true;
    await Promise.all(load);
  }
  // Everything acknowledged ends anchored, and the audit agrees with the chain.
  for (let i = 0; i < 600 && (await health())?.anchoring.waiting !== 0; i++) await sleep(200);
  const final = await check("at the end");
  final.lost.forEach((id) => lost.add(id));
  final.broken.forEach((id) => broken.add(id));
  const end = await health();
  gateway!.kill("SIGTERM");
  await new Promise((resolve) => gateway!.once("exit", resolve));
  const audit = spawn(process.execPath, ["--import", "tsx", "scripts/audit.ts"], { cwd: ROOT, env, stdio: "pipe" });
  let auditOutput = "";
  audit.stdout!.on("data", (chunk) => (auditOutput += chunk));
  const auditCode = await new Promise<number | null>((resolve) => audit.once("exit", resolve));

  const restarts = (gatewayLog.match(/local chain restarted/g) ?? []).length;
  const line = (fault: Fault) => {
    const times = recoveries[fault];
    if (!times.length) return `${fault}: none`;
    return `${fault}: ${times.length}× (${times.join(", ")} ms; median ${median(times)}, max ${Math.max(...times)})`;
  };
  console.log(`\n## Faults: ${faults} kill -9 in ${SECONDS} s under load (${WORKERS} writers)\n`);
  console.log(`acknowledged records:                  ${acknowledged.length}`);
  console.log(`lost (acknowledged, not found):        ${lost.size}`);
  console.log(`not anchored at the end:               ${end?.anchoring.waiting ?? "unknown"}`);
  console.log(`certificates handed out:               ${certificates.size}`);
  console.log(`certificates that stopped verifying:   ${broken.size}`);
  console.log(`batches re-anchored:                   ${end?.anchoring.reanchored.batches ?? "unknown"}`);
  console.log(`local chain restarts by the supervisor: ${restarts}`);
  console.log(`recovery (kill -9 to /health ok):      ${FAULTS.map(line).join("; ")}`);
  console.log(`audit at the end:                      ${auditOutput.trim().split("\n").pop()} (exit ${auditCode})`);
  await rm(dataDir, { recursive: true, force: true });
  process.exit(lost.size === 0 && broken.size === 0 && auditCode === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(`faults: ${(error as Error).message}`);
  process.exit(2);
});
