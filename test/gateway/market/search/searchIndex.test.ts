import { describe, expect, it } from "vitest";
import { compareRanked, SearchIndex } from "../../../../gateway/market/search/searchIndex";
import { approvedListing } from "../../../helpers/indexedListings";
import { pvRecyclingSupply, solarRecyclingDemand } from "../../../helpers/listings";

/** The ids of a search, best first, in the one order the service uses. */
function ranked(index: SearchIndex, q: string, side?: "supply" | "demand"): string[] {
  return [...index.textScores(q, side ? { side } : {}).scores.entries()]
    .map(([id, score]) => ({ score, entry: index.get(id)! }))
    .sort(compareRanked)
    .map(({ entry }) => entry.id);
}

const chineseOnly = pvRecyclingSupply({
  title: { zh: "晶硅光伏组件绿色回收与高纯硅再生技术" },
  summary: { zh: "本技术通过低温热解与湿法冶金联用，实现退役光伏组件中银和高纯硅的分离回收。" },
  translated: [],
  keywords: ["光伏组件回收", "高纯硅", "热解"],
});

describe("the search index", () => {
  it("breaks ties the same way on every run: score, then disclosure quality, then newest, then id", () => {
    const twin = (overrides: Record<string, unknown> = {}) => pvRecyclingSupply({ attachments: [], ...overrides });
    const listings = [
      approvedListing("lst_c", twin(), "2026-11-02T00:00:00.000Z"),
      approvedListing("lst_a", twin(), "2026-11-02T00:00:00.000Z"),
      approvedListing("lst_b", twin(), "2026-11-03T00:00:00.000Z"),
      approvedListing(
        "lst_z",
        twin({ attachments: [{ name: "report.pdf", sha256: `0x${"ab".repeat(32)}` }] }),
        "2026-11-01T00:00:00.000Z",
      ),
    ];
    for (const order of [listings, [...listings].reverse(), [listings[2], listings[0], listings[3], listings[1]]]) {
      const index = new SearchIndex();
      for (const listing of order) index.update(listing);
      // Same words, same score: the attachment (quality) first, then the newest, then by id.
      expect(ranked(index, "光伏组件回收")).toEqual(["lst_z", "lst_b", "lst_a", "lst_c"]);
    }
  });

  it("finds a Chinese-only supply from an English query, and says how the query was bridged", () => {
    const index = new SearchIndex();
    index.update(approvedListing("lst_zh", chineseOnly));
    index.update(
      approvedListing(
        "lst_other",
        pvRecyclingSupply({
          title: { zh: "三七皂苷提取" },
          translated: [],
          keywords: ["三七"],
          summary: { zh: "三七总皂苷纯化" },
          problemSolved: { zh: "三七皂苷纯度低" },
          ipc: ["A61K 36/258"],
        }),
      ),
    );
    const { scores, bridged } = index.textScores("photovoltaic recycling");
    expect([...scores.keys()]).toEqual(["lst_zh"]);
    expect(bridged).toContainEqual({ from: "photovoltaic", to: "光伏", via: "dictionary" });
    // The bridged words count less than a query's own: an English twin of the listing ranks first.
    index.update(
      approvedListing(
        "lst_en",
        pvRecyclingSupply({
          language: "en",
          title: { en: "Photovoltaic module recycling with high-purity silicon recovery" },
          summary: { en: "Low-temperature pyrolysis and hydrometallurgy separate silver and silicon." },
          problemSolved: undefined,
          translated: [],
          keywords: ["photovoltaic recycling"],
        }),
      ),
    );
    expect(ranked(index, "photovoltaic recycling")).toEqual(["lst_en", "lst_zh"]);
  });

  it("finds an English-only demand from a Chinese query, and turns the bridge off on request", () => {
    const index = new SearchIndex();
    index.update(approvedListing("lst_en", solarRecyclingDemand()));
    expect(ranked(index, "光伏回收")).toEqual(["lst_en"]);
    const plain = new SearchIndex(null);
    plain.update(approvedListing("lst_en", solarRecyclingDemand()));
    expect(ranked(plain, "光伏回收")).toEqual([]);
  });

  it("reaches Chinese and English listings from a Thai query through a Thai listing's translation and IPC class", () => {
    const index = new SearchIndex();
    index.update(
      approvedListing(
        "lst_th",
        solarRecyclingDemand({
          language: "th",
          title: { th: "เทคโนโลยีรีไซเคิลแผงโซลาร์เซลล์", en: "Solar panel recycling technology" },
          summary: { th: "ต้องการเทคโนโลยีรีไซเคิลแผงโซลาร์เซลล์ที่หมดอายุ" },
          problem: { th: "แผงโซลาร์เซลล์ที่หมดอายุ" },
          translated: ["en"],
          keywords: ["รีไซเคิล"],
        }),
      ),
    );
    index.update(approvedListing("lst_zh", chineseOnly));
    const { scores, bridged } = index.textScores("รีไซเคิลแผงโซลาร์เซลล์", { side: "supply" });
    expect([...scores.keys()]).toEqual(["lst_zh"]);
    expect(bridged.some((b) => b.via === "listing" && b.from === "lst_th")).toBe(true);
    expect(bridged).toContainEqual({ from: "B09B", to: "b09b", via: "ipc" });
  });

  it("names IPC codes in the query as search words", () => {
    const index = new SearchIndex();
    index.update(approvedListing("lst_zh", chineseOnly));
    expect(ranked(index, "B09B 3/00")).toEqual(["lst_zh"]);
  });
});
