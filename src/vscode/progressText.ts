import type { IndexProgress } from '../core/index/indexer/indexProgress';

/** `markdown 1,200 of 2,108, images 34 of ~486`: the kinds the run has items of, done of expected (`~` while guessed). */
export function itemCountsText(p: IndexProgress): string {
  const about = p.estimated ? '~' : '';
  const names = { markdown: 'markdown', notebook: 'notebooks', image: 'images', pdf: 'PDF' } as const;
  return (['markdown', 'notebook', 'image', 'pdf'] as const)
    .filter((kind) => p.items[kind].total > 0)
    .map((kind) => `${names[kind]} ${p.items[kind].done.toLocaleString('en')} of ${about}${p.items[kind].total.toLocaleString('en')}`)
    .join(', ');
}

/** Whether the run has anything to show a share of: items expected or changed files. */
export function hasWork(p: IndexProgress): boolean {
  return p.requestsDone + p.requestsLeft > 0 || p.filesToProcess > 0;
}

export function formatEta(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
