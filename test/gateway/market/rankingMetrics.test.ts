import { describe, expect, it } from "vitest";
import { RELEVANT_GRADE, ndcgAtK, recallAtK, reciprocalRank, summarise } from "../../../gateway/market/rankingMetrics";

const LOG2_3 = Math.log2(3);

describe("recallAtK", () => {
  const judged = { a: 3, b: 2, c: 1, d: 0 };

  it("counts grades of 2 and above as relevant", () => {
    expect(RELEVANT_GRADE).toBe(2);
    expect(recallAtK(["a", "b", "c"], judged, 3)).toBe(1);
    expect(recallAtK(["c", "d", "a"], judged, 3)).toBe(0.5);
  });

  it("looks only at the first k results", () => {
    expect(recallAtK(["x", "y", "a", "b"], judged, 2)).toBe(0);
    expect(recallAtK(["x", "y", "a", "b"], judged, 3)).toBe(0.5);
    expect(recallAtK(["x", "y", "a", "b"], judged, 4)).toBe(1);
  });

  it("counts a repeated id once, while the repeats still take up positions", () => {
    expect(recallAtK(["a", "a", "a", "b"], judged, 3)).toBe(0.5);
    expect(recallAtK(["a", "a", "a", "b"], judged, 4)).toBe(1);
  });

  it("lets the caller lower the threshold to grade 1", () => {
    expect(recallAtK(["c", "x"], judged, 5, { minGrade: 1 })).toBeCloseTo(1 / 3);
  });

  it("is 0 for an empty ranking and when nothing is relevant", () => {
    expect(recallAtK([], judged, 5)).toBe(0);
    expect(recallAtK(["c", "d"], { c: 1, d: 0 }, 5)).toBe(0);
    expect(recallAtK(["a"], {}, 5)).toBe(0);
  });

  it("refuses a k that is not a positive integer", () => {
    expect(() => recallAtK(["a"], judged, 0)).toThrow(RangeError);
    expect(() => recallAtK(["a"], judged, 2.5)).toThrow(RangeError);
  });
});

describe("reciprocalRank", () => {
  it("is 1 over the position of the first result of grade 2 or more", () => {
    expect(reciprocalRank(["a", "b"], { a: 3 })).toBe(1);
    expect(reciprocalRank(["x", "y", "a"], { a: 2 })).toBeCloseTo(1 / 3);
  });

  it("skips a grade-1 result unless the threshold is lowered", () => {
    expect(reciprocalRank(["c", "a"], { a: 3, c: 1 })).toBe(0.5);
    expect(reciprocalRank(["c", "a"], { a: 3, c: 1 }, { minGrade: 1 })).toBe(1);
  });

  it("counts positions as ranked, repeats included", () => {
    expect(reciprocalRank(["x", "x", "a"], { a: 3 })).toBeCloseTo(1 / 3);
  });

  it("is 0 when no relevant result is ranked, or the ranking is empty", () => {
    expect(reciprocalRank(["x", "y"], { a: 3 })).toBe(0);
    expect(reciprocalRank([], { a: 3 })).toBe(0);
  });
});

describe("ndcgAtK", () => {
  const judged = { a: 3, b: 2, c: 1, z: 0 };

  it("is 1 for the ideal ranking", () => {
    expect(ndcgAtK(["a", "b", "c"], judged, 10)).toBe(1);
    expect(ndcgAtK(["a", "b", "c", "z", "x"], judged, 10)).toBe(1);
  });

  it("is 1 whichever way equally graded results are tied", () => {
    const tied = { p: 2, q: 2, r: 3 };
    expect(ndcgAtK(["r", "p", "q"], tied, 10)).toBe(1);
    expect(ndcgAtK(["r", "q", "p"], tied, 10)).toBe(1);
  });

  it("is 0 for an empty ranking, an irrelevant one, and empty judgments", () => {
    expect(ndcgAtK([], judged, 10)).toBe(0);
    expect(ndcgAtK(["x", "z"], judged, 10)).toBe(0);
    expect(ndcgAtK(["a"], {}, 10)).toBe(0);
    expect(ndcgAtK(["a"], { a: 0 }, 10)).toBe(0);
  });

  it("matches a hand computation with gains 2^g − 1 and a log2 discount", () => {
    // Ranking b, a: DCG = 3/log2(2) + 7/log2(3); ideal a, b: 7/log2(2) + 3/log2(3).
    expect(ndcgAtK(["b", "a"], { a: 3, b: 2 }, 10)).toBeCloseTo((3 + 7 / LOG2_3) / (7 + 3 / LOG2_3), 12);
    // A miss in first place: DCG = 7/log2(3) against an ideal of 7.
    expect(ndcgAtK(["x", "a"], { a: 3 }, 10)).toBeCloseTo(1 / LOG2_3, 12);
    // Relevant items the ranking never shows still count in the ideal DCG.
    const ideal = 7 + 3 / LOG2_3 + 1 / 2;
    expect(ndcgAtK(["a"], judged, 10)).toBeCloseTo(7 / ideal, 12);
  });

  it("cuts both the ranking and the ideal at k", () => {
    // k = 1: only the first place counts, against the single best grade.
    expect(ndcgAtK(["b", "a"], judged, 1)).toBeCloseTo(3 / 7, 12);
    expect(ndcgAtK(["a", "x", "x"], judged, 1)).toBe(1);
  });

  it("gives a repeated id no gain, so repeats cannot push nDCG above 1", () => {
    expect(ndcgAtK(["a", "a", "a"], { a: 3 }, 10)).toBe(1);
    // The repeat of a takes second place and earns nothing; b comes third.
    expect(ndcgAtK(["a", "a", "b"], { a: 3, b: 2 }, 10)).toBeCloseTo((7 + 3 / 2) / (7 + 3 / LOG2_3), 12);
  });

  it("treats negative and non-finite grades as 0", () => {
    expect(ndcgAtK(["a", "b"], { a: 3, b: -2, c: Number.NaN }, 10)).toBe(1);
  });
});

describe("summarise", () => {
  it("averages MRR, Recall@5 and nDCG@10 over the runs", () => {
    const summary = summarise([
      { query: "d01", ranked: ["s18", "s19"], relevant: { s18: 3, s19: 2 } },
      { query: "d02", ranked: ["s5", "s10"], relevant: { s10: 3 } },
    ]);
    expect(summary.queries).toBe(2);
    expect(summary.mrr).toBe(0.75);
    expect(summary.recallAt5).toBe(1);
    expect(summary.ndcgAt10).toBeCloseTo((1 + 1 / LOG2_3) / 2, 12);
  });

  it("counts a query that found nothing as 0, not as missing", () => {
    const summary = summarise([
      { ranked: ["a"], relevant: { a: 3 } },
      { ranked: [], relevant: { b: 3 } },
    ]);
    expect(summary).toEqual({ queries: 2, mrr: 0.5, recallAt5: 0.5, ndcgAt10: 0.5 });
  });

  it("uses k = 5 for recall and k = 10 for nDCG", () => {
    const ranked = ["x1", "x2", "x3", "x4", "x5", "a"];
    const summary = summarise([{ ranked, relevant: { a: 3 } }]);
    expect(summary.recallAt5).toBe(0);
    expect(summary.ndcgAt10).toBeCloseTo(1 / Math.log2(7), 12);
    expect(summary.mrr).toBeCloseTo(1 / 6, 12);
  });

  it("refuses an empty set of runs", () => {
    expect(() => summarise([])).toThrow(RangeError);
  });
});
