import { createHash } from 'node:crypto';
import { DEFAULT_DOCUMENT_INSTRUCTION } from '../../common/embeddingInput';
import { inProcessPreparer, type SourcePreparer } from '../worker/sourcePreparer';
import { embedKeyOf } from '../embedKey';
import { extensionOf } from '../image/mimeExtension';
import type { PreparationOptions } from '../preparationOptions';
import { snippetOf } from '../snippet';
import type { PreparedFile, PreparedItem } from '../preparedItem';

/**
 * A PDF becomes, per page, a text item (when the page has real text) and a page-image item
 * (charts, slides and scans are what the model reads best). Pages are rendered one at a time.
 */
export async function preparePdfFile(
  absolutePath: string,
  options: PreparationOptions,
  signal?: AbortSignal,
  preparer: SourcePreparer = inProcessPreparer,
): Promise<PreparedFile> {
  const pdf = await preparer.openPdf({ path: absolutePath }, { maxPages: options.maxPdfPages, pixelBudget: options.pixelBudget }, signal);
  const instruction = options.documentInstruction ?? DEFAULT_DOCUMENT_INSTRUCTION;
  const problems: Array<{ code: string; message: string }> = [];
  if (pdf.truncated) {
    problems.push({
      code: 'too-many-pages',
      message: `${pdf.pageCount} pages; only the first ${pdf.pagesToRead} are indexed (the page cap)`,
    });
  }

  async function* items(): AsyncGenerator<PreparedItem> {
    for await (const page of pdf.pages(signal)) {
      const text = page.text.slice(0, options.maxTextChars);
      if (page.hasText) {
        yield {
          embedKey: embedKeyOf('page-text', instruction, text),
          meta: { kind: 'pdf', part: 'page-text', page: page.pageNumber, snippet: snippetOf(text), text },
          input: async () => ({ embedding: { text, instruction: options.documentInstruction } }),
        };
      }
      yield {
        // Keyed by the rendered pixels, so editing one page of a PDF re-embeds only that page.
        embedKey: embedKeyOf('page-image', instruction, createHash('sha256').update(page.image.bytes).digest('hex')),
        meta: { kind: 'pdf', part: 'page-image', page: page.pageNumber, snippet: snippetOf(text) },
        input: async () => ({
          embedding: { images: [page.image], instruction: options.documentInstruction },
          thumbnail: { bytes: page.thumbnail.bytes, extension: extensionOf(page.thumbnail.mimeType) },
        }),
      };
    }
  }

  return { items: items(), dependencies: () => [], problems: () => problems, close: () => pdf.close() };
}
