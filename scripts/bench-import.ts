// `npm run bench:import`: how long `npm run import` takes for a catalogue of 10,000 listings
// (docs/BENCHMARKS.md), against a gateway in its own process as `npm start` runs it. Each round imports
// the catalogue for a fresh certified supplier, pre-approved by a reviewer's signature (the heavier path:
// every listing is published and then approved, two evidence records each). The baseline, in the same
// run, publishes listings one request at a time through `POST /v1/listings` (32 at once) as a client would.
// Options (env): BENCH_LISTINGS (default 10000), BENCH_ROUNDS (3), BENCH_BASELINE (2000).
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { batchId, importApprovalMessage, lineDigest } from "../gateway/market/imports";
import { createGatewayClient, type ListingContent } from "../sdk";
import { readCatalogue, runImport } from "./import";
import { startBenchGateway } from "./lib/benchGateway";
import { account, RECIPIENT } from "./lib/demoAccounts";

const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BASELINE = Number(process.env.BENCH_BASELINE ?? 2000);

/** Catalogue lines made from the labelled set's supplies, each with a title of its own. */
function catalogue(count: number, round: number): string[] {
  const fixtures = JSON.parse(
    readFileSync(path.join(__dirname, "..", "test", "fixtures", "matching", "listings.json"), "utf8"),
  ) as Array<Record<string, unknown> & { id: string; side: string; title: Record<string, string> }>;
  const supplies = fixtures.filter((l) => l.side === "supply");
  return Array.from({ length: count }, (_, i) => {
    const { id: _id, ...listing } = supplies[i % supplies.length];
    const title = Object.fromEntries(
      Object.entries(listing.title).map(([tag, text]) => [tag, `${text} (${round}-${i})`]),
    );
    return JSON.stringify({ importId: `bench-${round}-${i}`, ...listing, title });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  console.log(
    `# bench:import — ${new Date().toISOString()}, Node ${process.version}, ${LISTINGS} listings × ${ROUNDS}`,
  );
  const gateway = await startBenchGateway("import");
  const work = await mkdtemp(path.join(tmpdir(), "ttl-bench-import-"));
  try {
    const api = createGatewayClient({ baseUrl: gateway.base });
    const operator = api.withToken(gateway.token);
    const reviewerKey = new Wallet(Wallet.createRandom().privateKey);
    const reviewerAccount = await api.register({
      signer: reviewerKey,
      type: "individual",
      names: { zh: "审核员" },
      encryptionRecipient: RECIPIENT,
    });
    await operator.grantRole({ userId: reviewerAccount.user.id, role: "reviewer" });
    const reviewer = (await api.signIn({ signer: reviewerKey })).client;

    // Baseline: listings published one request each, by the supplier's own session.
    const publisher = await account(api, operator, reviewer, "supplier", { zh: "基准大学", en: "Baseline University" });
    const lines = catalogue(BASELINE, 0).map((line) => {
      const { importId: _id, ...listing } = JSON.parse(line) as Record<string, unknown>;
      return listing;
    });
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < lines.length) await publisher.client.createListing({ content: lines[next++] as ListingContent });
      }),
    );
    const baselineRate = BASELINE / ((performance.now() - started) / 1000);

    const seconds: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const supplier = await account(api, operator, reviewer, "supplier", {
        zh: `导入大学${round}`,
        en: `Import University ${round}`,
      });
      const text = catalogue(LISTINGS, round).join("\n");
      const file = path.join(work, `round-${round}.jsonl`);
      await writeFile(file, text);
      const { lines: parsed } = readCatalogue(text);
      const id = batchId(supplier.user.id, Object.fromEntries(parsed.map((l) => [l.importId, lineDigest(l.content)])));
      const signature = await reviewerKey.signMessage(importApprovalMessage(id));
      const t = performance.now();
      const report = await runImport({
        file,
        asUser: supplier.user.id,
        gateway: gateway.base,
        token: gateway.token,
        approval: { reviewerId: reviewerAccount.user.id, signature },
      });
      seconds.push((performance.now() - t) / 1000);
      if (report.approved !== LISTINGS) throw new Error(`round ${round}: ${JSON.stringify(report).slice(0, 300)}`);
      console.log(`round ${round}: ${seconds.at(-1)!.toFixed(1)} s (${report.approved} published and approved)`);
    }
    const importSeconds = median(seconds);
    console.log("\n| figure | target | measured |");
    console.log("| --- | --- | ---: |");
    console.log(
      `| ${LISTINGS.toLocaleString("en")} listings imported and pre-approved (median of ${ROUNDS}) | < 60 s | **${importSeconds.toFixed(1)} s** (rounds: ${seconds.map((s) => s.toFixed(1)).join(" · ")}) |`,
    );
    console.log(`| import rate | | ${(LISTINGS / importSeconds).toFixed(0)} listings/s |`);
    console.log(
      `| baseline: POST /v1/listings one at a time, 32 concurrent (${BASELINE}, submitted only) | | ${baselineRate.toFixed(0)} listings/s |`,
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
