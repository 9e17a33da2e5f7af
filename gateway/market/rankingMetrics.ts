/**
 * Ranking-quality measures for matching (issue 4, "Quality is measured"): how
 * well a ranked list of listing ids agrees with graded relevance judgments such
 * as `test/fixtures/matching/judgments.json`.
 *
 * Grades: 3 answers the need, 2 closely related, 1 same field but a weak fit,
 * 0 (or absent) not relevant. nDCG uses every grade; Recall@k and the
 * reciprocal rank count an item as relevant when its grade is at least
 * {@link RELEVANT_GRADE} (2), so that a "same field, weak fit" result does not
 * count as a hit.
 *
 * Positions are those of the ranking as given. An id that appears more than
 * once counts at its first position only: later repeats still take up their
 * positions but earn nothing, so a ranker cannot inflate DCG or recall by
 * repeating its best result.
 */

/** Graded judgments for one query: id → grade (0–3); absent ids are grade 0. */
export type Judgments = Readonly<Record<string, number>>;

/** Options shared by the binary measures. */
export interface RelevanceOptions {
  /** Lowest grade that counts as relevant; default {@link RELEVANT_GRADE}. */
  minGrade?: number;
}

/** One query's run: the ranking a matcher produced and the judgments for that query. */
export interface RankingRun {
  /** Query id, for reports (e.g. the demand id). */
  query?: string;
  ranked: readonly string[];
  relevant: Judgments;
}

/** Averages over a set of runs, each in 0–1. */
export interface RankingSummary {
  /** Number of runs averaged. */
  queries: number;
  /** Mean reciprocal rank of the first result with grade ≥ `minGrade`. */
  mrr: number;
  /** Mean Recall@`recallK` (default 5). */
  recallAt5: number;
  /** Mean nDCG@`ndcgK` (default 10). */
  ndcgAt10: number;
}

/** The grade from which a result counts as relevant for Recall@k and MRR. */
export const RELEVANT_GRADE = 2;

const gradeOf = (relevant: Judgments, id: string): number => {
  const grade = Object.hasOwn(relevant, id) ? relevant[id] : 0;
  return Number.isFinite(grade) && grade > 0 ? grade : 0;
};

function assertK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
}

/** Grades by position of the first `k` results; a repeated id is graded 0 after its first position. */
function gradesByPosition(ranked: readonly string[], relevant: Judgments, k = Infinity): number[] {
  const seen = new Set<string>();
  return ranked.slice(0, k).map((id) => {
    if (seen.has(id)) return 0;
    seen.add(id);
    return gradeOf(relevant, id);
  });
}

/**
 * Recall@k: the share of the relevant items (grade ≥ `minGrade`, default 2)
 * that appear in the first `k` results. 0 when nothing is relevant.
 *
 * @example
 * recallAtK(["s3", "s9", "s1"], { s1: 3, s2: 2, s9: 1 }, 3) // 0.5: s1 found, s2 missed, s9 below grade 2
 */
export function recallAtK(
  ranked: readonly string[],
  relevant: Judgments,
  k: number,
  { minGrade = RELEVANT_GRADE }: RelevanceOptions = {},
): number {
  assertK(k);
  const wanted = Object.keys(relevant).filter((id) => gradeOf(relevant, id) >= minGrade);
  if (wanted.length === 0) return 0;
  const found = gradesByPosition(ranked, relevant, k).filter((grade) => grade >= minGrade).length;
  return found / wanted.length;
}

/**
 * Reciprocal rank: 1 / the position of the first result whose grade is at
 * least `minGrade` (default 2), or 0 when none is in the ranking.
 *
 * @example
 * reciprocalRank(["s4", "s7", "s1"], { s1: 3, s7: 1 }) // 1/3: s7 is only grade 1
 */
export function reciprocalRank(
  ranked: readonly string[],
  relevant: Judgments,
  { minGrade = RELEVANT_GRADE }: RelevanceOptions = {},
): number {
  const position = gradesByPosition(ranked, relevant).findIndex((grade) => grade >= minGrade);
  return position < 0 ? 0 : 1 / (position + 1);
}

/** DCG of a list of grades: Σ (2^g − 1) / log2(i + 1), i from 1. */
function dcg(grades: readonly number[]): number {
  return grades.reduce((sum, grade, i) => sum + (2 ** grade - 1) / Math.log2(i + 2), 0);
}

/**
 * nDCG@k with graded gains 2^g − 1 and a log2(rank + 1) discount, normalised by
 * the DCG of the ideal ordering of all judged grades (so relevant items the
 * ranking missed lower the score). 0 when nothing is judged relevant.
 *
 * @example
 * ndcgAtK(["s1", "s2"], { s1: 3, s2: 2 }, 10) // 1: the ideal order
 * ndcgAtK(["s2", "s1"], { s1: 3, s2: 2 }, 10) // (3 + 7/log2 3) / (7 + 3/log2 3) ≈ 0.834
 */
export function ndcgAtK(ranked: readonly string[], relevant: Judgments, k: number): number {
  assertK(k);
  const ideal = dcg(
    Object.keys(relevant)
      .map((id) => gradeOf(relevant, id))
      .filter((grade) => grade > 0)
      .sort((a, b) => b - a)
      .slice(0, k),
  );
  if (ideal === 0) return 0;
  return dcg(gradesByPosition(ranked, relevant, k)) / ideal;
}

/**
 * Averages the measures over queries: MRR, mean Recall@5 and mean nDCG@10 (the
 * figures reported in docs/BENCHMARKS.md). Every run counts, including those
 * that found nothing. Throws on an empty set of runs, whose mean is undefined.
 *
 * @example
 * summarise([
 *   { query: "d01", ranked: ["s18", "s19"], relevant: { s18: 3, s19: 2 } },
 *   { query: "d02", ranked: ["s5", "s10"], relevant: { s10: 3 } },
 * ]) // { queries: 2, mrr: 0.75, recallAt5: 1, ndcgAt10: ≈ 0.815 }
 */
export function summarise(
  runs: readonly RankingRun[],
  { minGrade = RELEVANT_GRADE, recallK = 5, ndcgK = 10 }: RelevanceOptions & { recallK?: number; ndcgK?: number } = {},
): RankingSummary {
  if (runs.length === 0) throw new RangeError("summarise needs at least one run");
  let mrr = 0;
  let recall = 0;
  let ndcg = 0;
  for (const { ranked, relevant } of runs) {
    mrr += reciprocalRank(ranked, relevant, { minGrade });
    recall += recallAtK(ranked, relevant, recallK, { minGrade });
    ndcg += ndcgAtK(ranked, relevant, ndcgK);
  }
  const n = runs.length;
  return { queries: n, mrr: mrr / n, recallAt5: recall / n, ndcgAt10: ndcg / n };
}
