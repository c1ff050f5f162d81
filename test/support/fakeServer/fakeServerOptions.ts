import type { AuthErrorShape, VllmErrorShape } from './apiErrors';
import type { RecordedRequest } from './requestLog';
import type { SemanticModelOptions } from './semantic/semanticOptions';

export const DEFAULT_MODEL = 'Qwen/Qwen3-VL-Embedding-8B';
export const DEFAULT_API_KEY = 'test-key';

export interface FakeServerOptions {
  /** Bearer key clients must send; null turns authentication off. Default 'test-key'. */
  readonly apiKey?: string | null;
  /** Served model ids. Default ['Qwen/Qwen3-VL-Embedding-8B']. */
  readonly models?: readonly string[];
  /** Native vector size. Default 4096. */
  readonly dimensions?: number;
  /** Honour request `dimensions` (truncate + re-normalise); false answers 400 to any. Default true. */
  readonly matryoshka?: boolean;
  /** Accept encoding_format "base64". Default true. */
  readonly base64?: boolean;
  /** vLLM error body shape. Default 'new'. */
  readonly errorShape?: VllmErrorShape;
  /** Who answers a bad key (and the rate limit): the IONOS gateway or vLLM itself. Default 'ionos'. */
  readonly authErrorShape?: AuthErrorShape;
  /** Added before answering each embeddings request. */
  readonly latencyMs?: number | ((request: RecordedRequest) => number);
  /** Token bucket over all authenticated /v1 requests; excess gets 429. */
  readonly rateLimit?: { readonly requestsPerSecond: number; readonly burst: number };
  /** Send Retry-After with rate-limit 429s. Default true. */
  readonly retryAfterHeader?: boolean;
  /** Per-input token limit. Default 32768. */
  readonly maxContextTokens?: number;
  /** How many recent requests `server.requests` keeps (bodies include images). Default 2000. */
  readonly maxRecordedRequests?: number;
  /** Larger bodies get 413. Default 64 MiB. */
  readonly maxBodyBytes?: number;
  /** Millisecond clock for the rate limiter. Default performance.now. */
  readonly now?: () => number;
  /**
   * Vectors with meaning across words and languages, a modality gap and anisotropy
   * (semantic/semanticSpace.ts); true takes the defaults. Default off: hashed words and pixels.
   */
  readonly semantic?: SemanticModelOptions | boolean;
}

export interface ResolvedFakeServerOptions {
  readonly apiKey: string | null;
  readonly models: readonly string[];
  readonly dimensions: number;
  readonly matryoshka: boolean;
  readonly base64: boolean;
  readonly errorShape: VllmErrorShape;
  readonly authErrorShape: AuthErrorShape;
  readonly latencyMs: number | ((request: RecordedRequest) => number);
  readonly rateLimit?: { readonly requestsPerSecond: number; readonly burst: number };
  readonly retryAfterHeader: boolean;
  readonly maxContextTokens: number;
  readonly maxRecordedRequests: number;
  readonly maxBodyBytes: number;
  readonly now: () => number;
  readonly semantic: SemanticModelOptions | boolean;
}

export function resolveOptions(options: FakeServerOptions = {}): ResolvedFakeServerOptions {
  const resolved: ResolvedFakeServerOptions = {
    apiKey: options.apiKey === undefined ? DEFAULT_API_KEY : options.apiKey,
    models: options.models ?? [DEFAULT_MODEL],
    dimensions: options.dimensions ?? 4096,
    matryoshka: options.matryoshka ?? true,
    base64: options.base64 ?? true,
    errorShape: options.errorShape ?? 'new',
    authErrorShape: options.authErrorShape ?? 'ionos',
    latencyMs: options.latencyMs ?? 0,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    retryAfterHeader: options.retryAfterHeader ?? true,
    maxContextTokens: options.maxContextTokens ?? 32768,
    maxRecordedRequests: options.maxRecordedRequests ?? 2000,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024 * 1024,
    now: options.now ?? (() => performance.now()),
    semantic: options.semantic ?? false,
  };
  if (!Number.isInteger(resolved.dimensions) || resolved.dimensions < 1) throw new Error(`dimensions must be a positive integer, got ${resolved.dimensions}`);
  if (resolved.models.length === 0) throw new Error('models must name at least one model');
  return resolved;
}
