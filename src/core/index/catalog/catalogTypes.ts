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

export interface FileFailure {
  readonly code: string;
  readonly message: string;
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
  /** Why the file, or part of it, could not be indexed; kept so an unchanged file is not retried. */
  readonly failures?: readonly FileFailure[];
  /**
   * The file's text is indexed but its pictures are not yet (they come after every text of a
   * run): the next run sees the file as changed and finishes it, reusing the text's vectors.
   */
  readonly incomplete?: true;
}

export function fileKey(root: string, path: string): string {
  return `${root}\u0000${path}`;
}
