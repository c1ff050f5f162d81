/** Counters the server keeps; tests and benchmarks read snapshots through `server.stats`. */

export interface FakeServerStats {
  /** Every HTTP request, whatever its path or outcome. */
  readonly requests: number;
  /** POST /v1/embeddings requests, including refused ones. */
  readonly embeddingRequests: number;
  /** Inputs answered with vectors (a messages request is one input). */
  readonly inputs: number;
  /** Sum of usage.prompt_tokens over answered requests. */
  readonly promptTokens: number;
  /** Responses sent, by HTTP status. */
  readonly statusCounts: Readonly<Record<number, number>>;
  /** 429 responses, from the rate limiter or injected. */
  readonly rateLimited: number;
  readonly droppedConnections: number;
  readonly hungRequests: number;
}

export class StatsCounter {
  requests = 0;
  embeddingRequests = 0;
  inputs = 0;
  promptTokens = 0;
  droppedConnections = 0;
  hungRequests = 0;
  private statusCounts: Record<number, number> = {};

  countStatus(status: number): void {
    this.statusCounts[status] = (this.statusCounts[status] ?? 0) + 1;
  }

  snapshot(): FakeServerStats {
    return {
      requests: this.requests,
      embeddingRequests: this.embeddingRequests,
      inputs: this.inputs,
      promptTokens: this.promptTokens,
      statusCounts: { ...this.statusCounts },
      rateLimited: this.statusCounts[429] ?? 0,
      droppedConnections: this.droppedConnections,
      hungRequests: this.hungRequests,
    };
  }

  reset(): void {
    this.requests = 0;
    this.embeddingRequests = 0;
    this.inputs = 0;
    this.promptTokens = 0;
    this.droppedConnections = 0;
    this.hungRequests = 0;
    this.statusCounts = {};
  }
}
