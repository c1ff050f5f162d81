import type { WalkOptions } from '../../sources/walk/walkTypes';
import { inProcessPreparer, type SourcePreparer } from '../../sources/worker/sourcePreparer';
import { DEFAULT_PREPARATION, type PreparationOptions } from '../../sources/preparationOptions';
import type { SharedCacheLookup } from '../sharedCache/sharedCacheTypes';

export interface IndexRoot {
  /** Stable name of the workspace folder ('' when there is only one). */
  readonly key: string;
  readonly path: string;
}

export interface IndexerOptions {
  readonly roots: readonly IndexRoot[];
  readonly walk?: Omit<WalkOptions, 'roots' | 'signal'>;
  readonly preparation?: Partial<PreparationOptions>;
  /** Where images are decoded and PDF pages rendered (default: on the calling thread). */
  readonly preparer?: SourcePreparer;
  /** Files prepared at once; decoding and rendering are CPU-bound. */
  readonly prepareConcurrency?: number;
  /** Bytes of prepared inputs waiting for the API: bounds memory when preparation runs ahead. */
  readonly maxPreparedBytes?: number;
  /** Checkpoint after this many new vectors or file records... */
  readonly checkpointEvery?: number;
  /** ...or this long after the last checkpoint, whichever comes first. */
  readonly checkpointIntervalMs?: number;
  /** Vectors made elsewhere for the same requests (a team's cache), looked up before any item goes to the API. */
  readonly sharedCache?: SharedCacheLookup;
}

export interface ResolvedIndexerOptions {
  readonly roots: readonly IndexRoot[];
  readonly walk: Omit<WalkOptions, 'roots' | 'signal'>;
  readonly preparation: PreparationOptions;
  readonly preparer: SourcePreparer;
  readonly prepareConcurrency: number;
  readonly maxPreparedBytes: number;
  readonly checkpointEvery: number;
  readonly checkpointIntervalMs: number;
  readonly sharedCache?: SharedCacheLookup;
}

export function resolveIndexerOptions(options: IndexerOptions): ResolvedIndexerOptions {
  return {
    roots: options.roots,
    walk: options.walk ?? {},
    preparation: { ...DEFAULT_PREPARATION, ...options.preparation },
    preparer: options.preparer ?? inProcessPreparer,
    prepareConcurrency: options.prepareConcurrency ?? 2,
    maxPreparedBytes: options.maxPreparedBytes ?? 16 * 1024 * 1024,
    checkpointEvery: options.checkpointEvery ?? 64,
    checkpointIntervalMs: options.checkpointIntervalMs ?? 3000,
    ...(options.sharedCache ? { sharedCache: options.sharedCache } : {}),
  };
}
