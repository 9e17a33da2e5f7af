// What one `GET /v1/statistics` costs over N deals (docs/STATISTICS.md): the
// statistics read every listing, match and deal on each request (nothing is kept
// between requests), so this times one request at two sizes of the market.
// The gateway runs as `npm start` runs it, in a process of its own, on a fresh
// local chain; deals are opened by confirmed matches, eight at a time.
// Run: node --import tsx scripts/bench-statistics.ts
// Options (env): BENCH_DEALS (comma-separated sizes, default "100,300"), BENCH_REPEATS (default 7).
import { startBenchGateway } from "./lib/benchGateway";
import { benchParties } from "./lib/benchDeals";

const SIZES = (process.env.BENCH_DEALS ?? "100,300").split(",").map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const gateway = await startBenchGateway("statistics");
  const { base, token } = gateway;
  try {
    const parties = await benchParties(base, token);
    const { operator, reviewer, demandId } = parties;
    const university = parties.university.client;
    const company = parties.company.client;
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
