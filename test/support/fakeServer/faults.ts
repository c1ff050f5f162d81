import type { IncomingHttpHeaders } from 'node:http';
import type { ParsedEmbeddingRequest } from './requestParsing';

/**
 * Failures a test can make the server produce. Queued faults are consumed one per embeddings
 * request, in the order requests arrive; a fault predicate picks requests by content instead.
 */
export type Fault =
  /** Answer with this status (vLLM error body unless `body` is given) instead of embeddings. */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: number; readonly message?: string; readonly body?: string }
  /** 200 whose JSON body is cut off halfway. */
  | { readonly kind: 'malformed-json' }
  /** 200 with well-formed JSON that breaks the response contract. */
  | { readonly kind: 'bad-payload'; readonly variant: 'wrong-count' | 'wrong-dimensions' | 'not-a-vector' | 'zero-vector' }
  /** Destroy the socket without answering. */
  | { readonly kind: 'drop-connection' }
  /** Never answer; the socket is only closed when the server closes or the client gives up. */
  | { readonly kind: 'hang' }
  /** Wait, then answer normally. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Hold the request until the test lets it go, then answer normally (in-process servers only). */
  | { readonly kind: 'hold'; readonly until: PromiseLike<unknown> };

export interface FaultPredicateContext {
  readonly body: unknown;
  readonly request: ParsedEmbeddingRequest;
  /** The text embedded for each input (prompt template removed), in order. */
  readonly texts: readonly string[];
  readonly headers: IncomingHttpHeaders;
}

/** Called for each valid embeddings request that no queued fault claimed. */
export type FaultPredicate = (context: FaultPredicateContext) => Fault | undefined;

/** Faults that answer before any embedding is computed. */
export function isEarlyFault(fault: Fault): boolean {
  return fault.kind === 'status' || fault.kind === 'drop-connection' || fault.kind === 'hang';
}

export class FaultQueue {
  private readonly queue: Fault[] = [];

  push(faults: Fault | readonly Fault[]): void {
    if (Array.isArray(faults)) this.queue.push(...(faults as readonly Fault[]));
    else this.queue.push(faults as Fault);
  }

  next(): Fault | undefined {
    return this.queue.shift();
  }

  get pending(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue.length = 0;
  }
}
