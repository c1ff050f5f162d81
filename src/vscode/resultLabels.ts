import type { SearchResult } from '../core/index/search/searchTypes';

/** Text for one result in lists: file name, folder, where in the file, snippet. */
export function resultLabels(result: SearchResult): { name: string; folder: string; where: string; snippet: string } {
  const shownPath = result.target ?? result.path;
  const slash = shownPath.lastIndexOf('/');
  const cell = result.cell !== undefined ? `cell ${result.cell}` : '';
  const where =
    result.page !== undefined
      ? `page ${result.page}`
      : result.part === 'figure'
        ? `shown in ${result.path}${result.line ? `:${result.line}` : cell ? ` ${cell}` : ''}`
        : [(result.headingPath ?? []).join(' › '), cell].filter(Boolean).join(' · ');
  return {
    name: shownPath.slice(slash + 1),
    folder: [result.root, shownPath.slice(0, Math.max(0, slash))].filter(Boolean).join(' · '),
    where,
    snippet: result.snippet ?? '',
  };
}

export function kindIcon(result: SearchResult): string {
  if (result.kind === 'pdf') return '$(file-pdf)';
  if (result.kind === 'markdown') return '$(markdown)';
  if (result.kind === 'notebook') return '$(notebook)';
  return '$(file-media)';
}
