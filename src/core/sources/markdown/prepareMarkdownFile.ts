import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DOCUMENT_INSTRUCTION } from '../../common/embeddingInput';
import { embedKeyOf } from '../embedKey';
import type { PreparationOptions } from '../preparationOptions';
import type { PreparedFile, PreparedItem } from '../preparedItem';
import { snippetOf } from '../snippet';
import { inProcessPreparer, type SourcePreparer } from '../worker/sourcePreparer';
import type { ReferenceAdmission } from './admitImageReference';
import { decodeUtf8Strict } from './decodeUtf8Strict';
import { DocumentFigures } from './documentFigures';
import { markdownPlainText } from './markdownPlainText';
import type { MarkdownDocument } from './markdownTypes';
import { splitMarkdown } from './splitMarkdown';

/**
 * A markdown file becomes one item per section (text with its heading path as context) and one
 * per image it shows (the image with its alt text and heading, embedded as one input). Only
 * images the walk's rules admit are read; every other reference is a warning with its reason.
 * The sections come first; the images are looked at only when the indexer gets to pictures.
 */
export async function prepareMarkdownFile(
  root: string,
  relativePath: string,
  options: PreparationOptions,
  admission: ReferenceAdmission,
  preparer: SourcePreparer = inProcessPreparer,
  signal?: AbortSignal,
): Promise<PreparedFile> {
  const bytes = await fs.readFile(path.join(root, relativePath));
  const document = splitMarkdown(decodeUtf8Strict(bytes, relativePath), {
    maxChars: options.markdownMaxChars,
    overlapChars: options.markdownOverlapChars,
    mdx: /\.mdx$/i.test(relativePath),
  });
  const instruction = options.documentInstruction ?? DEFAULT_DOCUMENT_INSTRUCTION;
  const figures = new DocumentFigures(root, relativePath, admission, options, preparer, signal);

  // Only the references wait for the pictures' turn; the document's text is not kept for it.
  const references = document.imageReferences;
  async function* figureItems(): AsyncGenerator<PreparedItem> {
    for (const reference of references) {
      const caption = [reference.alt, reference.headingPath.join(' > ')].filter(Boolean).join('\n');
      const item = await figures.figure(reference, { line: reference.line, headingPath: reference.headingPath, caption, snippet: reference.alt });
      if (item) yield item;
    }
  }

  return {
    title: document.title,
    items: sectionItems(document, instruction, options),
    ...(references.length ? { images: async () => ({ items: figureItems() }), pictureCount: references.length } : {}),
    ...figures.record(),
  };
}

/** One item per section: its text, with the title and heading path as context. */
async function* sectionItems(document: MarkdownDocument, instruction: string, options: PreparationOptions): AsyncGenerator<PreparedItem> {
  for (const section of document.sections) {
    const context = [document.title, ...section.headingPath].filter((part, i, all) => part && all.indexOf(part) === i);
    const text = (context.length ? `${context.join(' > ')}\n\n` : '') + section.text.slice(0, options.maxTextChars);
    yield {
      embedKey: embedKeyOf('section', instruction, text),
      meta: {
        kind: 'markdown',
        part: 'section',
        line: section.startLine,
        endLine: section.endLine,
        headingPath: section.headingPath,
        snippet: snippetOf(markdownPlainText(section.text)),
        text: section.text.slice(0, options.maxTextChars),
      },
      input: async () => ({ embedding: { text, instruction: options.documentInstruction } }),
    };
  }
}
