import { fuseScores } from '../fuseScores';
import { relevanceOf } from './relevance';
import type { VectorEvidence } from './vectorEvidence';

export interface RankedItem {
  readonly id: number;
  /** 0..1, comparable across kinds of items; the list is sorted by it. */
  readonly relevance: number;
  readonly similarity?: number;
}

/**
 * One ranked list from both sides: each item's calibrated vector score as a relevance, fused
 * with its lexical evidence, best first (ties: higher raw similarity, then entry order).
 */
export function rankItems(vector: ReadonlyMap<number, VectorEvidence> | undefined, lexical: ReadonlyMap<number, number>): RankedItem[] {
  const vectorRelevance = vector ? new Map([...vector].map(([id, evidence]) => [id, relevanceOf(evidence.calibrated)])) : undefined;
  const fused = fuseScores(vectorRelevance, lexical);
  return [...fused]
    .map(([id, relevance]) => ({ id, relevance, ...(vector?.has(id) ? { similarity: vector.get(id)!.similarity } : {}) }))
    .sort((a, b) => b.relevance - a.relevance || (b.similarity ?? -2) - (a.similarity ?? -2) || a.id - b.id);
}
