/**
 * Messages between the search panel (webview) and the extension host, as discriminated
 * unions. The host validates every incoming message at run time with `parsePanelMessage`:
 * the webview is treated as untrusted input.
 */
import { array, boolean, integer, InvalidPanelMessage, oneOf, record, relativePath, string } from './messageFields';

export { InvalidPanelMessage } from './messageFields';

export type ResultKind = 'image' | 'markdown' | 'pdf' | 'notebook';

/** One place in a file that matched: the image itself, a section, a figure, a PDF page. */
export interface PanelMatch {
  /** The engine's rank for a file's best match ("3"); "3.1", "3.2" for the file's other matches. */
  readonly id: string;
  readonly part: string;
  /** How the match is named among its file's matches: "page 3", a heading path, a figure's image. */
  readonly label: string;
  /** The fused score (0..1), for the relevance bar. */
  readonly score: number;
  /** Where in the file, when the title does not say it: the heading path, "shown in guide.md:12". */
  readonly where?: string;
  /** Plain text. */
  readonly snippet?: string;
  readonly line?: number;
  readonly page?: number;
  /** 1-based notebook cell. */
  readonly cell?: number;
  /** For a figure: the image it shows (root-relative). */
  readonly target?: string;
  /** A webview URI of the thumbnail, when there is one. */
  readonly thumbnail?: string;
}

/** One file in the ranked list, by its best match, with the file's other matches under `more`. */
export interface PanelResult extends PanelMatch {
  readonly root: string;
  readonly path: string;
  readonly kind: ResultKind;
  /** "login.png", "manual.pdf - page 2". */
  readonly title: string;
  /** The folder ("" at the top), after the workspace folder's name in a multi-root window. */
  readonly folder: string;
  /** Other matches in the same file, best first: "+N more in this file". */
  readonly more: readonly PanelMatch[];
}

/** What the panel searches by: words, an image, both, or an indexed image's neighbours. */
export interface PanelQuery {
  readonly text: string;
  readonly similarTo?: { readonly root: string; readonly path: string };
}

export interface PanelStatus {
  readonly index: 'empty' | 'ready' | 'indexing' | 'error';
  /** One line about the index: "1,200 items indexed.", "Indexing: 40%…", an error. */
  readonly message: string;
  /** 0..100 while indexing, when known. */
  readonly percent?: number;
  readonly folders: readonly string[];
  /** Whether an API key is set for the endpoint: without one only text matches are possible. */
  readonly hasKey: boolean;
}

/** Webview -> host. */
export type PanelMessage =
  | { readonly type: 'ready' }
  | {
      readonly type: 'search';
      readonly requestId: number;
      readonly text: string;
      readonly kinds: readonly ResultKind[];
      readonly folder: string;
      readonly image?: QueryImage;
      readonly similarTo?: { readonly root: string; readonly path: string };
    }
  /** `inPanelGroup`: Ctrl/Cmd+Enter opens in the panel's own editor group, else beside it. */
  | {
      readonly type: 'open';
      readonly root: string;
      readonly path: string;
      readonly line?: number;
      readonly page?: number;
      readonly cell?: number;
      readonly inPanelGroup: boolean;
    }
  | { readonly type: 'findSimilar'; readonly root: string; readonly path: string }
  | { readonly type: 'reveal'; readonly root: string; readonly path: string }
  | { readonly type: 'pickImage' }
  | { readonly type: 'indexWorkspace' }
  | { readonly type: 'setApiKey' };

export interface QueryImage {
  readonly name: string;
  readonly mimeType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
  /** base64 bytes of a pasted, dropped or picked image. */
  readonly base64: string;
}

/** What the results answer, for the line above them. */
export interface ResultsHeading {
  /** "“login screen”", "image shot.png + “dark”". */
  readonly label: string;
  /** For Find Similar: the query image, shown at the top. */
  readonly similarTo?: { readonly name: string; readonly path: string; readonly thumbnail?: string };
}

/** Host -> webview. */
export type HostMessage =
  /** The answer to 'ready': the state, and a query to run instead of the saved one (Find Similar). */
  | { readonly type: 'init'; readonly status: PanelStatus; readonly query?: PanelQuery }
  | { readonly type: 'status'; readonly status: PanelStatus }
  | {
      readonly type: 'results';
      readonly requestId: number;
      readonly results: readonly PanelResult[];
      /** Results from this index on are much weaker than the best: shown behind "show N weaker results". */
      readonly weakFrom: number;
      readonly notice?: string;
      /** The notice is about the missing key: the panel offers Set API Key. */
      readonly noticeAction?: 'setApiKey';
      readonly heading: ResultsHeading;
    }
  | { readonly type: 'searchFailed'; readonly requestId: number; readonly message: string }
  | { readonly type: 'queryImage'; readonly image: QueryImage }
  /** Run this query now (Find Similar on a panel that is already showing). */
  | { readonly type: 'runQuery'; readonly query: PanelQuery };

/** Query images are limited so a paste cannot make the host decode something enormous. */
export const MAX_QUERY_IMAGE_BASE64 = 28 * 1024 * 1024;
/** The same limit in bytes of the image itself (base64 is 4 characters per 3 bytes). */
export const MAX_QUERY_IMAGE_BYTES = (MAX_QUERY_IMAGE_BASE64 / 4) * 3;

/** What the panel says about an image over the limit, on either side of the message channel. */
export function queryImageTooLarge(name: string, bytes: number): string {
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${name} is ${mb(bytes)}; Sightline searches by images of up to ${mb(MAX_QUERY_IMAGE_BYTES)}. Use a smaller copy or a screenshot of the part that matters.`;
}
const KINDS: readonly ResultKind[] = ['image', 'markdown', 'pdf', 'notebook'];
const MIME_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;

export function parsePanelMessage(raw: unknown): PanelMessage {
  const message = record(raw, 'message');
  switch (message.type) {
    case 'ready':
    case 'pickImage':
    case 'indexWorkspace':
    case 'setApiKey':
      return { type: message.type };
    case 'search': {
      const image = message.image === undefined ? undefined : parseQueryImage(message.image);
      const similarTo = message.similarTo === undefined ? undefined : parseFile(message.similarTo);
      return {
        type: 'search',
        requestId: integer(message.requestId, 'requestId'),
        text: string(message.text, 'text', 2000),
        kinds: array(message.kinds, 'kinds').map((kind) => oneOf(kind, KINDS, 'kind')),
        folder: string(message.folder, 'folder', 500),
        ...(image ? { image } : {}),
        ...(similarTo ? { similarTo } : {}),
      };
    }
    case 'open':
      return {
        type: 'open',
        ...parseFile(message),
        ...(message.line !== undefined ? { line: integer(message.line, 'line') } : {}),
        ...(message.page !== undefined ? { page: integer(message.page, 'page') } : {}),
        ...(message.cell !== undefined ? { cell: integer(message.cell, 'cell') } : {}),
        inPanelGroup: message.inPanelGroup === undefined ? false : boolean(message.inPanelGroup, 'inPanelGroup'),
      };
    case 'findSimilar':
    case 'reveal':
      return { type: message.type, ...parseFile(message) };
    default:
      throw new InvalidPanelMessage(`unknown message type ${JSON.stringify(message.type)}`);
  }
}

function parseFile(raw: unknown): { root: string; path: string } {
  const file = record(raw, 'file');
  return { root: string(file.root, 'root', 500), path: relativePath(file.path) };
}

function parseQueryImage(raw: unknown): QueryImage {
  const image = record(raw, 'image');
  const base64 = string(image.base64, 'image.base64', MAX_QUERY_IMAGE_BASE64);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new InvalidPanelMessage('image.base64 is not base64');
  return { name: string(image.name, 'image.name', 300), mimeType: oneOf(image.mimeType, MIME_TYPES, 'image.mimeType'), base64 };
}
