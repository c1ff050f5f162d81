import type { PreparedImage } from '../image/imageTypes';
import { prepareImage } from '../image/prepareImage';
import { openPdf } from '../pdf/openPdf';
import type { PdfDocumentSource, PdfPage } from '../pdf/pdfTypes';
import { movableBytes } from './movableBytes';
import type { PdfNextPage, PdfOpened, PreparationRequest, PreparationResponse, ReadyMessage, WorkerInbound } from './preparationMessages';
import { serializeError } from './serializedError';

/** The side of a message channel the worker answers on (parentPort, or a stand-in). */
export interface PreparationPort {
  on(event: 'message', listener: (message: WorkerInbound) => void): unknown;
  postMessage(value: unknown, transferList?: readonly ArrayBuffer[]): void;
  close(): void;
}

interface OpenDocument {
  readonly source: PdfDocumentSource;
  pass: number;
  pages: AsyncIterator<PdfPage> | undefined;
  errorsSent: number;
  /** Work on one document runs in order: PDFium is not re-entrant. */
  turn: Promise<unknown>;
}

interface Handled {
  readonly value: unknown;
  readonly transfer?: ArrayBuffer[];
  /** Undoes the work when the caller cancelled it meanwhile (an opened PDF nobody will close). */
  readonly undo?: () => Promise<void>;
}

/**
 * Answers preparation requests on `port`: images one request each, PDFs as open / next page /
 * close, so a document's pages are rendered one at a time, only when asked for. Every request
 * gets exactly one answer, cancelled ones included, so the main thread knows when this thread
 * is idle. Output bytes are moved, not copied, to the main thread.
 */
export function servePreparation(port: PreparationPort): void {
  const documents = new Map<number, OpenDocument>();
  const running = new Set<number>();
  const cancelled = new Set<number>();

  port.on('message', (message) => {
    if (message.kind === 'cancel') {
      if (running.has(message.id)) cancelled.add(message.id);
    } else if (message.kind === 'shutdown') {
      void shutdown();
    } else {
      void answer(message);
    }
  });
  port.postMessage({ kind: 'ready' } satisfies ReadyMessage);

  async function answer(request: PreparationRequest): Promise<void> {
    running.add(request.id);
    let response: PreparationResponse;
    let transfer: ArrayBuffer[] = [];
    try {
      const handled = await handle(request);
      if (cancelled.has(request.id)) {
        await handled.undo?.();
        response = { id: request.id, ok: false, error: { type: 'other', name: 'AbortError', message: 'cancelled' } };
      } else {
        response = { id: request.id, ok: true, value: handled.value };
        transfer = handled.transfer ?? [];
      }
    } catch (error) {
      response = { id: request.id, ok: false, error: serializeError(error) };
    } finally {
      running.delete(request.id);
      cancelled.delete(request.id);
    }
    try {
      port.postMessage(response, transfer);
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: serializeError(error) } satisfies PreparationResponse);
    }
  }

  async function handle(request: PreparationRequest): Promise<Handled> {
    switch (request.kind) {
      case 'image':
        return movableImage(await prepareImage({ path: request.path, bytes: request.bytes }, request.options));
      case 'pdf-open':
        return openDocument(request.id, await openPdf({ path: request.path, bytes: request.bytes }, request.options));
      case 'pdf-next-page':
        return inTurn(request.handle, (document) => nextPage(document, request.pass));
      case 'pdf-texts':
        return inTurn(request.handle, async (document) => ({ value: await document.source.pageTexts() }));
      case 'pdf-close':
        return inTurn(request.handle, async (document) => {
          documents.delete(request.handle);
          await document.source.close();
          return { value: null };
        }).catch(() => ({ value: null }));
    }
  }

  function openDocument(handle: number, source: PdfDocumentSource): Handled {
    documents.set(handle, { source, pass: 0, pages: undefined, errorsSent: 0, turn: Promise.resolve() });
    const opened: PdfOpened = { handle, pageCount: source.pageCount, pagesToRead: source.pagesToRead, truncated: source.truncated };
    return {
      value: opened,
      undo: async () => {
        documents.delete(handle);
        await source.close();
      },
    };
  }

  function inTurn(handle: number, work: (document: OpenDocument) => Promise<Handled>): Promise<Handled> {
    const document = documents.get(handle);
    if (!document) return Promise.reject(new Error('The PDF is not open in the preparation worker'));
    const result = document.turn.then(() => work(document));
    document.turn = result.catch(() => undefined);
    return result;
  }

  async function nextPage(document: OpenDocument, pass: number): Promise<Handled> {
    if (document.pass !== pass || !document.pages) {
      await document.pages?.return?.();
      document.pass = pass;
      document.pages = document.source.pages()[Symbol.asyncIterator]();
    }
    const next = await document.pages.next();
    const pageErrors = document.source.pageErrors.slice(document.errorsSent).map(serializeError);
    document.errorsSent = document.source.pageErrors.length;
    if (next.done) return { value: { pageErrors } satisfies PdfNextPage };
    const page = next.value;
    const image = movableBytes(page.image.bytes);
    const thumbnail = movableBytes(page.thumbnail.bytes);
    const value: PdfNextPage = {
      page: { ...page, image: { ...page.image, bytes: image }, thumbnail: { ...page.thumbnail, bytes: thumbnail } },
      pageErrors,
    };
    return { value, transfer: [image.buffer as ArrayBuffer, thumbnail.buffer as ArrayBuffer] };
  }

  async function shutdown(): Promise<void> {
    const open = [...documents.values()];
    documents.clear();
    await Promise.allSettled(open.map((document) => document.turn.then(() => document.source.close())));
    // With the port closed, the thread ends as soon as work already started has finished.
    port.close();
  }
}

function movableImage(prepared: PreparedImage): Handled {
  const embeddable = movableBytes(prepared.embeddable.bytes);
  const thumbnail = movableBytes(prepared.thumbnail.bytes);
  return {
    value: { ...prepared, embeddable: { ...prepared.embeddable, bytes: embeddable }, thumbnail: { ...prepared.thumbnail, bytes: thumbnail } },
    transfer: [embeddable.buffer as ArrayBuffer, thumbnail.buffer as ArrayBuffer],
  };
}
