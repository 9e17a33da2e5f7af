// `npm run bench:identity`: sign-ins per second, and what checking a session costs
// (docs/BENCHMARKS.md).
//
// 1. Sign-ins: challenge + signature (by the client) + session, end to end over HTTP,
//    from many concurrent clients with keys of registered accounts.
// 2. Requests per second on a public route without a credential, the same route
//    with a session token (the session is checked on every request), and a route
//    that needs the session (GET /v1/users/me), in the same run.
//
// The gateway runs in its own process; the load and the clients' signing in this one.
// Options (env): BENCH_SECONDS (default 10), BENCH_ROUNDS (3), BENCH_CONNECTIONS (32).
import autocannon from "autocannon";
import { Wallet } from "ethers";
import { startBenchGateway } from "./lib/benchGateway";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ACCOUNTS = 200;
const RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function post(base: string, pathname: string, body: unknown): Promise<any> {
  const response = await fetch(`${base}${pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${pathname}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** One sign-in, as a client does it: challenge, sign, session. */
async function signIn(base: string, wallet: Wallet): Promise<string> {
  const challenge = await post(base, "/v1/auth/challenge", { address: wallet.address });
  const signature = await wallet.signMessage(challenge.message);
  return (await post(base, "/v1/auth/session", { message: challenge.message, signature })).token;
}

async function signInsPerSecond(base: string, wallets: Wallet[]): Promise<number> {
  let done = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, worker) => {
      for (let i = worker; Date.now() < deadline; i += CONNECTIONS) {
        await signIn(base, wallets[i % wallets.length]);
        done++;
      }
    }),
  );
  return done / ((Date.now() - started) / 1000);
}

async function requestsPerSecond(url: string, token?: string): Promise<number> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (result.non2xx > 0) throw new Error(`${url}: ${result.non2xx} answers were not 2xx`);
  return result.requests.average;
}

async function main(): Promise<void> {
  const gateway = await startBenchGateway("identity");
  const base = gateway.base;
  try {
    console.log(`# bench:identity — ${new Date().toISOString()}, Node ${process.version}`);
    const wallets = Array.from({ length: ACCOUNTS }, () => new Wallet(Wallet.createRandom().privateKey));
    for (const wallet of wallets) {
      const challenge = await post(base, "/v1/auth/challenge", { address: wallet.address });
      await post(base, "/v1/users", {
        type: "individual",
        names: { en: "Bench" },
        encryptionRecipient: RECIPIENT,
        message: challenge.message,
        signature: await wallet.signMessage(challenge.message),
      });
    }
    const token = await signIn(base, wallets[0]);

    const rows: Record<string, number[]> = { signIns: [], anonymous: [], withSession: [], me: [] };
    await requestsPerSecond(`${base}/v1/chain`); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      rows.signIns.push(await signInsPerSecond(base, wallets));
      rows.anonymous.push(await requestsPerSecond(`${base}/v1/chain`));
      rows.withSession.push(await requestsPerSecond(`${base}/v1/chain`, token));
      rows.me.push(await requestsPerSecond(`${base}/v1/users/me`, token));
      console.error(`round ${round + 1}/${ROUNDS}: ${rows.signIns[round].toFixed(0)} sign-ins/s`);
    }
    const anonymous = median(rows.anonymous);
    console.log(
      `\n## Sign-in and sessions (${CONNECTIONS} concurrent clients, ${SECONDS} s × ${ROUNDS} rounds, medians)\n`,
    );
    console.log("| measure | per second | ratio to anonymous GET /v1/chain |");
    console.log("| --- | ---: | ---: |");
    console.log(`| sign-ins (challenge + client signature + session) | ${median(rows.signIns).toFixed(0)} | |`);
    console.log(`| GET /v1/chain, no credential | ${anonymous.toFixed(0)} | 1.000 |`);
    console.log(
      `| GET /v1/chain with a session token (checked) | ${median(rows.withSession).toFixed(0)} | ${(median(rows.withSession) / anonymous).toFixed(3)} |`,
    );
    console.log(
      `| GET /v1/users/me with a session token | ${median(rows.me).toFixed(0)} | ${(median(rows.me) / anonymous).toFixed(3)} |`,
    );
  } finally {
    await gateway.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
