import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DOCUMENT_INSTRUCTION } from '../../embed/types';
import { admitImageReference, type ReferenceAdmission } from '../../sources/markdown/admitImageReference';
import { decodeUtf8Strict } from '../../sources/markdown/decodeUtf8Strict';
import type { MarkdownImageReference } from '../../sources/markdown/markdownTypes';
import { splitMarkdown } from '../../sources/markdown/splitMarkdown';
import { inProcessPreparer, type SourcePreparer } from '../../sources/worker/sourcePreparer';
import type { FileFailure, ImageLink } from '../catalog/catalogTypes';
import { embedKeyOf } from './embedKeys';
import { figureItem } from './figureItem';
import { markdownSnippetOf, type PreparationOptions } from './preparationOptions';
import type { PreparedFile, PreparedItem } from './preparedItem';

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
          snippet: markdownSnippetOf(section.text),
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

/**
 * The images one document shows: admits each reference, builds its figure item, and keeps what
 * the file record needs (the images it depends on, the links as resolved, the warnings).
 */
export class DocumentFigures {
  private readonly dependencies: Array<{ path: string; size: number; mtimeMs: number }> = [];
  private readonly links: ImageLink[] = [];
  private readonly warnings: FileFailure[] = [];

  constructor(
    private readonly root: string,
    private readonly documentPath: string,
    private readonly admission: ReferenceAdmission,
    private readonly options: PreparationOptions,
    private readonly preparer: SourcePreparer,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async figure(
    reference: Pick<MarkdownImageReference, 'target' | 'syntax' | 'line'>,
    place: { line?: number; cell?: number; headingPath: readonly string[]; caption: string; snippet: string },
  ): Promise<PreparedItem | undefined> {
    const outcome = await admitImageReference(this.documentPath, reference, this.admission);
    if (!outcome) return undefined;
    if ('warning' in outcome) {
      this.links.push({ target: reference.target, syntax: reference.syntax });
      this.warnings.push(outcome.warning);
      return undefined;
    }
    this.links.push({ target: reference.target, syntax: reference.syntax, resolved: outcome.path });
    const built = await figureItem(this.root, outcome.path, place, this.options, this.preparer, this.signal);
    if (!built) {
      this.warnings.push({ code: 'missing-image', message: `line ${reference.line}: ${reference.target} is not a file in the workspace folder`, line: reference.line });
      return undefined;
    }
    this.dependencies.push({ path: outcome.path, ...built.stat });
    return built.item;
  }

  /** Read once the items are all consumed. */
  record(): Pick<PreparedFile, 'dependencies' | 'problems' | 'imageLinks'> {
    return { dependencies: () => this.dependencies, problems: () => this.warnings, imageLinks: () => this.links };
  }
}
