import { describe, expect, it } from "vitest";
import { barChart, formatAmount, formatSeconds, renderStatisticsPage } from "../../../gateway/statistics/page";
import { sumAmounts, tally } from "../../../gateway/statistics/sections";
import { platformStatisticsCsv } from "../../../gateway/statistics/statistics";
import type { StatisticsView } from "../../../sdk";

const statistics: StatisticsView = {
  period: { from: "2027-01-01" },
  generatedAt: "2027-04-01T00:00:00.000Z",
  sections: [
    tally(
      "deals",
      [
        { type: "licence", amount: { currency: "CNY", amount: 1 } },
        { type: 'a,"b"', amount: { currency: "JPY", amount: 1500 } },
        { type: "licence", amount: undefined },
      ],
      { type: (d) => d.type },
      (d) => d.amount,
    ),
  ],
};

describe("the statistics' arithmetic, CSV and page", () => {
  it("counts by dimension, groups sorted by key, and sums amounts exactly per currency", () => {
    const [deals] = statistics.sections;
    expect(deals.count).toBe(3);
    expect(deals.amounts).toEqual([
      { currency: "CNY", count: 1, sum: 1 },
      { currency: "JPY", count: 1, sum: 1500 },
    ]);
    expect(deals.cuts[0].groups.map((g) => [g.key, g.count])).toEqual([
      ['a,"b"', 1],
      ["licence", 2],
    ]);
    // 0.1 + 0.2 in yuan is not 0.3 in floating point; in fen it is 30.
    expect(sumAmounts([10, 20].map((amount) => ({ currency: "CNY", amount })))).toEqual([
      { currency: "CNY", count: 2, sum: 30 },
    ]);
    expect(() => sumAmounts([Number.MAX_SAFE_INTEGER, 1].map((amount) => ({ currency: "CNY", amount })))).toThrow(
      RangeError,
    );
  });

  it("writes the flat CSV: count rows, amount rows after them, a key with a comma quoted", () => {
    expect(platformStatisticsCsv(statistics).split("\r\n")).toEqual([
      "section,dimension,key,currency,count,amount,median_seconds",
      "deals,all,all,,3,,",
      "deals,all,all,CNY,1,1,",
      "deals,all,all,JPY,1,1500,",
      'deals,type,"a,""b""",,1,,',
      'deals,type,"a,""b""",JPY,1,1500,',
      "deals,type,licence,,2,,",
      "deals,type,licence,CNY,1,1,",
      "",
    ]);
  });

  it("shows amounts in major units by the currency's own decimals, and durations as a person reads them", () => {
    expect(formatAmount({ currency: "CNY", sum: 123456789 })).toBe("1,234,567.89 CNY");
    expect(formatAmount({ currency: "CNY", sum: 5 })).toBe("0.05 CNY");
    expect(formatAmount({ currency: "JPY", sum: 1500 })).toBe("1,500 JPY");
    expect(formatSeconds(null)).toBe("–");
    expect(formatSeconds(5400)).toBe("1 h 30 min");
    expect(formatSeconds(90000)).toBe("1 d 1 h");
  });

  it("draws bars as plain SVG with the text escaped, and the page without script", () => {
    const svg = barChart("t", [
      { label: "<b>", value: 2, text: "2" },
      { label: "x", value: 1, text: "1" },
    ]);
    expect(svg).toContain('width="300.0"');
    expect(svg).toContain('width="150.0"');
    expect(svg).toContain("&#60;b&#62;");
    expect(barChart("t", [])).toContain("none in this period");
    const page = renderStatisticsPage(statistics, { ticket: 'x"><script>' });
    expect(page).not.toContain("<script>");
    expect(page).toContain("0.01 CNY (1); 1,500 JPY (1)");
    expect(page).toContain('href="/v1/statistics?from=2027-01-01&#38;format=csv&#38;ticket=x%22%3E%3Cscript%3E"');
  });
});
