import { SourceError } from '../sourceError';

/**
 * What the caller reports for a truncated PDF: not a failure of the file (its first pages
 * are indexed) but a notice that the rest are not.
 */
export function tooManyPagesError(pageCount: number, pagesRead: number, path?: string): SourceError {
  return new SourceError('too-many-pages', `The PDF has ${pageCount} pages; only the first ${pagesRead} are indexed`, path);
}
