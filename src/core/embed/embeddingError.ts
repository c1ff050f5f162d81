import { redactSecrets, urlWithoutCredentials } from '../common/redaction';

/**
 * What went wrong, in the terms a caller acts on:
 * - 'bad-input': this input cannot be embedded (skip it, report it, go on);
 * - 'auth', 'model-not-found', 'endpoint-down', 'rate-limited', 'bad-response': the run cannot
 *   go on (stop and say so plainly);
 * - 'cancelled': the caller aborted.
 */
export type EmbeddingErrorKind = 'bad-input' | 'auth' | 'model-not-found' | 'endpoint-down' | 'rate-limited' | 'bad-response' | 'cancelled';

export interface EmbeddingErrorDetails {
  readonly endpoint: string;
  /** Values that must never appear in the message (the API key), besides the usual credential shapes. */
  readonly secrets?: ReadonlyArray<string | undefined>;
  readonly status?: number;
  readonly serverMessage?: string;
  readonly traceId?: string;
  readonly cause?: unknown;
}

export class EmbeddingError extends Error {
  readonly endpoint: string;
  readonly status?: number;
  readonly serverMessage?: string;
  readonly traceId?: string;

  constructor(
    readonly kind: EmbeddingErrorKind,
    summary: string,
    details: EmbeddingErrorDetails,
  ) {
    // Everything here may be shown, logged or stored in the index's journal: no credentials.
    const redact = (text: string) => redactSecrets(text, details.secrets);
    const endpoint = redact(urlWithoutCredentials(details.endpoint));
    const serverMessage = details.serverMessage === undefined ? undefined : redact(details.serverMessage);
    super(describe(summary, { ...details, endpoint, serverMessage }), { cause: details.cause });
    this.name = 'EmbeddingError';
    this.endpoint = endpoint;
    this.status = details.status;
    this.serverMessage = serverMessage;
    this.traceId = details.traceId;
  }

  /** True when nothing else in the run can succeed either. */
  get isFatal(): boolean {
    return this.kind !== 'bad-input';
  }
}

function describe(summary: string, details: EmbeddingErrorDetails): string {
  const parts = [`${summary} (${details.endpoint}`];
  if (details.status !== undefined) parts.push(`, HTTP ${details.status}`);
  parts.push(')');
  if (details.serverMessage) parts.push(`: ${details.serverMessage}`);
  if (details.traceId) parts.push(` [trace id ${details.traceId}]`);
  return parts.join('');
}
