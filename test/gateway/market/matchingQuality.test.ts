import { describe, expect, it } from "vitest";
import { evaluateMatching } from "../../../scripts/eval-matching";

describe("matching quality on the labelled set (test/fixtures/matching)", () => {
  it("ranks the answers to each need high, across Chinese and English, past the look-alikes (nDCG@10 ≥ 0.8)", () => {
    const { byDemand, bySupply } = evaluateMatching();
    expect(byDemand.queries).toBeGreaterThanOrEqual(25);
    expect(byDemand.ndcgAt10).toBeGreaterThanOrEqual(0.8);
    expect(byDemand.recallAt5).toBeGreaterThanOrEqual(0.8);
    expect(byDemand.mrr).toBeGreaterThanOrEqual(0.8);
    expect(bySupply.ndcgAt10).toBeGreaterThanOrEqual(0.8);
  });
});
