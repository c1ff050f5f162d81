/**
 * Run-time checks for the fields of messages a webview sends. The host treats every webview as
 * untrusted input: a message that fails a check is dropped whole, with the reason logged.
 */
export class InvalidPanelMessage extends Error {
  override name = 'InvalidPanelMessage';
}

export function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidPanelMessage(`${what} must be an object`);
  return value as Record<string, unknown>;
}

export function string(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string') throw new InvalidPanelMessage(`${what} must be a string`);
  if (value.length > max) throw new InvalidPanelMessage(`${what} is too long`);
  return value;
}

export function integer(value: unknown, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new InvalidPanelMessage(`${what} must be a whole number`);
  if (value > max) throw new InvalidPanelMessage(`${what} is too large`);
  return value;
}

export function boolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new InvalidPanelMessage(`${what} must be true or false`);
  return value;
}

export function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value) || value.length > 10) throw new InvalidPanelMessage(`${what} must be a short array`);
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value as T)) throw new InvalidPanelMessage(`${what} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Workspace-relative, forward slashes, no way out of the folder. */
export function relativePath(value: unknown): string {
  const path = string(value, 'path', 4096);
  if (!path || path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.split(/[\\/]/).includes('..')) {
    throw new InvalidPanelMessage('path must be relative to a workspace folder');
  }
  return path;
}
