/** How requests are shaped; providers differ, so every extra field can be switched off. */
export interface RequestShapeOptions {
  /** Send the instruction as a system message (messages form). */
  readonly systemMessage: boolean;
  /** Close the conversation with an empty assistant turn, like vLLM's Qwen3-VL example. */
  readonly assistantTurn: boolean;
  readonly continueFinalMessage: boolean;
  readonly addSpecialTokens: boolean;
  /**
   * Text-only documents go through `input: string[]`, which vLLM does not template.
   * 'templated' renders the official prompt into each string so texts, images and queries
   * share one format; 'plain' sends the bare text for providers that template on their side.
   */
  readonly textFormat: 'templated' | 'plain';
}

export interface PacingOptions {
  /** Sustained requests per second (the provider's contract; IONOS: 5/s). */
  readonly requestsPerSecond: number;
  /** Requests that may leave at once after a quiet spell (IONOS: bursts to 10). */
  readonly burst: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

export interface RetryOptions {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per-request timeout; a request that takes longer is aborted and retried. */
  readonly timeoutMs: number;
}

export interface BatchOptions {
  /** Texts per `input: string[]` request. */
  readonly maxTexts: number;
  /** Characters per request, summed over its texts, so one request stays well inside limits. */
  readonly maxChars: number;
  /**
   * How long texts may wait for a fuller batch while their producer says more are coming;
   * once nothing more is expected, whatever waits leaves with the next token.
   */
  readonly maxWaitMs: number;
}

export interface EmbeddingClientOptions {
  /** Base URL including `/v1`, e.g. https://openai.inference.de-txl.ionos.com/v1 */
  readonly endpoint: string;
  readonly model: string;
  readonly apiKey?: string;
  /** Matryoshka cut; undefined means the model's full size. */
  readonly dimensions?: number;
  readonly shape: RequestShapeOptions;
  readonly pacing: PacingOptions;
  readonly retry: RetryOptions;
  readonly batch: BatchOptions;
}

export const DEFAULT_ENDPOINT = 'https://openai.inference.de-txl.ionos.com/v1';
export const DEFAULT_MODEL = 'Qwen/Qwen3-VL-Embedding-8B';

export const DEFAULT_SHAPE: RequestShapeOptions = {
  systemMessage: true,
  assistantTurn: true,
  continueFinalMessage: true,
  addSpecialTokens: true,
  textFormat: 'templated',
};

export const DEFAULT_PACING: PacingOptions = { requestsPerSecond: 5, burst: 10, concurrency: 4 };

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 60_000,
};

export const DEFAULT_BATCH: BatchOptions = { maxTexts: 32, maxChars: 48_000, maxWaitMs: 1500 };

export type PartialClientOptions = Pick<EmbeddingClientOptions, 'endpoint' | 'model'> &
  Partial<Pick<EmbeddingClientOptions, 'apiKey' | 'dimensions'>> & {
    readonly shape?: Partial<RequestShapeOptions>;
    readonly pacing?: Partial<PacingOptions>;
    readonly retry?: Partial<RetryOptions>;
    readonly batch?: Partial<BatchOptions>;
  };

export function withDefaults(options: PartialClientOptions): EmbeddingClientOptions {
  return {
    endpoint: options.endpoint.replace(/\/+$/, ''),
    model: options.model,
    apiKey: options.apiKey,
    dimensions: options.dimensions,
    shape: { ...DEFAULT_SHAPE, ...options.shape },
    pacing: { ...DEFAULT_PACING, ...options.pacing },
    retry: { ...DEFAULT_RETRY, ...options.retry },
    batch: { ...DEFAULT_BATCH, ...options.batch },
  };
}
