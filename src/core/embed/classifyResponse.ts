import type { HttpResponse } from './httpTransport';
import { isRetryableStatus } from './retryPolicy';
import { serverErrorMessage } from './serverErrorMessage';

/** What to do with a non-200 answer. */
export type ResponseVerdict =
  | { action: 'fallback'; drop: 'dimensions' | 'base64' }
  | { action: 'retry'; rateLimited: boolean }
  | { action: 'fail'; kind: 'bad-input' | 'auth' | 'model-not-found' | 'endpoint-down' };

export interface SentFeatures {
  readonly dimensions: boolean;
  readonly base64: boolean;
}

export function classifyResponse(response: HttpResponse, sent: SentFeatures): ResponseVerdict {
  const { status } = response;
  if (status === 400 || status === 422) {
    const message = (serverErrorMessage(response.body) ?? '').toLowerCase();
    if (sent.dimensions && /matryoshka|dimension/.test(message)) return { action: 'fallback', drop: 'dimensions' };
    if (sent.base64 && /encoding_format|base64/.test(message)) return { action: 'fallback', drop: 'base64' };
    return { action: 'fail', kind: 'bad-input' };
  }
  if (status === 413) return { action: 'fail', kind: 'bad-input' };
  if (status === 401 || status === 403) return { action: 'fail', kind: 'auth' };
  if (status === 404) return { action: 'fail', kind: 'model-not-found' };
  if (isRetryableStatus(status)) return { action: 'retry', rateLimited: status === 429 };
  return { action: 'fail', kind: 'endpoint-down' };
}

export function summaryFor(kind: string, model: string): string {
  switch (kind) {
    case 'bad-input':
      return 'The embeddings service rejected this input';
    case 'auth':
      return 'The embeddings service refused the API key';
    case 'model-not-found':
      return `The embeddings service does not serve the model "${model}" (or the endpoint URL is wrong)`;
    case 'rate-limited':
      return 'The embeddings service kept rate-limiting requests';
    case 'bad-response':
      return 'The embeddings service sent an answer that is not a valid embeddings response';
    default:
      return 'The embeddings service could not be reached or kept failing';
  }
}
