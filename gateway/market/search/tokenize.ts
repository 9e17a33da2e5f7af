import { readFileSync } from "node:fs";
import path from "node:path";
import { Jieba } from "@node-rs/jieba";

let jieba: Jieba | undefined;

/**
 * jieba's own dictionary (dict.txt of @node-rs/jieba), read once to build the
 * segmenter and then let go: the package's `dict` module would also read its
 * 6 MB IDF table and keep both files in memory for the life of the process.
 */
export function jiebaDictionary(): Buffer {
  return readFileSync(path.join(path.dirname(require.resolve("@node-rs/jieba/dict")), "dict.txt"));
}
const segmenter = new Intl.Segmenter(undefined, { granularity: "word" });

// Case-insensitive so that a token made from a code (`h01m10/54`) reads back as the same code.
const IPC = /\b([A-Ha-h]\d{2}[A-Za-z]) ?(\d{1,4}\/\d{2,6})\b/g;

/** Han characters (CJK ideographs): segmented by jieba's dictionary. */
const HAN = /\p{Script=Han}/u;
const HAN_RUN = /[\p{Script=Han}]+/gu;

/** Words that carry no meaning for matching, in the languages listings come in. */
export const STOPWORDS = new Set([
  "a",
  "an",
  "and",
  "are",
  "as",
  "at",
  "be",
  "by",
  "for",
  "from",
  "in",
  "into",
  "is",
  "it",
  "of",
  "on",
  "or",
  "the",
  "to",
  "with",
  "we",
  "our",
  "that",
  "this",
  "which",
  "using",
  "based",
  "new",
  "method",
  "system",
  "的",
  "和",
  "与",
  "及",
  "或",
  "在",
  "是",
  "了",
  "对",
  "等",
  "一种",
  "一个",
  "用于",
  "方法",
  "系统",
  "技术",
]);

/**
 * Words of `text` for the search index: Chinese runs cut by jieba (with its
 * dictionary), everything else by the runtime's Unicode word segmenter (which
 * handles Thai and keeps Vietnamese syllables), lower-cased, stopwords dropped.
 * IPC symbols also give their subclass (`H01M 10/54` → `h01m10/54`, `h01m`).
 *
 * @example
 * tokenize("光伏组件回收 PV module recycling") // ["光伏", "组件", "回收", "pv", "module", "recycling"]
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(IPC)) {
    tokens.push(`${match[1]}${match[2]}`.toLowerCase(), match[1].toLowerCase());
  }
  let rest = text.replace(IPC, " ");
  if (HAN.test(text)) {
    jieba ??= Jieba.withDict(jiebaDictionary());
    for (const run of text.match(HAN_RUN) ?? []) tokens.push(...jieba.cutForSearch(run, true));
    rest = rest.replace(HAN_RUN, " ");
  }
  for (const { segment, isWordLike } of segmenter.segment(rest)) {
    if (isWordLike) tokens.push(stem(segment.toLowerCase()));
  }
  return tokens.filter((token) => token.length > 0 && !STOPWORDS.has(token));
}

/**
 * A light English stemmer (plural, -ing/-ed endings and a final e), so that
 * "recycling", "recycled" and "recycle" meet; other scripts pass unchanged.
 */
export function stem(word: string): string {
  if (!/^[a-z]{5,}$/.test(word)) return word;
  for (const [suffix, replacement] of [
    ["ies", "y"],
    ["ing", ""],
    ["ed", ""],
    ["es", ""],
    ["s", ""],
    ["e", ""],
  ] as const) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length) + replacement;
  }
  return word;
}
