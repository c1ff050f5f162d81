import * as vscode from 'vscode';
import { webviewPage } from '../webviewPage';
import { installedPdfEditors } from './pdfViewerAlternatives';
import { PdfViewerSession } from './pdfViewerSession';

/** The page viewer's view type, as package.json's customEditors declares it (priority "option"). */
export const PDF_VIEWER_TYPE = 'sightline.pdfPages';

/**
 * A read-only viewer for PDFs, drawing PDFium-rendered pages: neither VS Code nor code-server
 * has one, so a PDF search result would otherwise open as raw bytes. Its priority is "option",
 * so a PDF viewer the user installed stays the default for PDFs; search results open here
 * because this viewer can open at the result's page.
 */
export class PdfViewerProvider implements vscode.CustomReadonlyEditorProvider {
  private static instance: PdfViewerProvider | undefined;
  private readonly sessions = new Map<string, Set<PdfViewerSession>>();
  /** Pages asked for by openAt, picked up when VS Code resolves the new editor. */
  private readonly pendingPages = new Map<string, number>();

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  static register(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): vscode.Disposable {
    const provider = new PdfViewerProvider(extensionUri, log);
    PdfViewerProvider.instance = provider;
    const registration = vscode.window.registerCustomEditorProvider(PDF_VIEWER_TYPE, provider, { supportsMultipleEditorsPerDocument: true });
    return new vscode.Disposable(() => {
      registration.dispose();
      if (PdfViewerProvider.instance === provider) PdfViewerProvider.instance = undefined;
    });
  }

  /** Shows `uri` at `page`: in its open viewer if there is one, else in a new one in `viewColumn`. */
  static async openAt(uri: vscode.Uri, page: number, viewColumn?: vscode.ViewColumn): Promise<void> {
    const provider = PdfViewerProvider.instance;
    if (!provider) throw new Error('The PDF page viewer is not available.');
    const key = keyOf(uri);
    const open = [...(provider.sessions.get(key) ?? [])];
    const session = open.find((s) => s.panel.active) ?? open.find((s) => s.panel.visible) ?? open[0];
    if (session) return session.goToPage(page);
    provider.pendingPages.set(key, page);
    await vscode.commands.executeCommand(
      'vscode.openWith',
      uri.with({ fragment: '' }),
      PDF_VIEWER_TYPE,
      viewColumn === undefined ? undefined : { viewColumn, preview: true },
    );
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const key = keyOf(document.uri);
    const page = this.pendingPages.get(key) ?? pageInFragment(document.uri) ?? 1;
    this.pendingPages.delete(key);
    const { webview } = panel;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    webview.html = webviewPage(webview, {
      title: 'PDF pages',
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'pdfViewer.js')),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'pdfViewer.css')),
      // Pages arrive as PNG bytes and are shown from blob: URLs.
      imageSources: ['blob:'],
      body: VIEWER_BODY,
    });
    const sessions = this.sessions.get(key) ?? new Set<PdfViewerSession>();
    this.sessions.set(key, sessions);
    const session = new PdfViewerSession(document.uri, panel, page, installedPdfEditors(PDF_VIEWER_TYPE), this.log, () => {
      sessions.delete(session);
      if (!sessions.size) this.sessions.delete(key);
    });
    sessions.add(session);
  }
}

function keyOf(uri: vscode.Uri): string {
  return uri.with({ fragment: '', query: '' }).toString();
}

/** "page=3" in the URI's fragment, the convention PDF viewers follow. */
function pageInFragment(uri: vscode.Uri): number | undefined {
  const match = /(?:^|&)page=(\d+)/.exec(uri.fragment);
  return match ? Number(match[1]) : undefined;
}

const VIEWER_BODY = `<div class="toolbar" role="toolbar" aria-label="Page viewer">
  <div class="group">
    <button id="previous" title="Previous page (Page Up)" aria-label="Previous page">‹</button>
    <label class="page-number">Page <input id="page" type="number" min="1" value="1" aria-label="Page number"> <span id="page-count"></span></label>
    <button id="next" title="Next page (Page Down)" aria-label="Next page">›</button>
  </div>
  <div class="group">
    <button id="zoom-out" title="Zoom out (-)" aria-label="Zoom out">−</button>
    <span id="zoom-level" aria-live="polite"></span>
    <button id="zoom-in" title="Zoom in (+)" aria-label="Zoom in">+</button>
    <button id="fit-width" title="Fit the page to the width (0)" aria-pressed="true">Fit width</button>
  </div>
  <div class="group">
    <button id="copy-text" title="Copy the text of this page">Copy text</button>
    <span id="alternatives"></span>
  </div>
  <span id="message" role="status" aria-live="polite"></span>
</div>
<div id="viewport" tabindex="0" aria-label="Page">
  <div id="sheet"><img id="page-image" alt=""><div id="text-layer"></div></div>
</div>`;
