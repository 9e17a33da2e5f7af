// `npm run eval:matching`: search and matching quality on the labelled set of
// test/fixtures/matching (docs/BENCHMARKS.md): Recall@5, MRR and nDCG@10, for
// matching from demands to supplies and, for the supplies judged both ways,
// back; and for the search queries of search-queries.json. Each is reported
// same-language and cross-language, and, as the baseline in the same run, with
// the Chinese–English bridge off.
import { readFileSync } from "node:fs";
import path from "node:path";
import { rankMatches } from "../gateway/market/matching";
import { summarise, type RankingRun, type RankingSummary } from "../gateway/market/rankingMetrics";
import { listingSchema } from "../gateway/market/schemas";
import { SearchIndex } from "../gateway/market/search/searchIndex";
import type { Listing, ListingContent } from "../gateway/market/types";

const FIXTURES = path.join(__dirname, "..", "test", "fixtures", "matching");

interface SearchQuery {
  id: string;
  language: string;
  q: string;
  /** The demand whose graded supplies (`byDemand`) are this query's judgments. */
  need: string;
}

/** A set of runs summarised as a whole and split by whether the answer is in another language. */
export interface SplitSummary {
  all: RankingSummary;
  sameLanguage: RankingSummary;
  crossLanguage: RankingSummary;
}

export interface Evaluation {
  byDemand: SplitSummary;
  bySupply: RankingSummary;
  search: SplitSummary;
}

function load() {
  const raw = JSON.parse(readFileSync(path.join(FIXTURES, "listings.json"), "utf8")) as Array<
    Record<string, unknown> & { id: string }
  >;
  const judgments = JSON.parse(readFileSync(path.join(FIXTURES, "judgments.json"), "utf8")) as {
    byDemand: Record<string, Record<string, number>>;
    bySupply: Record<string, Record<string, number>>;
  };
  const queries = JSON.parse(readFileSync(path.join(FIXTURES, "search-queries.json"), "utf8")) as SearchQuery[];
  const contents = new Map<string, ListingContent>();
  for (const { id, ...fields } of raw) contents.set(id, listingSchema.parse(fields) as ListingContent);
  return { contents, judgments, queries };
}

function buildIndex(contents: Map<string, ListingContent>, bridge: boolean): SearchIndex {
  const index = bridge ? new SearchIndex() : new SearchIndex(null);
  const at = "2026-11-01T00:00:00.000Z";
  for (const [id, content] of contents) {
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
  return index;
}

const split = (runs: Array<RankingRun & { cross: boolean }>): SplitSummary => ({
  all: summarise(runs),
  sameLanguage: summarise(runs.filter((run) => !run.cross)),
  crossLanguage: summarise(runs.filter((run) => run.cross)),
});

const bestAnswer = (relevant: Record<string, number>) =>
  Object.entries(relevant).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];

/**
 * Indexes the labelled listings and ranks every judged query; used by the
 * script and by a test. A matching query is cross-language when its best answer
 * is written in another source language; a search query when its best answer
 * has no title in the query's language.
 */
export function evaluateMatching({ bridge = true }: { bridge?: boolean } = {}): Evaluation {
  const { contents, judgments, queries } = load();
  const index = buildIndex(contents, bridge);
  const matchRuns = (relevantBy: Record<string, Record<string, number>>) =>
    Object.entries(relevantBy).map(([id, relevant]) => ({
      query: id,
      ranked: rankMatches(index, contents.get(id)!, { limit: 10, exclude: id }).map((match) => match.id),
      relevant,
      cross: contents.get(bestAnswer(relevant))!.language !== contents.get(id)!.language,
    }));
  const searchRuns = queries.map(({ id, q, language, need }) => {
    const relevant = judgments.byDemand[need];
    const ranked = index.search(q, { side: "supply" }, { limit: 10 }).hits.map(({ entry }) => entry.id);
    return { query: id, ranked, relevant, cross: !contents.get(bestAnswer(relevant))!.title[language] };
  });
  return {
    byDemand: split(matchRuns(judgments.byDemand)),
    bySupply: summarise(matchRuns(judgments.bySupply)),
    search: split(searchRuns),
  };
}

if (require.main === module) {
  const withBridge = evaluateMatching();
  const baseline = evaluateMatching({ bridge: false });
  const row = (name: string, s: RankingSummary, base: RankingSummary) =>
    `| ${name} | ${s.queries} | ${s.recallAt5.toFixed(3)} | ${s.mrr.toFixed(3)} | ${s.ndcgAt10.toFixed(3)} | ${base.mrr.toFixed(3)} | ${base.ndcgAt10.toFixed(3)} |`;
  console.log("# eval:matching — labelled set of test/fixtures/matching\n");
  console.log("| run | queries | Recall@5 | MRR | nDCG@10 | MRR, bridge off | nDCG@10, bridge off |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [name, s, base] of [
    ["matching demand → supplies, all", withBridge.byDemand.all, baseline.byDemand.all],
    ["matching demand → supplies, same language", withBridge.byDemand.sameLanguage, baseline.byDemand.sameLanguage],
    ["matching demand → supplies, cross-language", withBridge.byDemand.crossLanguage, baseline.byDemand.crossLanguage],
    ["matching supply → demands", withBridge.bySupply, baseline.bySupply],
    ["search, all", withBridge.search.all, baseline.search.all],
    ["search, same language", withBridge.search.sameLanguage, baseline.search.sameLanguage],
    ["search, cross-language", withBridge.search.crossLanguage, baseline.search.crossLanguage],
  ] as const) {
    console.log(row(name, s, base));
  }
}
