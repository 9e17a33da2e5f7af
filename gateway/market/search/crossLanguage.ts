import type { WeightedTerm } from "./bm25";
import type { LanguageBridge } from "./bridge";
import { tokenize } from "./tokenize";

/** How a query word was carried into another language, for the reasons shown to people. */
export interface BridgedTerm {
  /** The query's own word, or for `listing` the id of the listing whose translation gave the word. */
  from: string;
  to: string;
  via: "dictionary" | "listing" | "ipc";
}

export interface ExpandedQuery {
  terms: WeightedTerm[];
  bridged: BridgedTerm[];
}

/**
 * What expansion needs of the index: word frequencies, a query scored in
 * stages (the words so far, the best listings so far), and the nearest
 * listings' texts. The caller collects the accumulated scores afterwards.
 */
export interface ExpansionSource {
  frequency(term: string): number;
  accumulate(terms: ReadonlyArray<WeightedTerm>): void;
  best(k: number): Array<{ id: string; score: number }>;
  /** Title by language and IPC subclasses of a listing. */
  feedbackOf(id: string): { titles: Record<string, string>; subclasses: string[] } | undefined;
}

/**
 * Weights of bridged words, below the query's own (1): a dictionary
 * translation is a guess among senses, a word from a near listing's translation
 * a weaker one, an IPC class the weakest.
 */
export const BRIDGE_WEIGHTS = { dictionary: 0.6, listing: 0.35, ipc: 0.3 } as const;

/** The query's own words kept (the rarest): a pasted description of 2,000 characters has hundreds. */
const MAX_OWN_TERMS = 48;
const MAX_DICTIONARY_TERMS = 32;
const MAX_LISTING_TERMS = 12;
/** Nearest listings read for their translations and IPC classes. */
const FEEDBACK_LISTINGS = 5;

/** The script a text is written in, as the language tag listings use. */
export function scriptLanguage(text: string): "zh" | "th" | "vi" | "en" {
  if (/\p{Script=Han}/u.test(text)) return "zh";
  if (/\p{Script=Thai}/u.test(text)) return "th";
  if (/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu.test(text)) return "vi";
  return "en";
}

/**
 * A query's words with the words it bridges to, weighted below its own:
 *
 * 1. its own words (the rarest {@link MAX_OWN_TERMS}), weight 1;
 * 2. their CC-CEDICT translations, Chinese ↔ English, that some listing holds;
 * 3. from the nearest listings of a first pass (own words and translations):
 *    of those that also have a title in the query's language, the words of
 *    their titles in other languages (the listings' own translations: how a
 *    Thai or Vietnamese query reaches Chinese and English); and the IPC
 *    subclasses at least two of them share (or the best one's, when it stands
 *    alone).
 *
 * IPC symbols named in the query are its own words already (`tokenize` indexes
 * `H01M 10/54` as itself and as `h01m`).
 */
export function expandQuery(source: ExpansionSource, query: string, bridge: LanguageBridge): ExpandedQuery {
  const own = [...new Set(tokenize(query))]
    .map((term) => ({ term, frequency: source.frequency(term) }))
    .sort((a, b) => (a.frequency === 0 ? 1 : 0) - (b.frequency === 0 ? 1 : 0) || a.frequency - b.frequency)
    .slice(0, MAX_OWN_TERMS)
    .map(({ term }) => term);
  const seen = new Set(own);
  const terms: WeightedTerm[] = own.filter((term) => source.frequency(term) > 0).map((term) => ({ term, weight: 1 }));
  const bridged: BridgedTerm[] = [];
  const add = (term: string, weight: number, from: string, via: BridgedTerm["via"]) => {
    if (seen.has(term) || source.frequency(term) === 0) return false;
    seen.add(term);
    terms.push({ term, weight });
    bridged.push({ from, to: term, via });
    return true;
  };

  let dictionaryTerms = 0;
  for (const word of own) {
    const translations = bridge.translate(word).filter((term) => !seen.has(term) && source.frequency(term) > 0);
    // Several senses share the weight of one word, so a word with many does not outweigh the query.
    const weight = BRIDGE_WEIGHTS.dictionary / Math.sqrt(Math.max(translations.length, 1));
    for (const term of translations) {
      if (dictionaryTerms >= MAX_DICTIONARY_TERMS) break;
      if (add(term, weight, word, "dictionary")) dictionaryTerms++;
    }
  }

  source.accumulate(terms);
  const firstPassCount = terms.length;
  const nearest = source.best(FEEDBACK_LISTINGS).map(({ id, score }) => [id, score] as const);
  if (nearest.length === 0) return { terms, bridged };
  const best = nearest[0][1];
  const language = scriptLanguage(query);
  let listingTerms = 0;
  const subclassCount = new Map<string, number>();
  nearest.forEach(([id, score], rank) => {
    const feedback = source.feedbackOf(id);
    if (!feedback) return;
    for (const subclass of new Set(feedback.subclasses))
      subclassCount.set(subclass, (subclassCount.get(subclass) ?? 0) + (rank === 0 ? 1.5 : 1));
    // Only listings nearly as close as the best, and written (or translated) in the query's
    // language, speak for it: their other titles say the same thing in other words. A listing
    // reached through the dictionary alone would only echo itself.
    if (score < best / 2 || rank >= 3 || !feedback.titles[language]) return;
    for (const [tag, title] of Object.entries(feedback.titles)) {
      if (tag === language) continue;
      for (const term of tokenize(title)) {
        if (listingTerms >= MAX_LISTING_TERMS) break;
        if (add(term, BRIDGE_WEIGHTS.listing, id, "listing")) listingTerms++;
      }
    }
  });
  for (const [subclass, count] of [...subclassCount.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2)) {
    if (count >= 1.5) add(subclass, BRIDGE_WEIGHTS.ipc, subclass.toUpperCase(), "ipc");
  }
  // The listings' words were added above as they came; score them and the IPC classes now, once.
  source.accumulate(terms.slice(firstPassCount));
  return { terms, bridged };
}
