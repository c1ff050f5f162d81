import { SCORE_GROUPS, type ScoreGroup } from './scoreGroups';

/**
 * Where unrelated items of a group score for this query: the centre and spread of the query's
 * similarities to a sample of the group, read from the median and the lower half only (the
 * median minus the 16th percentile is one standard deviation of a normal), because related
 * items, which a sample of a topical workspace holds plenty of, only ever add to the upper tail. A calibrated score is how many spreads an
 * item stands above its own group's background, which is comparable across groups whatever the
 * modality gap or the common direction of the model's space.
 */
export interface Background {
  readonly center: number;
  readonly spread: number;
}

/** Fewer sampled items than this and a group's own distribution is not trusted. */
export const MIN_BACKGROUND_SAMPLE = 8;
/** Spreads are never taken below this: identical items must not make every gap infinite. */
export const MIN_SPREAD = 0.01;
/** The share of a normal distribution more than one standard deviation below its mean. */
const ONE_SIGMA_BELOW = 0.1587;

export function robustBackground(scores: readonly number[]): Background {
  const sorted = [...scores].sort((a, b) => a - b);
  const center = quantile(sorted, 0.5);
  return { center, spread: Math.max(center - quantile(sorted, ONE_SIGMA_BELOW), MIN_SPREAD) };
}

/**
 * One background per group from samples of the query's scores: each group's own centre (the
 * modality gap and the common direction shift a whole group's scores), and one spread for all,
 * the median of the groups' spreads (a group's own spread is the least reliable number here: a
 * topical sample is full of related items). A group with too small a sample is centred on the
 * pooled sample of all groups when none is large enough (a tiny index ranks about by raw
 * similarity, everything shown), else on its own median.
 */
export function groupBackgrounds(samples: ReadonlyMap<ScoreGroup, readonly number[]>): Map<ScoreGroup, Background> {
  const large = SCORE_GROUPS.filter((group) => (samples.get(group)?.length ?? 0) >= MIN_BACKGROUND_SAMPLE);
  const own = new Map(large.map((group) => [group, robustBackground(samples.get(group)!)]));
  const pooled = pooledBackground(SCORE_GROUPS.flatMap((group) => samples.get(group) ?? []));
  const spread = large.length ? median(large.map((group) => own.get(group)!.spread)) : pooled.spread;
  const backgrounds = new Map<ScoreGroup, Background>();
  for (const group of SCORE_GROUPS) {
    const sample = samples.get(group) ?? [];
    const center = own.get(group)?.center ?? (large.length && sample.length ? median(sample) : pooled.center);
    backgrounds.set(group, { center, spread });
  }
  return backgrounds;
}

/**
 * The background of all groups together. From fewer items than MIN_BACKGROUND_SAMPLE nothing
 * can be told apart from background, so it is put one spread below the lowest of them: a tiny
 * index then shows everything, ordered by raw similarity, rather than hiding half of it.
 */
function pooledBackground(scores: readonly number[]): Background {
  const background = robustBackground(scores);
  if (scores.length >= MIN_BACKGROUND_SAMPLE || scores.length === 0) return background;
  return { center: Math.min(...scores) - SMALL_INDEX_SPREAD, spread: SMALL_INDEX_SPREAD };
}

/** The spread assumed when an index is too small to measure one. */
const SMALL_INDEX_SPREAD = 0.05;

export function calibrate(score: number, background: Background): number {
  return (score - background.center) / background.spread;
}

/** Linear interpolation between order statistics of an ascending list. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const at = q * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
