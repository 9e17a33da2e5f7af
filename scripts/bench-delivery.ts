// `npm run bench:delivery`: encrypting and uploading a large delivery (issue 14,
// 6.8.2). One plaintext file (BENCH_DELIVERY_MIB, default 1024 MiB) is encrypted to
// the demander's age recipient, each round, by:
//   - the `age` CLI (Debian's `age`; the baseline; skipped with a reason when absent),
//   - the SDK's `encryptDeliveryStream` to a file,
//   - the SDK's `encryptDeliveryStream` streamed to the gateway (POST …/delivery-files),
//     which checks, hashes and stores it as it arrives,
//   - once, the age-encryption library's streaming mode (what the SDK had before),
// each in a process of its own, so that each peak RSS is its own. The gateway runs
// as `npm start` runs it, on a fresh local chain, with one deal on chain to deliver to;
// its peak RSS is its VmHWM after the uploads. Prints each round, the medians and
// the ratios to the CLI. Options (env): BENCH_DELIVERY_MIB (1024), BENCH_ROUNDS (3),
// BENCH_LIBRARY (1; 0 skips the library's run).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { startBenchGateway } from "./lib/benchGateway";
import { benchParties, openBenchDeal } from "./lib/benchDeals";
import { account } from "./lib/demoAccounts";

const MIB = Number(process.env.BENCH_DELIVERY_MIB ?? 1024);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LIBRARY = process.env.BENCH_LIBRARY !== "0";
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const CLIENT = path.join(__dirname, "bench", "deliveryClient.ts");

/** Runs the benchmark's client once with `env`; its JSON line. */
function client(env: Record<string, string>): Promise<{ seconds: number; peakRssMiB: number; answer?: any }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLIENT], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!)) : reject(new Error(`client exited ${code}`)),
    );
  });
}

/** The `age` CLI encrypting the file; seconds, and its peak RSS (GNU time when present). */
function ageCli(plaintext: string, out: string, recipient: string): { seconds: number } {
  const started = process.hrtime.bigint();
  const run = spawnSync("age", ["-r", recipient, "-o", out, plaintext], { stdio: "inherit" });
  if (run.status !== 0) throw new Error(`age exited ${run.status}`);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function makePlaintext(file: string): Promise<void> {
  const stream = createWriteStream(file);
  for (let i = 0; i < MIB; i++) if (!stream.write(randomBytes(1024 * 1024))) await once(stream, "drain");
  stream.end();
  await once(stream, "finish");
}

/** One deal on chain (terms proposed and signed by both parties) for the supplier to deliver to. */
async function dealOnChain(base: string, token: string) {
  const parties = await benchParties(base, token);
  const { gateway, operator, reviewer, university, company } = parties;
  const arbitrator = await account(gateway, operator, reviewer, "arbitrator", { zh: "仲裁员", en: "An Arbitrator" });
  const dealId = await openBenchDeal(parties, 0);
  await company.client.proposeEscrowTerms({
    dealId,
    contract: {
      name: "contract.pdf",
      mediaType: "application/pdf",
      bytes: new TextEncoder().encode("%PDF-1.4\n%%EOF\n"),
    },
    currency: "CNY",
    total: 100_000_000,
    milestones: [
      { title: "工艺包交付", amount: 100_000_000, deliverBy: new Date(Date.now() + 30 * 86_400_000).toISOString() },
    ],
    arbitratorId: arbitrator.user.id,
    inspectionPeriodSeconds: 7 * 86400,
    rulingPeriodSeconds: 14 * 86400,
    appealWindowSeconds: 0,
  });
  for (const party of [university, company]) await party.client.signEscrowTerms({ dealId, signer: party.wallet });
  for (let i = 0; ; i++) {
    const escrow = await company.client.getEscrow({ dealId });
    if (escrow.status === "created")
      return { dealId, recipient: escrow.parties.demander.recipient!, supplierToken: university.client.token! };
    if (i > 120) throw new Error("the deal did not go on chain within a minute");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Resident set of a process now, from /proc (Linux), in MiB. */
async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Resets a process's peak resident set (Linux: "5" to /proc/<pid>/clear_refs); whether it could. */
async function resetPeak(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** Peak resident set of a process, from /proc (Linux), in MiB. */
async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function main(): Promise<void> {
  const hasAge = spawnSync("age", ["--version"]).status === 0;
  const work = await mkdtemp(path.join(tmpdir(), "ttl-bench-delivery-"));
  const gateway = await startBenchGateway("delivery");
  try {
    console.error(`setting up a deal on chain, and a ${MIB} MiB plaintext…`);
    const { dealId, recipient, supplierToken } = await dealOnChain(gateway.base, gateway.token);
    const plaintext = path.join(work, "plain.bin");
    await makePlaintext(plaintext);
    const out = path.join(work, "out.age");
    const mib = (seconds: number) => MIB / seconds;
    const rows: Record<string, number[]> = { cli: [], sdk: [], upload: [] };
    let sdkPeak = 0;
    let library: { seconds: number; peakRssMiB: number } | undefined;
    if (LIBRARY) {
      library = await client({ MODE: "library", PLAINTEXT: plaintext, OUT: out, RECIPIENT: recipient });
      console.log(
        `age-encryption library, streaming: ${mib(library.seconds).toFixed(0)} MiB/s, peak RSS ${library.peakRssMiB.toFixed(0)} MiB`,
      );
    }
    // The gateway's peak from here on: its start (compiling, the chain, the deal) is not the upload's.
    const gatewayIdle = await residentMiB(gateway.process.pid!);
    const peakReset = await resetPeak(gateway.process.pid!);
    for (let round = 1; round <= ROUNDS; round++) {
      if (hasAge) rows.cli.push(mib(ageCli(plaintext, out, recipient).seconds));
      const sdk = await client({ MODE: "file", PLAINTEXT: plaintext, OUT: out, RECIPIENT: recipient });
      rows.sdk.push(mib(sdk.seconds));
      const query = new URLSearchParams({ name: "package.bin.age", recipients: recipient });
      const upload = await client({
        MODE: "upload",
        PLAINTEXT: plaintext,
        RECIPIENT: recipient,
        URL: `${gateway.base}/v1/deals/${dealId}/milestones/0/delivery-files?${query}`,
        TOKEN: supplierToken,
      });
      if (upload.answer?.status !== 201) throw new Error(`the upload was refused: ${JSON.stringify(upload.answer)}`);
      rows.upload.push(mib(upload.seconds));
      sdkPeak = Math.max(sdkPeak, sdk.peakRssMiB, upload.peakRssMiB);
      console.log(
        `round ${round}: age CLI ${hasAge ? `${rows.cli.at(-1)!.toFixed(0)} MiB/s` : "—"}, SDK to a file ${rows.sdk.at(-1)!.toFixed(0)} MiB/s (peak RSS ${sdk.peakRssMiB.toFixed(0)} MiB), ` +
          `SDK streamed to the gateway ${rows.upload.at(-1)!.toFixed(0)} MiB/s (client peak RSS ${upload.peakRssMiB.toFixed(0)} MiB)`,
      );
    }
    const gatewayPeak = await peakRssMiB(gateway.process.pid!);
    console.log(`\n${MIB} MiB, ${ROUNDS} rounds, medians:`);
    if (hasAge) console.log(`  age CLI (baseline)                 ${median(rows.cli).toFixed(0)} MiB/s`);
    else console.log("  age CLI: not on PATH (apt-get install age); no ratio");
    const ratio = (value: number) => (hasAge ? ` = ${(value / median(rows.cli)).toFixed(2)} of the CLI` : "");
    if (library)
      console.log(
        `  age-encryption library, streaming  ${mib(library.seconds).toFixed(0)} MiB/s${ratio(mib(library.seconds))} (once)`,
      );
    console.log(`  SDK encryptDeliveryStream, to file ${median(rows.sdk).toFixed(0)} MiB/s${ratio(median(rows.sdk))}`);
    console.log(
      `  SDK streamed to the gateway        ${median(rows.upload).toFixed(0)} MiB/s${ratio(median(rows.upload))}`,
    );
    console.log(
      `  peak RSS: SDK client ${sdkPeak.toFixed(0)} MiB; gateway ${gatewayPeak.toFixed(0)} MiB ` +
        `${peakReset ? "during the uploads" : "over its whole life (the peak could not be reset)"}, ${gatewayIdle.toFixed(0)} MiB idle before them (limit 256)`,
    );
  } finally {
    await gateway.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
