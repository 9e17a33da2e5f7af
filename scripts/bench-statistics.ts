// What one `GET /v1/statistics` costs over N deals (docs/STATISTICS.md): the
// statistics read every listing, match and deal on each request (nothing is kept
// between requests), so this times one request at two sizes of the market.
// The gateway runs as `npm start` runs it, in a process of its own, on a fresh
// local chain; deals are opened by confirmed matches, eight at a time.
// Run: node --import tsx scripts/bench-statistics.ts
// Options (env): BENCH_DEALS (comma-separated sizes, default "100,300"), BENCH_REPEATS (default 7).
import { Wallet } from "ethers";
import { createGatewayClient, type GatewayClient } from "../sdk";
import { startBenchGateway } from "./lib/benchGateway";
import { account, RECIPIENT } from "./lib/demoAccounts";

const SIZES = (process.env.BENCH_DEALS ?? "100,300").split(",").map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The market's people: a reviewer, a university that supplies, a company with one demand. */
async function cast(base: string, operator: GatewayClient) {
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
  const university = (await account(gateway, operator, reviewer, "supplier", { zh: "某大学", en: "A University" }))
    .client;
  const company = (await account(gateway, operator, reviewer, "demander", { zh: "某公司", en: "A Company" })).client;
  const demand = await company.createListing({
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
  return { reviewer, university, company, demandId: demand.id };
}

async function main(): Promise<void> {
  const gateway = await startBenchGateway("statistics");
  const { base, token } = gateway;
  try {
    const operator = createGatewayClient({ baseUrl: base, token });
    const { reviewer, university, company, demandId } = await cast(base, operator);
    const openOne = async (i: number) => {
      const supply = await university.createListing({
        content: {
          side: "supply",
          language: i % 2 ? "zh" : "en",
          title: i % 2 ? { zh: `光伏组件回收工艺 ${i}` } : { en: `PV module recycling process ${i}` },
          summary: i % 2 ? { zh: "低温热解与湿法冶金联用。" } : { en: "Pyrolysis with hydrometallurgy." },
          field: "env.recycling",
          ipc: [i % 3 ? "B09B 3/00" : "H01L 31/18"],
          keywords: ["recycling"],
          trl: 6,
          resultKind: i % 4 ? "patent" : "software",
          ip: [],
          modes: ["transfer"],
          price: { amount: 100_000_000 + i, currency: "CNY" },
          region: i % 2 ? "CN-53" : "TH",
        },
      });
      await reviewer.reviewListing({ listingId: supply.id, approved: true });
      const match = await company.proposeMatch({ supplyId: supply.id, demandId });
      await company.answerMatch({ matchId: match.id, accept: true });
      await university.answerMatch({ matchId: match.id, accept: true });
    };
    const auditor = operator;
    let opened = 0;
    console.log(`GET /v1/statistics, one request at a time, median of ${REPEATS}:`);
    for (const size of SIZES) {
      const from = opened;
      await Promise.all(
        Array.from({ length: 8 }, async (_, lane) => {
          for (let i = from + lane; i < size; i += 8) await openOne(i);
        }),
      );
      opened = size;
      const time = async (path: string) => {
        const times: number[] = [];
        for (let r = 0; r < REPEATS; r++) {
          const started = performance.now();
          const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${auditor.token}` } });
          if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
          await response.arrayBuffer();
          times.push(performance.now() - started);
        }
        return median(times).toFixed(1);
      };
      const json = await time("/v1/statistics");
      const csv = await time("/v1/statistics?format=csv");
      const deals = await time("/v1/statistics/deals");
      console.log(
        `  ${size} deals (${size + 1} listings, ${size} matches): JSON ${json} ms, CSV ${csv} ms; ` +
          `GET /v1/statistics/deals alone ${deals} ms`,
      );
    }
  } finally {
    await gateway.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
