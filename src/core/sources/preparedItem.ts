import type { EmbeddingInput } from '../common/embeddingInput';
import type { ImageLink, ItemMeta, ItemProblem } from './itemTypes';

/** An item ready to embed (or to reuse, when its embedKey is already in the index). */
export interface PreparedItem {
  readonly embedKey: string;
  /** Everything the catalog keeps about the item, but its vector row. */
  readonly meta: ItemMeta;
  /** Built only when the vector is not known, so reuse skips image decoding. */
  readonly input: () => Promise<PreparedInput>;
}

export interface PreparedInput {
  readonly embedding: EmbeddingInput;
  readonly thumbnail?: { readonly bytes: Uint8Array; readonly extension: string };
}

/** What preparing one file produced: its items (streamed) and what else the record needs. */
export interface PreparedFile {
  readonly title?: string;
  /** The items to embed first: a document's text, or an image file's one item. */
  readonly items: AsyncIterable<PreparedItem> | Iterable<PreparedItem>;
  /**
   * A document's pictures (the images a markdown file shows, a PDF's rendered pages), prepared
   * only when their turn comes, after every text of the run: absent when it has none.
   */
  readonly images?: () => Promise<PreparedImages>;
  /** How many pictures `images` will bring at most (the images referenced, the pages), for progress. */
  readonly pictureCount?: number;
  /** Files whose content went into the items, e.g. images a markdown file shows. */
  readonly dependencies: () => ReadonlyArray<{ path: string; size: number; mtimeMs: number }>;
  /** Warnings found while preparing (a page over the cap, a missing image): the rest of the file is indexed. */
  readonly problems: () => readonly ItemProblem[];
  /** The images the document points at and where each resolved (documents only). */
  readonly imageLinks?: () => readonly ImageLink[];
  readonly close?: () => Promise<void>;
}

export interface PreparedImages {
  readonly items: AsyncIterable<PreparedItem>;
  readonly close?: () => Promise<void>;
}
