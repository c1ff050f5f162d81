import type { PdfDocumentSource, PdfPage, PdfPageText } from '../pdf/pdfTypes';
import type { SourceError } from '../sourceError';
import { asBuffer } from './movableBytes';
import type { PdfOpened } from './preparationMessages';
import { deserializeError } from './serializedError';
import type { WorkerConnection } from './workerConnection';

/**
 * A PDF open in a preparation worker, with the shape openPdf() returns: each page is rendered
 * there when pages() asks for it, so at most one page at a time is in flight per document.
 */
export class RemotePdf implements PdfDocumentSource {
  readonly pageCount: number;
  readonly pagesToRead: number;
  readonly truncated: boolean;
  readonly pageErrors: SourceError[] = [];
  private readonly handle: number;
  private passes = 0;
  private closed = false;

  constructor(
    private readonly connection: WorkerConnection,
    opened: PdfOpened,
    private readonly path?: string,
  ) {
    this.handle = opened.handle;
    this.pageCount = opened.pageCount;
    this.pagesToRead = opened.pagesToRead;
    this.truncated = opened.truncated;
  }

  async *pages(signal?: AbortSignal): AsyncGenerator<PdfPage> {
    const pass = ++this.passes;
    while (!this.closed) {
      signal?.throwIfAborted();
      const next = await this.connection.request({ kind: 'pdf-next-page', handle: this.handle, pass }, { signal, path: this.path });
      // The worker sends SourceErrors only: pages that did not load or render.
      this.pageErrors.push(...(next.pageErrors.map(deserializeError) as SourceError[]));
      if (!next.page) return;
      const { page } = next;
      yield {
        ...page,
        image: { ...page.image, bytes: asBuffer(page.image.bytes) },
        thumbnail: { ...page.thumbnail, bytes: asBuffer(page.thumbnail.bytes) },
      };
    }
  }

  pageTexts(signal?: AbortSignal): Promise<PdfPageText[]> {
    if (this.closed) return Promise.resolve([]);
    return this.connection.request({ kind: 'pdf-texts', handle: this.handle }, { signal, path: this.path });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.closeDocument(this.handle);
  }
}
