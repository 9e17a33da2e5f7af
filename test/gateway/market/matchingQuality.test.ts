import { describe, expect, it } from "vitest";
import { evaluateMatching } from "../../../scripts/eval-matching";

describe("search and matching quality on the labelled set (test/fixtures/matching)", () => {
  const { byDemand, bySupply, search } = evaluateMatching();

  it("ranks the answers to each need high, across Chinese and English, past the look-alikes (nDCG@10 and MRR ≥ 0.9)", () => {
    expect(byDemand.all.queries).toBeGreaterThanOrEqual(25);
    expect(byDemand.all.ndcgAt10).toBeGreaterThanOrEqual(0.9);
    expect(byDemand.all.recallAt5).toBeGreaterThanOrEqual(0.8);
    expect(byDemand.all.mrr).toBeGreaterThanOrEqual(0.9);
    expect(bySupply.ndcgAt10).toBeGreaterThanOrEqual(0.9);
  });

  it("matches across languages as well (nDCG@10 and MRR ≥ 0.85 where the answer is in another language)", () => {
    expect(byDemand.crossLanguage.queries).toBeGreaterThanOrEqual(10);
    expect(byDemand.crossLanguage.ndcgAt10).toBeGreaterThanOrEqual(0.85);
    expect(byDemand.crossLanguage.mrr).toBeGreaterThanOrEqual(0.85);
  });

  it("finds answers written in another language: search nDCG@10 ≥ 0.7 on at least 20 cross-language queries", () => {
    expect(search.crossLanguage.queries).toBeGreaterThanOrEqual(20);
    expect(search.crossLanguage.ndcgAt10).toBeGreaterThanOrEqual(0.7);
    expect(search.sameLanguage.ndcgAt10).toBeGreaterThanOrEqual(0.8);
  });
});
