import {
  DEFAULT_BATCH,
  DEFAULT_ENDPOINT,
  DEFAULT_MODEL,
  DEFAULT_PACING,
  DEFAULT_SHAPE,
  type PartialClientOptions,
  type RequestShapeOptions,
} from '../embed/clientOptions';
import { DEFAULT_QUERY_INSTRUCTION } from '../common/embeddingInput';
import type { IndexerOptions, IndexRoot } from '../index/indexer/indexerOptions';
import { DEFAULT_PREPARATION } from '../sources/preparationOptions';
import type { IndexIdentity } from '../index/store/indexStore';
import type { CacheIdentity } from '../index/sharedCache/cacheIdentity';

/** Everything a user can set, as plain values: the extension reads them from VS Code, the CLI from flags. */
export interface SightlineSettings {
  readonly endpoint: string;
  readonly model: string;
  /** Matryoshka cut; undefined = the model's full size. */
  readonly dimensions?: number;
  readonly requestsPerSecond: number;
  readonly burst: number;
  readonly concurrency: number;
  readonly batchSize: number;
  readonly shape: RequestShapeOptions;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly useGitignore: boolean;
  readonly pixelBudget: number;
  readonly maxPdfPages: number;
  readonly queryInstruction: string;
  /** Leading dims of each vector kept as int8 codes for the first, approximate scan. */
  readonly scanDims: number;
  /** A team's shared cache (a file, a folder of them, or an http(s) URL); '' for none. */
  readonly sharedCache: string;
  /** The largest shared cache accepted, in MiB (a download stops there). */
  readonly sharedCacheMaxMegabytes: number;
}

export const DEFAULT_SETTINGS: SightlineSettings = {
  endpoint: DEFAULT_ENDPOINT,
  model: DEFAULT_MODEL,
  dimensions: undefined,
  requestsPerSecond: DEFAULT_PACING.requestsPerSecond,
  burst: DEFAULT_PACING.burst,
  concurrency: DEFAULT_PACING.concurrency,
  batchSize: DEFAULT_BATCH.maxTexts,
  shape: DEFAULT_SHAPE,
  include: [],
  exclude: [],
  useGitignore: true,
  pixelBudget: DEFAULT_PREPARATION.pixelBudget,
  maxPdfPages: DEFAULT_PREPARATION.maxPdfPages,
  queryInstruction: DEFAULT_QUERY_INSTRUCTION,
  scanDims: 1024,
  sharedCache: '',
  sharedCacheMaxMegabytes: 1024,
};

export function clientOptionsFrom(settings: SightlineSettings, apiKey: string | undefined): PartialClientOptions {
  return {
    endpoint: settings.endpoint,
    model: settings.model,
    apiKey,
    dimensions: settings.dimensions,
    shape: settings.shape,
    pacing: { requestsPerSecond: settings.requestsPerSecond, burst: settings.burst, concurrency: settings.concurrency },
    batch: { maxTexts: settings.batchSize },
  };
}

export function indexerOptionsFrom(settings: SightlineSettings, roots: readonly IndexRoot[]): IndexerOptions {
  return {
    roots,
    walk: { include: settings.include, exclude: settings.exclude, useGitignore: settings.useGitignore },
    preparation: { pixelBudget: settings.pixelBudget, maxPdfPages: settings.maxPdfPages },
  };
}

/** What a shared cache must have been made with to serve this index. */
export function cacheIdentityFrom(settings: SightlineSettings): CacheIdentity {
  return { model: settings.model, dimensions: settings.dimensions ?? 'full', shape: settings.shape };
}

export function indexIdentityFrom(settings: SightlineSettings): IndexIdentity {
  return { model: settings.model, dimensions: settings.dimensions ?? 'full', scanDims: settings.scanDims };
}
