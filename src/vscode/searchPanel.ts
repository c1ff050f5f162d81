import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SearchQuery } from '../core/index/search/searchTypes';
import {
  type HostMessage,
  InvalidPanelMessage,
  MAX_QUERY_IMAGE_BYTES,
  type PanelMessage,
  type PanelQuery,
  type ResultKind,
  parsePanelMessage,
  queryImageTooLarge,
} from '../shared/panelProtocol';
import type { ExtensionServices } from './extensionServices';
import { openResult } from './openResult';
import { panelStatus } from './panelStatus';
import { searchPanelHtml } from './searchPanelHtml';
import { answerSearch, type PanelSearch } from './searchPanelAnswers';
import { uriFor, workspaceRoots } from './workspaceRoots';

export const PANEL_VIEW_TYPE = 'sightline.searchPanel';

/**
 * Hosts the search panel: renders it, validates what it sends, and answers its searches.
 *
 * The page is discarded while the panel is hidden (retainContextWhenHidden is off, to save
 * memory) and reloads when shown, so the host never assumes a page is listening: a query it
 * wants run (Find Similar) waits in `pendingQuery` until the page says it is ready, and the page
 * runs no saved query of its own before the host's answer to 'ready' says there is none.
 */
export class SearchPanel implements vscode.Disposable {
  private static current: SearchPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private searchAbort: AbortController | undefined;
  private pendingQuery: PanelQuery | undefined;
  /** Whether the page has said 'ready' since it last loaded. */
  private pageReady = false;

  /** Opens the panel, or brings the open one forward. */
  static show(services: ExtensionServices): SearchPanel {
    if (SearchPanel.current) {
      SearchPanel.current.panel.reveal(undefined, false);
      return SearchPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Sightline Search', vscode.ViewColumn.Active, panelOptions(services));
    return new SearchPanel(panel, services);
  }

  /** Restores a panel VS Code kept across a restart; its state comes back through getState. */
  static revive(panel: vscode.WebviewPanel, services: ExtensionServices): void {
    panel.webview.options = panelOptions(services);
    new SearchPanel(panel, services);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: ExtensionServices,
  ) {
    SearchPanel.current = this;
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'icon.svg');
    panel.webview.html = searchPanelHtml(
      panel.webview,
      services.extensionUri,
      workspaceRoots().map((r) => r.key),
    );
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        // Hidden, the page is gone; shown again, it loads afresh and says 'ready'.
        if (!panel.visible) this.pageReady = false;
      }),
      services.service.onDidChangeState(() => void this.postStatus()),
      services.keys.onDidChange(() => void this.postStatus()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /**
   * Shows images similar to an indexed one (Find Similar Images), whatever state the panel is
   * in: closed (just created), hidden behind another tab (its page reloads), or in view.
   */
  async showSimilar(root: string, relativePath: string): Promise<void> {
    this.pendingQuery = { text: '', similarTo: { root, path: relativePath } };
    this.panel.reveal(undefined, false);
    if (this.pageReady) await this.deliverPendingQuery();
  }

  dispose(): void {
    if (SearchPanel.current === this) SearchPanel.current = undefined;
    this.searchAbort?.abort();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private async deliverPendingQuery(): Promise<void> {
    const query = this.pendingQuery;
    if (!query) return;
    // Delivered only when the page took it; otherwise the next 'ready' brings it.
    if (await this.post({ type: 'runQuery', query })) {
      if (this.pendingQuery === query) this.pendingQuery = undefined;
    }
  }

  private async receive(raw: unknown): Promise<void> {
    let message: PanelMessage;
    try {
      message = parsePanelMessage(raw);
    } catch (error) {
      if (!(error instanceof InvalidPanelMessage)) throw error;
      this.services.log.warn(`Ignored an invalid message from the search panel: ${error.message}`);
      // A search the panel waits for gets an answer, so it never stays on "Searching…".
      const requestId = searchRequestId(raw);
      if (requestId !== undefined) await this.post({ type: 'searchFailed', requestId, message: `Sightline could not run this search: ${error.message}.` });
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      void vscode.window.showErrorMessage(`Sightline: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async handle(message: PanelMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.pageReady = true;
        const query = this.pendingQuery;
        this.pendingQuery = undefined;
        await this.post({ type: 'init', status: await this.status(), ...(query ? { query } : {}) });
        return;
      }
      case 'search': {
        if (message.similarTo && !(await this.indexed(message.similarTo))) return;
        const query: SearchQuery = message.similarTo
          ? { similarTo: message.similarTo }
          : { text: message.text.trim() || undefined, ...(message.image ? { imageBytes: Buffer.from(message.image.base64, 'base64') } : {}) };
        // Similar images by default; a kind the user ticks widens or narrows that.
        const kinds: readonly ResultKind[] = message.kinds.length ? message.kinds : message.similarTo ? ['image'] : [];
        return this.runSearch({ requestId: message.requestId, query, kinds, folder: message.similarTo ? '' : message.folder, label: queryLabel(message) });
      }
      case 'open':
      case 'findSimilar':
      case 'reveal': {
        // The panel may only point at files of the index, never at arbitrary paths.
        if (!(await this.indexed(message))) return;
        if (message.type === 'findSimilar') return this.showSimilar(message.root, message.path);
        if (message.type === 'reveal') {
          const uri = uriFor(workspaceRoots(), message.root, message.path);
          if (uri) await vscode.commands.executeCommand('revealInExplorer', uri);
          return;
        }
        // Enter opens beside the panel, so the results stay in view; Ctrl/Cmd+Enter in the panel's group.
        return openResult(message, { viewColumn: message.inPanelGroup ? this.panel.viewColumn : vscode.ViewColumn.Beside });
      }
      case 'pickImage':
        return this.pickImage();
      case 'indexWorkspace':
        await vscode.commands.executeCommand('sightline.indexWorkspace');
        return;
      case 'setApiKey':
        await vscode.commands.executeCommand('sightline.setApiKey');
    }
  }

  private async indexed(file: { root: string; path: string }): Promise<boolean> {
    if (await this.services.service.isIndexed(file.root, file.path)) return true;
    this.services.log.warn(`The search panel asked for ${file.path}, which is not in the index.`);
    return false;
  }

  private async runSearch(search: PanelSearch): Promise<void> {
    this.searchAbort?.abort();
    const controller = new AbortController();
    this.searchAbort = controller;
    const answer = await answerSearch(this.services.service, search, controller.signal, (file) =>
      this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString(),
    );
    if (answer) await this.post(answer);
  }

  private async pickImage(): Promise<void> {
    const [file] =
      (await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Search with this image',
        filters: { Images: ['png', 'jpg', 'jpeg', 'webp', 'gif'] },
      })) ?? [];
    if (!file) return;
    const { size } = await vscode.workspace.fs.stat(file);
    if (size > MAX_QUERY_IMAGE_BYTES) {
      void vscode.window.showWarningMessage(`Sightline: ${queryImageTooLarge(path.basename(file.fsPath), size)}`);
      return;
    }
    const bytes = await vscode.workspace.fs.readFile(file);
    const extension = path.extname(file.fsPath).slice(1).toLowerCase();
    const mimeType =
      extension === 'jpg' || extension === 'jpeg' ? 'image/jpeg' : extension === 'webp' ? 'image/webp' : extension === 'gif' ? 'image/gif' : 'image/png';
    await this.post({ type: 'queryImage', image: { name: path.basename(file.fsPath), mimeType, base64: Buffer.from(bytes).toString('base64') } });
  }

  private async status() {
    const hasKey = await this.services.service.hasKey();
    return panelStatus(
      this.services.service.state,
      hasKey,
      workspaceRoots().map((r) => r.key),
    );
  }

  private async postStatus(): Promise<void> {
    if (this.pageReady) await this.post({ type: 'status', status: await this.status() });
  }

  private async post(message: HostMessage): Promise<boolean> {
    return this.panel.webview.postMessage(message);
  }
}

function queryLabel(message: Extract<PanelMessage, { type: 'search' }>): string {
  if (message.similarTo) return `images like ${path.posix.basename(message.similarTo.path)}`;
  return [message.image ? `image ${message.image.name}` : '', message.text.trim() ? `“${message.text.trim()}”` : ''].filter(Boolean).join(' + ');
}

function panelOptions(services: ExtensionServices): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  const thumbs = services.service.thumbnailRoot();
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    // Only the bundled script, the stylesheet and the index's thumbnails can be loaded.
    localResourceRoots: [vscode.Uri.joinPath(services.extensionUri, 'dist'), vscode.Uri.joinPath(services.extensionUri, 'media'), ...(thumbs ? [thumbs] : [])],
  };
}

/** The request id of a search message that failed validation, if it has a usable one. */
function searchRequestId(raw: unknown): number | undefined {
  const message = raw as { type?: unknown; requestId?: unknown } | null;
  if (typeof message !== 'object' || message === null || message.type !== 'search') return undefined;
  return typeof message.requestId === 'number' && Number.isSafeInteger(message.requestId) && message.requestId >= 0 ? message.requestId : undefined;
}
