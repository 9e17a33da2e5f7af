// `npm run bench:challenge-flood`: do other people still sign in while one client
// floods `POST /v1/auth/challenge` (no login needed) as fast as it can?
// (docs/BENCHMARKS.md, docs/IDENTITY.md)
//
// In each round, the same sign-in clients (challenge + signature + session, end to
// end over HTTP, with keys of registered accounts) run twice for BENCH_SECONDS:
// first alone (the baseline), then while autocannon floods the challenge route
// with BENCH_FLOOD_CONNECTIONS connections. Reported: the flood's rate and answers,
// and the sign-ins' successes, failures and latency, medians over the rounds.
//
// The gateway runs in its own process (`scripts/start.ts`, fresh data and chain);
// the flood and the sign-in clients run in this one, on loopback only.
// Options (env): BENCH_SECONDS (default 10), BENCH_ROUNDS (3), BENCH_FLOOD_CONNECTIONS (64),
// BENCH_CLIENTS (8 concurrent sign-in clients).
import autocannon from "autocannon";
import { Wallet } from "ethers";
import { startBenchGateway } from "./lib/benchGateway";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FLOOD_CONNECTIONS = Number(process.env.BENCH_FLOOD_CONNECTIONS ?? 64);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values: number[], p: number) =>
  values.length === 0
    ? NaN
    : [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

async function post(base: string, pathname: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${base}${pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** One sign-in, as a client does it; throws with the refusal when any step is refused. */
async function signIn(base: string, wallet: Wallet): Promise<void> {
  const challenge = await post(base, "/v1/auth/challenge", { address: wallet.address });
  if (challenge.status !== 201) throw new Error(`challenge: ${challenge.status} ${challenge.json.error?.code}`);
  const signature = await wallet.signMessage(challenge.json.message);
  const session = await post(base, "/v1/auth/session", { message: challenge.json.message, signature });
  if (session.status !== 201) throw new Error(`session: ${session.status} ${session.json.error?.code}`);
}

interface SignIns {
  ok: number;
  failed: number;
  failures: Record<string, number>;
  latenciesMs: number[];
}

/** The sign-in clients, each signing in again and again until the deadline. */
async function signIns(base: string, wallets: Wallet[]): Promise<SignIns> {
  const result: SignIns = { ok: 0, failed: 0, failures: {}, latenciesMs: [] };
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, worker) => {
      for (let i = worker; Date.now() < deadline; i += CLIENTS) {
        const started = performance.now();
        try {
          await signIn(base, wallets[i % wallets.length]);
          result.ok++;
          result.latenciesMs.push(performance.now() - started);
        } catch (error) {
          result.failed++;
          const reason = (error as Error).message;
          result.failures[reason] = (result.failures[reason] ?? 0) + 1;
        }
      }
    }),
  );
  return result;
}

async function main(): Promise<void> {
  const gateway = await startBenchGateway("challenge-flood");
  const base = gateway.base;
  try {
    console.log(`# bench:challenge-flood — ${new Date().toISOString()}, Node ${process.version}`);
    const wallets = Array.from({ length: CLIENTS * 4 }, () => new Wallet(Wallet.createRandom().privateKey));
    for (const wallet of wallets) {
      const challenge = await post(base, "/v1/auth/challenge", { address: wallet.address });
      const registered = await post(base, "/v1/users", {
        type: "individual",
        names: { en: "Bench" },
        encryptionRecipient: RECIPIENT,
        message: challenge.json.message,
        signature: await wallet.signMessage(challenge.json.message),
      });
      if (registered.status !== 201) throw new Error(`registration: ${JSON.stringify(registered.json)}`);
    }
    const flooder = Wallet.createRandom().address;
    const rows: Array<{ alone: SignIns; flooded: SignIns; flood: autocannon.Result }> = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const alone = await signIns(base, wallets);
      const flooding = autocannon({
        url: `${base}/v1/auth/challenge`,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ address: flooder }),
        connections: FLOOD_CONNECTIONS,
        duration: SECONDS,
      });
      const flooded = await signIns(base, wallets);
      const flood = await flooding;
      rows.push({ alone, flooded, flood });
      console.log(
        `round ${round}: flood ${Math.round(flood.requests.average)} req/s (${flood.requests.total} challenges, ` +
          `${flood.non2xx} not 2xx); sign-ins alone ${alone.ok} ok / ${alone.failed} failed, ` +
          `during the flood ${flooded.ok} ok / ${flooded.failed} failed ${JSON.stringify(flooded.failures)}`,
      );
    }
    const perSecond = (s: SignIns) => s.ok / SECONDS;
    console.log(
      `\nMedians of ${ROUNDS} rounds of ${SECONDS} s, ${CLIENTS} sign-in clients, ${FLOOD_CONNECTIONS} flood connections:\n`,
    );
    console.log(
      "| | sign-ins/s | failed sign-ins | sign-in p50 (ms) | sign-in p95 (ms) | flood challenges/s | flood answers not 201 |",
    );
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    console.log(
      `| alone (baseline) | ${median(rows.map((r) => perSecond(r.alone))).toFixed(1)} | ${median(rows.map((r) => r.alone.failed))} | ` +
        `${median(rows.map((r) => percentile(r.alone.latenciesMs, 0.5))).toFixed(1)} | ` +
        `${median(rows.map((r) => percentile(r.alone.latenciesMs, 0.95))).toFixed(1)} | – | – |`,
    );
    console.log(
      `| during the flood | ${median(rows.map((r) => perSecond(r.flooded))).toFixed(1)} | ${median(rows.map((r) => r.flooded.failed))} | ` +
        `${median(rows.map((r) => percentile(r.flooded.latenciesMs, 0.5))).toFixed(1)} | ` +
        `${median(rows.map((r) => percentile(r.flooded.latenciesMs, 0.95))).toFixed(1)} | ` +
        `${Math.round(median(rows.map((r) => r.flood.requests.average)))} | ${median(rows.map((r) => r.flood.non2xx))} |`,
    );
    const failedDuringFlood = rows.reduce((sum, r) => sum + r.flooded.failed, 0);
    if (failedDuringFlood > 0) {
      console.error(`\n${failedDuringFlood} sign-ins failed during the flood`);
      process.exitCode = 1;
    }
  } finally {
    await gateway.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
