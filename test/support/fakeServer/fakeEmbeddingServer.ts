import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError, gatewayErrorBody, unauthorizedBody, vllmErrorBody } from './apiErrors';
import { CaptionRegistry } from './captionRegistry';
import { imageVectorWithCaption, type EmbeddingContext } from './embeddingComputation';
import { serveEmbeddings, type EmbeddingsEndpoint } from './embeddingsEndpoint';
import { resolveOptions, type FakeServerOptions, type ResolvedFakeServerOptions } from './fakeServerOptions';
import { FaultQueue, type Fault, type FaultPredicate } from './faults';
import { headerRecord, pathOf, randomTraceId, readBody } from './httpIo';
import { decodeImage } from './imageFeatures';
import { stripPromptTemplate } from './promptTemplate';
import { RequestLog, type RecordedRequest } from './requestLog';
import { Responder } from './responder';
import { modelsResponseBody } from './responseBodies';
import { StatsCounter, type FakeServerStats } from './serverStats';
import { TokenBucket } from './tokenBucket';
import { vectorModelFor } from './vectorModel';

/**
 * A deterministic stand-in for the OpenAI-compatible embeddings service (vLLM behind the IONOS
 * gateway) serving Qwen3-VL-Embedding: same request validation, same response and error shapes,
 * vectors with enough meaning for retrieval tests, and faults on demand. Listens on 127.0.0.1 only.
 */
export interface FakeEmbeddingServer {
  /** e.g. http://127.0.0.1:41234/v1 */
  readonly baseUrl: string;
  readonly port: number;
  readonly options: ResolvedFakeServerOptions;
  /** A snapshot of the counters. */
  readonly stats: FakeServerStats;
  /** The most recent requests (see maxRecordedRequests), oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Queued faults not yet consumed. */
  readonly pendingFaults: number;
  /** Appends faults, consumed one per embeddings request in arrival order. */
  injectFaults(faults: Fault | readonly Fault[]): void;
  clearFaults(): void;
  /** Picks faults by request content; undefined removes it. */
  setFaultPredicate(predicate: FaultPredicate | undefined): void;
  /** Declares that images looking like `bytes` show `caption` (see CaptionRegistry). */
  describeImage(bytes: Uint8Array, caption: string): Promise<void>;
  clearCaptions(): void;
  /** The native-size vector this server returns for `input: text` (template stripped). */
  vectorForText(text: string): Float32Array;
  /** The native-size vector this server returns for an image on its own, captions included. */
  vectorForImage(bytes: Uint8Array): Promise<Float32Array>;
  /** Resolves once `count` requests (since the last reset) have been fully received. */
  waitForRequests(count: number): Promise<void>;
  /** Zeroes the counters and forgets recorded requests; faults and captions stay. */
  resetStats(): void;
  /** Stops listening and destroys every open socket, hanging requests included. */
  close(): Promise<void>;
}

export async function startFakeEmbeddingServer(options?: FakeServerOptions): Promise<FakeEmbeddingServer> {
  const server = new FakeEmbeddingServerHost(resolveOptions(options));
  await server.listen();
  return server;
}

type Waiter = { readonly count: number; readonly resolve: () => void; readonly reject: (error: Error) => void };

class FakeEmbeddingServerHost implements FakeEmbeddingServer {
  private readonly http: Server;
  private readonly sockets = new Set<Socket>();
  private readonly faults = new FaultQueue();
  private predicate: FaultPredicate | undefined;
  private readonly captions = new CaptionRegistry();
  private readonly counters = new StatsCounter();
  private readonly log: RequestLog;
  private readonly bucket: TokenBucket | undefined;
  private readonly lifetime = new AbortController();
  private readonly createdAt = Math.floor(Date.now() / 1000);
  private readonly embeddingContext: EmbeddingContext;
  private readonly responder: Responder;
  private readonly endpoint: EmbeddingsEndpoint;
  private received = 0;
  private waiters: Waiter[] = [];
  private closing: Promise<void> | undefined;

  constructor(readonly options: ResolvedFakeServerOptions) {
    this.log = new RequestLog(options.maxRecordedRequests);
    this.bucket = options.rateLimit ? new TokenBucket(options.rateLimit.requestsPerSecond, options.rateLimit.burst, options.now) : undefined;
    this.embeddingContext = {
      nativeDimensions: options.dimensions,
      maxContextTokens: options.maxContextTokens,
      captions: this.captions,
      model: vectorModelFor(options.semantic, options.dimensions),
    };
    this.responder = new Responder(this.counters, options.errorShape);
    this.endpoint = {
      options,
      context: this.embeddingContext,
      counters: this.counters,
      responder: this.responder,
      signal: this.lifetime.signal,
      predicate: () => this.predicate,
    };
    this.http = createServer((request, response) => {
      this.handle(request, response).catch(() => {
        // Last resort for a bug in the fake itself: fail loudly at the client rather than hang it.
        if (!response.headersSent) response.writeHead(500).end();
        else response.destroy();
      });
    });
    this.http.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(0, '127.0.0.1', () => {
        this.http.off('error', reject);
        resolve();
      });
    });
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get stats(): FakeServerStats {
    return this.counters.snapshot();
  }

  get requests(): readonly RecordedRequest[] {
    return this.log.list();
  }

  get pendingFaults(): number {
    return this.faults.pending;
  }

  injectFaults(faults: Fault | readonly Fault[]): void {
    this.faults.push(faults);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setFaultPredicate(predicate: FaultPredicate | undefined): void {
    this.predicate = predicate;
  }

  describeImage(bytes: Uint8Array, caption: string): Promise<void> {
    return this.captions.describe(bytes, caption);
  }

  clearCaptions(): void {
    this.captions.clear();
  }

  vectorForText(text: string): Float32Array {
    return this.embeddingContext.model.text(stripPromptTemplate(text).text);
  }

  async vectorForImage(bytes: Uint8Array): Promise<Float32Array> {
    return imageVectorWithCaption(await decodeImage(bytes), this.embeddingContext);
  }

  waitForRequests(count: number): Promise<void> {
    if (this.received >= count) return Promise.resolve();
    if (this.lifetime.signal.aborted) return Promise.reject(new Error('the fake embedding server is closed'));
    return new Promise((resolve, reject) => this.waiters.push({ count, resolve, reject }));
  }

  resetStats(): void {
    this.counters.reset();
    this.log.clear();
    this.received = 0;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.lifetime.abort();
      for (const waiter of this.waiters) waiter.reject(new Error('the fake embedding server is closed'));
      this.waiters = [];
      this.http.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path: pathOf(request.url),
      headers: headerRecord(request.headers),
      receivedAt: Date.now(),
    };
    this.counters.requests++;
    this.log.add(record);
    response.setHeader('x-trace-id', randomTraceId());

    // Everything decided from the request line and headers happens now, synchronously, so that
    // the rate limiter and the fault queue see requests in arrival order whatever their size.
    const isApi = record.path === '/v1' || record.path.startsWith('/v1/');
    const authorized = !isApi || this.isAuthorized(request);
    const rate = isApi && authorized && this.bucket ? this.bucket.take() : ({ allowed: true } as const);
    const isEmbeddings = record.path === '/v1/embeddings' && record.method === 'POST';
    if (isEmbeddings) this.counters.embeddingRequests++;
    const fault = isEmbeddings && authorized && rate.allowed ? this.faults.next() : undefined;

    let bodyBytes: Buffer;
    try {
      bodyBytes = await readBody(request, this.options.maxBodyBytes);
    } catch (error) {
      if (error instanceof ApiError) this.responder.error(response, record, error, { connection: 'close' });
      return;
    }
    this.recordBody(record, bodyBytes);
    this.markReceived();

    if (!authorized) return this.responder.json(response, record, 401, unauthorizedBody(this.options.authErrorShape));
    if (!rate.allowed) return this.sendRateLimited(response, record, rate.retryAfterSeconds);
    if (isEmbeddings) return serveEmbeddings(this.endpoint, { request, response, record, bodyBytes, queuedFault: fault });
    if (record.path === '/v1/models') {
      if (record.method !== 'GET') return this.responder.json(response, record, 405, { detail: 'Method Not Allowed' });
      return this.responder.json(response, record, 200, modelsResponseBody(this.options.models, this.createdAt, this.options.maxContextTokens));
    }
    if (record.path === '/v1/embeddings') return this.responder.json(response, record, 405, { detail: 'Method Not Allowed' });
    return this.responder.json(response, record, 404, { detail: 'Not Found' });
  }

  private isAuthorized(request: IncomingMessage): boolean {
    if (this.options.apiKey === null) return true;
    const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
    return match?.[1]?.trim() === this.options.apiKey;
  }

  private recordBody(record: RecordedRequest, bytes: Buffer): void {
    if (bytes.length === 0) return;
    const text = bytes.toString('utf8');
    try {
      record.body = JSON.parse(text);
    } catch {
      record.bodyText = text;
    }
  }

  private markReceived(): void {
    this.received++;
    const ready = this.waiters.filter((waiter) => this.received >= waiter.count);
    this.waiters = this.waiters.filter((waiter) => this.received < waiter.count);
    for (const waiter of ready) waiter.resolve();
  }

  private sendRateLimited(response: ServerResponse, record: RecordedRequest, retryAfterSeconds: number): void {
    const headers: Record<string, string> = this.options.retryAfterHeader ? { 'retry-after': String(retryAfterSeconds) } : {};
    const message = `Too many requests: the limit is ${this.options.rateLimit?.requestsPerSecond} requests per second with bursts of ${this.options.rateLimit?.burst}.`;
    // The gateway's errorCode for this case is not documented; clients must not depend on it.
    const body =
      this.options.authErrorShape === 'ionos'
        ? gatewayErrorBody(429, 'paas-rate-limit-1', message)
        : vllmErrorBody(new ApiError(429, message), this.options.errorShape);
    this.responder.json(response, record, 429, body, headers);
  }
}
