import type { SearchResult } from '../core/index/search/searchTypes';
import { readableSnippet } from './readableSnippet';

export interface ResultLabels {
  /** The file's name: for a figure, the image's. */
  readonly name: string;
  /** The row's title: the name, and for a PDF page "manual.pdf - page 2". */
  readonly title: string;
  /** Where the file is: its folder, after the workspace folder's name only in a multi-root window. */
  readonly folder: string;
  /** Where in the file, when the title does not say it: the heading path, or the document a figure is shown in. */
  readonly where: string;
  /** Plain text, without the heading `where` already names. */
  readonly snippet: string;
}

/** Text for one result in lists (quick search and panel alike). */
export function resultLabels(result: SearchResult, options: { readonly showRoot: boolean }): ResultLabels {
  const shownPath = result.target ?? result.path;
  const slash = shownPath.lastIndexOf('/');
  const folder = shownPath.slice(0, Math.max(0, slash));
  const name = shownPath.slice(slash + 1);
  const cell = result.cell !== undefined ? `cell ${result.cell}` : '';
  const where =
    result.page !== undefined
      ? ''
      : result.part === 'figure'
        ? `shown in ${result.path}${result.line ? `:${result.line}` : cell ? ` ${cell}` : ''}`
        : [(result.headingPath ?? []).join(' › '), cell].filter(Boolean).join(' · ');
  return {
    name,
    title: result.page !== undefined ? `${name} - page ${result.page}` : name,
    folder: options.showRoot ? [result.root, folder].filter(Boolean).join(' · ') : folder,
    where,
    snippet: result.snippet ? readableSnippet(result.snippet, result.part === 'section' ? result.headingPath : []) : '',
  };
}

export function kindIcon(result: SearchResult): string {
  if (result.kind === 'pdf') return '$(file-pdf)';
  if (result.kind === 'markdown') return result.part === 'figure' ? '$(file-media)' : '$(markdown)';
  if (result.kind === 'notebook') return '$(notebook)';
  return '$(file-media)';
}
