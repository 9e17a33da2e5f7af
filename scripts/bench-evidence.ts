// `npm run bench:evidence`: the evidence spine's figures (docs/BENCHMARKS.md).
//
// 1. Intake over HTTP with anchoring running (the real gateway, its own process,
//    local chain, batches of up to 1,024), with few subjects (64) and with a new
//    subject per record, against baselines measured in the same run: a bare Koa
//    endpoint, a minimal parse-hash-store endpoint (no fsync), and the honest one:
//    a durable minimal endpoint (salted hash per field, Keccak of them, one Level
//    entry written with sync before the 202). Five-field records.
// 2. Time from 202 to a final anchor (the local chain's state holding the block
//    written to disk, as under `npm start`), for every record of the intake runs,
//    beside the time from 202 to mined (the block exists, not yet final) of the same records.
// 3. Gas per batch and per anchored record.
// 4. Certificate verification: offline per second (commitments, proof and the trust
//    anchor's checks, beside the same without them), and the chain calls made online.
//
// The machine is shared and noisy: every figure is the median of several rounds.
// Options (env): BENCH_SECONDS (default 10), BENCH_ROUNDS (3), BENCH_CONNECTIONS (20),
// BENCH_ONLY=intake (the intake runs alone, for profiling).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { randomBytes } from "node:crypto";
import { JsonRpcProvider, NonceManager, Wallet } from "ethers";
import { buildMerkleTree, connectRegistry } from "../sdk";
import { deployRegistry } from "../gateway/chain/deploy";
import { gatewayNodeOptions } from "./lib/gatewayNodeOptions";
import { startLocalChain } from "../gateway/chain/localChain";
import { openDatabase } from "../gateway/store/database";
import { EvidenceRepository } from "../gateway/evidence/repository";
import { freePortNear } from "./lib/ports";
import { offlineVerification, onlineVerification } from "./bench/verification";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ROOT = path.join(__dirname, "..");

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function spawnTs(script: string, env: Record<string, string>): ChildProcess {
  // The gateway with the options `npm start` gives it; the baselines are plain scripts.
  const options = script === "scripts/start.ts" ? gatewayNodeOptions() : ["--import", "tsx"];
  return spawn(process.execPath, [...options, script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
}

async function waitHttp(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(url, { method: "POST", body: "{}", headers: { "content-type": "application/json" } }).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** A round's gateway rate over its baseline's. */
function pairedRatio(gateway: Array<{ rps: number }>, baseline: Array<{ rps: number }>, round: number): number {
  return gateway[round].rps / baseline[round].rps;
}

/** How records spread over subjects: 64 of them, or a new one for every record. */
type Subjects = "few" | "each";
let runs = 0;

/** One load run: `SECONDS` of POSTs of distinct five-field records over `CONNECTIONS` connections. */
async function load(
  url: string,
  token?: string,
  subjects: Subjects = "few",
  seconds = SECONDS,
): Promise<{ rps: number; p50: number; p99: number; ok: number; errors: number }> {
  let n = 0;
  const run = runs++;
  const result = await autocannon({
    url,
    method: "POST",
    connections: CONNECTIONS,
    duration: seconds,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    requests: [
      {
        setupRequest(request) {
          n++;
          request.body = JSON.stringify({
            kind: "escrow.event",
            subject: subjects === "few" ? `deal:bench-${n % 64}` : `deal:bench-${run}-${n}`,
            data: {
              amount: 100_000 + n,
              currency: "CNY",
              event: "deposit.locked",
              reference: `BANK-${n}`,
              payer: "云南光伏科技有限公司",
            },
          });
          return request;
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

async function intake(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), "ttl-bench-"));
  const chainPort = await freePortNear(19545);
  const gatewayPort = await freePortNear(19080);
  const barePort = await freePortNear(19180);
  const minimalPort = await freePortNear(19280);
  const durablePort = await freePortNear(19380);
  const dataDir = path.join(work, "data");
  // The gateway runs its own supervised local chain, as `npm start` does, so
  // finality is the durable write of the chain's state.
  const gateway = spawnTs("scripts/start.ts", {
    DATA_DIR: dataDir,
    PORT: String(gatewayPort),
    CHAIN_PORT: String(chainPort),
  });
  let chain: Awaited<ReturnType<typeof startLocalChain>> | undefined;
  const bare = spawnTs("scripts/bench/baseline-server.ts", { BASELINE: "bare", PORT: String(barePort) });
  const minimal = spawnTs("scripts/bench/baseline-server.ts", {
    BASELINE: "minimal",
    PORT: String(minimalPort),
    LEVEL_DIR: path.join(work, "minimal"),
  });
  const durable = spawnTs("scripts/bench/baseline-server.ts", {
    BASELINE: "durable",
    PORT: String(durablePort),
    LEVEL_DIR: path.join(work, "durable"),
  });
  try {
    await Promise.all([barePort, minimalPort, durablePort].map((port) => waitHttp(`http://127.0.0.1:${port}/`)));
    for (
      let i = 0;
      i < 300 &&
      !(await fetch(`http://127.0.0.1:${gatewayPort}/health`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const token = (await readFile(path.join(dataDir, "operator.key"), "utf8")).trim();
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}/v1/evidence`;

    // Warm-up of every endpoint measured (JIT, first compactions, the gateway's
    // first anchoring batches), so that no round 1 measures a cold process: the
    // gateway runs far more code than the baselines, and cold it lost a fifth of
    // its first round.
    await autocannon({ url: `http://127.0.0.1:${barePort}/`, duration: 2, connections: CONNECTIONS });
    for (const [url, auth] of [
      [`http://127.0.0.1:${minimalPort}/`, undefined],
      [`http://127.0.0.1:${durablePort}/`, undefined],
      [gatewayUrl, token],
    ] as const) {
      await load(url, auth, "few", 2);
      await load(url, auth, "each", 2);
    }
    const rows: Record<string, Array<Awaited<ReturnType<typeof load>>>> = {
      bare: [],
      minimal: [],
      durable: [],
      durableEach: [],
      gateway: [],
      gatewayEach: [],
    };
    for (let round = 0; round < ROUNDS; round++) {
      rows.bare.push(await load(`http://127.0.0.1:${barePort}/`));
      rows.minimal.push(await load(`http://127.0.0.1:${minimalPort}/`));
      rows.durable.push(await load(`http://127.0.0.1:${durablePort}/`));
      rows.gateway.push(await load(gatewayUrl, token));
      rows.durableEach.push(await load(`http://127.0.0.1:${durablePort}/`, undefined, "each"));
      rows.gatewayEach.push(await load(gatewayUrl, token, "each"));
      console.error(
        `round ${round + 1}/${ROUNDS}: gateway ${rows.gateway[round].rps.toFixed(0)}/s ` +
          `(durable baseline ${rows.durable[round].rps.toFixed(0)}/s, ratio ${pairedRatio(rows.gateway, rows.durable, round).toFixed(3)}); ` +
          `a subject per record ${rows.gatewayEach[round].rps.toFixed(0)}/s ` +
          `(${rows.durableEach[round].rps.toFixed(0)}/s, ratio ${pairedRatio(rows.gatewayEach, rows.durableEach, round).toFixed(3)})`,
      );
    }
    const summary = Object.fromEntries(
      Object.entries(rows).map(([name, runs]) => [
        name,
        {
          rps: median(runs.map((r) => r.rps)),
          p50: median(runs.map((r) => r.p50)),
          p99: median(runs.map((r) => r.p99)),
          errors: runs.reduce((sum, r) => sum + r.errors, 0),
          ok: runs.reduce((sum, r) => sum + r.ok, 0),
        },
      ]),
    );
    console.log(`\n## Intake over HTTP (${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} rounds, medians)\n`);
    console.log("| endpoint | records/s | latency p50 ms | latency p99 ms | non-2xx or errors |");
    console.log("| --- | ---: | ---: | ---: | ---: |");
    for (const [name, label] of [
      ["bare", "bare Koa (baseline)"],
      ["minimal", "parse + hash + Level put, no fsync (baseline)"],
      ["durable", "durable minimal: salted field hashes + Keccak + Level put with sync (baseline), 64 subjects"],
      ["gateway", "POST /v1/evidence, anchoring running, 64 subjects"],
      ["durableEach", "durable minimal, a new subject per record"],
      ["gatewayEach", "POST /v1/evidence, anchoring running, a new subject per record"],
    ] as const) {
      const s = summary[name];
      console.log(`| ${label} | ${s.rps.toFixed(0)} | ${s.p50} | ${s.p99} | ${s.errors} |`);
    }
    // The intake figure: each gateway run against the durable baseline run just
    // before it, then the median of those ratios. The machine's load moves both
    // runs of a pair alike; medians of each column apart may pair a quiet
    // baseline round with a loaded gateway round.
    const ratios = (gateway: typeof rows.gateway, baseline: typeof rows.gateway) =>
      median(gateway.map((_, round) => pairedRatio(gateway, baseline, round))).toFixed(3);
    console.log(
      `\nintake / durable minimal, median of the rounds' ratios: ${ratios(rows.gateway, rows.durable)} (64 subjects), ` +
        `${ratios(rows.gatewayEach, rows.durableEach)} (a new subject per record)`,
    );
    console.log(
      `ratios of the medians above: gateway / bare Koa = ${(summary.gateway.rps / summary.bare.rps).toFixed(3)}; ` +
        `gateway / minimal = ${(summary.gateway.rps / summary.minimal.rps).toFixed(3)}; ` +
        `gateway / durable minimal = ${(summary.gateway.rps / summary.durable.rps).toFixed(3)} (64 subjects), ` +
        `${(summary.gatewayEach.rps / summary.durableEach.rps).toFixed(3)} (a new subject per record)`,
    );

    // Let the backlog drain, then read the store: 202 → anchored, and gas.
    for (let i = 0; i < 600; i++) {
      const health = await fetch(`http://127.0.0.1:${gatewayPort}/health`).then((r) => r.json());
      if (health.anchoring.waiting === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await stopProcess(gateway);
    // The gateway stopped its chain; read the saved state in a read-only node.
    chain = await startLocalChain({
      port: chainPort,
      stateFile: path.join(dataDir, "chain", "state.json"),
      readOnly: true,
    });
    const database = await openDatabase(path.join(dataDir, "store"));
    const store = new EvidenceRepository(database);
    const latencies: number[] = [];
    const minedLatencies: number[] = [];
    const batchSizes: number[] = [];
    const provider = new JsonRpcProvider(chain.rpcUrl);
    const gasPerBatch: number[] = [];
    const gasPerRecordFull: number[] = [];
    for await (const batch of store.batches.values()) {
      if (!batch.anchor || !batch.anchoredAtMs) continue;
      batchSizes.push(batch.ids.length);
      const receipt = await provider.getTransactionReceipt(batch.anchor.transactionHash);
      gasPerBatch.push(Number(receipt!.gasUsed));
      if (batch.ids.length === 1024) gasPerRecordFull.push(Number(receipt!.gasUsed) / 1024);
      for (const id of batch.ids) {
        const record = await store.records.get(id);
        latencies.push(batch.anchoredAtMs - Date.parse(record!.header.recordedAt));
        if (batch.minedAtMs) minedLatencies.push(batch.minedAtMs - Date.parse(record!.header.recordedAt));
      }
    }
    await database.close();
    provider.destroy();
    latencies.sort((a, b) => a - b);
    minedLatencies.sort((a, b) => a - b);
    const line = (values: number[]) =>
      `p50 ${percentile(values, 50)} ms, p90 ${percentile(values, 90)} ms, p99 ${percentile(values, 99)} ms, max ${values[values.length - 1]} ms`;
    console.log(`\n## From 202 to a final anchor (${latencies.length} records of the runs above)\n`);
    console.log(`final (state on disk): ${line(latencies)}`);
    if (minedLatencies.length) console.log(`mined (baseline, same records): ${line(minedLatencies)}`);
    console.log(
      `batches: ${batchSizes.length}, median size ${median(batchSizes)}, full (1,024) batches: ${gasPerRecordFull.length}`,
    );
    console.log(
      `gas per anchoring transaction under load: median ${median(gasPerBatch)}, max ${Math.max(...gasPerBatch)}`,
    );
    if (gasPerRecordFull.length)
      console.log(`gas per record in full batches: median ${median(gasPerRecordFull).toFixed(1)}`);
  } finally {
    await Promise.all([stopProcess(gateway), stopProcess(bare), stopProcess(minimal), stopProcess(durable)]);
    await chain?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** Gas of one anchoring transaction, whatever the batch size (it carries only the root). */
async function gas(): Promise<void> {
  const chain = await startLocalChain({ port: await freePortNear(19645) });
  try {
    const key = Wallet.createRandom().privateKey;
    const bank = Wallet.createRandom().address;
    const deployment = await deployRegistry({ rpcUrl: chain.rpcUrl, privateKey: key, bank, gasPrice: 0n });
    const provider = new JsonRpcProvider(chain.rpcUrl);
    const registry = connectRegistry(deployment.registry, new NonceManager(new Wallet(key, provider)));
    console.log("\n## Gas (anvil, gas price 0)\n");
    console.log("| batch size | gas per batch | gas per record |");
    console.log("| ---: | ---: | ---: |");
    for (const size of [1, 64, 1024, 4096]) {
      const tree = buildMerkleTree(Array.from({ length: size }, () => `0x${randomBytes(32).toString("hex")}`));
      const receipt = (await (await registry.anchorBatch(tree.root, size, { gasPrice: 0, type: 0 })).wait())!;
      console.log(`| ${size} | ${receipt.gasUsed} | ${(Number(receipt.gasUsed) / size).toFixed(2)} |`);
    }
    provider.destroy();
  } finally {
    await chain.stop();
  }
}

async function main(): Promise<void> {
  console.log(
    `# bench:evidence — ${new Date().toISOString()}, Node ${process.version}, ${(await import("node:os")).cpus().length} cores`,
  );
  if (process.env.BENCH_ONLY !== "intake") {
    offlineVerification();
    await onlineVerification();
    await gas();
  }
  await intake();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
