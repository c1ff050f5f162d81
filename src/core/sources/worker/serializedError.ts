import { SourceError, type SourceErrorCode } from '../sourceError';

/** An error as plain data, so it survives postMessage with its kind (class instances do not). */
export type SerializedError =
  | { readonly type: 'source'; readonly code: SourceErrorCode; readonly message: string; readonly path?: string }
  | { readonly type: 'other'; readonly name: string; readonly message: string; readonly stack?: string };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof SourceError) {
    return { type: 'source', code: error.code, message: error.message, ...(error.path === undefined ? {} : { path: error.path }) };
  }
  if (error instanceof Error) return { type: 'other', name: error.name, message: error.message, stack: error.stack };
  return { type: 'other', name: 'Error', message: String(error) };
}

/** The error again on this side: a SourceError stays one, with its code and path. */
export function deserializeError(data: SerializedError): Error {
  if (data.type === 'source') return new SourceError(data.code, data.message, data.path);
  const error = new Error(data.message);
  error.name = data.name;
  if (data.stack) error.stack = `${data.stack}\n    (in the preparation worker)`;
  return error;
}
