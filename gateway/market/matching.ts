import type { DemandContent, ListingContent, SupplyContent } from "./types";
import { compareRanked, searchableText, type IndexedListing, type SearchIndex } from "./search/searchIndex";
import { tokenize } from "./search/tokenize";
import type { WeightedTerm } from "./search/bm25";
import { BRIDGE_WEIGHTS, type BridgedTerm } from "./search/crossLanguage";
import { currencyDigits, type CurrencyConverter } from "./exchangeRates";

/** One reason a match scored as it did: the factor, its score in 0–1, its weight, and words for people. */
export interface MatchReason {
  factor: "text" | "ipc" | "field" | "trl" | "price" | "region" | "mode";
  score: number;
  weight: number;
  detail: string;
}

export interface Match {
  id: string;
  /** 0–1: the weighted sum of the reasons' scores. */
  score: number;
  reasons: MatchReason[];
  listing: IndexedListing;
}

/**
 * How much each factor counts. Text relevance carries the most (it is what a
 * person would read); the structured fit of 6.4.1 (IPC hierarchy, field, TRL
 * against the minimum, price against budget, region, mode) the rest.
 */
export const MATCH_WEIGHTS = {
  text: 0.4,
  ipc: 0.2,
  field: 0.1,
  trl: 0.1,
  price: 0.1,
  region: 0.05,
  mode: 0.05,
} as const;

const ipcParts = (code: string) => {
  const compact = code.replace(/\s+/g, "").toUpperCase();
  return { full: compact, group: compact.split("/")[0], subclass: compact.slice(0, 4), klass: compact.slice(0, 3) };
};

function ipcFit(a: string[], b: string[]): { score: number; detail: string } {
  let best = { score: 0, detail: "no IPC class in common" };
  for (const x of a) {
    for (const y of b) {
      const p = ipcParts(x);
      const q = ipcParts(y);
      const candidate =
        p.full === q.full
          ? { score: 1, detail: `same IPC ${x}` }
          : p.group === q.group
            ? { score: 0.8, detail: `same IPC main group (${x} / ${y})` }
            : p.subclass === q.subclass
              ? { score: 0.6, detail: `same IPC subclass ${p.subclass}` }
              : p.klass === q.klass
                ? { score: 0.3, detail: `same IPC class ${p.klass}` }
                : undefined;
      if (candidate && candidate.score > best.score) best = candidate;
    }
  }
  return best;
}

/** An amount in minor units as people read it: `1,200,000.00 CNY`. */
function formatMoney(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  return `${(amount / 10 ** digits).toLocaleString("en", { minimumFractionDigits: digits })} ${currency}`;
}

/** The structured factors of a pair, as numbers in 0–1: the hot loop of matching, so no words and no closures. */
type FactorScores = Record<Exclude<MatchReason["factor"], "text">, number>;

function factorScores(supply: SupplyContent, demand: DemandContent, rates?: CurrencyConverter): FactorScores {
  const gap = demand.minTrl - supply.trl;
  const sameTopField = supply.field.split(".")[0] === demand.field.split(".")[0];
  return {
    ipc: ipcFit(supply.ipc, demand.ipc).score,
    field: supply.field === demand.field ? 1 : sameTopField ? 0.5 : 0,
    trl: gap <= 0 ? 1 : Math.max(0, 1 - 0.25 * gap),
    price: priceScore(supply, demand, rates),
    region: supply.region === demand.region ? 1 : supply.region.slice(0, 2) === demand.region.slice(0, 2) ? 0.7 : 0.4,
    mode: supply.modes.some((mode) => demand.modes.includes(mode)) ? 1 : 0,
  };
}

/** The lowest asking price in the budget's currency: converted at the operator's rates, or `undefined` when it cannot be. */
function lowestPriceInBudgetCurrency(
  supply: SupplyContent,
  demand: DemandContent,
  rates?: CurrencyConverter,
): number | undefined {
  const price = supply.price;
  if ("negotiable" in price) return undefined;
  const low = "amount" in price ? price.amount : price.min;
  if (price.currency === demand.budget.currency) return low;
  return rates?.convert(low, price.currency, demand.budget.currency);
}

function priceScore(supply: SupplyContent, demand: DemandContent, rates?: CurrencyConverter): number {
  if ("negotiable" in supply.price) return 0.7;
  const low = lowestPriceInBudgetCurrency(supply, demand, rates);
  if (low === undefined) return 0.5;
  return low <= demand.budget.max ? 1 : Math.max(0, 1 - (low - demand.budget.max) / Math.max(demand.budget.max, 1));
}

/** The structured part of a match's score: the weighted sum of its factors. */
function structuredScore(scores: FactorScores): number {
  return (Object.keys(scores) as Array<keyof FactorScores>).reduce((sum, f) => sum + scores[f] * MATCH_WEIGHTS[f], 0);
}

/** The factors put into words, for the few matches shown (formatting money is the slow part). */
function describeFactors(
  supply: SupplyContent,
  demand: DemandContent,
  scores: FactorScores,
  rates?: CurrencyConverter,
): MatchReason[] {
  const modes = supply.modes.filter((mode) => demand.modes.includes(mode));
  const words: Record<keyof FactorScores, string> = {
    ipc: ipcFit(supply.ipc, demand.ipc).detail,
    field:
      scores.field === 1
        ? `same field ${supply.field}`
        : scores.field > 0
          ? `related fields ${supply.field} / ${demand.field}`
          : `different fields ${supply.field} / ${demand.field}`,
    trl:
      scores.trl === 1
        ? `TRL ${supply.trl} meets the minimum ${demand.minTrl}`
        : `TRL ${supply.trl} below the minimum ${demand.minTrl}`,
    price: priceWords(supply, demand, rates),
    region: supply.region === demand.region ? `both in ${supply.region}` : `${supply.region} and ${demand.region}`,
    mode: modes.length ? `both accept ${modes.join(", ")}` : "no cooperation mode in common",
  };
  return (Object.keys(scores) as Array<keyof FactorScores>).map((factor) => ({
    factor,
    score: scores[factor],
    weight: MATCH_WEIGHTS[factor],
    detail: words[factor],
  }));
}

function priceWords(supply: SupplyContent, demand: DemandContent, rates?: CurrencyConverter): string {
  const { budget } = demand;
  const price = supply.price;
  if ("negotiable" in price) return "price negotiable";
  const [low, high] = "amount" in price ? [price.amount, price.amount] : [price.min, price.max];
  const shown =
    low === high
      ? formatMoney(low, price.currency)
      : `${formatMoney(low, price.currency)}–${formatMoney(high, price.currency)}`;
  const budgetShown = `${formatMoney(budget.min, budget.currency)}–${formatMoney(budget.max, budget.currency)}`;
  if (price.currency === budget.currency)
    return `price ${shown} ${low <= budget.max ? "fits the" : "above the"} budget ${budgetShown}`;
  const converted = lowestPriceInBudgetCurrency(supply, demand, rates);
  if (converted === undefined)
    return `price in ${price.currency}, budget in ${budget.currency}: not compared (no exchange rate set for both)`;
  const verdict = converted <= budget.max ? "fits the" : "above the";
  return (
    `price ${shown} ≈ ${formatMoney(converted, budget.currency)} at the operator's rates of ${rates!.date}, ` +
    `${verdict} budget ${budgetShown}`
  );
}

/** Words a match query carries: the rarest ones, which say the most and cost the least to look up. */
const MAX_QUERY_TERMS = 16;
/** Dictionary translations added to a match query: the rarest that some listing holds. */
const MAX_BRIDGED_TERMS = 12;

/** A listing's match query: its own words, and the words the dictionary carries them to. */
export interface MatchQuery {
  terms: WeightedTerm[];
  bridged: BridgedTerm[];
}

/**
 * The words a listing is matched by: of all the words of its titles (every
 * language), keywords, IPC codes, summary and problem, the ones fewest public
 * listings hold (words nobody else uses cannot match and are left out). A
 * listing without an English text also asks with the English translations of
 * its Chinese words, and one without a Chinese text with the Chinese of its
 * English words (CC-CEDICT, weighted below its own words): the same bridge as
 * search.
 */
export function matchQuery(
  index: SearchIndex,
  content: ListingContent,
  selfIndexed = false,
  indexedWords?: readonly string[],
): MatchQuery {
  const words = indexedWords ?? [...new Set(tokenize(Object.values(searchableText(content)).join(" \n ")))];
  // A public listing counts in its own words' frequencies; only others can match.
  const own = selfIndexed ? 1 : 0;
  const terms: WeightedTerm[] = words
    .map((word) => ({ word, frequency: index.frequency(word) - own }))
    .filter(({ frequency }) => frequency > 0)
    .sort((a, b) => a.frequency - b.frequency || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
    .slice(0, MAX_QUERY_TERMS)
    .map(({ word }) => ({ term: word, weight: 1 }));
  const languages = new Set(Object.keys(content.title));
  const needsEnglish = !languages.has("en");
  const needsChinese = !languages.has("zh");
  const held = new Set(words);
  const translations = new Map<string, { from: string; frequency: number }>();
  for (const word of words) {
    const han = /\p{Script=Han}/u.test(word);
    if (han ? !needsEnglish : !needsChinese || !/^[a-z]/.test(word)) continue;
    for (const to of index.translate(word)) {
      const frequency = index.frequency(to);
      if (frequency > 0 && !held.has(to) && !translations.has(to)) translations.set(to, { from: word, frequency });
    }
  }
  const bridged: BridgedTerm[] = [...translations.entries()]
    .sort((a, b) => a[1].frequency - b[1].frequency || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, MAX_BRIDGED_TERMS)
    .map(([to, { from }]) => ({ from, to, via: "dictionary" }));
  for (const { to } of bridged) terms.push({ term: to, weight: BRIDGE_WEIGHTS.dictionary });
  return { terms, bridged };
}

/**
 * Ranks the public listings of the other side for `content` (6.4.1): for a
 * demand, supplies; for a supply, demands. Candidates are the listings that share
 * words (in any language: titles and keywords carry translations) or an IPC
 * subclass; each is scored by text relevance and structured fit, with reasons.
 *
 * @example
 * rankMatches(index, demand.content, { exclude: demand.id }).slice(0, 5)
 */
export function rankMatches(
  index: SearchIndex,
  content: ListingContent,
  { limit = 10, exclude, rates }: { limit?: number; exclude?: string; rates?: CurrencyConverter } = {},
): Match[] {
  const otherSide = content.side === "supply" ? "demand" : "supply";
  const selfIndexed = exclude !== undefined && index.get(exclude) !== undefined;
  // The listing's own words when the index holds this very version (its publication), else cut afresh.
  const indexed = exclude !== undefined ? index.get(exclude) : undefined;
  const query = matchQuery(
    index,
    content,
    selfIndexed,
    indexed?.content === content ? index.wordsOfListing(exclude!) : undefined,
  );
  const text = index.termScores(query.terms, { side: otherSide });
  let best = 0;
  for (const score of text.values()) if (score > best) best = score;
  // Score every candidate with numbers only, keeping the best `limit` as they come (a common
  // word gives tens of thousands of candidates: no sort of them all); put reasons into words
  // for the few shown.
  type Scored = { id: string; score: number; textScore: number; entry: IndexedListing };
  const top: Scored[] = [];
  const consider = (id: string) => {
    if (id === exclude) return;
    const listing = index.get(id)!;
    const textScore = best > 0 ? (text.get(id) ?? 0) / best : 0;
    const [supply, demand] = pair(content, listing.content);
    const raw = textScore * MATCH_WEIGHTS.text + structuredScore(factorScores(supply, demand, rates));
    const score = Math.round(raw * 1000) / 1000;
    if (top.length === limit && score < top[limit - 1].score) return;
    const candidate = { id, score, textScore, entry: listing };
    let at = top.length;
    while (at > 0 && compareRanked(top[at - 1], candidate) > 0) at--;
    if (at < limit) {
      top.splice(at, 0, candidate);
      if (top.length > limit) top.pop();
    }
  };
  for (const id of text.keys()) consider(id);
  for (const id of index.sharingSubclass(content.ipc, otherSide)) if (!text.has(id)) consider(id);
  return top.map(({ id, score, textScore, entry: listing }) => {
    const [supply, demand] = pair(content, listing.content);
    const through = query.bridged.filter(({ to }) => index.holds(id, to)).map(({ from, to }) => `${from} → ${to}`);
    const relevance = `text relevance ${textScore.toFixed(2)} of the best`;
    const reasons: MatchReason[] = [
      {
        factor: "text",
        score: textScore,
        weight: MATCH_WEIGHTS.text,
        detail:
          textScore === 0
            ? "no words in common"
            : through.length > 0
              ? `${relevance}; matched through translation: ${through.join(", ")}`
              : relevance,
      },
      ...describeFactors(supply, demand, factorScores(supply, demand, rates), rates),
    ];
    return { id, score, listing, reasons };
  });
}

const pair = (content: ListingContent, other: ListingContent): [SupplyContent, DemandContent] =>
  content.side === "supply" ? [content, other as DemandContent] : [other as SupplyContent, content];
