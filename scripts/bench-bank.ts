// `npm run bench:bank`: what signing and idempotency cost on a write (issue 5's
// figure for the bank's API). The same write, POST /v1/evidence, three ways in
// one run: with a bearer token; with a bearer token and an Idempotency-Key; and
// HMAC-signed with an Idempotency-Key, as the bank sends every write. And the
// bank's pull list, GET /v1/bank/instructions, with a bearer token and signed.
// Every way's requests are made (and signed) before its run, as a bank signs on
// its own machine: the figures are the gateway's.
// Options (env): BENCH_SECONDS (default 6), BENCH_ROUNDS (5), BENCH_CONNECTIONS (32).
// Five rounds of 6 s take as long as three of 10 s did, and their median ratio
// moves less with the machine's noise (±20 % from one run to the next here).
import autocannon from "autocannon";
import { signRequest } from "../sdk";
import { startBenchGateway } from "./lib/benchGateway";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

let n = 0;
const body = () =>
  JSON.stringify({
    kind: "escrow.event",
    subject: `deal:bench-${n % 500}`,
    data: { event: "deposit.locked", amount: 100_000 + n, currency: "CNY", reference: `BANK-${n}` },
  });

/** More requests than a run can send: signing them all before it starts. */
const POOL_PER_SECOND = 4_000;

/**
 * `count` requests made ahead of a run. The bank signs on its own machine; signed
 * here during the run (HMAC-SHA-256 in JavaScript), the load generator would take
 * CPU from the gateway on the same two cores, and the ratio would measure the
 * client as much as the gateway.
 */
function prepared(
  count: number,
  headersFor: (body: string) => Record<string, string>,
  method: "GET" | "POST",
): Array<{ body?: string; headers: Record<string, string> }> {
  return Array.from({ length: count }, () => {
    n++;
    if (method === "GET") return { headers: headersFor("") };
    const text = body();
    return { body: text, headers: { "content-type": "application/json", ...headersFor(text) } };
  });
}

async function run(
  url: string,
  headersFor: (body: string) => Record<string, string>,
  method: "GET" | "POST" = "POST",
  seconds = SECONDS,
): Promise<number> {
  const pool = prepared(POOL_PER_SECOND * seconds, headersFor, method);
  let next = 0;
  const result = await autocannon({
    url,
    method,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest(request) {
          const ready = pool[next++];
          if (ready) {
            request.headers = ready.headers;
            if (ready.body !== undefined) request.body = ready.body;
            return request;
          }
          n++;
          if (method === "GET") {
            request.headers = headersFor("");
            return request;
          }
          request.body = body();
          request.headers = { "content-type": "application/json", ...headersFor(request.body) };
          return request;
        },
      },
    ],
  });
  if (result.non2xx > 0) throw new Error(`${result.non2xx} answers were not 2xx`);
  return result.requests.average;
}

async function main(): Promise<void> {
  const gateway = await startBenchGateway("bank");
  const { base, token } = gateway;
  try {
    const issued = await fetch(`${base}/v1/service-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ label: "bench bank", roles: ["operator"], kind: "signing" }),
    }).then((r) => r.json());
    const bankKey = await fetch(`${base}/v1/service-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ label: "bench bank reads", roles: ["bank"], kind: "signing" }),
    }).then((r) => r.json());
    const url = `${base}/v1/evidence`;
    const pullList = `${base}/v1/bank/instructions`;
    const signedRead = () =>
      signRequest({
        keyId: bankKey.keyId,
        secret: bankKey.secret,
        method: "GET",
        path: "/v1/bank/instructions",
        body: "",
      });
    const bearer = () => ({ authorization: `Bearer ${token}` });
    const bearerIdempotent = () => ({ ...bearer(), "idempotency-key": `bench-${n}` });
    const signed = (text: string) => ({
      ...signRequest({ keyId: issued.keyId, secret: issued.secret, method: "POST", path: "/v1/evidence", body: text }),
      "idempotency-key": `bench-signed-${n}`,
    });
    console.log(`# bench:bank — ${new Date().toISOString()}, Node ${process.version}`);
    const rows: Record<string, number[]> = { bearer: [], idempotent: [], signed: [], readBearer: [], readSigned: [] };
    // Warm-up of every way measured, so that no round 1 measures a cold path (JIT, first compactions).
    for (const [target, headers, method] of [
      [url, bearer, "POST"],
      [url, bearerIdempotent, "POST"],
      [url, signed, "POST"],
      [pullList, bearer, "GET"],
      [pullList, signedRead, "GET"],
    ] as const) {
      await run(target, headers, method, 2);
    }
    // The writes run as bearer, idempotent, bearer, signed, bearer, … : each way's
    // run sits between two bearer runs, and its ratio is to their mean, so a load
    // on the machine that rises or falls during a round (and the compactions a
    // run leaves to the next) weighs on both sides of the ratio alike. The reads
    // follow, apart, so that every write run comes after a write run.
    const ratios: Record<"idempotent" | "signed", number[]> = { idempotent: [], signed: [] };
    let before = await run(url, bearer);
    rows.bearer.push(before);
    for (let round = 0; round < ROUNDS; round++) {
      const idempotent = await run(url, bearerIdempotent);
      const between = await run(url, bearer);
      const signedRate = await run(url, signed);
      const after = await run(url, bearer);
      rows.idempotent.push(idempotent);
      rows.signed.push(signedRate);
      rows.bearer.push(between, after);
      ratios.idempotent.push(idempotent / ((before + between) / 2));
      ratios.signed.push(signedRate / ((between + after) / 2));
      console.error(
        `round ${round + 1}/${ROUNDS}: bearer ${before.toFixed(0)}/s, idempotent ${idempotent.toFixed(0)}/s, ` +
          `bearer ${between.toFixed(0)}/s, signed ${signedRate.toFixed(0)}/s, bearer ${after.toFixed(0)}/s; ` +
          `ratios to the bearer runs around: idempotent ${ratios.idempotent[round].toFixed(3)}, signed ${ratios.signed[round].toFixed(3)}`,
      );
      before = after;
    }
    for (let round = 0; round < ROUNDS; round++) {
      rows.readBearer.push(await run(pullList, bearer, "GET"));
      rows.readSigned.push(await run(pullList, signedRead, "GET"));
    }
    // The figures: the median of the rounds' ratios; the ratio of the columns'
    // medians is printed beside it.
    console.log(
      `\nmedian of the rounds' ratios to the bearer runs around them: idempotent ` +
        `${median(ratios.idempotent).toFixed(3)}, signed ${median(ratios.signed).toFixed(3)}`,
    );
    const baseline = median(rows.bearer);
    console.log(
      `\n## Writes through signature check and idempotency (${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} rounds, medians)\n`,
    );
    console.log("| POST /v1/evidence with | per second | ratio to bearer |");
    console.log("| --- | ---: | ---: |");
    console.log(`| a bearer token | ${baseline.toFixed(0)} | 1.000 |`);
    console.log(
      `| a bearer token and an Idempotency-Key | ${median(rows.idempotent).toFixed(0)} | ${(median(rows.idempotent) / baseline).toFixed(3)} |`,
    );
    console.log(
      `| an HMAC signature and an Idempotency-Key (the bank) | ${median(rows.signed).toFixed(0)} | ${(median(rows.signed) / baseline).toFixed(3)} |`,
    );
    const readBaseline = median(rows.readBearer);
    console.log(`\n## The bank's pull list, GET /v1/bank/instructions (medians)\n`);
    console.log("| GET /v1/bank/instructions with | per second | ratio to bearer |");
    console.log("| --- | ---: | ---: |");
    console.log(`| a bearer token | ${readBaseline.toFixed(0)} | 1.000 |`);
    console.log(
      `| an HMAC signature (the bank) | ${median(rows.readSigned).toFixed(0)} | ${(median(rows.readSigned) / readBaseline).toFixed(3)} |`,
    );
  } finally {
    await gateway.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
