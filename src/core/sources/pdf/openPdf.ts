import { MODEL_MAX_PIXELS, MODEL_MIN_PIXELS, resolveImageOptions } from '../image/imageOptions';
import { readInputBytes, type SourceInput } from '../image/readInputBytes';
import { SourceError } from '../sourceError';
import { loadPdfDocument } from './loadPdfDocument';
import { readPageText } from './pageText';
import type { PdfDocumentSource, PdfOpenOptions, PdfPage, PdfPageText } from './pdfTypes';
import { renderPdfPage, type PageRenderOptions } from './renderPdfPage';

export const DEFAULT_MAX_PDF_PAGES = 500;

/**
 * Opens a PDF for indexing: counts its pages up front and then renders them lazily, one at
 * a time. Load failures are SourceErrors ('encrypted', 'corrupt', 'empty', 'unreadable').
 */
export async function openPdf(input: SourceInput, options: PdfOpenOptions = {}): Promise<PdfDocumentSource> {
  const { path } = input;
  const { document, pageCount } = await loadPdfDocument(await readInputBytes(input), path);
  const maxPages = Math.max(1, options.maxPages ?? DEFAULT_MAX_PDF_PAGES);
  const pagesToRead = Math.min(pageCount, maxPages);
  const image = resolveImageOptions({ thumbnailSize: options.thumbnailSize });
  const renderOptions: PageRenderOptions = {
    ...image,
    pixelBudget: options.pixelBudget ?? MODEL_MAX_PIXELS,
    minPixels: MODEL_MIN_PIXELS,
  };

  const pageErrors: SourceError[] = [];
  let closed = false;
  // The page being worked on; close() waits for it so PDFium never sees a freed document.
  let inFlight: Promise<unknown> = Promise.resolve();

  async function* pages(signal?: AbortSignal): AsyncGenerator<PdfPage> {
    for (let index = 0; index < pagesToRead; index += 1) {
      signal?.throwIfAborted();
      if (closed) return;
      const work = renderPdfPage(document.getPage(index), index + 1, renderOptions, path);
      inFlight = work.catch(() => undefined);
      let page: PdfPage;
      try {
        page = await work;
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        pageErrors.push(error);
        continue;
      }
      yield page;
    }
  }

  async function pageTexts(signal?: AbortSignal): Promise<PdfPageText[]> {
    const texts: PdfPageText[] = [];
    for (let index = 0; index < pagesToRead; index += 1) {
      signal?.throwIfAborted();
      if (closed) break;
      const work = readPageText(document.getPage(index), index + 1);
      inFlight = work.catch(() => undefined);
      const text = await work;
      if (text) texts.push(text);
    }
    return texts;
  }

  return {
    pageCount,
    pagesToRead,
    truncated: pageCount > pagesToRead,
    pageErrors,
    pages,
    pageTexts,
    async close() {
      if (closed) return;
      closed = true;
      await inFlight;
      document.destroy();
    },
  };
}
