import type { PDFiumDocument } from '@hyzyla/pdfium';
import sharp from 'sharp';
import { SourceError } from '../sourceError';
import { dropAlpha } from './dropAlpha';
import { loadPdfDocument } from './loadPdfDocument';
import { pageTextRuns, type PageTextRun } from './pageTextRuns';
import { normalisePageText } from './pageText';

/** One page drawn for reading: a PNG at the asked width, and its text for selecting and copying. */
export interface ViewedPage {
  /** 1-based. */
  readonly page: number;
  readonly png: Buffer;
  /** Pixel size of the PNG. */
  readonly width: number;
  readonly height: number;
  /** The page's size in points, which the text runs are measured in. */
  readonly widthPt: number;
  readonly heightPt: number;
  /** Positioned runs for a text layer; empty when the page has no text or PDFium could not place it. */
  readonly runs: readonly PageTextRun[];
  /** The page's whole text, for copying. */
  readonly text: string;
}

/** Widest page bitmap drawn, and most pixels: a zoomed-in Letter page stays under 50 MB of RGBA. */
export const MAX_VIEW_WIDTH = 4000;
export const MAX_VIEW_PIXELS = 12_000_000;

/**
 * A PDF opened for reading (the page viewer), as opposed to indexing: pages are drawn on demand
 * at the size the viewer shows them. PDFium is not re-entrant, so draws run one at a time.
 */
export class PdfViewerDocument {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly document: PDFiumDocument,
    readonly pageCount: number,
  ) {}

  static async open(bytes: Uint8Array, path?: string): Promise<PdfViewerDocument> {
    const { document, pageCount } = await loadPdfDocument(bytes, path);
    return new PdfViewerDocument(document, pageCount);
  }

  /** Draws page `page` (1-based) `width` pixels wide, within MAX_VIEW_WIDTH and MAX_VIEW_PIXELS. */
  renderPage(page: number, width: number): Promise<ViewedPage> {
    const work = this.queue.then(() => this.draw(page, width));
    this.queue = work.catch(() => undefined);
    return work;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    this.document.destroy();
  }

  private async draw(pageNumber: number, requestedWidth: number): Promise<ViewedPage> {
    if (this.closed) throw new Error('The PDF is closed');
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > this.pageCount) throw new RangeError(`There is no page ${pageNumber}`);
    const page = this.document.getPage(pageNumber - 1);
    const { originalWidth: widthPt, originalHeight: heightPt } = page.getOriginalSize();
    if (!(widthPt > 0 && heightPt > 0)) {
      // A page that failed to load; the 1x1 render releases it.
      await page.render({ width: 1, height: 1, scale: 1 }).catch(() => undefined);
      throw new SourceError('corrupt', `Page ${pageNumber} does not load`);
    }
    // Text first: the wrapper closes the page at the end of render().
    let runs: PageTextRun[] = [];
    let text = '';
    try {
      runs = pageTextRuns(page, heightPt) ?? [];
      text = normalisePageText(page.getText());
    } catch {
      // A broken text layer still leaves a picture to read.
    }
    const width = Math.max(1, Math.min(Math.round(requestedWidth), MAX_VIEW_WIDTH, Math.floor(Math.sqrt((MAX_VIEW_PIXELS * widthPt) / heightPt))));
    const height = Math.max(1, Math.floor((width * heightPt) / widthPt));
    const rendered = await page.render({ width, height, scale: 1, render: 'bitmap' });
    // Fast PNG: the page is drawn while someone waits for it, and crisp text matters more than bytes.
    const png = await sharp(dropAlpha(rendered.data), { raw: { width: rendered.width, height: rendered.height, channels: 3 } })
      .png({ compressionLevel: 2, adaptiveFiltering: false })
      .toBuffer();
    return { page: pageNumber, png, width: rendered.width, height: rendered.height, widthPt, heightPt, runs, text };
  }
}
