import MiniSearch from "minisearch";
import type { Listing, ListingContent, ListingSide } from "../types";
import { publicVersion } from "../types";
import { tokenize } from "./tokenize";

/** What a search may filter on (clause 6.4.1's structured fields). */
export interface SearchFilters {
  side?: ListingSide;
  /** A field code or its prefix: `energy` matches `energy.pv`. */
  field?: string;
  /** An IPC prefix: `H01M` or `H01M 10`. */
  ipc?: string;
  minTrl?: number;
  maxTrl?: number;
  /** With `currency`: supplies priced at most this, demands budgeting at least this. */
  maxPrice?: number;
  minBudget?: number;
  currency?: string;
  /** A region or its prefix: `CN` matches `CN-53`. */
  region?: string;
  mode?: string;
  language?: string;
}

export interface IndexedListing {
  id: string;
  ownerId: string;
  content: ListingContent;
  approvedAt: string;
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

/**
 * The public listings in memory: a BM25+ full-text index (MiniSearch) over
 * titles, summaries, keywords and IPC codes in every language, with the
 * structured fields beside it for filters and matching. Built from the store at
 * start; kept in step as listings are approved, edited and withdrawn.
 */
export class SearchIndex {
  private readonly text = new MiniSearch<{ id: string } & Record<string, string>>({
    fields: ["title", "summary", "keywords", "ipc"],
    storeFields: [],
    tokenize,
    processTerm: (term) => term,
    searchOptions: {
      boost: { title: 3, keywords: 2, ipc: 2 },
      combineWith: "OR",
      tokenize,
      processTerm: (term) => term,
    },
  });
  private readonly listings = new Map<string, IndexedListing>();
  /** IPC subclass (`H01M`) → listing ids, for candidates that share no words. */
  private readonly bySubclass = new Map<string, Set<string>>();

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
    const entry = {
      id: listing.id,
      ownerId: listing.ownerId,
      content: version.content,
      approvedAt: version.review!.at,
    };
    this.listings.set(listing.id, entry);
    this.text.add({ id: listing.id, ...searchableText(version.content) });
    for (const code of version.content.ipc) {
      const subclass = normaliseIpc(code).slice(0, 4);
      let ids = this.bySubclass.get(subclass);
      if (!ids) this.bySubclass.set(subclass, (ids = new Set()));
      ids.add(listing.id);
    }
  }

  remove(id: string): void {
    const entry = this.listings.get(id);
    if (!entry) return;
    this.text.discard(id);
    this.listings.delete(id);
    for (const code of entry.content.ipc) this.bySubclass.get(normaliseIpc(code).slice(0, 4))?.delete(id);
  }

  /** Full-text scores of `query` over the listings that pass `filters`. */
  textScores(query: string, filters: SearchFilters = {}): Map<string, number> {
    const scores = new Map<string, number>();
    if (!query.trim()) return scores;
    for (const hit of this.text.search(query, { filter: (hit) => this.passes(this.listings.get(hit.id)!, filters) })) {
      scores.set(hit.id, hit.score);
    }
    return scores;
  }

  /** Listings sharing an IPC subclass with `codes`. */
  sharingSubclass(codes: string[]): Set<string> {
    const ids = new Set<string>();
    for (const code of codes) for (const id of this.bySubclass.get(normaliseIpc(code).slice(0, 4)) ?? []) ids.add(id);
    return ids;
  }

  /** Everything that passes `filters`, newest first (a search without words). */
  filtered(filters: SearchFilters): IndexedListing[] {
    return [...this.listings.values()]
      .filter((entry) => this.passes(entry, filters))
      .sort((a, b) => b.approvedAt.localeCompare(a.approvedAt));
  }

  passes(entry: IndexedListing, f: SearchFilters): boolean {
    const c = entry.content;
    if (f.side && c.side !== f.side) return false;
    if (f.field && c.field !== f.field && !c.field.startsWith(`${f.field}.`)) return false;
    if (f.ipc && !c.ipc.some((code) => normaliseIpc(code).startsWith(normaliseIpc(f.ipc!)))) return false;
    const trl = c.side === "supply" ? c.trl : c.minTrl;
    if (f.minTrl !== undefined && trl < f.minTrl) return false;
    if (f.maxTrl !== undefined && trl > f.maxTrl) return false;
    if (f.region && c.region !== f.region && !c.region.startsWith(`${f.region}-`)) return false;
    if (f.mode && !c.modes.includes(f.mode as never)) return false;
    if (f.language && c.language !== f.language && !(f.language in c.title)) return false;
    if (f.currency || f.maxPrice !== undefined || f.minBudget !== undefined) {
      const money = c.side === "supply" ? c.price : c.budget;
      if (f.currency && money.currency !== f.currency) return false;
      if (c.side === "supply" && f.maxPrice !== undefined) {
        const lowest = "amount" in c.price ? c.price.amount : "min" in c.price ? c.price.min : 0;
        if (lowest > f.maxPrice) return false;
      }
      if (c.side === "demand" && f.minBudget !== undefined && c.budget.max < f.minBudget) return false;
    }
    return true;
  }
}
