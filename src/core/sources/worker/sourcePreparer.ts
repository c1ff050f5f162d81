import type { ImagePrepareOptions } from '../image/imageOptions';
import type { PreparedImage } from '../image/imageTypes';
import { prepareImage } from '../image/prepareImage';
import type { SourceInput } from '../image/readInputBytes';
import { openPdf } from '../pdf/openPdf';
import type { PdfDocumentSource, PdfOpenOptions } from '../pdf/pdfTypes';

/**
 * Where images are decoded and PDF pages rendered. The indexer takes one of these so the
 * extension can move that work off its event loop while the CLI and tests keep it in-process.
 * The signal lets a worker-backed preparer give up on a request; in-process work ignores it.
 */
export interface SourcePreparer {
  prepareImage(input: SourceInput, options?: ImagePrepareOptions, signal?: AbortSignal): Promise<PreparedImage>;
  openPdf(input: SourceInput, options?: PdfOpenOptions, signal?: AbortSignal): Promise<PdfDocumentSource>;
}

/** The plain functions, on the calling thread. */
export const inProcessPreparer: SourcePreparer = {
  prepareImage: (input, options) => prepareImage(input, options),
  openPdf: (input, options) => openPdf(input, options),
};
