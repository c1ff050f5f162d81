export type ItemKind = 'image' | 'markdown' | 'pdf';

/**
 * What part of a file an item stands for:
 * - 'image': an image file itself;
 * - 'section': a markdown section's text;
 * - 'figure': an image referenced from markdown, embedded together with its alt text and heading;
 * - 'page-text' / 'page-image': a PDF page's text and its rendered picture.
 */
export type ItemPart = 'image' | 'section' | 'figure' | 'page-text' | 'page-image';

export interface IndexedItem {
  /** Global row of this item's vector in the index's vector segments. */
  readonly row: number;
  /** Identity of the embedded content: same key, same vector, no API call. */
  readonly embedKey: string;
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
  /** Thumbnail file name inside the index folder. */
  readonly thumbnail?: string;
}

/** A problem with a file: a failure (it, or part of its own content, could not be indexed) or a warning. */
export interface FileFailure {
  readonly code: string;
  readonly message: string;
  /** 1-based line of the file it is about (an image reference), when there is one. */
  readonly line?: number;
}

/** An image a document points at, as written, and the workspace file it resolved to (none when it did not). */
export interface ImageLink {
  readonly target: string;
  readonly syntax: 'markdown' | 'html' | 'wiki';
  readonly resolved?: string;
}

/** One workspace file as last indexed. */
export interface FileRecord {
  /** Key of the workspace folder the file belongs to ('' for a single root). */
  readonly root: string;
  /** Path relative to its root, with forward slashes. */
  readonly path: string;
  readonly kind: ItemKind;
  readonly size: number;
  readonly mtimeMs: number;
  /** sha256 of the file's bytes. */
  readonly hash: string;
  readonly title?: string;
  readonly items: readonly IndexedItem[];
  /** Files whose content went into this one's items (images a markdown file shows). */
  readonly dependencies?: ReadonlyArray<{ readonly path: string; readonly size: number; readonly mtimeMs: number }>;
  /** Why the file, or part of its own content, could not be indexed; kept so an unchanged file is not retried. */
  readonly failures?: readonly FileFailure[];
  /**
   * What was indexed with a caveat: an image reference that is missing, ignored or outside the
   * root, an image it shows that could not be read, a cap on pages or cells.
   */
  readonly warnings?: readonly FileFailure[];
  /** Every workspace image the document points at (markdown, notebooks), so a file appearing or moving re-resolves them. */
  readonly imageLinks?: readonly ImageLink[];
}

export function fileKey(root: string, path: string): string {
  return `${root}\u0000${path}`;
}
