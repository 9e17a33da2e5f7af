import type { DemandContent, ListingContent, SupplyContent } from "./types";
import { searchableText, type IndexedListing, type SearchIndex } from "./search/searchIndex";

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

const formatMoney = (amount: number, currency: string) => {
  const digits =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${(amount / 10 ** digits).toLocaleString("en", { minimumFractionDigits: digits })} ${currency}`;
};

function priceFit(supply: SupplyContent, demand: DemandContent): { score: number; detail: string } {
  const { budget } = demand;
  const price = supply.price;
  if (price.currency !== budget.currency) {
    return { score: 0.5, detail: `price in ${price.currency}, budget in ${budget.currency}: not compared` };
  }
  if ("negotiable" in price) return { score: 0.7, detail: "price negotiable" };
  const [low, high] = "amount" in price ? [price.amount, price.amount] : [price.min, price.max];
  const shown =
    low === high
      ? formatMoney(low, price.currency)
      : `${formatMoney(low, price.currency)}–${formatMoney(high, price.currency)}`;
  const within = `budget ${formatMoney(budget.min, budget.currency)}–${formatMoney(budget.max, budget.currency)}`;
  if (low <= budget.max) return { score: 1, detail: `price ${shown} fits the ${within}` };
  return {
    score: Math.max(0, 1 - (low - budget.max) / Math.max(budget.max, 1)),
    detail: `price ${shown} above the ${within}`,
  };
}

function structuredReasons(supply: SupplyContent, demand: DemandContent): MatchReason[] {
  const ipc = ipcFit(supply.ipc, demand.ipc);
  const sameField = supply.field === demand.field;
  const sameTop = supply.field.split(".")[0] === demand.field.split(".")[0];
  const trlGap = demand.minTrl - supply.trl;
  const price = priceFit(supply, demand);
  const sameRegion = supply.region === demand.region;
  const sameCountry = supply.region.slice(0, 2) === demand.region.slice(0, 2);
  const modes = supply.modes.filter((mode) => demand.modes.includes(mode));
  return [
    { factor: "ipc", score: ipc.score, weight: MATCH_WEIGHTS.ipc, detail: ipc.detail },
    {
      factor: "field",
      score: sameField ? 1 : sameTop ? 0.5 : 0,
      weight: MATCH_WEIGHTS.field,
      detail: sameField
        ? `same field ${supply.field}`
        : sameTop
          ? `related fields ${supply.field} / ${demand.field}`
          : `different fields ${supply.field} / ${demand.field}`,
    },
    {
      factor: "trl",
      score: trlGap <= 0 ? 1 : Math.max(0, 1 - 0.25 * trlGap),
      weight: MATCH_WEIGHTS.trl,
      detail:
        trlGap <= 0
          ? `TRL ${supply.trl} meets the minimum ${demand.minTrl}`
          : `TRL ${supply.trl} below the minimum ${demand.minTrl}`,
    },
    { factor: "price", score: price.score, weight: MATCH_WEIGHTS.price, detail: price.detail },
    {
      factor: "region",
      score: sameRegion ? 1 : sameCountry ? 0.7 : 0.4,
      weight: MATCH_WEIGHTS.region,
      detail: sameRegion ? `both in ${supply.region}` : `${supply.region} and ${demand.region}`,
    },
    {
      factor: "mode",
      score: modes.length ? 1 : 0,
      weight: MATCH_WEIGHTS.mode,
      detail: modes.length ? `both accept ${modes.join(", ")}` : "no cooperation mode in common",
    },
  ];
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
  { limit = 10, exclude }: { limit?: number; exclude?: string } = {},
): Match[] {
  const otherSide = content.side === "supply" ? "demand" : "supply";
  const query = Object.values(searchableText(content)).join(" \n ");
  const text = index.textScores(query, { side: otherSide });
  const best = Math.max(0, ...text.values());
  const candidates = new Set([...text.keys(), ...index.sharingSubclass(content.ipc)]);
  const matches: Match[] = [];
  for (const id of candidates) {
    if (id === exclude) continue;
    const listing = index.get(id)!;
    if (listing.content.side !== otherSide) continue;
    const [supply, demand] =
      content.side === "supply"
        ? [content, listing.content as DemandContent]
        : [listing.content as SupplyContent, content];
    const textScore = best > 0 ? (text.get(id) ?? 0) / best : 0;
    const reasons: MatchReason[] = [
      {
        factor: "text",
        score: textScore,
        weight: MATCH_WEIGHTS.text,
        detail: textScore > 0 ? `text relevance ${textScore.toFixed(2)} of the best` : "no words in common",
      },
      ...structuredReasons(supply, demand),
    ];
    const score = reasons.reduce((sum, reason) => sum + reason.score * reason.weight, 0);
    matches.push({ id, score: Math.round(score * 1000) / 1000, reasons, listing });
  }
  return matches.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit);
}
