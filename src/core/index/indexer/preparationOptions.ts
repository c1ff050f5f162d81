import type { EmbeddingImage } from '../../embed/types';

export interface PreparationOptions {
  /** Model pixel budget per image (the model's maximum by default). */
  readonly pixelBudget: number;
  readonly maxPdfPages: number;
  /** Markdown chunking. */
  readonly markdownMaxChars: number;
  readonly markdownOverlapChars: number;
  /** Page text beyond this is cut: the model reads about 8k tokens of it at best. */
  readonly maxTextChars: number;
  readonly documentInstruction?: string;
}

export const DEFAULT_PREPARATION: PreparationOptions = {
  pixelBudget: 1_843_200,
  maxPdfPages: 500,
  markdownMaxChars: 2000,
  markdownOverlapChars: 200,
  maxTextChars: 24_000,
};

export function snippetOf(text: string, max = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Markdown as a reader sees it in a one-line snippet: no heading marks, images by their alt text. */
export function markdownSnippetOf(text: string, max = 280): string {
  const plain = text
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(?:[-*+]|\d+\.)\s+/gm, '')
    .replace(/(\*\*|__|`)/g, '');
  return snippetOf(plain, max);
}

export type { EmbeddingImage };
