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
import { splitMarkdown } from './splitMarkdown';

/**
 * A markdown file becomes one item per section (text with its heading path as context) and one
 * per image it shows (the image with its alt text and heading, embedded as one input). Only
 * images the walk's rules admit are read; every other reference is a warning with its reason.
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
  });
  const instruction = options.documentInstruction ?? DEFAULT_DOCUMENT_INSTRUCTION;
  const figures = new DocumentFigures(root, relativePath, admission, options, preparer, signal);

  async function* items(): AsyncGenerator<PreparedItem> {
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
    for (const reference of document.imageReferences) {
      const caption = [reference.alt, reference.headingPath.join(' > ')].filter(Boolean).join('\n');
      const item = await figures.figure(reference, { line: reference.line, headingPath: reference.headingPath, caption, snippet: reference.alt });
      if (item) yield item;
    }
  }

  return { title: document.title, items: items(), ...figures.record() };
}
