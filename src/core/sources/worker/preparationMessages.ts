import type { ImagePrepareOptions } from '../image/imageOptions';
import type { PreparedImage } from '../image/imageTypes';
import type { PdfOpenOptions, PdfPage, PdfPageText } from '../pdf/pdfTypes';
import type { SerializedError } from './serializedError';

/** What the main thread asks a preparation worker; `id` pairs each request with its response. */
export type PreparationRequest =
  | { readonly id: number; readonly kind: 'image'; readonly path?: string; readonly bytes?: Uint8Array; readonly options?: ImagePrepareOptions }
  | { readonly id: number; readonly kind: 'pdf-open'; readonly path?: string; readonly bytes?: Uint8Array; readonly options?: PdfOpenOptions }
  /** `pass` numbers the caller's pages() loop: a new pass starts again from the first page. */
  | { readonly id: number; readonly kind: 'pdf-next-page'; readonly handle: number; readonly pass: number }
  | { readonly id: number; readonly kind: 'pdf-texts'; readonly handle: number }
  | { readonly id: number; readonly kind: 'pdf-close'; readonly handle: number };

/** Not answered: the caller stopped waiting for request `id`, so its result can be dropped. */
export interface CancelMessage {
  readonly kind: 'cancel';
  readonly id: number;
}

/** Not answered: close every open PDF and let the thread end once its work is done. */
export interface ShutdownMessage {
  readonly kind: 'shutdown';
}

export type WorkerInbound = PreparationRequest | CancelMessage | ShutdownMessage;

export interface PdfOpened {
  readonly handle: number;
  readonly pageCount: number;
  readonly pagesToRead: number;
  readonly truncated: boolean;
}

export interface PdfNextPage {
  /** Absent when the pass is over. */
  readonly page?: PdfPage;
  /** Pages skipped since the last answer (they did not load or render). */
  readonly pageErrors: readonly SerializedError[];
}

export interface PreparationResults {
  readonly image: PreparedImage;
  readonly 'pdf-open': PdfOpened;
  readonly 'pdf-next-page': PdfNextPage;
  readonly 'pdf-texts': PdfPageText[];
  readonly 'pdf-close': null;
}

export type PreparationResponse =
  { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** Sent once, before any answer, when the worker's modules (sharp among them) have loaded. */
export interface ReadyMessage {
  readonly kind: 'ready';
}

export type WorkerOutbound = PreparationResponse | ReadyMessage;
