// Scoring as MiniSearch scores (BM25+ with its default parameters and its weights for prefix
// and fuzzy matches), so that ranking stayed what the search-quality evaluation measured when
// the lexical index moved from MiniSearch to the word segments of this folder.

const K = 1.2;
const B = 0.7;
const D = 0.5;
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const MAX_FUZZY = 6;

/** BM25+ of one field of one document for one term. */
export function bm25(termFrequency: number, matchingDocuments: number, totalDocuments: number, fieldLength: number, averageFieldLength: number): number {
  const inverseDocumentFrequency = Math.log(1 + (totalDocuments - matchingDocuments + 0.5) / (matchingDocuments + 0.5));
  return inverseDocumentFrequency * (D + (termFrequency * (K + 1)) / (termFrequency + K * (1 - B + (B * fieldLength) / averageFieldLength)));
}

/** A word of the query matches words of the index from 4 characters by prefix, from 6 also fuzzily. */
export function matchesByPrefix(term: string): boolean {
  return term.length >= 4;
}

/** The edit distance a query word may be off by (0: exact and prefix matches only). */
export function fuzzyDistance(term: string): number {
  return term.length >= 6 ? Math.min(MAX_FUZZY, Math.round(term.length * 0.15)) : 0;
}

/** Weight of an index word that extends the query word by `extra` characters. */
export function prefixWeight(indexTerm: string, extra: number): number {
  return (PREFIX_WEIGHT * indexTerm.length) / (indexTerm.length + 0.3 * extra);
}

/** Weight of an index word `distance` edits away from the query word. */
export function fuzzyWeight(indexTerm: string, distance: number): number {
  return (FUZZY_WEIGHT * indexTerm.length) / (indexTerm.length + distance);
}
