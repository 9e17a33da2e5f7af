// `npm run bench:market`: search and matching latency over 100,000 generated
// listings (docs/BENCHMARKS.md), with the index's build time and memory. Search
// runs with the Chinese–English bridge on (as the gateway serves it); the
// baselines, in the same process, are the same queries with the bridge off and
// a plain scan of every listing's text for the query's words (what a search
// without an index costs).
// Options (env): BENCH_LISTINGS (default 100000), BENCH_QUERIES (1000), BENCH_MATCHES (300).
import { randomInt } from "node:crypto";
import { rankMatches } from "../gateway/market/matching";
import { SearchIndex } from "../gateway/market/search/searchIndex";
import { tokenize } from "../gateway/market/search/tokenize";
import type { Listing, ListingContent } from "../gateway/market/types";

const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1000);
const MATCHES = Number(process.env.BENCH_MATCHES ?? 300);

const FIELDS: Array<{ field: string; zh: string[]; en: string[]; ipc: string[] }> = [
  {
    field: "energy.pv",
    zh: ["光伏", "组件", "硅片", "逆变器", "回收", "电站", "钙钛矿", "薄膜"],
    en: ["photovoltaic", "module", "wafer", "inverter", "recycling", "perovskite", "solar", "thin-film"],
    ipc: ["H01L 31/18", "H02S 40/32", "B09B 3/00"],
  },
  {
    field: "energy.storage",
    zh: ["锂电池", "正极", "电解液", "储能", "隔膜", "钠离子", "回收", "热管理"],
    en: ["lithium", "cathode", "electrolyte", "storage", "separator", "sodium-ion", "battery", "thermal"],
    ipc: ["H01M 10/54", "H01M 4/36", "H01M 10/0525"],
  },
  {
    field: "bio.tcm",
    zh: ["三七", "皂苷", "提取", "中药", "制剂", "质量控制", "天麻", "灯盏花"],
    en: ["notoginseng", "saponin", "extraction", "herbal", "formulation", "quality", "gastrodia", "erigeron"],
    ipc: ["A61K 36/258", "A61K 36/8988", "B01D 11/02"],
  },
  {
    field: "agri.tea",
    zh: ["普洱茶", "发酵", "茶叶", "加工", "微生物", "陈化", "风味", "品质"],
    en: ["pu-erh", "fermentation", "tea", "processing", "microbial", "ageing", "flavour", "grading"],
    ipc: ["A23F 3/06", "A23F 3/08", "C12N 1/20"],
  },
  {
    field: "env.water",
    zh: ["污水", "膜", "过滤", "重金属", "吸附", "高原湖泊", "脱氮", "除磷"],
    en: ["wastewater", "membrane", "filtration", "heavy-metal", "adsorption", "lake", "denitrification", "phosphorus"],
    ipc: ["C02F 1/44", "C02F 3/30", "B01D 69/02"],
  },
  {
    field: "metal.rare-earth",
    zh: ["稀土", "萃取", "分离", "冶炼", "铜", "尾矿", "浸出", "提纯"],
    en: ["rare-earth", "solvent", "separation", "smelting", "copper", "tailings", "leaching", "refining"],
    ipc: ["C22B 59/00", "C22B 3/26", "C22B 15/00"],
  },
  {
    field: "materials.graphene",
    zh: ["石墨烯", "涂层", "导热", "防腐", "传感器", "复合材料", "粉体", "薄膜"],
    en: ["graphene", "coating", "thermal", "anticorrosion", "sensor", "composite", "powder", "film"],
    ipc: ["C01B 32/184", "C09D 5/08", "G01N 27/12"],
  },
  {
    field: "software.ai",
    zh: ["人工智能", "图像识别", "算法", "大模型", "数据", "边缘计算", "预测", "调度"],
    en: ["artificial", "intelligence", "recognition", "algorithm", "model", "data", "edge", "forecasting"],
    ipc: ["G06N 3/08", "G06V 10/82", "G06F 16/35"],
  },
  {
    field: "agri.seed",
    zh: ["育种", "水稻", "玉米", "抗病", "分子标记", "杂交", "种质", "高产"],
    en: ["breeding", "rice", "maize", "resistance", "marker", "hybrid", "germplasm", "yield"],
    ipc: ["A01H 1/02", "C12Q 1/6895", "A01H 6/46"],
  },
  {
    field: "mfg.intelligent",
    zh: ["智能制造", "机器人", "数控", "检测", "装配", "视觉", "柔性", "产线"],
    en: ["manufacturing", "robot", "cnc", "inspection", "assembly", "vision", "flexible", "line"],
    ipc: ["B25J 9/16", "G05B 19/418", "G01N 21/88"],
  },
];
const MODES = ["transfer", "exclusive-licence", "non-exclusive-licence", "joint-development", "consulting"] as const;
const REGIONS = ["CN-53", "CN-11", "CN-44", "CN-51", "TH", "VN", "LA", "MM"];

const pick = <T>(items: readonly T[]) => items[randomInt(items.length)];

// Real listings draw on a large technical vocabulary in which a few words are
// common and most are rare (Zipf). Each field gets its named words plus 300
// generated terms per language, drawn with a skew towards the first ones.
const CJK =
  "晶硅膜酶萃烯纳钙锂钠钴镍锰铁磷氟硫碳氮氢氧铝铜锌稀镧铈钕钇菌株苷酮醇酯胺酸碱盐凝胶纤维涂层催化吸附电极隔膜热解浸出提纯发酵育种杂交抗病智能识别检测控制调度预测";
const syllables = [
  "ka",
  "lo",
  "mi",
  "ner",
  "tor",
  "phy",
  "cel",
  "dro",
  "gen",
  "lyt",
  "ox",
  "sil",
  "trans",
  "zym",
  "vex",
  "plas",
  "quin",
  "rhe",
  "sul",
  "thi",
];
const generatedZh = () => Array.from({ length: 2 + randomInt(2) }, () => CJK[randomInt(CJK.length)]).join("");
const generatedEn = () => Array.from({ length: 2 + randomInt(2) }, () => pick(syllables)).join("");
const skewed = <T>(items: readonly T[]) => items[Math.floor(items.length * Math.pow(Math.random(), 2.5))];
const some = <T>(items: readonly T[], n: number) => Array.from({ length: n }, () => skewed(items));

// Thirty fields, like the labelled set: the ten above and twenty with generated
// words and IPC codes, so that no field holds more than a few percent of listings.
for (let n = 0; n < 20; n++) {
  const section = "ABCDEFGH"[n % 8];
  FIELDS.push({
    field: `generated.f${n}`,
    zh: [],
    en: [],
    ipc: [0, 1, 2].map((k) => `${section}${String(10 + n).padStart(2, "0")}${"BCDFGHJK"[k]} ${1 + k}/${10 + n}`),
  });
}
for (const f of FIELDS) {
  f.zh = [...f.zh, ...Array.from({ length: 300 }, generatedZh)];
  f.en = [...f.en, ...Array.from({ length: 300 }, generatedEn)];
}

function generate(i: number): Listing {
  const f = pick(FIELDS);
  const side = i % 3 === 0 ? "demand" : "supply";
  const zhTitle = `${some(f.zh, 3).join("")}${side === "supply" ? "技术" : "需求"}`;
  const enTitle = `${some(f.en, 3).join(" ")} ${side === "supply" ? "technology" : "need"}`;
  const chinese = i % 2 === 0;
  const common = {
    language: chinese ? "zh" : "en",
    title: chinese ? { zh: zhTitle, ...(i % 4 === 0 ? { en: enTitle } : {}) } : { en: enTitle },
    summary: chinese ? { zh: some(f.zh, 12).join("，") } : { en: some(f.en, 14).join(" ") },
    translated: chinese && i % 4 === 0 ? ["en"] : [],
    field: f.field,
    ipc: [pick(f.ipc)],
    keywords: [...some(f.zh, 2), ...some(f.en, 2)],
    modes: [pick(MODES), pick(MODES)],
    region: pick(REGIONS),
    attachments: [],
  };
  const amount = randomInt(1, 500) * 1_000_000;
  const content = (side === "supply"
    ? { ...common, side, trl: randomInt(3, 10), resultKind: "patent", ip: [], price: { amount, currency: "CNY" } }
    : {
        ...common,
        side,
        problem: chinese ? { zh: some(f.zh, 8).join("") } : { en: some(f.en, 8).join(" ") },
        targets: ["≥ 95%"],
        minTrl: randomInt(3, 9),
        budget: { min: amount / 2, max: amount * 2, currency: "CNY" },
        deadline: "2027-12-31",
      }) as unknown as ListingContent;
  const at = new Date(Date.now() - i * 1000).toISOString();
  return {
    id: `lst_${i.toString(16).padStart(24, "0")}`,
    side,
    ownerId: `usr_${(i % 5000).toString(16).padStart(24, "0")}`,
    status: "approved",
    versions: [
      {
        version: 1,
        content,
        submittedAt: at,
        recordId: "r",
        review: { approved: true, reasons: [], by: "b", at, recordId: "r" },
      },
    ],
    approvedVersion: 1,
    accessRequests: [],
    createdAt: at,
    updatedAt: at,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
};
const ms = (n: number) => n.toFixed(2);

function main(): void {
  console.log(`# bench:market — ${new Date().toISOString()}, Node ${process.version}, ${LISTINGS} listings`);
  const listings = Array.from({ length: LISTINGS }, (_, i) => generate(i));
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const index = new SearchIndex();
  for (const listing of listings) index.update(listing);
  const buildMs = performance.now() - started;
  global.gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;

  const queries = Array.from({ length: QUERIES }, () => {
    const f = pick(FIELDS);
    return randomInt(2) ? `${skewed(f.zh)}${skewed(f.zh)}` : `${skewed(f.en)} ${skewed(f.en)}`;
  });
  const searchTimes: number[] = [];
  const plainTimes: number[] = [];
  const filteredTimes: number[] = [];
  const longTimes: number[] = [];
  for (const q of queries) {
    let t = performance.now();
    index.search(q);
    searchTimes.push(performance.now() - t);
    t = performance.now();
    index.search(q, {}, { bridge: false });
    plainTimes.push(performance.now() - t);
    t = performance.now();
    index.search(q, { side: "supply", minTrl: 5, region: "CN", currency: "CNY", maxPrice: 200_000_000 });
    filteredTimes.push(performance.now() - t);
  }
  // Pasted demand descriptions: about 600 characters of one field's words in both languages.
  for (let i = 0; i < Math.min(QUERIES, 200); i++) {
    const f = pick(FIELDS);
    const words: string[] = [];
    while (words.join(" ").length < 600) words.push(randomInt(2) ? skewed(f.zh) : skewed(f.en));
    const q = words.join(" ").slice(0, 2000);
    const t = performance.now();
    index.search(q);
    longTimes.push(performance.now() - t);
  }
  // Baseline: a scan of every listing's words for the query's words, without an index.
  const texts = listings.map(
    (l) =>
      Object.values(l.versions[0].content.title).join(" ") + Object.values(l.versions[0].content.summary).join(" "),
  );
  const scanTimes: number[] = [];
  for (const q of queries.slice(0, 100)) {
    const words = tokenize(q);
    const t = performance.now();
    texts.filter((text) => words.some((word) => text.includes(word)));
    scanTimes.push(performance.now() - t);
  }
  const matchTimes: number[] = [];
  for (let i = 0; i < MATCHES; i++) {
    const listing = listings[randomInt(listings.length)];
    const t = performance.now();
    rankMatches(index, listing.versions[0].content, { exclude: listing.id });
    matchTimes.push(performance.now() - t);
  }
  const search = summary(searchTimes);
  const plain = summary(plainTimes);
  const long = summary(longTimes);
  const filtered = summary(filteredTimes);
  const scan = summary(scanTimes);
  const match = summary(matchTimes);
  console.log(
    `\nindex build: ${(buildMs / 1000).toFixed(1)} s for ${LISTINGS} listings (${ms((buildMs / LISTINGS) * 1000)} µs each); heap ${heapMb.toFixed(0)} MiB${global.gc ? "" : " (run with --expose-gc for a settled figure)"}`,
  );
  console.log("\n| operation | p50 ms | p95 ms | max ms |");
  console.log("| --- | ---: | ---: | ---: |");
  console.log(
    `| full-text search, top 20 as GET /v1/listings answers, bridge on (${QUERIES} queries) | ${ms(search.p50)} | ${ms(search.p95)} | ${ms(search.max)} |`,
  );
  console.log(`| baseline: the same queries, bridge off | ${ms(plain.p50)} | ${ms(plain.p95)} | ${ms(plain.max)} |`);
  console.log(
    `| pasted description, ~600 characters, bridge on (${longTimes.length}) | ${ms(long.p50)} | ${ms(long.p95)} | ${ms(long.max)} |`,
  );
  console.log(`| search with structured filters | ${ms(filtered.p50)} | ${ms(filtered.p95)} | ${ms(filtered.max)} |`);
  console.log(
    `| matching a listing (${MATCHES} listings, top 10 with reasons) | ${ms(match.p50)} | ${ms(match.p95)} | ${ms(match.max)} |`,
  );
  console.log(
    `| baseline: scan without an index (100 queries) | ${ms(scan.p50)} | ${ms(scan.p95)} | ${ms(scan.max)} |`,
  );
  console.log(`\nsearch p50 / scan p50 = ${(search.p50 / scan.p50).toFixed(3)}`);
  console.log(`bridge on / bridge off, p95 = ${(search.p95 / plain.p95).toFixed(2)}`);
}

main();
