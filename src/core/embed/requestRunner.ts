import { AdaptivePacer, type Clock, type PacerTicket, systemClock } from './adaptivePacer';
import { classifyResponse, summaryFor } from './classifyResponse';
import type { EmbeddingClientOptions } from './clientOptions';
import { ConcurrencyLimit } from '../common/concurrencyLimit';
import { EmbeddingError, type EmbeddingErrorKind } from './embeddingError';
import type { EndpointCapabilities } from './endpointCapabilities';
import { HttpTransport, type HttpResponse, TransportError } from './httpTransport';
import { BadResponse, decodeEmbeddingResponse } from './responseDecoder';
import { backoffDelayMs, parseRetryAfterMs } from './retryPolicy';
import { serverErrorMessage } from './serverErrorMessage';
import type { EmbeddingUsage } from './usage';
import type { EncodingFields, EmbeddingRequestBody } from './wireFormat';

/** What one request carries, decided when it may leave. */
export interface FormedRequest {
  readonly buildBody: (encoding: EncodingFields) => EmbeddingRequestBody;
  /** Inputs in the request: the number of vectors expected back. */
  readonly count: number;
  /** Cancels this request once formed (its inputs' callers all gave up). */
  readonly signal?: AbortSignal;
}

/** A malformed 200 is retried this often before we call the endpoint broken. */
const BAD_RESPONSE_RETRIES = 2;

/**
 * Sends one logical embeddings request: paced, bounded in concurrency, retried with backoff,
 * falling back when the endpoint refuses `dimensions` or base64, and failing with an
 * `EmbeddingError` whose kind says whether the caller may go on.
 */
export class RequestRunner {
  private readonly transport: HttpTransport;
  private readonly pacer: AdaptivePacer;
  private readonly limit: ConcurrencyLimit;

  constructor(
    private readonly options: EmbeddingClientOptions,
    private readonly capabilities: EndpointCapabilities,
    readonly usage: EmbeddingUsage,
    private readonly clock: Clock = systemClock,
  ) {
    this.transport = new HttpTransport(options.pacing.concurrency);
    this.pacer = new AdaptivePacer(options.pacing.requestsPerSecond, options.pacing.burst, clock);
    this.limit = new ConcurrencyLimit(options.pacing.concurrency);
  }

  get currentRate(): number {
    return this.pacer.currentRate;
  }

  async embed(buildBody: (encoding: EncodingFields) => EmbeddingRequestBody, count: number, signal?: AbortSignal): Promise<Float32Array[]> {
    return (await this.embedFormedOnGrant(() => ({ buildBody, count, signal }), signal))!;
  }

  /**
   * Sends one request whose content `form` chooses at the moment the request may leave: a
   * concurrency slot is free and the pacer granted a token. What is waiting then (every text
   * that arrived meanwhile, say) goes in it, rather than what was waiting when it joined the
   * queue. `form` returning undefined gives the token back and sends nothing. `waitSignal`
   * cancels the wait for the turn; once formed, the request's own signal governs it. Retries
   * (429, 5xx, dropped connections, timeouts) send the same request again, whole.
   */
  async embedFormedOnGrant(form: () => FormedRequest | undefined, waitSignal?: AbortSignal): Promise<Float32Array[] | undefined> {
    let formed = false;
    try {
      return await this.sendFormed(() => {
        const request = form();
        formed = request !== undefined;
        return request;
      }, waitSignal);
    } finally {
      if (formed) this.usage.completed++;
    }
  }

  private async sendFormed(form: () => FormedRequest | undefined, waitSignal?: AbortSignal): Promise<Float32Array[] | undefined> {
    const { endpoint, model, retry } = this.options;
    let request: FormedRequest | undefined;
    const formOnGrant = () => (request ??= form());
    let failures = 0;
    let badResponses = 0;
    for (;;) {
      const quirks = this.capabilities.get(endpoint, model);
      const sendDimensions = this.options.dimensions !== undefined && !quirks.dimensionsRefused;
      const encoding: EncodingFields = {
        encoding_format: quirks.base64Refused ? 'float' : 'base64',
        ...(sendDimensions ? { dimensions: this.options.dimensions } : {}),
      };
      let sent: { response: HttpResponse; ticket: PacerTicket } | undefined;
      try {
        sent = await this.send(formOnGrant, encoding, request ? request.signal : waitSignal);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        if (++failures > retry.maxRetries) throw this.error('endpoint-down', { serverMessage: error.message, cause: error });
        await this.pause(backoffDelayMs(failures - 1, retry), request?.signal);
        continue;
      }
      if (!sent || !request) return undefined;
      const { response, ticket } = sent;
      const { count, signal } = request;

      if (response.status === 200) {
        try {
          const decoded = decodeEmbeddingResponse(response.body, count, this.options.dimensions);
          this.usage.inputs += count;
          this.usage.promptTokens += decoded.promptTokens;
          this.pacer.onSuccess();
          return decoded.vectors;
        } catch (error) {
          if (!(error instanceof BadResponse)) throw error;
          if (++badResponses > BAD_RESPONSE_RETRIES) {
            throw this.error('bad-response', { status: 200, serverMessage: error.message, traceId: response.headers['x-trace-id'] });
          }
          this.usage.retries++;
          continue;
        }
      }

      const verdict = classifyResponse(response, { dimensions: sendDimensions, base64: encoding.encoding_format === 'base64' });
      if (verdict.action === 'fallback') {
        this.capabilities.remember(endpoint, model, verdict.drop === 'dimensions' ? { dimensionsRefused: true } : { base64Refused: true });
        continue;
      }
      if (verdict.action === 'fail') throw this.httpError(verdict.kind, response);

      const retryAfter = parseRetryAfterMs(response.headers['retry-after']);
      if (verdict.rateLimited) {
        this.usage.rateLimited++;
        this.pacer.onRateLimited(retryAfter, ticket);
      }
      if (++failures > retry.maxRetries) {
        throw this.httpError(verdict.rateLimited ? 'rate-limited' : 'endpoint-down', response);
      }
      // The pacer already holds every sender back for Retry-After; the backoff spreads retries.
      await this.pause(backoffDelayMs(failures - 1, retry), signal);
    }
  }

  /** GET/POST outside the embeddings pacing (model listing). */
  async get(path: string, signal?: AbortSignal): Promise<HttpResponse> {
    try {
      return await this.transport.send('GET', this.options.endpoint + path, this.headers(), undefined, this.options.retry.timeoutMs, signal);
    } catch (error) {
      if (error instanceof TransportError) throw this.error('endpoint-down', { serverMessage: error.message, cause: error });
      throw this.cancelled(error, signal);
    }
  }

  httpError(kind: EmbeddingErrorKind, response: HttpResponse): EmbeddingError {
    return this.error(kind, {
      status: response.status,
      serverMessage: serverErrorMessage(response.body),
      traceId: response.headers['x-trace-id'] ?? response.headers['x-request-id'],
    });
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /** Waits for a slot and a token, then forms (first attempt only) and sends the request. */
  private async send(
    form: () => FormedRequest | undefined,
    encoding: EncodingFields,
    signal?: AbortSignal,
  ): Promise<{ response: HttpResponse; ticket: PacerTicket } | undefined> {
    let sendSignal = signal;
    try {
      return await this.limit.run(async () => {
        const ticket = await this.pacer.acquire(signal);
        const request = form();
        if (!request) {
          this.pacer.release();
          return undefined;
        }
        sendSignal = request.signal;
        sendSignal?.throwIfAborted();
        this.usage.requests++;
        const body = JSON.stringify(request.buildBody(encoding));
        const response = await this.transport.send(
          'POST',
          `${this.options.endpoint}/embeddings`,
          this.headers(),
          body,
          this.options.retry.timeoutMs,
          sendSignal,
        );
        return { response, ticket };
      }, signal);
    } catch (error) {
      if (error instanceof TransportError) throw error;
      throw this.cancelled(error, sendSignal);
    }
  }

  /** The error a cancelled caller gets. */
  cancelledError(cause?: unknown): EmbeddingError {
    return this.error('cancelled', { cause });
  }

  private async pause(ms: number, signal?: AbortSignal): Promise<void> {
    this.usage.retries++;
    try {
      await this.clock.sleep(ms, signal);
    } catch (error) {
      throw this.cancelled(error, signal);
    }
  }

  private cancelled(error: unknown, signal?: AbortSignal): unknown {
    return signal?.aborted ? this.error('cancelled', { cause: error }) : error;
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    return headers;
  }

  private error(kind: EmbeddingErrorKind, details: Omit<ConstructorParameters<typeof EmbeddingError>[2], 'endpoint'>) {
    const summary = kind === 'cancelled' ? 'Embedding was cancelled' : summaryFor(kind, this.options.model);
    return new EmbeddingError(kind, summary, { endpoint: this.options.endpoint, secrets: [this.options.apiKey], ...details });
  }
}
