/**
 * Messages between the search panel (webview) and the extension host, as discriminated
 * unions. The host validates every incoming message at run time with `parsePanelMessage`:
 * the webview is treated as untrusted input.
 */
export type ResultKind = 'image' | 'markdown' | 'pdf' | 'notebook';

export interface PanelResult {
  readonly id: string;
  readonly root: string;
  readonly path: string;
  readonly kind: ResultKind;
  readonly part: string;
  readonly score: number;
  readonly line?: number;
  readonly page?: number;
  /** 1-based notebook cell. */
  readonly cell?: number;
  readonly heading?: string;
  readonly snippet?: string;
  readonly target?: string;
  /** A webview URI of the thumbnail, when there is one. */
  readonly thumbnail?: string;
}

export interface PanelState {
  readonly text: string;
  readonly kinds: readonly ResultKind[];
  readonly folder: string;
}

/** Webview -> host. */
export type PanelMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'search'; readonly requestId: number; readonly text: string; readonly kinds: readonly ResultKind[]; readonly folder: string; readonly image?: QueryImage }
  | { readonly type: 'open'; readonly root: string; readonly path: string; readonly line?: number; readonly page?: number; readonly cell?: number }
  | { readonly type: 'findSimilar'; readonly root: string; readonly path: string }
  | { readonly type: 'pickImage' }
  | { readonly type: 'indexWorkspace' };

export interface QueryImage {
  readonly name: string;
  readonly mimeType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
  /** base64 bytes of a pasted, dropped or picked image. */
  readonly base64: string;
}

/** Host -> webview. */
export type HostMessage =
  | { readonly type: 'status'; readonly state: 'empty' | 'ready' | 'indexing' | 'error'; readonly message: string; readonly folders: readonly string[] }
  | { readonly type: 'results'; readonly requestId: number; readonly results: readonly PanelResult[]; readonly notice?: string; readonly queryLabel: string }
  | { readonly type: 'searchFailed'; readonly requestId: number; readonly message: string }
  | { readonly type: 'queryImage'; readonly image: QueryImage }
  | { readonly type: 'setQuery'; readonly text: string; readonly similarTo?: { readonly root: string; readonly path: string } };

/** Query images are limited so a paste cannot make the host decode something enormous. */
export const MAX_QUERY_IMAGE_BASE64 = 28 * 1024 * 1024;
const KINDS: readonly ResultKind[] = ['image', 'markdown', 'pdf', 'notebook'];
const MIME_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;

export class InvalidPanelMessage extends Error {
  override name = 'InvalidPanelMessage';
}

export function parsePanelMessage(raw: unknown): PanelMessage {
  const message = record(raw, 'message');
  switch (message.type) {
    case 'ready':
    case 'pickImage':
    case 'indexWorkspace':
      return { type: message.type };
    case 'search': {
      const image = message.image === undefined ? undefined : parseQueryImage(message.image);
      return {
        type: 'search',
        requestId: integer(message.requestId, 'requestId'),
        text: string(message.text, 'text', 2000),
        kinds: array(message.kinds, 'kinds').map((kind) => oneOf(kind, KINDS, 'kind')),
        folder: string(message.folder, 'folder', 500),
        ...(image ? { image } : {}),
      };
    }
    case 'open':
      return {
        type: 'open',
        root: string(message.root, 'root', 500),
        path: relativePath(message.path),
        ...(message.line !== undefined ? { line: integer(message.line, 'line') } : {}),
        ...(message.page !== undefined ? { page: integer(message.page, 'page') } : {}),
        ...(message.cell !== undefined ? { cell: integer(message.cell, 'cell') } : {}),
      };
    case 'findSimilar':
      return { type: 'findSimilar', root: string(message.root, 'root', 500), path: relativePath(message.path) };
    default:
      throw new InvalidPanelMessage(`unknown message type ${JSON.stringify(message.type)}`);
  }
}

function parseQueryImage(raw: unknown): QueryImage {
  const image = record(raw, 'image');
  const base64 = string(image.base64, 'image.base64', MAX_QUERY_IMAGE_BASE64);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new InvalidPanelMessage('image.base64 is not base64');
  return { name: string(image.name, 'image.name', 300), mimeType: oneOf(image.mimeType, MIME_TYPES, 'image.mimeType'), base64 };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidPanelMessage(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function string(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string') throw new InvalidPanelMessage(`${what} must be a string`);
  if (value.length > max) throw new InvalidPanelMessage(`${what} is too long`);
  return value;
}

function integer(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new InvalidPanelMessage(`${what} must be a whole number`);
  return value;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value) || value.length > 10) throw new InvalidPanelMessage(`${what} must be a short array`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value as T)) throw new InvalidPanelMessage(`${what} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Workspace-relative, forward slashes, no way out of the folder. */
function relativePath(value: unknown): string {
  const path = string(value, 'path', 4096);
  if (!path || path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.split(/[\\/]/).includes('..')) {
    throw new InvalidPanelMessage('path must be relative to a workspace folder');
  }
  return path;
}
