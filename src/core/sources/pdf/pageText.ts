import type { PDFiumPage } from '@hyzyla/pdfium';
import type { PdfPageText } from './pdfTypes';

/** A page has real text (not just a page number or a stray label) from this many characters. */
export const MIN_PAGE_TEXT_CHARS = 20;

/**
 * PDFium's text with line structure kept but whitespace tidied: CRLF to LF, runs of spaces
 * and tabs to one space, lines trimmed, blank lines dropped, control characters removed.
 */
export function normalisePageText(raw: string): string {
  return (
    raw
      .replace(/\r\n?/g, '\n')
      // Control characters PDFs carry in their text layer (form feeds, NULs) are not words.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufffe\uffff]/g, '')
      .split('\n')
      .map((line) => line.replace(/[\s\u200b]+/g, ' ').trim())
      .filter((line) => line.length > 0)
      .join('\n')
  );
}

export function hasRealText(text: string): boolean {
  let count = 0;
  for (const char of text) {
    if (!/\s/.test(char) && (count += 1) >= MIN_PAGE_TEXT_CHARS) return true;
  }
  return false;
}

/**
 * A page's text without its picture. PDFium's wrapper closes a page only at the end of a
 * render, so a 1x1 one releases it; a page that does not load gives no text.
 */
export async function readPageText(page: PDFiumPage, pageNumber: number): Promise<PdfPageText | undefined> {
  let text: string | undefined;
  try {
    const { originalWidth, originalHeight } = page.getOriginalSize();
    if (originalWidth > 0 && originalHeight > 0) text = normalisePageText(page.getText());
  } catch {
    text = undefined;
  }
  await page.render({ width: 1, height: 1, scale: 1 }).catch(() => undefined);
  return text === undefined ? undefined : { pageNumber, text, hasText: hasRealText(text) };
}
