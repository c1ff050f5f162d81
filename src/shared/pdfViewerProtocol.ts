import { integer, InvalidPanelMessage, record, string } from './messageFields';

/**
 * Messages between the PDF page viewer (a custom editor's webview) and the extension host. The
 * host draws pages with PDFium and sends each as PNG bytes with its text runs; the page asks for
 * the page and width it shows. Every message from the page is validated with `parseViewerMessage`.
 */

/** Widest bitmap the page may ask for (device pixels). */
export const MAX_REQUEST_WIDTH = 8000;

export interface ViewerTextRun {
  readonly text: string;
  /** Box in points from the page's top-left corner. */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** An installed editor that can also show PDFs, offered next to this one. */
export interface ViewerAlternative {
  readonly viewType: string;
  readonly label: string;
}

/** Page -> host. */
export type ViewerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'render'; readonly requestId: number; readonly page: number; readonly width: number }
  | { readonly type: 'copyText'; readonly page: number }
  | { readonly type: 'openWith'; readonly viewType: string };

/** Host -> page. */
export type ViewerHostMessage =
  | { readonly type: 'document'; readonly name: string; readonly pageCount: number; readonly page: number; readonly alternatives: readonly ViewerAlternative[] }
  | { readonly type: 'goToPage'; readonly page: number }
  | {
      readonly type: 'page';
      readonly requestId: number;
      readonly page: number;
      readonly png: Uint8Array;
      readonly width: number;
      readonly height: number;
      readonly widthPt: number;
      readonly heightPt: number;
      readonly runs: readonly ViewerTextRun[];
    }
  | { readonly type: 'failed'; readonly requestId?: number; readonly message: string }
  | { readonly type: 'copied'; readonly page: number; readonly characters: number };

export function parseViewerMessage(raw: unknown): ViewerMessage {
  const message = record(raw, 'message');
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'render':
      return {
        type: 'render',
        requestId: integer(message.requestId, 'requestId'),
        page: integer(message.page, 'page', 1_000_000),
        width: integer(message.width, 'width', MAX_REQUEST_WIDTH),
      };
    case 'copyText':
      return { type: 'copyText', page: integer(message.page, 'page', 1_000_000) };
    case 'openWith':
      return { type: 'openWith', viewType: string(message.viewType, 'viewType', 200) };
    default:
      throw new InvalidPanelMessage(`unknown message type ${JSON.stringify(message.type)}`);
  }
}
