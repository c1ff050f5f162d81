/**
 * Merges the two sides' relevance (each in 0..1, see ranking/relevance and
 * ranking/lexicalEvidence) into the one a result is ranked by: either side can make an item
 * relevant, both together more so (a probabilistic "or"). An exact identifier or file-name
 * lookup has lexical evidence 1 and so comes first whatever the vectors say; a paraphrase has
 * little lexical evidence anywhere and is ranked by meaning.
 */
export function fuseScores(vector: ReadonlyMap<number, number> | undefined, lexical: ReadonlyMap<number, number>): Map<number, number> {
  const fused = new Map<number, number>();
  const ids = new Set([...(vector?.keys() ?? []), ...lexical.keys()]);
  for (const id of ids) {
    const fromVector = vector?.get(id) ?? 0;
    const fromWords = lexical.get(id) ?? 0;
    fused.set(id, 1 - (1 - fromVector) * (1 - fromWords));
  }
  return fused;
}
