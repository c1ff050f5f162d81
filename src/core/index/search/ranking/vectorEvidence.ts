import type { SearchIndex } from '../searchIndex';
import { backgroundScores } from './backgroundSample';
import { rowGroups } from './rowGroups';
import { calibrate, groupBackgrounds } from './scoreCalibration';
import { SCORE_GROUPS, scoreGroupOf, type ScoreGroup } from './scoreGroups';

/** Rows the int8 scan keeps per group for exact rescoring, per row wanted. */
const RESCORING_SLACK = 3;

export interface VectorEvidence {
  /** Cosine similarity to the query. */
  readonly similarity: number;
  /** Spreads above the background of the item's score group (see scoreCalibration). */
  readonly calibrated: number;
}

export interface VectorEvidenceOptions {
  /** Candidates drawn from each score group. */
  readonly perGroup: number;
  readonly accept?: (id: number) => boolean;
  /** Entry ids to score even when the scan did not keep them (what the lexical side found). */
  readonly alsoScore?: Iterable<number>;
}

/**
 * Vector candidates for a query, drawn group by group so that no kind of item is starved by
 * another's higher raw similarities, each with its similarity calibrated against its group.
 */
export function vectorEvidence(index: SearchIndex, vector: Float32Array, options: VectorEvidenceOptions): Map<number, VectorEvidence> {
  const evidence = new Map<number, VectorEvidence>();
  const searcher = index.vectors;
  if (!searcher) return evidence;
  if (vector.length !== searcher.fullDims) {
    throw new Error(`the query vector has ${vector.length} dimensions but the index holds ${searcher.fullDims}; rebuild the index`);
  }
  const directory = index.directory;
  const rowCount = index.rowCount;
  const { accept } = options;
  const groupOfEntry = (id: number): ScoreGroup => scoreGroupOf(directory.entries[id]!.item.part);

  // Each row's group number + 1, or 0 when no entry of the row passes the filter: one scan
  // keeps the best of every group. Built once per directory, row count and filter.
  const groups = rowGroups(directory, rowCount, accept);
  const rowScores = new Map<number, number>();
  for (const hits of searcher.searchGroups(vector, {
    k: options.perGroup,
    groups,
    groupCount: SCORE_GROUPS.length,
    candidates: RESCORING_SLACK * options.perGroup,
  })) {
    for (const hit of hits) rowScores.set(hit.row, hit.score);
  }
  const missing = [...new Set([...(options.alsoScore ?? [])].map((id) => directory.entries[id]!.item.row))].filter(
    (row) => row < rowCount && !rowScores.has(row),
  );
  searcher.scoreRows(vector, missing).forEach((score, i) => {
    if (Number.isFinite(score)) rowScores.set(missing[i]!, score);
  });

  const samples = backgroundScores(directory, searcher, rowCount, vector);
  const backgrounds = groupBackgrounds(samples);

  for (const [row, similarity] of rowScores) {
    for (const id of directory.entriesForRow(row)) {
      if (accept && !accept(id)) continue;
      evidence.set(id, { similarity, calibrated: calibrate(similarity, backgrounds.get(groupOfEntry(id))!) });
    }
  }
  return evidence;
}
