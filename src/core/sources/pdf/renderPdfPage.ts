import type { PDFiumPage } from '@hyzyla/pdfium';
import { encodePixels, type PixelEncodeOptions } from '../image/encodePixels';
import { SourceError } from '../sourceError';
import { dropAlpha } from './dropAlpha';
import { pageRenderSize } from './pageRenderSize';
import { hasRealText, normalisePageText } from './pageText';
import type { PdfPage } from './pdfTypes';

export interface PageRenderOptions extends PixelEncodeOptions {
  readonly pixelBudget: number;
  readonly minPixels: number;
}

/**
 * Text, bitmap and encodings of one page. Order matters: the wrapper closes a page only at
 * the end of render(), so text is read first, and a page with no size still gets a 1x1
 * render to release it. A page that fails is a SourceError for that page alone.
 */
export async function renderPdfPage(page: PDFiumPage, pageNumber: number, options: PageRenderOptions, path?: string): Promise<PdfPage> {
  const { originalWidth, originalHeight } = page.getOriginalSize();
  if (!(originalWidth > 0 && originalHeight > 0)) {
    // A page that failed to load reports 0x0 (and the render is then a no-op).
    await page.render({ width: 1, height: 1, scale: 1 }).catch(() => undefined);
    throw new SourceError('corrupt', `Page ${pageNumber} does not load`, path);
  }

  let text = '';
  try {
    text = normalisePageText(page.getText());
  } catch {
    // A page whose text layer fails still has a picture worth embedding.
  }

  const size = pageRenderSize(originalWidth, originalHeight, options);
  let rendered;
  try {
    // PDFium fills the page white and writes RGBA (it reverses its native BGRA byte order).
    rendered = await page.render({ width: size.width, height: size.height, scale: 1, render: 'bitmap' });
  } catch (error) {
    throw new SourceError('corrupt', `Page ${pageNumber} does not render`, path, { cause: error });
  }
  const encoded = await encodePixels({ data: dropAlpha(rendered.data), width: rendered.width, height: rendered.height, channels: 3 }, options);
  return {
    pageNumber,
    text,
    hasText: hasRealText(text),
    image: encoded.embeddable,
    width: encoded.width,
    height: encoded.height,
    thumbnail: encoded.thumbnail,
  };
}
