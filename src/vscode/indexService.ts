import type * as vscode from 'vscode';
import type { EmbeddingClient } from '../core/embed/embeddingClient';
import type { IndexProgress } from '../core/index/indexer/indexProgress';
import type { IndexReport } from '../core/index/indexer/indexReport';
import type { DuplicateGroup } from '../core/index/search/duplicateImages';
import type { SearchOptions, SearchQuery, SearchResponse } from '../core/index/search/searchTypes';
import type { SightlineSettings } from '../core/settings/sightlineSettings';
import type { IndexProblem } from './indexProblems';

/** What the index knows of one file, for showing it (the duplicates panel). */
export interface IndexedFileFacts {
  readonly bytes: number;
  readonly modified: number;
  /** The thumbnail file, when the file has one. */
  readonly thumbnail?: string;
}

export type ServiceState =
  | { readonly kind: 'empty' }
  /** `opening`: the index is being opened in the background; a search meanwhile waits for it. */
  | { readonly kind: 'ready'; readonly files: number; readonly items: number; readonly opening?: boolean }
  | { readonly kind: 'indexing'; readonly progress?: IndexProgress }
  | { readonly kind: 'error'; readonly message: string };

export interface IndexOptions {
  /** Files that failed before are tried again even when unchanged (Retry Failed Files). */
  readonly retryFailed?: boolean;
  /** Index without the shared cache the settings name (it was refused, and the user chose to go on). */
  readonly withoutSharedCache?: boolean;
}

/**
 * What commands and views need of the workspace's index. SightlineService is the one
 * implementation; tests pass fakes of this interface.
 */
export interface IndexService {
  readonly state: ServiceState;
  readonly onDidChangeState: vscode.Event<ServiceState>;
  /** A search answered: by words or an image ('query'), or Find Similar ('similar'). */
  readonly onDidSearch: vscode.Event<'query' | 'similar'>;
  readonly isIndexing: boolean;
  readonly hasWorkspace: boolean;
  /** The report of the last run in this window, if any. */
  readonly lastReport: IndexReport | undefined;
  /** Reads the index's state without loading vectors, for the status bar at start-up. */
  refreshState(): Promise<void>;
  /** After start-up: opens the index and builds its search tables, so the first query does not wait for them. */
  openInBackground(): Promise<void>;
  /** True while another window (or a CLI run) writes this index and this one only reads it. */
  readonly isFollowing: boolean;
  /** Whether a key is set for the configured endpoint (without one, only text matches are found). */
  hasKey(): Promise<boolean>;
  /** The thumbnail file of an indexed image, for showing it as the query of Find Similar. */
  imageThumbnail(root: string, relativePath: string): Promise<string | undefined>;
  /** A client for the configured endpoint, or undefined while no API key is set. */
  client(settings?: SightlineSettings): Promise<EmbeddingClient | undefined>;
  /** With `retryFailed`, files that failed before are tried again even when unchanged. */
  index(
    onProgress: (progress: IndexProgress) => void,
    token: vscode.CancellationToken,
    files?: Array<{ root: string; path: string }>,
    options?: IndexOptions,
  ): Promise<IndexReport>;
  search(query: SearchQuery, options: SearchOptions): Promise<SearchResponse>;
  duplicates(): Promise<DuplicateGroup[]>;
  /** Size, date and thumbnail of indexed files, by `fileKey`; files not in the index are left out. */
  describeFiles(files: ReadonlyArray<{ root: string; path: string }>): Promise<Map<string, IndexedFileFacts>>;
  /** The index's problems (kept with its files), and the files the last run here skipped. */
  problems(): Promise<IndexProblem[]>;
  isIndexed(root: string, relativePath: string): Promise<boolean>;
  clear(): Promise<void>;
  /** The folder thumbnails are served from, for the panel's resource roots. */
  thumbnailRoot(): vscode.Uri | undefined;
}
