import type { ImageLink, ItemKind, ItemMeta, ItemProblem } from '../../sources/itemTypes';

/** An item as the catalog keeps it: what preparation said, plus where its vector is. */
export interface IndexedItem extends ItemMeta {
  /** Global row of this item's vector in the index's vector segments. */
  readonly row: number;
  /** Identity of the embedded content: same key, same vector, no API call. */
  readonly embedKey: string;
  /** Thumbnail file name inside the index folder. */
  readonly thumbnail?: string;
}

/** A problem with a file: a failure (it, or part of its own content, could not be indexed) or a warning. */
export type FileFailure = ItemProblem;

export interface FailedWith {
  readonly model: string;
  /** The endpoint URL without credentials. */
  readonly endpoint: string;
  readonly attempts: number;
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
  /**
   * Why the file, or part of its own content, could not be indexed. An unchanged file is tried
   * once more on the next run, then left alone (see `failedWith`).
   */
  readonly failures?: readonly FileFailure[];
  /** With what the failures happened, and how often in a row: bounds the retries of an unchanged file. */
  readonly failedWith?: FailedWith;
  /**
   * What was indexed with a caveat: an image reference that is missing, ignored or outside the
   * root, an image it shows that could not be read, a cap on pages or cells.
   */
  readonly warnings?: readonly FileFailure[];
  /** Every workspace image the document points at (markdown, notebooks), so a file appearing or moving re-resolves them. */
  readonly imageLinks?: readonly ImageLink[];
  /**
   * The file's text is indexed but its pictures are not yet (they come after every text of a
   * run): the next run sees the file as changed and finishes it, reusing the text's vectors.
   */
  readonly incomplete?: true;
}
