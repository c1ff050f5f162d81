import { PDFiumLibrary } from '@hyzyla/pdfium';

export type Pdfium = Awaited<ReturnType<typeof PDFiumLibrary.init>>;

let shared: Promise<Pdfium> | undefined;

/**
 * One PDFium instance for the process, started on first use: compiling the WASM module
 * takes a while and its memory is reused by every document. A failed start is not cached,
 * so a later call can try again.
 */
export function pdfiumLibrary(): Promise<Pdfium> {
  shared ??= PDFiumLibrary.init().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
