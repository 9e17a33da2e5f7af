import { describe, expect, it } from "vitest";
import { durations, statisticsCsv } from "../../../gateway/statistics/deals";
import type { DealFiguresView } from "../../../sdk";

const empty: DealFiguresView = {
  matches: 0,
  deals: 0,
  contracts: 0,
  closed: 0,
  conversion: { matchToDeal: null, dealToContract: null, contractToClosed: null },
  matchToContract: { count: 0, medianSeconds: null },
  contractToFirstDelivery: { count: 0, medianSeconds: null },
  inspection: { count: 0, medianSeconds: null },
  followUpResponse: { count: 0, medianSeconds: null },
};

describe("the deal statistics' arithmetic", () => {
  it("takes the median of an odd count, the mean of the two middle ones of an even count, and null of none", () => {
    expect(durations([30, 10, 20])).toEqual({ count: 3, medianSeconds: 20 });
    expect(durations([40, 10, 30, 20])).toEqual({ count: 4, medianSeconds: 25 });
    expect(durations([])).toEqual({ count: 0, medianSeconds: null });
  });

  it("writes one CSV row per group, empty cells for nulls, and quotes a key with a comma", () => {
    const csv = statisticsCsv({
      period: {},
      generatedAt: "2027-01-01T00:00:00.000Z",
      overall: { ...empty, matches: 1 },
      byField: [{ key: "energy.pv", ...empty }],
      byRegion: [{ key: 'CN-53,"x"', ...empty }],
      byBroker: [],
    });
    const lines = csv.split("\r\n");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe("all,all,1,0,0,0,,,,0,,0,,0,,0,");
    expect(lines[2].startsWith("field,energy.pv,")).toBe(true);
    expect(lines[3].startsWith('region,"CN-53,""x""",')).toBe(true);
    expect(lines[4]).toBe("");
  });
});
