import type { EmbeddingImage } from '../../common/embeddingInput';
import type { PreparedThumbnail } from '../image/imageTypes';
import type { SourceError } from '../sourceError';

export interface PdfOpenOptions {
  /** Pages beyond this are not read; the source says `truncated` (default 500). */
  readonly maxPages?: number;
  /** Largest pixel count of a rendered page (default: the model's maximum). */
  readonly pixelBudget?: number;
  /** Longest side of a page thumbnail (default 256). */
  readonly thumbnailSize?: number;
}

export interface PdfPage {
  /** 1-based, as people number pages. */
  readonly pageNumber: number;
  /** The page's extracted text, whitespace-normalised; empty for scans and pure graphics. */
  readonly text: string;
  /** Whether the text is real content rather than a page number or nothing. */
  readonly hasText: boolean;
  /** The rendered page: PNG, or JPEG when photographic (same rule as images). */
  readonly image: EmbeddingImage;
  readonly width: number;
  readonly height: number;
  readonly thumbnail: PreparedThumbnail;
}

/** A page's text alone, read without rendering it. */
export interface PdfPageText {
  readonly pageNumber: number;
  readonly text: string;
  readonly hasText: boolean;
}

export interface PdfDocumentSource {
  readonly pageCount: number;
  /** min(pageCount, maxPages). */
  readonly pagesToRead: number;
  /** More pages than maxPages: report `tooManyPagesError` and index the first ones. */
  readonly truncated: boolean;
  /** Pages skipped because they did not load or render, filled in as `pages()` runs. */
  readonly pageErrors: readonly SourceError[];
  /** Renders one page at a time, so memory stays bounded whatever the page count. */
  pages(signal?: AbortSignal): AsyncIterable<PdfPage>;
  /**
   * Every page's text, without rendering (a fraction of a millisecond a page), so a PDF's
   * text can be embedded long before its pages are drawn. Pages that do not load are left out.
   */
  pageTexts(signal?: AbortSignal): Promise<PdfPageText[]>;
  /** Frees the document; waits for a page in progress. Safe to call more than once. */
  close(): Promise<void>;
}
