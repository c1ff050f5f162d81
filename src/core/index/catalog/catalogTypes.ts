import type { ItemKind, ItemMeta } from '../../sources/itemTypes';

/** An item as the catalog keeps it: what preparation said, plus where its vector is. */
export interface IndexedItem extends ItemMeta {
  /** Global row of this item's vector in the index's vector segments. */
  readonly row: number;
  /** Identity of the embedded content: same key, same vector, no API call. */
  readonly embedKey: string;
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
}
