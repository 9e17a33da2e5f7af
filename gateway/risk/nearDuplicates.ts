/**
 * Near-duplicate texts by MinHash over character shingles, with banded
 * locality-sensitive hashing so a new text is compared only with the few
 * texts that share a band, never with all of them.
 *
 * Characters rather than words: Chinese has no spaces, and a copied text with
 * a few words changed keeps most of its 5-character runs. 64 hash functions
 * estimate the Jaccard similarity of two shingle sets within about ±0.06;
 * 16 bands of 4 rows make a pair at similarity 0.8 a candidate with
 * probability 0.9998 and one at 0.5 with 0.64, so thresholds below 0.5 are
 * not offered.
 */

export const SHINGLE_LENGTH = 5;
const HASHES = 64;
const BANDS = 16;
const ROWS = HASHES / BANDS;

/** Seeds of the 64 hash functions, fixed so signatures stored on disk stay comparable across restarts. */
const SEEDS = Array.from({ length: HASHES }, (_, i) => mix(0x9e3779b9 ^ Math.imul(i + 1, 0x85ebca6b)));

/** A 32-bit finaliser (MurmurHash3's fmix32): spreads every input bit over the output. */
function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Lower case, letters and digits only: punctuation, spacing and case do not hide a copy. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/** The MinHash signature of a text (64 numbers); empty for a text shorter than one shingle. */
export function minHashSignature(text: string): number[] {
  const normal = normalise(text);
  if (normal.length < SHINGLE_LENGTH) return [];
  const shingles = new Set<number>();
  for (let i = 0; i + SHINGLE_LENGTH <= normal.length; i++) shingles.add(fnv1a(normal.slice(i, i + SHINGLE_LENGTH)));
  const signature = new Array<number>(HASHES).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let k = 0; k < HASHES; k++) {
      const h = mix(shingle ^ SEEDS[k]);
      if (h < signature[k]) signature[k] = h;
    }
  }
  return signature;
}

/** The estimated Jaccard similarity of the texts behind two signatures: the share of equal positions. */
export function similarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== HASHES || b.length !== HASHES) return 0;
  let equal = 0;
  for (let k = 0; k < HASHES; k++) if (a[k] === b[k]) equal++;
  return equal / HASHES;
}

/** One entry of the index: an id, its owner and its signature. */
export interface IndexedText {
  id: string;
  ownerId: string;
  signature: number[];
}

/** The texts seen so far, in bands: `candidates` finds those likely similar to a signature. */
export class NearDuplicateIndex {
  private readonly entries = new Map<string, IndexedText>();
  private readonly buckets = new Map<string, Set<string>>();

  get size(): number {
    return this.entries.size;
  }

  add(entry: IndexedText): void {
    if (entry.signature.length !== HASHES) return;
    this.remove(entry.id);
    this.entries.set(entry.id, entry);
    for (const key of bandKeys(entry.signature)) {
      let bucket = this.buckets.get(key);
      if (!bucket) this.buckets.set(key, (bucket = new Set()));
      bucket.add(entry.id);
    }
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    for (const key of bandKeys(entry.signature)) this.buckets.get(key)?.delete(id);
  }

  /** The entries at or above `threshold` similar to `signature`, most similar first (the id itself left out). */
  similarTo(id: string, signature: readonly number[], threshold: number): Array<IndexedText & { similarity: number }> {
    if (signature.length !== HASHES) return [];
    const seen = new Set<string>([id]);
    const found: Array<IndexedText & { similarity: number }> = [];
    for (const key of bandKeys(signature)) {
      for (const candidate of this.buckets.get(key) ?? []) {
        if (seen.has(candidate)) continue;
        seen.add(candidate);
        const entry = this.entries.get(candidate)!;
        const score = similarity(signature, entry.signature);
        if (score >= threshold) found.push({ ...entry, similarity: score });
      }
    }
    return found.sort((a, b) => b.similarity - a.similarity);
  }
}

function bandKeys(signature: readonly number[]): string[] {
  const keys: string[] = [];
  for (let band = 0; band < BANDS; band++) {
    keys.push(`${band}:${signature.slice(band * ROWS, (band + 1) * ROWS).join(",")}`);
  }
  return keys;
}
