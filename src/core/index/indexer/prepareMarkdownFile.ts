import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DOCUMENT_INSTRUCTION } from '../../embed/types';
import { decodeUtf8Strict } from '../../sources/markdown/decodeUtf8Strict';
import type { MarkdownDocument, MarkdownImageReference } from '../../sources/markdown/markdownTypes';
import { resolveImageReference } from '../../sources/markdown/resolveImageReference';
import { splitMarkdown } from '../../sources/markdown/splitMarkdown';
import { fileKindOf } from '../../sources/walk/fileKind';
import { inProcessPreparer, type SourcePreparer } from '../../sources/worker/sourcePreparer';
import { embedKeyOf } from './embedKeys';
import { hashFile } from './fileHash';
import { extensionOf } from './prepareImageFile';
import { markdownSnippetOf, type PreparationOptions, snippetOf } from './preparationOptions';
import type { PreparedFile, PreparedItem } from './preparedItem';

/**
 * A markdown file becomes one item per section (text with its heading path as context) and one
 * per image it shows (the image with its alt text and heading, embedded as one input). The
 * sections come first; the images are read only when the indexer gets to pictures.
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

  // Only the references wait for the pictures' turn; the document's text is not kept for it.
  const figures = document.imageReferences
    .map((reference) => ({ reference, target: resolveImageReference(relativePath, reference) }))
    .filter((figure): figure is { reference: MarkdownImageReference; target: string } => !!figure.target && fileKindOf(figure.target) === 'image');

  async function* figureItems(): AsyncGenerator<PreparedItem> {
    for (const { reference, target } of figures) {
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

  return {
    title: document.title,
    items: sectionItems(document, instruction, options),
    ...(figures.length ? { images: async () => ({ items: figureItems() }) } : {}),
    dependencies: () => dependencies,
    problems: () => problems,
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
        snippet: markdownSnippetOf(section.text),
        text: section.text.slice(0, options.maxTextChars),
      },
      input: async () => ({ embedding: { text, instruction: options.documentInstruction } }),
    };
  }
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
