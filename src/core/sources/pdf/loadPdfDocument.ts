import type { PDFiumDocument } from '@hyzyla/pdfium';
import { SourceError } from '../sourceError';
import { pdfiumLibrary } from './pdfiumLibrary';
import { pdfLoadError } from './pdfLoadError';

/**
 * A PDF's bytes as a PDFium document with at least one page, for indexing and for the page
 * viewer alike. Failures are SourceErrors ('empty', 'encrypted', 'corrupt'); a document with no
 * pages is freed before its error is thrown.
 */
export async function loadPdfDocument(bytes: Uint8Array, path?: string): Promise<{ document: PDFiumDocument; pageCount: number }> {
  if (bytes.length === 0) throw new SourceError('empty', 'The file is empty', path);
  const library = await pdfiumLibrary();
  let document: PDFiumDocument;
  try {
    document = await library.loadDocument(bytes);
  } catch (error) {
    throw pdfLoadError(error, path);
  }
  const pageCount = document.getPageCount();
  if (pageCount <= 0) {
    document.destroy();
    throw new SourceError('empty', 'The PDF has no pages', path);
  }
  return { document, pageCount };
}
