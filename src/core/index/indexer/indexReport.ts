import type { EmbeddingUsage } from '../../embed/usage';
import type { ItemKind } from '../../sources/itemTypes';

export interface FileProblem {
  readonly root: string;
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** What one indexing run did, for the summary a user reads at the end. */
export interface IndexReport {
  filesSeen: number;
  filesUnchanged: number;
  /** Files prepared and embedded (fully or partly). */
  filesIndexed: number;
  /** Files whose vectors came from an identical file already indexed (copy, rename, touch). */
  filesReused: number;
  filesRemoved: number;
  itemsEmbedded: number;
  itemsReused: number;
  itemsByKind: Record<ItemKind, number>;
  /** Files left out on purpose (too large, ignored links, caps). */
  skipped: FileProblem[];
  /** Files or parts the source could not read or the service rejected. */
  failed: FileProblem[];
  /** Set when the run stopped early because nothing else could succeed. */
  fatal?: { readonly kind: string; readonly message: string };
  cancelled: boolean;
  durationMs: number;
  usage?: EmbeddingUsage;
}

export function emptyReport(): IndexReport {
  return {
    filesSeen: 0,
    filesUnchanged: 0,
    filesIndexed: 0,
    filesReused: 0,
    filesRemoved: 0,
    itemsEmbedded: 0,
    itemsReused: 0,
    itemsByKind: { image: 0, markdown: 0, pdf: 0 },
    skipped: [],
    failed: [],
    cancelled: false,
    durationMs: 0,
  };
}
