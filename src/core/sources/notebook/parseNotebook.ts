import { SourceError } from '../sourceError';
import type { Notebook, NotebookCell, NotebookImage } from './notebookTypes';

// Which image of an output is used when it offers several: the raster the notebook showed first.
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'] as const;

/**
 * Reads an nbformat 4 notebook (what Jupyter, VS Code and Colab write). Every failure is a
 * SourceError naming what is wrong: JSON that does not parse, another nbformat, cells that are
 * not cells. Text fields may be a string or a list of lines, as the format allows.
 */
export function parseNotebook(text: string, path: string): Notebook {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SourceError('corrupt', `not a notebook: the JSON does not parse (${(error as Error).message})`, path, { cause: error });
  }
  if (!isRecord(data) || !Array.isArray(data.cells)) {
    if (isRecord(data) && typeof data.nbformat === 'number' && data.nbformat < 4) {
      throw new SourceError(
        'unsupported',
        `nbformat ${data.nbformat} notebooks are not supported (open and save it in Jupyter to upgrade it to nbformat 4)`,
        path,
      );
    }
    throw new SourceError('corrupt', 'not a notebook: there is no "cells" list', path);
  }
  if (typeof data.nbformat === 'number' && data.nbformat !== 4) {
    throw new SourceError('unsupported', `nbformat ${data.nbformat} notebooks are not supported`, path);
  }
  const cells = data.cells.map((cell, index) => parseCell(cell, index, path));
  return { language: languageOf(data.metadata), cells };
}

function parseCell(raw: unknown, index: number, path: string): NotebookCell {
  if (!isRecord(raw)) throw new SourceError('corrupt', `cell ${index + 1} is not an object`, path);
  const type = raw.cell_type === 'markdown' || raw.cell_type === 'code' ? raw.cell_type : 'raw';
  const images = type === 'code' && Array.isArray(raw.outputs) ? raw.outputs.flatMap((output) => imageOf(isRecord(output) ? output.data : undefined)) : [];
  const attachments = new Map<string, NotebookImage>();
  if (type === 'markdown' && isRecord(raw.attachments)) {
    for (const [name, bundle] of Object.entries(raw.attachments)) {
      const [image] = imageOf(bundle);
      if (image) attachments.set(name, image);
    }
  }
  return { index, type, source: textOf(raw.source), images, attachments };
}

/** The one image of a MIME bundle (`{"image/png": ..., "text/plain": ...}`), if it holds one. */
function imageOf(bundle: unknown): NotebookImage[] {
  if (!isRecord(bundle)) return [];
  for (const mimeType of IMAGE_TYPES) {
    const value = bundle[mimeType];
    if (value === undefined) continue;
    const text = textOf(value);
    const data = mimeType === 'image/svg+xml' ? text : text.replace(/\s+/g, '');
    if (data) return [{ mimeType, data }];
  }
  return [];
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((line): line is string => typeof line === 'string').join('');
  return '';
}

function languageOf(metadata: unknown): string {
  if (!isRecord(metadata)) return '';
  const info = isRecord(metadata.language_info) ? metadata.language_info.name : undefined;
  const kernel = isRecord(metadata.kernelspec) ? metadata.kernelspec.language : undefined;
  const name = typeof info === 'string' ? info : typeof kernel === 'string' ? kernel : '';
  return /^[\w+-]+$/.test(name) ? name.toLowerCase() : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
