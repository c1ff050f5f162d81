import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PdfViewerDocument } from '../../core/sources/pdf/pdfViewerDocument';
import { InvalidPanelMessage } from '../../shared/messageFields';
import { parseViewerMessage, type ViewerAlternative, type ViewerHostMessage, type ViewerMessage } from '../../shared/pdfViewerProtocol';
import { loadCore } from '../loadCore';

/**
 * One open page viewer: reads the PDF once, draws the pages its webview asks for, and answers
 * "go to page N" from search results. Only the latest draw the page asked for is answered, so
 * paging quickly through a long PDF does not queue up stale pages.
 */
export class PdfViewerSession implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private document: Promise<PdfViewerDocument> | undefined;
  private latestRender = -1;
  /** Text of the pages drawn so far, for "Copy page text" without drawing again. */
  private readonly texts = new Map<number, string>();
  private disposed = false;

  constructor(
    readonly uri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    /** The page shown now: where a reloaded webview starts again. */
    private page: number,
    private readonly alternatives: readonly ViewerAlternative[],
    private readonly log: vscode.LogOutputChannel,
    onDispose: () => void,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
  }

  /** Shows page `page` (from a search result), in the open viewer. */
  goToPage(page: number): void {
    this.page = page;
    this.panel.reveal(undefined, false);
    void this.post({ type: 'goToPage', page });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    void this.document?.then((pdf) => pdf.close()).catch(() => undefined);
  }

  private async receive(raw: unknown): Promise<void> {
    let message: ViewerMessage;
    try {
      message = parseViewerMessage(raw);
    } catch (error) {
      if (error instanceof InvalidPanelMessage) this.log.warn(`Ignored an invalid message from the PDF viewer: ${error.message}`);
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      await this.post({ type: 'failed', ...(message.type === 'render' ? { requestId: message.requestId } : {}), message: text });
    }
  }

  private async handle(message: ViewerMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const pdf = await this.open();
        this.page = Math.min(Math.max(1, this.page), pdf.pageCount);
        return this.post({
          type: 'document',
          name: path.posix.basename(this.uri.path),
          pageCount: pdf.pageCount,
          page: this.page,
          alternatives: this.alternatives,
        });
      }
      case 'render': {
        this.latestRender = message.requestId;
        const pdf = await this.open();
        // A newer request arrived while this one waited for the file: skip the stale one.
        if (message.requestId !== this.latestRender || this.disposed) return;
        this.page = message.page;
        const drawn = await pdf.renderPage(message.page, message.width);
        this.texts.set(drawn.page, drawn.text);
        if (message.requestId !== this.latestRender) return;
        return this.post({
          type: 'page',
          requestId: message.requestId,
          page: drawn.page,
          png: new Uint8Array(drawn.png.buffer, drawn.png.byteOffset, drawn.png.byteLength),
          width: drawn.width,
          height: drawn.height,
          widthPt: drawn.widthPt,
          heightPt: drawn.heightPt,
          runs: drawn.runs,
        });
      }
      case 'copyText': {
        const text = this.texts.get(message.page) ?? (await (await this.open()).renderPage(message.page, 1)).text;
        await vscode.env.clipboard.writeText(text);
        return this.post({ type: 'copied', page: message.page, characters: text.length });
      }
      case 'openWith':
        // Only an editor this viewer offered, never a view type the page made up.
        if (!this.alternatives.some((a) => a.viewType === message.viewType)) {
          this.log.warn(`The PDF viewer asked to open ${this.uri.fsPath} with ${message.viewType}, which it was not offered.`);
          return;
        }
        await vscode.commands.executeCommand('vscode.openWith', this.uri, message.viewType);
    }
  }

  private open(): Promise<PdfViewerDocument> {
    this.document ??= (async () => {
      const [{ PdfViewerDocument }, bytes] = await Promise.all([loadCore(), vscode.workspace.fs.readFile(this.uri)]);
      return PdfViewerDocument.open(bytes, this.uri.fsPath);
    })();
    // A failed open is not kept: the next message tries again (the file may have been fixed).
    this.document.catch(() => (this.document = undefined));
    return this.document;
  }

  private async post(message: ViewerHostMessage): Promise<void> {
    if (!this.disposed) await this.panel.webview.postMessage(message);
  }
}
