import type { ItemKind, ItemPart } from '../../sources/itemTypes';

export interface SearchFilters {
  readonly kinds?: readonly ItemKind[];
  /** picomatch glob over root-relative paths, e.g. `docs/**`. */
  readonly pathGlob?: string;
  /** Only this workspace folder. */
  readonly root?: string;
}

export interface SearchQuery {
  readonly text?: string;
  /** Image bytes (pasted, dropped or picked). */
  readonly imageBytes?: Uint8Array;
  /** An indexed file to find neighbours of: its stored vector is used, no API call. */
  readonly similarTo?: { readonly root: string; readonly path: string };
}

export interface SearchOptions {
  readonly top?: number;
  readonly filters?: SearchFilters;
  /** One result per file (its best item, the rest under `others`); default true. */
  readonly groupByFile?: boolean;
  /**
   * Results less relevant than this are dropped (0..1, the `score` of results). By default
   * results at relevance 0 (no better than an unrelated item of their kind) are left out; 0
   * keeps everything that was scored.
   */
  readonly minScore?: number;
  /**
   * Which signals rank: both (default), only vector similarity, or only the lexical match.
   * Single signals are for measuring ranking; the response's `mode` says what was used.
   */
  readonly mode?: 'hybrid' | 'vector' | 'lexical';
  readonly signal?: AbortSignal;
}

export interface SearchResult {
  readonly root: string;
  readonly path: string;
  readonly kind: ItemKind;
  readonly part: ItemPart;
  /**
   * Relevance in 0..1: the similarity calibrated against the query's scores for items of the
   * same kind (so images, sections and pages compare fairly whatever the model's modality gap),
   * fused with the lexical match. Results come sorted by it, one list across kinds, and a
   * relevance bar can show it as it is: about 0 is no better than an unrelated item.
   */
  readonly score: number;
  /** Cosine similarity to the query, when it was searched by vector. */
  readonly similarity?: number;
  readonly line?: number;
  readonly endLine?: number;
  readonly page?: number;
  /** 1-based notebook cell. */
  readonly cell?: number;
  readonly headingPath?: readonly string[];
  readonly title?: string;
  readonly snippet?: string;
  /** For figures: the image shown, root-relative. */
  readonly target?: string;
  /** Absolute path of the thumbnail file inside the index folder. */
  readonly thumbnailPath?: string;
  /** Other matching items of the same file, best first. */
  readonly others?: readonly SearchResult[];
}

export interface SearchResponse {
  readonly results: readonly SearchResult[];
  /** 'hybrid' normally; 'lexical' when the query could not be embedded (said in `notice`). */
  readonly mode: 'hybrid' | 'vector' | 'lexical';
  readonly notice?: string;
}
