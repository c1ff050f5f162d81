/**
 * Blends vector similarity with the lexical match. Lexical scores (BM25) are unbounded, so
 * they are scaled by the best one of this query; the weight keeps meaning first while letting
 * an exact identifier or file name lift its item decisively.
 */
export const LEXICAL_WEIGHT = 0.25;

export function fuseScores(vector: ReadonlyMap<number, number>, lexical: ReadonlyMap<number, number>): Map<number, number> {
  const bestLexical = Math.max(0, ...lexical.values());
  const fused = new Map<number, number>();
  const ids = new Set([...vector.keys(), ...lexical.keys()]);
  for (const id of ids) {
    const lexicalPart = bestLexical > 0 ? (lexical.get(id) ?? 0) / bestLexical : 0;
    const similarity = vector.get(id);
    fused.set(id, vector.size === 0 ? lexicalPart : (1 - LEXICAL_WEIGHT) * Math.max(0, similarity ?? 0) + LEXICAL_WEIGHT * lexicalPart);
  }
  return fused;
}
