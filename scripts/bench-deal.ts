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
import { Wallet } from "ethers";
import { createGatewayClient, type GatewayClient } from "../sdk";
import { startBenchGateway } from "./lib/benchGateway";
import { account, RECIPIENT } from "./lib/demoAccounts";

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

async function openDeals(base: string, operator: GatewayClient, count: number) {
  const gateway = createGatewayClient({ baseUrl: base });
  const reviewerKey = new Wallet(Wallet.createRandom().privateKey);
  const { user } = await gateway.register({
    signer: reviewerKey,
    type: "individual",
    names: { zh: "审核员" },
    encryptionRecipient: RECIPIENT,
  });
  await operator.grantRole({ userId: user.id, role: "reviewer" });
  const reviewer = (await gateway.signIn({ signer: reviewerKey })).client;
  const university = await account(gateway, operator, reviewer, "supplier", {
    zh: "云南某理工大学",
    en: "A University",
  });
  const company = await account(gateway, operator, reviewer, "demander", { zh: "某新能源公司", en: "A Company" });
  const demand = await company.client.createListing({
    content: {
      side: "demand",
      language: "zh",
      title: { zh: "退役光伏组件回收" },
      summary: { zh: "年处理退役光伏组件两万吨，需经济环保的回收工艺。" },
      problem: { zh: "组件填埋污染环境" },
      targets: ["硅回收率 ≥ 90%"],
      field: "env.recycling",
      ipc: ["B09B 3/00"],
      keywords: ["光伏组件回收"],
      minTrl: 5,
      budget: { min: 50_000_000, max: 200_000_000, currency: "CNY" },
      modes: ["transfer"],
      region: "CN-44",
      deadline: "2027-12-31",
    },
  });
  await reviewer.reviewListing({ listingId: demand.id, approved: true });
  const openOne = async (i: number) => {
    const supply = await university.client.createListing({
      content: {
        side: "supply",
        language: "zh",
        title: { zh: `光伏组件回收工艺 ${i + 1}` },
        summary: { zh: "低温热解与湿法冶金联用，回收玻璃、铝、银和高纯硅。" },
        field: "env.recycling",
        ipc: ["B09B 3/00"],
        keywords: ["光伏组件回收"],
        trl: 6,
        resultKind: "patent",
        ip: [{ number: `ZL2021${100000 + i}.1`, kind: "invention-patent", status: "granted", owner: "云南某理工大学" }],
        modes: ["transfer"],
        price: { amount: 100_000_000, currency: "CNY" },
        region: "CN-53",
      },
    });
    await reviewer.reviewListing({ listingId: supply.id, approved: true });
    const match = await company.client.proposeMatch({ supplyId: supply.id, demandId: demand.id });
    await company.client.answerMatch({ matchId: match.id, accept: true });
    const dealId = (await university.client.answerMatch({ matchId: match.id, accept: true })).deal!.id;
    await company.client.moveDeal({ dealId, move: "begin_negotiation" });
    return dealId;
  };
  const deals: string[] = new Array(count);
  // Opened by eight at a time: setting up is not what is measured.
  await Promise.all(
    Array.from({ length: 8 }, async (_, lane) => {
      for (let i = lane; i < count; i += 8) deals[i] = await openOne(i);
    }),
  );
  return { deals, supplierToken: university.client.token!, demanderToken: company.client.token! };
}

async function main(): Promise<void> {
  const gateway = await startBenchGateway("deal");
  const { base, token } = gateway;
  try {
    const operator = createGatewayClient({ baseUrl: base, token });
    console.error(`opening ${CONNECTIONS * DEALS_PER_WORKER} deals…`);
    const { deals, supplierToken, demanderToken } = await openDeals(base, operator, CONNECTIONS * DEALS_PER_WORKER);
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
