// `npm run eval:matching`: matching quality on the labelled set of
// test/fixtures/matching (docs/BENCHMARKS.md): Recall@5, MRR and nDCG@10 from
// demands to supplies and, for the supplies judged both ways, back.
import { readFileSync } from "node:fs";
import path from "node:path";
import { rankMatches } from "../gateway/market/matching";
import { summarise, type RankingRun, type RankingSummary } from "../gateway/market/rankingMetrics";
import { listingSchema } from "../gateway/market/schemas";
import { SearchIndex } from "../gateway/market/search/searchIndex";
import type { Listing, ListingContent } from "../gateway/market/types";

const FIXTURES = path.join(__dirname, "..", "test", "fixtures", "matching");

/** Indexes the labelled listings and ranks every judged query; used by the script and by a test. */
export function evaluateMatching(): { byDemand: RankingSummary; bySupply: RankingSummary } {
  const raw = JSON.parse(readFileSync(path.join(FIXTURES, "listings.json"), "utf8")) as Array<
    Record<string, unknown> & { id: string }
  >;
  const judgments = JSON.parse(readFileSync(path.join(FIXTURES, "judgments.json"), "utf8"));
  const index = new SearchIndex();
  const contents = new Map<string, ListingContent>();
  const at = new Date().toISOString();
  for (const { id, ...fields } of raw) {
    const content = listingSchema.parse(fields) as ListingContent;
    contents.set(id, content);
    const listing: Listing = {
      id,
      side: content.side,
      ownerId: `owner-${id}`,
      status: "approved",
      versions: [
        {
          version: 1,
          content,
          submittedAt: at,
          recordId: "",
          review: { approved: true, reasons: [], by: "", at, recordId: "" },
        },
      ],
      approvedVersion: 1,
      accessRequests: [],
      createdAt: at,
      updatedAt: at,
    };
    index.update(listing);
  }
  const run = (queries: Record<string, Record<string, number>>): RankingRun[] =>
    Object.entries(queries).map(([id, relevant]) => ({
      query: id,
      ranked: rankMatches(index, contents.get(id)!, { limit: 10, exclude: id }).map((match) => match.id),
      relevant,
    }));
  return { byDemand: summarise(run(judgments.byDemand)), bySupply: summarise(run(judgments.bySupply)) };
}

if (require.main === module) {
  const { byDemand, bySupply } = evaluateMatching();
  console.log("# eval:matching — labelled set of test/fixtures/matching\n");
  console.log("| direction | queries | Recall@5 | MRR | nDCG@10 |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const [name, s] of [
    ["demand → supplies", byDemand],
    ["supply → demands", bySupply],
  ] as const) {
    console.log(
      `| ${name} | ${s.queries} | ${s.recallAt5.toFixed(3)} | ${s.mrr.toFixed(3)} | ${s.ndcgAt10.toFixed(3)} |`,
    );
  }
}
