import type { Listing, ListingContent, ListingSide, SearchFilters } from "../types";
import { publicVersion } from "../types";
import { tokenize } from "./tokenize";
import { Bm25Index, type WeightedTerm } from "./bm25";
import { languageBridge, type LanguageBridge } from "./bridge";
import { expandQuery, type BridgedTerm } from "./crossLanguage";

/** What a search may filter on (clause 6.4.1's structured fields). */
export type { SearchFilters };

export interface IndexedListing {
  id: string;
  ownerId: string;
  content: ListingContent;
  approvedAt: string;
  /**
   * How complete the disclosure is, for breaking ties: one point per language of
   * the title, one for a granted IP right, one for attachments.
   */
  quality: number;
  /** The filterable values, worked out once at indexing (filters run on every hit). */
  facets: Facets;
}

/** A listing's filterable values in one small object: a filter runs on every hit and reads only this. */
export interface Facets {
  side: ListingSide;
  field: string;
  region: string;
  currency: string;
  language: string;
  languages: string[];
  modes: string[];
  trl: number;
  ipc: string[];
  lowestPrice?: number;
  highestBudget?: number;
}

const joined = (text: Record<string, string> | undefined) => Object.values(text ?? {}).join(" \n ");

/** The text of a listing that search and matching read, by index field. */
export function searchableText(content: ListingContent): Record<string, string> {
  const extra =
    content.side === "supply"
      ? [joined(content.problemSolved), joined(content.applications), joined(content.advantages)].join(" \n ")
      : [joined(content.problem), content.targets.join(" \n ")].join(" \n ");
  return {
    title: joined(content.title),
    summary: `${joined(content.summary)} \n ${extra}`,
    keywords: content.keywords.join(" \n "),
    ipc: content.ipc.join(" \n "),
  };
}

const normaliseIpc = (code: string) => code.replace(/\s+/g, "").toUpperCase();

function disclosureQuality(content: ListingContent): number {
  const granted = content.side === "supply" && content.ip.some((record) => record.status === "granted");
  return Object.keys(content.title).length + (granted ? 1 : 0) + (content.attachments.length > 0 ? 1 : 0);
}

/**
 * The one order of ranked listings: score, then quality of disclosure, then the
 * most recently published, then id, so that equal scores come out the same way
 * on every run (ids are random).
 */
export function compareRanked(
  a: { score: number; entry: IndexedListing },
  b: { score: number; entry: IndexedListing },
): number {
  return (
    b.score - a.score ||
    b.entry.quality - a.entry.quality ||
    b.entry.approvedAt.localeCompare(a.entry.approvedAt) ||
    (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0)
  );
}

/** Text scores of a query and how it was bridged across languages. */
export interface TextScores {
  scores: Map<string, number>;
  bridged: BridgedTerm[];
}

/**
 * The public listings in memory: a BM25F full-text index over
 * titles, summaries, keywords and IPC codes in every language, with the
 * structured fields beside it for filters and matching. Built from the store at
 * start; kept in step as listings are approved, edited and withdrawn.
 */
export class SearchIndex {
  private readonly text = new Bm25Index<Facets>({ title: 3, keywords: 2, ipc: 2, summary: 1 }, tokenize);
  private readonly listings = new Map<string, IndexedListing>();
  /** Side and IPC subclass (`supply:H01M`) → listing ids, for candidates that share no words. */
  private readonly bySubclass = new Map<string, Set<string>>();
  /** Each listing's words, to say which bridged words a shown match holds. */
  private readonly wordsOf = new Map<string, string[]>();

  /** The Chinese–English dictionary; `null` turns bridging off (the benchmark's baseline). */
  constructor(private bridge: LanguageBridge | null | (() => LanguageBridge) = languageBridge) {}

  private get dictionary(): LanguageBridge | null {
    return typeof this.bridge === "function" ? (this.bridge = this.bridge()) : this.bridge;
  }

  get size(): number {
    return this.listings.size;
  }

  get(id: string): IndexedListing | undefined {
    return this.listings.get(id);
  }

  /** Puts (or replaces, or removes) a listing as the public should see it now. */
  update(listing: Listing): void {
    this.remove(listing.id);
    const version = publicVersion(listing);
    if (!version) return;
    const c = version.content;
    const entry: IndexedListing = {
      id: listing.id,
      ownerId: listing.ownerId,
      content: c,
      approvedAt: version.review!.at,
      quality: disclosureQuality(c),
      facets: {
        side: c.side,
        field: c.field,
        region: c.region,
        currency: c.side === "supply" ? c.price.currency : c.budget.currency,
        language: c.language,
        languages: Object.keys(c.title),
        modes: c.modes,
        trl: c.side === "supply" ? c.trl : c.minTrl,
        ipc: c.ipc.map(normaliseIpc),
        lowestPrice:
          c.side === "supply" ? ("amount" in c.price ? c.price.amount : "min" in c.price ? c.price.min : 0) : undefined,
        highestBudget: c.side === "demand" ? c.budget.max : undefined,
      },
    };
    this.listings.set(listing.id, entry);
    const fields = Object.fromEntries(
      Object.entries(searchableText(version.content)).map(([field, text]) => [field, tokenize(text)]),
    );
    this.text.addTokens(listing.id, fields, entry.facets);
    this.wordsOf.set(listing.id, [...new Set(Object.values(fields).flat())]);
    for (const code of version.content.ipc) {
      const key = `${c.side}:${normaliseIpc(code).slice(0, 4)}`;
      let ids = this.bySubclass.get(key);
      if (!ids) this.bySubclass.set(key, (ids = new Set()));
      ids.add(listing.id);
    }
  }

  remove(id: string): void {
    const entry = this.listings.get(id);
    if (!entry) return;
    this.text.remove(id);
    this.listings.delete(id);
    this.wordsOf.delete(id);
    for (const code of entry.content.ipc)
      this.bySubclass.get(`${entry.content.side}:${normaliseIpc(code).slice(0, 4)}`)?.delete(id);
  }

  /**
   * Full-text scores of `query` over the listings that pass `filters`, across
   * languages: the query's words, their dictionary translations and what the
   * nearest listings' translations and IPC classes add (`crossLanguage.ts`).
   */
  textScores(query: string, filters: SearchFilters = {}, { bridge = true }: { bridge?: boolean } = {}): TextScores {
    if (!query.trim()) return { scores: new Map(), bridged: [] };
    const bridged = this.accumulateQuery(query, bridge);
    const filtered = Object.values(filters).some((value) => value !== undefined);
    return { scores: this.text.collect(filtered ? compileFilter(filters) : undefined), bridged };
  }

  /**
   * The best `limit` listings after `offset` for `query`, in the one order of
   * {@link compareRanked}, and how many pass `filters` in all: what a search
   * answers, without a map or a sort of every hit (a common word in 100,000
   * listings has tens of thousands).
   */
  search(
    query: string,
    filters: SearchFilters = {},
    { limit = 20, offset = 0, bridge = true }: { limit?: number; offset?: number; bridge?: boolean } = {},
  ): { total: number; hits: Array<{ entry: IndexedListing; score: number }>; bridged: BridgedTerm[] } {
    if (!query.trim()) return { total: 0, hits: [], bridged: [] };
    const bridged = this.accumulateQuery(query, bridge);
    const filtered = Object.values(filters).some((value) => value !== undefined);
    const accept = filtered ? compileFilter(filters) : undefined;
    const wanted = offset + limit;
    const top: Array<{ entry: IndexedListing; score: number }> = [];
    let total = 0;
    this.text.drain((id, score, facets) => {
      if (accept && !accept(facets)) return;
      total++;
      if (top.length === wanted && score < top[wanted - 1].score) return;
      const hit = { entry: this.listings.get(id)!, score };
      let at = top.length;
      while (at > 0 && compareRanked(top[at - 1], hit) > 0) at--;
      if (at < wanted) {
        top.splice(at, 0, hit);
        if (top.length > wanted) top.pop();
      }
    });
    return { total, hits: top.slice(offset), bridged };
  }

  /** Scores `query` into the text index's accumulation, bridged across languages unless told not to. */
  private accumulateQuery(query: string, bridge: boolean): BridgedTerm[] {
    const dictionary = bridge ? this.dictionary : null;
    if (!dictionary) {
      this.text.accumulate([...new Set(tokenize(query))].map((term) => ({ term, weight: 1 })));
      return [];
    }
    // Scored in stages inside (the query's words, then what its nearest listings add). A failure
    // half-way must not leave its scores in the accumulator for the next query.
    try {
      return this.expand(query, dictionary);
    } catch (error) {
      this.text.collect();
      throw error;
    }
  }

  private expand(query: string, dictionary: LanguageBridge): BridgedTerm[] {
    return expandQuery(
      {
        frequency: (term) => this.text.frequency(term),
        accumulate: (terms) => this.text.accumulate(terms),
        best: (k) => this.text.best(k),
        feedbackOf: (id) => {
          const entry = this.listings.get(id);
          return (
            entry && {
              titles: entry.content.title,
              subclasses: entry.facets.ipc.map((code) => code.slice(0, 4).toLowerCase()),
            }
          );
        },
      },
      query,
      dictionary,
    ).bridged;
  }

  /** BM25F scores of weighted words over the listings that pass `filters`. */
  termScores(terms: ReadonlyArray<WeightedTerm>, filters: SearchFilters = {}): Map<string, number> {
    const filtered = Object.values(filters).some((value) => value !== undefined);
    return this.text.searchTerms(terms, filtered ? compileFilter(filters) : undefined);
  }

  /** The dictionary's words for `token` in the other language (none with bridging off). */
  translate(token: string): readonly string[] {
    return this.dictionary?.translate(token) ?? [];
  }

  /** The words of a public listing (every field, every language), or `undefined` if it is not public. */
  wordsOfListing(id: string): readonly string[] | undefined {
    return this.wordsOf.get(id);
  }

  /** Whether a public listing holds `word`. */
  holds(id: string, word: string): boolean {
    return this.wordsOf.get(id)?.includes(word) ?? false;
  }

  /** How many public listings hold `word` (0 for an unknown word); withdrawn and replaced versions do not count. */
  frequency(word: string): number {
    return this.text.frequency(word);
  }

  /** Listings of `side` sharing an IPC subclass with `codes`. */
  sharingSubclass(codes: string[], side: ListingSide): Set<string> {
    const ids = new Set<string>();
    for (const code of codes)
      for (const id of this.bySubclass.get(`${side}:${normaliseIpc(code).slice(0, 4)}`) ?? []) ids.add(id);
    return ids;
  }

  /** Everything that passes `filters`, newest first (a search without words). */
  filtered(filters: SearchFilters): IndexedListing[] {
    const accept = compileFilter(filters);
    return [...this.listings.values()]
      .filter((entry) => accept(entry.facets))
      .sort((a, b) => b.approvedAt.localeCompare(a.approvedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  passes(entry: IndexedListing, filters: SearchFilters): boolean {
    return compileFilter(filters)(entry.facets);
  }
}

/**
 * A filter as a function, with its strings worked out once: it runs on every
 * hit of a search (tens of thousands for a common word).
 */
export function compileFilter(f: SearchFilters): (facets: Facets) => boolean {
  // Every value read once into a constant: the function runs on every hit, and
  // with the bridge on a common query has tens of thousands.
  const { side, minTrl, maxTrl, currency, maxPrice, minBudget, field, region, mode, language } = f;
  const fieldPrefix = field && `${field}.`;
  const regionPrefix = region && `${region}-`;
  const ipcPrefix = f.ipc && normaliseIpc(f.ipc);
  return (facets) => {
    if (side && facets.side !== side) return false;
    if (minTrl !== undefined && facets.trl < minTrl) return false;
    if (maxTrl !== undefined && facets.trl > maxTrl) return false;
    if (currency && facets.currency !== currency) return false;
    if (maxPrice !== undefined && facets.lowestPrice !== undefined && facets.lowestPrice > maxPrice) return false;
    if (minBudget !== undefined && facets.highestBudget !== undefined && facets.highestBudget < minBudget) return false;
    if (field && facets.field !== field && !facets.field.startsWith(fieldPrefix!)) return false;
    if (region && facets.region !== region && !facets.region.startsWith(regionPrefix!)) return false;
    if (ipcPrefix && !facets.ipc.some((code) => code.startsWith(ipcPrefix))) return false;
    if (mode && !facets.modes.includes(mode)) return false;
    if (language && facets.language !== language && !facets.languages.includes(language)) return false;
    return true;
  };
}
