import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DOCUMENT_INSTRUCTION } from '../../common/embeddingInput';
import { decodeUtf8Strict } from './decodeUtf8Strict';
import { resolveImageReference } from './resolveImageReference';
import { splitMarkdown } from './splitMarkdown';
import { fileKindOf } from '../walk/fileKind';
import { inProcessPreparer, type SourcePreparer } from '../worker/sourcePreparer';
import { embedKeyOf } from '../embedKey';
import { hashFile } from '../fileHash';
import { extensionOf } from '../image/mimeExtension';
import type { PreparationOptions } from '../preparationOptions';
import { snippetOf } from '../snippet';
import { markdownPlainText } from './markdownPlainText';
import type { PreparedFile, PreparedItem } from '../preparedItem';

/**
 * A markdown file becomes one item per section (text with its heading path as context) and one
 * per image it shows (the image with its alt text and heading, embedded as one input).
 */
export async function prepareMarkdownFile(
  root: string,
  relativePath: string,
  options: PreparationOptions,
  preparer: SourcePreparer = inProcessPreparer,
  signal?: AbortSignal,
): Promise<PreparedFile> {
  const bytes = await fs.readFile(path.join(root, relativePath));
  const document = splitMarkdown(decodeUtf8Strict(bytes, relativePath), {
    maxChars: options.markdownMaxChars,
    overlapChars: options.markdownOverlapChars,
  });
  const instruction = options.documentInstruction ?? DEFAULT_DOCUMENT_INSTRUCTION;
  const dependencies: Array<{ path: string; size: number; mtimeMs: number }> = [];
  const problems: Array<{ code: string; message: string }> = [];

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
        input: () => Promise.resolve({ embedding: { text, instruction: options.documentInstruction } }),
      };
    }
    for (const reference of document.imageReferences) {
      const target = resolveImageReference(relativePath, reference);
      if (!target || fileKindOf(target) !== 'image') continue;
      const absolute = path.join(root, target);
      const stat = await statInside(root, absolute);
      if (!stat) {
        problems.push({ code: 'missing-image', message: `line ${reference.line}: ${reference.target} is not a file in the workspace` });
        continue;
      }
      dependencies.push({ path: target, size: stat.size, mtimeMs: stat.mtimeMs });
      const caption = [reference.alt, reference.headingPath.join(' > ')].filter(Boolean).join('\n');
      const imageHash = await hashFile(absolute);
      yield {
        embedKey: embedKeyOf('figure', instruction, imageHash, options.pixelBudget, caption),
        meta: {
          kind: 'image',
          part: 'figure',
          line: reference.line,
          endLine: reference.line,
          headingPath: reference.headingPath,
          target,
          snippet: snippetOf(reference.alt || target),
          text: caption,
        },
        input: async () => {
          const prepared = await preparer.prepareImage({ path: absolute }, { pixelBudget: options.pixelBudget }, signal);
          return {
            embedding: { images: [prepared.embeddable], text: caption, instruction: options.documentInstruction },
            thumbnail: { bytes: prepared.thumbnail.bytes, extension: extensionOf(prepared.thumbnail.mimeType) },
          };
        },
      };
    }
  }

  return { title: document.title, items: items(), dependencies: () => dependencies, problems: () => problems };
}

/** Only files whose real location is inside the workspace are read, whatever links say. */
async function statInside(root: string, absolute: string) {
  try {
    const [realRoot, realTarget] = await Promise.all([fs.realpath(root), fs.realpath(absolute)]);
    if (realTarget !== realRoot && !realTarget.startsWith(realRoot + path.sep)) return undefined;
    const stat = await fs.stat(realTarget);
    return stat.isFile() ? stat : undefined;
  } catch {
    return undefined;
  }
}
