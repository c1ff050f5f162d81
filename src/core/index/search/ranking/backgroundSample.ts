import type { HeldRows } from '../../vectors/heldRows';
import type { VectorSearcher } from '../../vectors/vectorSearcher';
import type { ItemDirectory } from '../itemDirectory';
import { SCORE_GROUPS, scoreGroupOf, type ScoreGroup } from './scoreGroups';

/** Rows per group scored for every query to find where that group's unrelated items sit. */
export const BACKGROUND_SAMPLE_SIZE = 192;

const cache = new WeakMap<ItemDirectory, { rowCount: number; samples: Map<ScoreGroup, number[]> }>();

/**
 * An even spread of each group's rows (every n-th in row order, so the same rows every time),
 * at most BACKGROUND_SAMPLE_SIZE per group, among the first `rowCount` rows.
 */
export function backgroundRows(directory: ItemDirectory, rowCount: number): Map<ScoreGroup, number[]> {
  const cached = cache.get(directory);
  if (cached && cached.rowCount === rowCount) return cached.samples;
  const byGroup = new Map<ScoreGroup, number[]>(SCORE_GROUPS.map((group) => [group, []]));
  for (const row of directory.liveRows()) {
    if (row >= rowCount) continue;
    const first = directory.entriesForRow(row)[0];
    if (first === undefined) continue;
    byGroup.get(scoreGroupOf(directory.entries[first]!.item.part))!.push(row);
  }
  const samples = new Map<ScoreGroup, number[]>();
  for (const [group, rows] of byGroup) {
    rows.sort((a, b) => a - b);
    const step = Math.max(1, rows.length / BACKGROUND_SAMPLE_SIZE);
    const sample: number[] = [];
    for (let i = 0; i < rows.length && sample.length < BACKGROUND_SAMPLE_SIZE; i += step) sample.push(rows[Math.floor(i)]!);
    samples.set(group, sample);
  }
  cache.set(directory, { rowCount, samples });
  return samples;
}

/** The sample's full vectors, read once per directory and searcher (a few MB at 4,096 dims). */
const heldSamples = new WeakMap<ItemDirectory, { searcher: VectorSearcher; rowCount: number; held: HeldRows }>();

/**
 * The query's exact similarity to each group's background sample (unknown rows left out): the
 * same numbers as scoring backgroundRows with searcher.scoreRows, without reading the sampled
 * vectors from disk for every query.
 */
export function backgroundScores(directory: ItemDirectory, searcher: VectorSearcher, rowCount: number, query: Float32Array): Map<ScoreGroup, number[]> {
  const sampleRows = backgroundRows(directory, rowCount);
  let kept = heldSamples.get(directory);
  if (!kept || kept.searcher !== searcher || kept.rowCount !== rowCount) {
    kept = { searcher, rowCount, held: searcher.holdRows(SCORE_GROUPS.flatMap((group) => sampleRows.get(group)!)) };
    heldSamples.set(directory, kept);
  }
  const scores = searcher.scoreHeldRows(query, kept.held);
  const samples = new Map<ScoreGroup, number[]>();
  let offset = 0;
  for (const group of SCORE_GROUPS) {
    const count = sampleRows.get(group)!.length;
    samples.set(group, scores.slice(offset, offset + count).filter(Number.isFinite));
    offset += count;
  }
  return samples;
}
