import { Agent, request } from 'undici';

export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | undefined>;
  readonly body: string;
}

/** Raised when no HTTP answer arrived: refused, reset, DNS, TLS, timeout. Retryable. */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    message: string,
    readonly timedOut: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * One keep-alive connection pool per client. `signal` is the caller's cancellation; the
 * timeout is ours, so the two are told apart: a timeout is retried, a cancellation is not.
 */
export class HttpTransport {
  private readonly agent: Agent;

  constructor(connections: number) {
    this.agent = new Agent({ connections, keepAliveTimeout: 10_000, connect: { timeout: 15_000 } });
  }

  async send(
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await request(url, {
        method,
        headers,
        body,
        signal: combined,
        dispatcher: this.agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await response.body.text();
      return { status: response.statusCode, headers: flattenHeaders(response.headers), body: text };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const timedOut = timeout.aborted || isUndiciTimeout(error);
      const reason = timedOut ? `no answer within ${timeoutMs} ms` : describeNetworkError(error);
      throw new TransportError(reason, timedOut, { cause: error });
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>) {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function isUndiciTimeout(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function describeNetworkError(error: unknown): string {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? err.code;
  const message = err.cause?.message ?? err.message ?? String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
