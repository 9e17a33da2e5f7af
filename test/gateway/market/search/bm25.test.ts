import { describe, expect, it } from "vitest";
import { Bm25Index } from "../../../../gateway/market/search/bm25";

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe("BM25F index", () => {
  it("does not count withdrawn or replaced documents in a word's document frequency (regression)", () => {
    const index = new Bm25Index({ title: 3, summary: 1 }, words);
    index.add("a", { title: "perovskite module", summary: "recycling of perovskite modules" }, null);
    for (let i = 0; i < 30; i++) index.add(`filler-${i}`, { title: `other ${i}`, summary: "unrelated words" }, null);
    const before = index.search("perovskite").get("a")!;
    expect(before).toBeGreaterThan(0);

    // Ten listings sharing the word, withdrawn again: the score must come back, not fall below zero.
    for (let i = 0; i < 10; i++) index.add(`w-${i}`, { title: "perovskite cell", summary: "perovskite" }, null);
    expect(index.frequency("perovskite")).toBe(11);
    for (let i = 0; i < 10; i++) index.remove(`w-${i}`);
    expect(index.frequency("perovskite")).toBe(1);
    expect(index.search("perovskite").get("a")).toBeCloseTo(before, 12);

    // A replaced document (removed, then added again) counts once.
    index.remove("a");
    index.add("a", { title: "perovskite module", summary: "recycling of perovskite modules" }, null);
    expect(index.frequency("perovskite")).toBe(1);
    expect(index.search("perovskite").get("a")).toBeCloseTo(before, 12);
  });

  it("keeps live counts right across a compaction", () => {
    const index = new Bm25Index({ title: 1 }, words);
    for (let i = 0; i < 3000; i++) index.add(`d${i}`, { title: i % 2 ? "odd word" : "even word" }, null);
    for (let i = 0; i < 1500; i++) index.remove(`d${i}`); // past the compaction threshold
    expect(index.size).toBe(1500);
    expect(index.frequency("word")).toBe(1500);
    expect(index.frequency("odd")).toBe(750);
    expect(index.search("odd").size).toBe(750);
    index.remove("d2999");
    expect(index.frequency("odd")).toBe(749);
  });

  it("weights a query's words: a bridged word counts less than the query's own", () => {
    const index = new Bm25Index({ title: 1 }, words);
    index.add("en", { title: "photovoltaic recycling" }, null);
    index.add("zh", { title: "光伏 回收" }, null);
    index.add("x", { title: "unrelated" }, null);
    const scores = index.searchTerms([
      { term: "光伏", weight: 1 },
      { term: "photovoltaic", weight: 0.6 },
    ]);
    expect(scores.get("en")! / scores.get("zh")!).toBeCloseTo(0.6, 6);
  });
});
