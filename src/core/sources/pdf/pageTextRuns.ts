import type { PDFiumPage } from '@hyzyla/pdfium';

/** A run of text on one line of a page, with its box in points from the page's top-left corner. */
export interface PageTextRun {
  readonly text: string;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The slice of PDFium's C API that positions text. @hyzyla/pdfium wraps only FPDFText_GetText,
 * but its WASM build exports the whole FPDFText family; the page object keeps the module and
 * the page handle in fields its typings mark private, so they are read here, in one place, and
 * checked before use.
 */
interface TextModule {
  _FPDFText_LoadPage(page: number): number;
  _FPDFText_ClosePage(textPage: number): void;
  _FPDFText_CountRects(textPage: number, start: number, count: number): number;
  _FPDFText_GetRect(textPage: number, index: number, left: number, top: number, right: number, bottom: number): number;
  _FPDFText_GetBoundedText(textPage: number, left: number, top: number, right: number, bottom: number, buffer: number, length: number): number;
  readonly wasmExports: { malloc(size: number): number; free(pointer: number): void };
  readonly HEAPU8: Uint8Array;
}

/** Upper bound on runs kept for one page: a text layer is for reading, not for maps with 100k labels. */
const MAX_RUNS = 5000;

/**
 * The page's text as positioned runs, for a selectable text layer over the rendered page.
 * Reads the text page before anything renders (rendering closes the page). Returns undefined
 * when the PDFium build does not offer the calls, so the caller can fall back to plain text.
 */
export function pageTextRuns(page: PDFiumPage, pageHeight: number): PageTextRun[] | undefined {
  const internals = page as unknown as { module?: Partial<TextModule>; pageIdx?: number };
  const module = internals.module;
  if (!module || typeof internals.pageIdx !== 'number' || !hasTextApi(module)) return undefined;
  const textPage = module._FPDFText_LoadPage(internals.pageIdx);
  if (!textPage) return undefined;
  // Four doubles for a rectangle, then room for a run's UTF-16 text (grown when needed).
  const rect = module.wasmExports.malloc(4 * 8);
  let textLength = 1024;
  let text = module.wasmExports.malloc(textLength * 2);
  try {
    const runs: PageTextRun[] = [];
    const count = Math.min(module._FPDFText_CountRects(textPage, 0, -1), MAX_RUNS);
    for (let index = 0; index < count; index++) {
      if (!module._FPDFText_GetRect(textPage, index, rect, rect + 8, rect + 16, rect + 24)) continue;
      const [left, top, right, bottom] = new Float64Array(module.HEAPU8.buffer.slice(rect, rect + 32));
      const needed = module._FPDFText_GetBoundedText(textPage, left!, top!, right!, bottom!, 0, 0);
      if (needed <= 0) continue;
      if (needed + 1 > textLength) {
        module.wasmExports.free(text);
        textLength = needed + 1;
        text = module.wasmExports.malloc(textLength * 2);
      }
      const written = module._FPDFText_GetBoundedText(textPage, left!, top!, right!, bottom!, text, textLength);
      // PDFium ends the text it writes with a NUL; it is not part of the words.
      // eslint-disable-next-line no-control-regex
      const value = new TextDecoder('utf-16le').decode(module.HEAPU8.slice(text, text + Math.max(0, written) * 2)).replace(/\u0000/g, '');
      if (!value.trim()) continue;
      runs.push({ text: value, left: left!, top: pageHeight - top!, width: right! - left!, height: top! - bottom! });
    }
    return runs;
  } finally {
    module.wasmExports.free(text);
    module.wasmExports.free(rect);
    module._FPDFText_ClosePage(textPage);
  }
}

function hasTextApi(module: Partial<TextModule>): module is TextModule {
  return (
    typeof module._FPDFText_LoadPage === 'function' &&
    typeof module._FPDFText_ClosePage === 'function' &&
    typeof module._FPDFText_CountRects === 'function' &&
    typeof module._FPDFText_GetRect === 'function' &&
    typeof module._FPDFText_GetBoundedText === 'function' &&
    typeof module.wasmExports?.malloc === 'function' &&
    module.HEAPU8 instanceof Uint8Array
  );
}
