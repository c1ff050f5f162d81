import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { ApiError } from './apiErrors';

/** Low-level request/response chores the server does for every route. */

export function randomTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function headerRecord(headers: IncomingHttpHeaders): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) record[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return record;
}

export function pathOf(url: string | undefined): string {
  return new URL(url ?? '/', 'http://fake.invalid').pathname;
}

/** Resolves with the whole body; over `maxBytes`, rejects with a 413 and discards the rest. */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        reject(new ApiError(413, `Request body exceeds ${maxBytes} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    request.on('end', () => {
      ended = true;
      if (!tooLarge) resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
    // A socket destroyed mid-body (client gone, server closing) may only say 'close'.
    request.on('close', () => {
      if (!ended) reject(new Error('the connection closed before the request body was complete'));
    });
  });
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (the server is closing). */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (!(ms > 0)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for `until`; false when the server closed first (the request is then abandoned). */
export function holdUntil(until: PromiseLike<unknown>, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => resolve(false);
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      signal.removeEventListener('abort', onAbort);
      resolve(!signal.aborted);
    };
    until.then(settle, settle);
  });
}
