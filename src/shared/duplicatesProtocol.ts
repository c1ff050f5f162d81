import { InvalidPanelMessage, record, relativePath, string } from './messageFields';

/**
 * Messages between the duplicate images panel and the extension host. The host validates every
 * message from the page with `parseDuplicatesMessage`, and acts only on files it listed.
 */

export interface DuplicateFileView {
  readonly root: string;
  readonly path: string;
  readonly name: string;
  /** The folder ("" at the top), after the workspace folder's name in a multi-root window. */
  readonly folder: string;
  readonly bytes: number;
  /** Last modified, in milliseconds since 1970. */
  readonly modified: number;
  /** A webview URI of the thumbnail, when there is one. */
  readonly thumbnail?: string;
}

export interface DuplicateGroupView {
  readonly kind: 'exact' | 'near';
  /** "Identical files", "Near-identical images". */
  readonly title: string;
  /** What makes them one group: "same bytes", "resized or recompressed copies (97% alike)". */
  readonly detail: string;
  readonly files: readonly DuplicateFileView[];
}

/** Page -> host. */
export type DuplicatesMessage = { readonly type: 'ready' } | { readonly type: 'open' | 'reveal' | 'delete'; readonly root: string; readonly path: string };

/** Host -> page. */
export type DuplicatesHostMessage =
  { readonly type: 'groups'; readonly groups: readonly DuplicateGroupView[] } | { readonly type: 'failed'; readonly message: string };

export function parseDuplicatesMessage(raw: unknown): DuplicatesMessage {
  const message = record(raw, 'message');
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'open':
    case 'reveal':
    case 'delete':
      return { type: message.type, root: string(message.root, 'root', 500), path: relativePath(message.path) };
    default:
      throw new InvalidPanelMessage(`unknown message type ${JSON.stringify(message.type)}`);
  }
}
