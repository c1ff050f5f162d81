import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DOCUMENT_INSTRUCTION } from '../../common/embeddingInput';
import { embedKeyOf } from '../embedKey';
import { extensionOf } from '../image/mimeExtension';
import type { ItemProblem } from '../itemTypes';
import type { ReferenceAdmission } from '../markdown/admitImageReference';
import { decodeUtf8Strict } from '../markdown/decodeUtf8Strict';
import { DocumentFigures } from '../markdown/documentFigures';
import { headingPathAt } from '../markdown/headings';
import { markdownPlainText } from '../markdown/markdownPlainText';
import { splitMarkdown } from '../markdown/splitMarkdown';
import type { MarkdownImageReference } from '../markdown/markdownTypes';
import type { PreparationOptions } from '../preparationOptions';
import type { PreparedFile, PreparedItem } from '../preparedItem';
import { snippetOf } from '../snippet';
import { inProcessPreparer, type SourcePreparer } from '../worker/sourcePreparer';
import { notebookText } from './notebookText';
import type { Notebook, NotebookCell, NotebookImage } from './notebookTypes';
import { parseNotebook } from './parseNotebook';

/** Text sent with a plot: its heading, the markdown above its cell and the code that drew it, each capped. */
const CAPTION_PART_CHARS = 1500;

/**
 * A Jupyter notebook becomes sections (markdown cells and code, split and headed like a
 * markdown file, each located at the cell it starts in) and one image item per plot a code
 * cell produced or a markdown cell carries, embedded with the text around it, so "the loss
 * curve that plateaus" finds the plot. Images it links to are admitted as a markdown file's are.
 */
export async function prepareNotebookFile(
  root: string,
  relativePath: string,
  options: PreparationOptions,
  admission: ReferenceAdmission,
  preparer: SourcePreparer = inProcessPreparer,
  signal?: AbortSignal,
): Promise<PreparedFile> {
  const bytes = await fs.readFile(path.join(root, relativePath));
  const notebook = parseNotebook(decodeUtf8Strict(bytes, relativePath), relativePath);
  const text = notebookText(notebook, options.maxNotebookTextChars);
  const document = splitMarkdown(text.text, { maxChars: options.markdownMaxChars, overlapChars: options.markdownOverlapChars });
  const title = document.title;
  const instruction = options.documentInstruction ?? DEFAULT_DOCUMENT_INSTRUCTION;
  const figures = new DocumentFigures(root, relativePath, admission, options, preparer, signal);
  const problems: ItemProblem[] = [];
  if (text.cellsLeftOut) {
    problems.push({
      code: 'too-many-cells',
      message: `${text.cellsLeftOut} cells from cell ${text.firstLeftOut! + 1} on are not indexed: the notebook's text is over the ${options.maxNotebookTextChars.toLocaleString('en')}-character cap`,
    });
  }
  const preamble = title ? [title] : [];
  // The heading in force where a cell starts; a cell with no text of its own (a plot alone) takes the one above it.
  const headingPathOf = (cell: NotebookCell) => {
    for (let at = cell.index; at >= 0; at--) {
      const line = text.startOf(at);
      if (line !== undefined) return headingPathAt(document.headings, line, preamble);
    }
    return [...preamble];
  };
  const referencesByCell = new Map<number, MarkdownImageReference[]>();
  for (const reference of document.imageReferences) {
    const cell = text.cellAt(reference.line - 1);
    referencesByCell.set(cell, [...(referencesByCell.get(cell) ?? []), reference]);
  }

  // What the pictures' turn needs, worked out now so the notebook's text is not kept for it.
  const jobs: ImageJob[] = [];
  let imagesLeftOut = 0;
  let imageCount = 0;
  const counted = () => (imageCount < options.maxNotebookImages ? (imageCount++, true) : (imagesLeftOut++, false));
  for (const cell of notebook.cells) {
    if (text.firstLeftOut !== undefined && cell.index >= text.firstLeftOut) break;
    if (cell.type === 'code' && cell.images.length) {
      const headingPath = headingPathOf(cell);
      const above = markdownAbove(notebook, cell);
      const caption = [headingPath.join(' > '), above, cell.source.trim().slice(0, CAPTION_PART_CHARS)].filter(Boolean).join('\n\n');
      for (const image of cell.images)
        if (counted()) jobs.push({ kind: 'stored', image, cell: cell.index + 1, headingPath, caption, snippet: above || firstLine(cell.source) });
    }
    for (const reference of cell.type === 'markdown' ? (referencesByCell.get(cell.index) ?? []) : []) {
      const caption = [reference.alt, reference.headingPath.join(' > ')].filter(Boolean).join('\n');
      const attachment = /^attachment:/i.test(reference.target) ? cell.attachments.get(decodeName(reference.target.slice('attachment:'.length))) : undefined;
      if (attachment) {
        if (counted())
          jobs.push({ kind: 'stored', image: attachment, cell: cell.index + 1, headingPath: reference.headingPath, caption, snippet: reference.alt });
      } else {
        jobs.push({
          kind: 'linked',
          reference: { ...reference, cell: cell.index + 1 },
          cell: cell.index + 1,
          headingPath: reference.headingPath,
          caption,
          snippet: reference.alt,
        });
      }
    }
  }
  if (imagesLeftOut) {
    problems.push({
      code: 'too-many-images',
      message: `${imageCount + imagesLeftOut} images; only the first ${options.maxNotebookImages} are indexed (the image cap per notebook)`,
    });
  }

  async function* sectionItems(): AsyncGenerator<PreparedItem> {
    for (const section of document.sections) {
      const context = [title, ...section.headingPath].filter((part, i, all) => part && all.indexOf(part) === i);
      const body = section.text.slice(0, options.maxTextChars);
      const embedded = (context.length ? `${context.join(' > ')}\n\n` : '') + body;
      yield {
        embedKey: embedKeyOf('section', instruction, embedded),
        meta: {
          kind: 'notebook',
          part: 'section',
          cell: text.cellAt(section.startLine - 1) + 1,
          headingPath: section.headingPath,
          snippet: snippetOf(markdownPlainText(section.text)),
          text: body,
        },
        input: async () => ({ embedding: { text: embedded, instruction: options.documentInstruction } }),
      };
    }
  }

  // Plots come in the pictures' turn, after the run's texts, like a markdown file's figures.
  async function* imageItems(): AsyncGenerator<PreparedItem> {
    for (const job of jobs) {
      const place = { cell: job.cell, headingPath: job.headingPath, caption: job.caption, snippet: job.snippet };
      if (job.kind === 'stored') yield storedImageItem(job.image, place, options, instruction, preparer, signal);
      else {
        const item = await figures.figure(job.reference, place);
        if (item) yield item;
      }
    }
  }

  const record = figures.record();
  return {
    title,
    items: sectionItems(),
    ...(jobs.length ? { images: async () => ({ items: imageItems() }), pictureCount: jobs.length } : {}),
    ...record,
    problems: () => [...problems, ...record.problems()],
  };
}

type ImageJob = { readonly cell: number; readonly headingPath: readonly string[]; readonly caption: string; readonly snippet: string } & (
  | { readonly kind: 'stored'; readonly image: NotebookImage }
  | { readonly kind: 'linked'; readonly reference: MarkdownImageReference & { readonly cell: number } }
);

/** A plot or attachment stored in the notebook: keyed by its bytes and caption, decoded only when embedded. */
function storedImageItem(
  image: NotebookImage,
  { cell, headingPath, caption, snippet }: { cell: number; headingPath: readonly string[]; caption: string; snippet: string },
  options: PreparationOptions,
  instruction: string,
  preparer: SourcePreparer,
  signal: AbortSignal | undefined,
): PreparedItem {
  const digest = createHash('sha256').update(image.mimeType).update('\u0000').update(image.data).digest('hex');
  return {
    embedKey: embedKeyOf('notebook-image', instruction, digest, options.pixelBudget, caption),
    meta: { kind: 'image', part: 'output', cell, headingPath, snippet: snippetOf(markdownPlainText(snippet) || `cell ${cell}`), text: caption },
    input: async () => {
      const bytes = image.mimeType === 'image/svg+xml' ? Buffer.from(image.data, 'utf8') : Buffer.from(image.data, 'base64');
      const prepared = await preparer.prepareImage({ bytes, path: `cell ${cell}` }, { pixelBudget: options.pixelBudget }, signal);
      return {
        embedding: { images: [prepared.embeddable], text: caption, instruction: options.documentInstruction },
        thumbnail: { bytes: prepared.thumbnail.bytes, extension: extensionOf(prepared.thumbnail.mimeType) },
      };
    },
  };
}

/**
 * The prose that introduces a cell: the nearest markdown cells above it (code cells between
 * them and the cell are skipped), as plain as a reader sees them, capped.
 */
function markdownAbove(notebook: Notebook, cell: NotebookCell): string {
  const parts: string[] = [];
  let chars = 0;
  let at = cell.index - 1;
  while (at >= 0 && notebook.cells[at]!.type !== 'markdown') at--;
  for (; at >= 0 && notebook.cells[at]!.type === 'markdown' && chars < CAPTION_PART_CHARS; at--) {
    const source = notebook.cells[at]!.source.trim();
    parts.unshift(source);
    chars += source.length;
  }
  const joined = parts.join('\n\n');
  return joined.length > CAPTION_PART_CHARS ? joined.slice(joined.length - CAPTION_PART_CHARS) : joined;
}

function firstLine(source: string): string {
  return source.trim().split('\n')[0] ?? '';
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
