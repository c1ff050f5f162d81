/**
 * Graded ranking metrics over the first k results. `grades` are the grades of the results in
 * order (0: not relevant, or a label already credited to an earlier result); `labelGrades` are
 * the grades of everything labelled relevant for the query.
 */

export interface QueryMetrics {
  readonly ndcg: number;
  readonly recall: number;
  readonly mrr: number;
}

/** nDCG@k with gains 2^grade - 1. */
export function ndcgAt(k: number, grades: readonly number[], labelGrades: readonly number[]): number {
  const dcg = (list: readonly number[]) => list.slice(0, k).reduce((sum, grade, i) => sum + (2 ** grade - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...labelGrades].sort((a, b) => b - a));
  return ideal > 0 ? dcg(grades) / ideal : 0;
}

/** Share of the labelled items found in the first k. */
export function recallAt(k: number, grades: readonly number[], labelGrades: readonly number[]): number {
  return labelGrades.length ? grades.slice(0, k).filter((grade) => grade > 0).length / labelGrades.length : 0;
}

/** 1 / rank of the first result of the top grade the query has (what it is after), within k. */
export function reciprocalRankAt(k: number, grades: readonly number[], labelGrades: readonly number[]): number {
  const target = Math.max(...labelGrades);
  const rank = grades.slice(0, k).findIndex((grade) => grade === target);
  return rank < 0 ? 0 : 1 / (rank + 1);
}

export function queryMetrics(k: number, grades: readonly number[], labelGrades: readonly number[]): QueryMetrics {
  return { ndcg: ndcgAt(k, grades, labelGrades), recall: recallAt(k, grades, labelGrades), mrr: reciprocalRankAt(k, grades, labelGrades) };
}

export function meanMetrics(all: readonly QueryMetrics[]): QueryMetrics {
  const mean = (pick: (m: QueryMetrics) => number) => (all.length ? all.reduce((sum, m) => sum + pick(m), 0) / all.length : 0);
  return { ndcg: mean((m) => m.ndcg), recall: mean((m) => m.recall), mrr: mean((m) => m.mrr) };
}
