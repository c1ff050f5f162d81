import { createHash } from 'node:crypto';
import { DEFAULT_DOCUMENT_INSTRUCTION } from '../../common/embeddingInput';
import { inProcessPreparer, type SourcePreparer } from '../worker/sourcePreparer';
import { embedKeyOf } from '../embedKey';
import { extensionOf } from '../image/mimeExtension';
import type { PreparationOptions } from '../preparationOptions';
import { snippetOf } from '../snippet';
import type { PreparedFile, PreparedImages, PreparedItem } from '../preparedItem';
import type { PdfPageText } from './pdfTypes';

/**
 * A PDF becomes, per page, a text item (when the page has real text) and a page-image item
 * (charts, slides and scans are what the model reads best). The text is read first, without
 * rendering; pages are rendered, one at a time, when the indexer gets to pictures.
 */
export async function preparePdfFile(
  absolutePath: string,
  options: PreparationOptions,
  signal?: AbortSignal,
  preparer: SourcePreparer = inProcessPreparer,
): Promise<PreparedFile> {
  const open = () => preparer.openPdf({ path: absolutePath }, { maxPages: options.maxPdfPages, pixelBudget: options.pixelBudget }, signal);
  const instruction = options.documentInstruction ?? DEFAULT_DOCUMENT_INSTRUCTION;
  const problems: Array<{ code: string; message: string }> = [];
  const pdf = await open();
  let texts: PdfPageText[];
  try {
    if (pdf.truncated) {
      problems.push({
        code: 'too-many-pages',
        message: `${pdf.pageCount} pages; only the first ${pdf.pagesToRead} are indexed (the page cap)`,
      });
    }
    texts = await pdf.pageTexts(signal);
  } finally {
    await pdf.close();
  }

  async function* textItems(): AsyncGenerator<PreparedItem> {
    for (const page of texts) {
      if (!page.hasText) continue;
      const text = page.text.slice(0, options.maxTextChars);
      yield {
        embedKey: embedKeyOf('page-text', instruction, text),
        meta: { kind: 'pdf', part: 'page-text', page: page.pageNumber, snippet: snippetOf(text), text },
        input: async () => ({ embedding: { text, instruction: options.documentInstruction } }),
      };
    }
  }

  const images = async (): Promise<PreparedImages> => {
    const rendering = await open();
    async function* pageImages(): AsyncGenerator<PreparedItem> {
      for await (const page of rendering.pages(signal)) {
        yield {
          // Keyed by the rendered pixels, so editing one page of a PDF re-embeds only that page.
          embedKey: embedKeyOf('page-image', instruction, createHash('sha256').update(page.image.bytes).digest('hex')),
          meta: { kind: 'pdf', part: 'page-image', page: page.pageNumber, snippet: snippetOf(page.text.slice(0, options.maxTextChars)) },
          input: async () => ({
            embedding: { images: [page.image], instruction: options.documentInstruction },
            thumbnail: { bytes: page.thumbnail.bytes, extension: extensionOf(page.thumbnail.mimeType) },
          }),
        };
      }
    }
    return { items: pageImages(), close: () => rendering.close() };
  };

  return { items: textItems(), ...(pdf.pagesToRead > 0 ? { images, pictureCount: pdf.pagesToRead } : {}), dependencies: () => [], problems: () => problems };
}
