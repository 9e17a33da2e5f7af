import { describe, expect, it } from "vitest";
import { converterFor } from "../../../gateway/market/exchangeRates";
import { rankMatches } from "../../../gateway/market/matching";
import { SearchIndex } from "../../../gateway/market/search/searchIndex";
import { approvedListing, content } from "../../helpers/indexedListings";
import { pvRecyclingSupply, solarRecyclingDemand } from "../../helpers/listings";

/** A Chinese supply without an English word, and an English demand without a Chinese one. */
const chineseSupply = pvRecyclingSupply({
  title: { zh: "退役光伏组件回收与高纯硅再生技术" },
  summary: { zh: "通过低温热解与湿法冶金，实现退役光伏组件中银和高纯硅的分离回收。" },
  translated: [],
  keywords: ["光伏组件回收", "高纯硅"],
  ipc: ["C01B 33/037"],
  price: { amount: 100_000_000, currency: "CNY" },
});
const englishDemand = solarRecyclingDemand({
  title: { en: "Photovoltaic module recycling with silicon recovery" },
  ipc: ["B09B 3/00"],
  budget: { min: 5_000_000, max: 20_000_000, currency: "USD" },
});

describe("matching", () => {
  it("matches across Chinese and English through the dictionary, and says so in the reasons", () => {
    const index = new SearchIndex();
    index.update(approvedListing("lst_supply", chineseSupply));
    const [match] = rankMatches(index, content(englishDemand));
    expect(match.id).toBe("lst_supply");
    const text = match.reasons.find((reason) => reason.factor === "text")!;
    expect(text.score).toBeGreaterThan(0);
    expect(text.detail).toContain("matched through translation:");
    expect(text.detail).toContain("photovoltaic → 光伏");
  });

  it("compares a price and a budget in different currencies at the operator's rates, and says at which", () => {
    const index = new SearchIndex();
    index.update(approvedListing("lst_supply", chineseSupply));
    const demand = content(englishDemand);
    const unconverted = rankMatches(index, demand)[0].reasons.find((reason) => reason.factor === "price")!;
    expect(unconverted).toMatchObject({ score: 0.5 });
    expect(unconverted.detail).toContain("not compared");

    // 1,000,000.00 CNY at 7.1 CNY a dollar is 140,845.07 USD: within a 200,000.00 USD budget.
    const rates = converterFor({ date: "2026-11-27", base: "CNY", rates: { USD: 7.1 } });
    const price = rankMatches(index, demand, { rates })[0].reasons.find((reason) => reason.factor === "price")!;
    expect(price.score).toBe(1);
    expect(price.detail).toBe(
      "price 1,000,000.00 CNY ≈ 140,845.07 USD at the operator's rates of 2026-11-27, fits the budget 50,000.00 USD–200,000.00 USD",
    );

    // Above the budget, the score falls with the gap, as it does in one currency.
    const dear = converterFor({ date: "2026-11-27", base: "USD", rates: { CNY: 1 } });
    const above = rankMatches(index, demand, { rates: dear })[0].reasons.find((reason) => reason.factor === "price")!;
    expect(above.detail).toContain("above the budget");
    expect(above.score).toBe(0);
  });

  it("converts between currencies with different minor units (VND has none)", () => {
    const rates = converterFor({ date: "2026-11-27", base: "CNY", rates: { USD: 7.1, VND: 0.00028 } });
    expect(rates.convert(100, "USD", "USD")).toBe(100);
    expect(rates.convert(710, "CNY", "USD")).toBe(100); // 7.10 CNY = 1.00 USD
    expect(rates.convert(1_000_000, "VND", "CNY")).toBe(28_000); // 1,000,000 ₫ = 280.00 CNY
    expect(rates.convert(100, "THB", "CNY")).toBeUndefined();
  });
});
