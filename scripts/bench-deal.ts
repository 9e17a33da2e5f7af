// `npm run bench:deal`: a deal's moves per second through the gateway (issue 13's
// figure), with anchoring running, against POST /v1/evidence in the same run.
// The gateway runs as `npm start` runs it, in a process of its own, on a fresh
// local chain. DEALS_PER_WORKER deals per worker are opened by confirmed
// matches; each worker moves its deals round the table (negotiating →
// investigating → contracting → negotiating, each move a `deal.moved` record
// written with the workspace in one unit), MOVES_PER_DEAL moves each before it
// takes its next deal (a deal's life is some ten moves, and the workspace keeps
// its history: a deal moved thousands of times is not one the platform sees),
// or writes messages in them; the baseline is the same workers recording plain
// evidence. The same client drives all three, so the ratio is the gateway's
// cost, not the load generator's.
// Options (env): BENCH_SECONDS (default 10), BENCH_ROUNDS (3), BENCH_CONNECTIONS (16),
// BENCH_DEALS_PER_WORKER (24), BENCH_MOVES_PER_DEAL (30).
import { startBenchGateway } from "./lib/benchGateway";
import { benchParties, openBenchDeal } from "./lib/benchDeals";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DEALS_PER_WORKER = Number(process.env.BENCH_DEALS_PER_WORKER ?? 24);
const MOVES_PER_DEAL = Number(process.env.BENCH_MOVES_PER_DEAL ?? 30);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** Round the table: each move legal from where the one before left the deal. */
const CYCLE = ["begin_investigation", "begin_contracting", "resume_negotiation"] as const;

/** `workers` loops, each sending its own next request as soon as the last answered, for SECONDS; requests per second. */
async function load(workers: number, next: (worker: number, i: number) => Promise<Response>): Promise<number> {
  const until = Date.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; Date.now() < until; i++) {
        const response = await next(worker, i);
        if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
        await response.arrayBuffer();
        done++;
      }
    }),
  );
  return done / SECONDS;
}

async function openDeals(base: string, token: string, count: number) {
  const parties = await benchParties(base, token);
  const openOne = async (i: number) => {
    const dealId = await openBenchDeal(parties, i);
    await parties.company.client.moveDeal({ dealId, move: "begin_negotiation" });
    return dealId;
  };
  const deals: string[] = new Array(count);
  // Opened by eight at a time: setting up is not what is measured.
  await Promise.all(
    Array.from({ length: 8 }, async (_, lane) => {
      for (let i = lane; i < count; i += 8) deals[i] = await openOne(i);
    }),
  );
  return { deals, supplierToken: parties.university.client.token!, demanderToken: parties.company.client.token! };
}

async function main(): Promise<void> {
  const gateway = await startBenchGateway("deal");
  const { base, token } = gateway;
  try {
    console.error(`opening ${CONNECTIONS * DEALS_PER_WORKER} deals…`);
    const { deals, supplierToken, demanderToken } = await openDeals(base, token, CONNECTIONS * DEALS_PER_WORKER);
    /** Each worker's deals, and how many moves each has had (a move's place in the cycle follows from it). */
    const queues = Array.from({ length: CONNECTIONS }, (_, worker) =>
      deals.slice(worker * DEALS_PER_WORKER, (worker + 1) * DEALS_PER_WORKER).map((id) => ({ id, moved: 0 })),
    );
    const cursor = new Array<number>(CONNECTIONS).fill(0);
    const post = (path: string, bearer: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    let n = 0;
    const evidence = () =>
      post("/v1/evidence", token, {
        kind: "negotiation.recorded",
        subject: `deal:bench-${n++ % 500}`,
        data: { type: "message", text: "bench", n },
      });
    // A worker moves its current deal MOVES_PER_DEAL times, then its next (round again when all are done).
    const moves = async (worker: number) => {
      const queue = queues[worker];
      let deal = queue[cursor[worker] % queue.length];
      if (deal.moved >= MOVES_PER_DEAL * (1 + Math.floor(cursor[worker] / queue.length))) {
        cursor[worker]++;
        deal = queue[cursor[worker] % queue.length];
      }
      const response = await post(`/v1/deals/${deal.id}/moves`, deal.moved % 2 ? supplierToken : demanderToken, {
        move: CYCLE[deal.moved % 3],
      });
      if (response.ok) deal.moved++;
      return response;
    };
    const messages = (worker: number, i: number) =>
      post(`/v1/deals/${queues[worker][i % DEALS_PER_WORKER].id}/messages`, i % 2 ? supplierToken : demanderToken, {
        text: i % 2 ? "我们同意许可范围。" : "We agree on the licence scope.",
        language: i % 2 ? "zh" : "en",
      });
    console.log(`# bench:deal — ${new Date().toISOString()}, Node ${process.version}`);
    const rows: Record<string, number[]> = { evidence: [], moves: [], messages: [] };
    for (let round = 0; round < ROUNDS; round++) {
      rows.evidence.push(await load(CONNECTIONS, () => evidence()));
      rows.moves.push(await load(CONNECTIONS, (worker) => moves(worker)));
      rows.messages.push(await load(CONNECTIONS, messages));

      console.error(
        `round ${round + 1}/${ROUNDS}: evidence ${rows.evidence[round].toFixed(0)}/s, moves ${rows.moves[round].toFixed(0)}/s, messages ${rows.messages[round].toFixed(0)}/s`,
      );
    }
    const baseline = median(rows.evidence);
    const anchored = await fetch(`${base}/health`).then((r) => r.json());
    console.log(
      `\n## A deal's moves through the gateway, anchoring running (${CONNECTIONS} workers, ${DEALS_PER_WORKER} deals each, at most ${MOVES_PER_DEAL} moves a deal before the next, ${SECONDS} s × ${ROUNDS} rounds, medians)\n`,
    );
    console.log("| request | per second | ratio to POST /v1/evidence |");
    console.log("| --- | ---: | ---: |");
    console.log(`| POST /v1/evidence (operator, bearer) | ${baseline.toFixed(0)} | 1.000 |`);
    console.log(
      `| POST /v1/deals/:id/moves (a party; \`deal.moved\` record + workspace) | ${median(rows.moves).toFixed(0)} | ${(median(rows.moves) / baseline).toFixed(3)} |`,
    );
    console.log(
      `| POST /v1/deals/:id/messages (a party; \`negotiation.recorded\` record + message) | ${median(rows.messages).toFixed(0)} | ${(median(rows.messages) / baseline).toFixed(3)} |`,
    );
    const moved = queues.flat().reduce((sum, deal) => sum + deal.moved, 0);
    console.log(
      `\n${moved} moves in all; the last anchor at the end: ${JSON.stringify(anchored.anchoring?.lastBatch)}`,
    );
  } finally {
    await gateway.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
