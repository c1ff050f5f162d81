/** Running totals a caller can show (and a benchmark can check). */
export interface EmbeddingUsage {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Requests that have ended (answered, refused or given up); a retry is part of its request. */
  completed: number;
  /** Inputs that came back as vectors. */
  inputs: number;
  promptTokens: number;
  retries: number;
  rateLimited: number;
  /** Text requests (`input: string[]`) formed, and the texts they carried; retries not counted. */
  textBatches: number;
  textsBatched: number;
}

export function emptyUsage(): EmbeddingUsage {
  return { requests: 0, completed: 0, inputs: 0, promptTokens: 0, retries: 0, rateLimited: 0, textBatches: 0, textsBatched: 0 };
}
