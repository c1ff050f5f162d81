import type { SearchResult } from '../core/index/search/searchTypes';
import type { PanelMatch, PanelResult } from '../shared/panelProtocol';
import { resultLabels } from './resultLabels';

/**
 * A result scoring under this share of the best one is "weaker": the panel keeps it behind
 * "show N weaker results". Relative, because absolute scores differ by model, by dimensions
 * and by query (a nonsense query's best match is weak too, and then nothing stands out).
 */
export const WEAK_SHARE = 0.6;

/**
 * The engine's results as the panel shows them, in the engine's order: one entry per file (its
 * best match), the file's other matches under `more`. A PDF page found by its text and by its
 * picture is one place, not two: the page keeps its better score and the picture's thumbnail.
 */
export function toPanelResults(
  results: readonly SearchResult[],
  options: { readonly showRoot: boolean; readonly thumbnailUri: (file: string) => string },
): PanelResult[] {
  return results.map((result, rank) => {
    const places = mergePlaces([result, ...(result.others ?? [])]);
    const [best, ...more] = places.map((place, i) => toMatch(place, i === 0 ? String(rank) : `${rank}.${i}`, options));
    const labels = resultLabels(places[0]!.result, options);
    return { ...best!, root: result.root, path: result.path, kind: result.kind, title: labels.title, folder: labels.folder, more };
  });
}

/** Index of the first result much weaker than the best (results.length when none is). */
export function weakFrom(results: readonly Pick<SearchResult, 'score'>[]): number {
  const best = results[0]?.score ?? 0;
  const cut = best * WEAK_SHARE;
  const index = results.findIndex((result, i) => i > 0 && result.score < cut);
  return index < 0 ? results.length : index;
}

interface Place {
  readonly result: SearchResult;
  readonly thumbnailPath?: string;
}

function mergePlaces(matches: readonly SearchResult[]): Place[] {
  const places = new Map<string, Place>();
  for (const match of matches) {
    const key = match.page !== undefined ? `page ${match.page}` : `${match.part} ${match.line ?? ''} ${match.cell ?? ''} ${match.target ?? ''}`;
    const known = places.get(key);
    // Matches come best first: the first of a place keeps its rank and score.
    if (!known) places.set(key, { result: match, thumbnailPath: match.thumbnailPath });
    else if (!known.thumbnailPath && match.thumbnailPath) places.set(key, { ...known, thumbnailPath: match.thumbnailPath });
  }
  return [...places.values()];
}

function toMatch(
  { result, thumbnailPath }: Place,
  id: string,
  options: { readonly showRoot: boolean; readonly thumbnailUri: (file: string) => string },
): PanelMatch {
  const labels = resultLabels(result, options);
  return {
    id,
    part: result.part,
    label: result.page !== undefined ? `page ${result.page}` : result.part === 'figure' ? labels.name : labels.where || labels.name,
    score: result.score,
    ...(labels.where ? { where: labels.where } : {}),
    ...(labels.snippet ? { snippet: labels.snippet } : {}),
    ...(result.line !== undefined ? { line: result.line } : {}),
    ...(result.page !== undefined ? { page: result.page } : {}),
    ...(result.cell !== undefined ? { cell: result.cell } : {}),
    ...(result.target ? { target: result.target } : {}),
    ...(thumbnailPath ? { thumbnail: options.thumbnailUri(thumbnailPath) } : {}),
  };
}
