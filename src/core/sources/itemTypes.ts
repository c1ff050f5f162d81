import type { FileKind } from './walk/fileKind';

/** The kind of file an item comes from. */
export type ItemKind = FileKind;

/**
 * What part of a file an item stands for:
 * - 'image': an image file itself;
 * - 'section': a markdown section's text;
 * - 'figure': an image referenced from markdown, embedded together with its alt text and heading;
 * - 'page-text' / 'page-image': a PDF page's text and its rendered picture;
 * - 'output': an image stored in a notebook (a cell's plot, or a markdown cell's attachment),
 *   embedded with the code and prose around it.
 */
export type ItemPart = 'image' | 'section' | 'figure' | 'page-text' | 'page-image' | 'output';

/** What preparation knows about an item: where it points and what it says. */
export interface ItemMeta {
  readonly kind: ItemKind;
  readonly part: ItemPart;
  /** 1-based inclusive line range, for markdown sections and figures. */
  readonly line?: number;
  readonly endLine?: number;
  /** 1-based cell, for notebooks (sections, and figures from cell outputs). */
  readonly cell?: number;
  /** 1-based page, for PDFs. */
  readonly page?: number;
  readonly headingPath?: readonly string[];
  /** The image a figure shows (root-relative). */
  readonly target?: string;
  readonly snippet?: string;
  /** Text searched lexically (capped); the snippet is cut from it. */
  readonly text?: string;
}

/** A problem with a file or one part of it, as preparation reports it. */
export interface ItemProblem {
  readonly code: string;
  readonly message: string;
  /** 1-based line of the file it is about (an image reference), when there is one. */
  readonly line?: number;
  /** 1-based notebook cell it is about, when there is one. */
  readonly cell?: number;
}

/** An image a document points at, as written, and the workspace file it resolved to (none when it did not). */
export interface ImageLink {
  readonly target: string;
  readonly syntax: 'markdown' | 'html' | 'wiki';
  readonly resolved?: string;
}
