/**
 * A BM25F full-text index kept in flat arrays: a posting list per word (the
 * documents that hold it and the word's weighted frequency there), scored by
 * accumulating into one array at query time. Built for the latency target of
 * 6.4.1 over 100,000 listings, where object-per-hit libraries spent most of
 * their time allocating. Field boosts weight the term frequency and the length
 * (BM25F); removed documents are skipped and compacted away in bulk.
 */
/** A word's postings: the documents holding it, its weighted frequency in each, and how many are live. */
interface PostingList {
  docs: number[];
  weights: number[];
  live: number;
}

/** A query word and how much it counts (1 for the query's own words). */
export interface WeightedTerm {
  term: string;
  weight: number;
}

export class Bm25Index<P = unknown> {
  private readonly k1 = 1.2;
  private readonly b = 0.75;
  private readonly ids: string[] = [];
  /** What filters read, kept beside each document so a filter touches little memory. */
  private payloads: P[] = [];
  private readonly ordinals = new Map<string, number>();
  private lengths: number[] = [];
  private removed: boolean[] = [];
  private removedCount = 0;
  private totalLength = 0;
  private readonly postings = new Map<string, PostingList>();
  /** Each document's posting lists, so that removing it takes it out of its words' live counts. */
  private listsOf: PostingList[][] = [];
  private scores = new Float64Array(1024);

  constructor(
    private readonly boosts: Record<string, number>,
    private readonly tokenize: (text: string) => string[],
  ) {}

  get size(): number {
    return this.ordinals.size;
  }

  /** Adds a document's fields (replace by removing first). */
  add(id: string, fields: Record<string, string>, payload: P): void {
    this.addTokens(
      id,
      Object.fromEntries(Object.entries(fields).map(([field, text]) => [field, this.tokenize(text)])),
      payload,
    );
  }

  /** Adds a document's fields already cut into words (the caller needed the words too). */
  addTokens(id: string, fields: Record<string, readonly string[]>, payload: P): void {
    const weights = new Map<string, number>();
    let length = 0;
    for (const [field, tokens] of Object.entries(fields)) {
      const boost = this.boosts[field] ?? 1;
      for (const term of tokens) {
        weights.set(term, (weights.get(term) ?? 0) + boost);
        length += boost;
      }
    }
    const ordinal = this.ids.length;
    this.ids.push(id);
    this.payloads.push(payload);
    this.lengths.push(length);
    this.removed.push(false);
    this.ordinals.set(id, ordinal);
    this.totalLength += length;
    const lists: PostingList[] = [];
    for (const [term, weight] of weights) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = { docs: [], weights: [], live: 0 }));
      list.docs.push(ordinal);
      list.weights.push(weight);
      list.live++;
      lists.push(list);
    }
    this.listsOf.push(lists);
  }

  /** How many live documents hold `term` (removed and replaced ones do not count). */
  frequency(term: string): number {
    return this.postings.get(term)?.live ?? 0;
  }

  remove(id: string): void {
    const ordinal = this.ordinals.get(id);
    if (ordinal === undefined) return;
    this.ordinals.delete(id);
    this.removed[ordinal] = true;
    this.removedCount++;
    // Document frequencies count live documents only: a withdrawn listing must not
    // keep lowering its words' IDF until the next compaction.
    for (const list of this.listsOf[ordinal]) list.live--;
    this.listsOf[ordinal] = [];
    this.totalLength -= this.lengths[ordinal];
    if (this.removedCount > 1000 && this.removedCount > this.ids.length / 4) this.compact();
  }

  /** BM25F scores of the documents holding any of the query's words (and passing `accept`). */
  search(query: string, accept?: (payload: P) => boolean): Map<string, number> {
    return this.searchTerms(
      [...new Set(this.tokenize(query))].map((term) => ({ term, weight: 1 })),
      accept,
    );
  }

  /**
   * BM25F scores for already-tokenized terms, each scaled by its weight: the
   * query's own words count 1, words it was bridged to (translations, inferred
   * IPC classes) less.
   */
  searchTerms(terms: ReadonlyArray<WeightedTerm>, accept?: (payload: P) => boolean): Map<string, number> {
    this.accumulate(terms);
    return this.collect(accept);
  }

  /** Documents touched by the accumulation under way, and whether one is. */
  private touched: number[] = [];

  /**
   * Adds the scores of `terms` into the accumulation under way: a query built
   * in stages (its own words, then what its nearest documents suggest) visits
   * each posting list once. {@link collect} ends it. Synchronous, so two
   * queries never interleave.
   */
  accumulate(terms: ReadonlyArray<WeightedTerm>): void {
    const live = this.ordinals.size;
    if (live === 0) return;
    if (this.scores.length < this.ids.length) {
      const grown = new Float64Array(this.ids.length * 2);
      grown.set(this.scores.subarray(0, Math.min(this.scores.length, grown.length)));
      this.scores = grown;
    }
    const averageLength = this.totalLength / live || 1;
    const touched = this.touched;
    for (const { term, weight: termWeight } of terms) {
      const list = this.postings.get(term);
      if (!list || list.live === 0) continue;
      const frequency = list.live;
      const idf = termWeight * Math.log(1 + (live - frequency + 0.5) / (frequency + 0.5));
      for (let i = 0; i < list.docs.length; i++) {
        const doc = list.docs[i];
        if (this.removed[doc]) continue;
        const weight = list.weights[i];
        const norm = this.k1 * (1 - this.b + (this.b * this.lengths[doc]) / averageLength);
        if (this.scores[doc] === 0) touched.push(doc);
        this.scores[doc] += (idf * weight * (this.k1 + 1)) / (weight + norm);
      }
    }
  }

  /** The `k` best documents of the accumulation under way, best first (ties by id). */
  best(k: number): Array<{ id: string; score: number }> {
    const top: Array<{ id: string; score: number }> = [];
    for (const doc of this.touched) {
      const score = this.scores[doc];
      if (top.length === k && score < top[k - 1].score) continue;
      const id = this.ids[doc];
      let at = top.length;
      while (at > 0 && (top[at - 1].score < score || (top[at - 1].score === score && top[at - 1].id > id))) at--;
      if (at < k) {
        top.splice(at, 0, { id, score });
        if (top.length > k) top.pop();
      }
    }
    return top;
  }

  /** Ends the accumulation under way: the scores of the documents passing `accept`. */
  collect(accept?: (payload: P) => boolean): Map<string, number> {
    const result = new Map<string, number>();
    this.drain((id, score, payload) => {
      if (!accept || accept(payload)) result.set(id, score);
    });
    return result;
  }

  /**
   * Ends the accumulation under way, handing each document it touched to
   * `visit`: for a caller that keeps only the best few of many hits, without a
   * map of them all.
   */
  drain(visit: (id: string, score: number, payload: P) => void): void {
    const touched = this.touched;
    this.touched = [];
    for (const doc of touched) {
      visit(this.ids[doc], this.scores[doc], this.payloads[doc]);
      this.scores[doc] = 0;
    }
  }

  /** Drops removed documents from every list (amortised: rare, in bulk). */
  private compact(): void {
    const renumber = new Int32Array(this.ids.length).fill(-1);
    const ids: string[] = [];
    const payloads: P[] = [];
    const lengths: number[] = [];
    const listsOf: PostingList[][] = [];
    for (let old = 0; old < this.ids.length; old++) {
      if (this.removed[old]) continue;
      renumber[old] = ids.length;
      ids.push(this.ids[old]);
      payloads.push(this.payloads[old]);
      lengths.push(this.lengths[old]);
      listsOf.push(this.listsOf[old]);
    }
    for (const [term, list] of this.postings) {
      const docs: number[] = [];
      const weights: number[] = [];
      for (let i = 0; i < list.docs.length; i++) {
        const next = renumber[list.docs[i]];
        if (next >= 0) {
          docs.push(next);
          weights.push(list.weights[i]);
        }
      }
      // Keep the same list object: documents' `listsOf` point at it.
      if (docs.length) {
        list.docs = docs;
        list.weights = weights;
      } else this.postings.delete(term);
    }
    this.ids.splice(0, this.ids.length, ...ids);
    this.lengths = lengths;
    this.listsOf = listsOf;
    this.payloads = payloads;
    this.removed = ids.map(() => false);
    this.removedCount = 0;
    this.ordinals.clear();
    ids.forEach((id, ordinal) => this.ordinals.set(id, ordinal));
  }
}
