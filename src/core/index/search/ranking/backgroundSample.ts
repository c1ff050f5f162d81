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
