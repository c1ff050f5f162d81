import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SearchQuery, SearchResponse, SearchResult } from '../core/index/search/searchTypes';
import { type HostMessage, InvalidPanelMessage, type PanelMessage, type PanelResult, parsePanelMessage } from '../shared/panelProtocol';
import type { ExtensionServices } from './extensionServices';
import { openResult } from './openResult';
import { panelHtml } from './panelHtml';
import { resultLabels } from './resultLabels';
import type { ServiceState } from './sightlineService';
import { workspaceRoots } from './workspaceRoots';

export const PANEL_VIEW_TYPE = 'sightline.searchPanel';

/** Hosts the search panel: renders it, validates what it sends, and answers its searches. */
export class SearchPanel implements vscode.Disposable {
  private static current: SearchPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private searchAbort: AbortController | undefined;

  static show(services: ExtensionServices): SearchPanel {
    if (SearchPanel.current) {
      SearchPanel.current.panel.reveal();
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
    const { webview } = panel;
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'icon.svg');
    webview.html = panelHtml(
      webview,
      webview.asWebviewUri(vscode.Uri.joinPath(services.extensionUri, 'dist', 'webview.js')),
      webview.asWebviewUri(vscode.Uri.joinPath(services.extensionUri, 'media', 'panel.css')),
      workspaceRoots().map((r) => r.key),
    );
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      services.service.onDidChangeState((state) => this.postStatus(state)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Shows images similar to an indexed one (Find Similar Images). */
  async showSimilar(root: string, relativePath: string): Promise<void> {
    this.panel.reveal();
    await this.post({ type: 'setQuery', text: '', similarTo: { root, path: relativePath } });
    await this.runSearch(-1, { similarTo: { root, path: relativePath } }, ['image'], '', `images like ${path.posix.basename(relativePath)}`);
  }

  dispose(): void {
    if (SearchPanel.current === this) SearchPanel.current = undefined;
    this.searchAbort?.abort();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private async receive(raw: unknown): Promise<void> {
    let message: PanelMessage;
    try {
      message = parsePanelMessage(raw);
    } catch (error) {
      if (error instanceof InvalidPanelMessage) this.services.log.warn(`Ignored an invalid message from the search panel: ${error.message}`);
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
      case 'ready':
        return this.postStatus(this.services.service.state);
      case 'search': {
        const query: SearchQuery = { text: message.text.trim() || undefined, ...(message.image ? { imageBytes: Buffer.from(message.image.base64, 'base64') } : {}) };
        const label = [message.image ? `image ${message.image.name}` : '', message.text.trim() ? `“${message.text.trim()}”` : ''].filter(Boolean).join(' + ');
        return this.runSearch(message.requestId, query, message.kinds, message.folder, label);
      }
      case 'open':
      case 'findSimilar':
        // The panel may only point at files of the index, never at arbitrary paths.
        if (!(await this.services.service.isIndexed(message.root, message.path))) {
          this.services.log.warn(`The search panel asked for ${message.path}, which is not in the index.`);
          return;
        }
        return message.type === 'open' ? openResult(message) : this.showSimilar(message.root, message.path);
      case 'pickImage':
        return this.pickImage();
      case 'indexWorkspace':
        await vscode.commands.executeCommand('sightline.indexWorkspace');
    }
  }

  private async runSearch(requestId: number, query: SearchQuery, kinds: readonly PanelResult['kind'][], folder: string, label: string): Promise<void> {
    this.searchAbort?.abort();
    const controller = new AbortController();
    this.searchAbort = controller;
    let response: SearchResponse;
    try {
      response = await this.services.service.search(query, { top: 60, filters: { kinds: kinds.length ? kinds : undefined, root: folder || undefined }, signal: controller.signal });
    } catch (error) {
      if (!controller.signal.aborted) await this.post({ type: 'searchFailed', requestId, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (controller.signal.aborted) return;
    await this.post({ type: 'results', requestId, results: response.results.map((r, i) => this.toPanelResult(r, i)), notice: response.notice, queryLabel: label });
  }

  private toPanelResult(result: SearchResult, index: number): PanelResult {
    const labels = resultLabels(result);
    return {
      id: String(index),
      root: result.root,
      path: result.path,
      kind: result.kind,
      part: result.part,
      score: result.score,
      ...(result.line !== undefined ? { line: result.line } : {}),
      ...(result.page !== undefined ? { page: result.page } : {}),
      ...(result.cell !== undefined ? { cell: result.cell } : {}),
      ...(labels.where ? { heading: labels.where } : {}),
      ...(result.snippet ? { snippet: result.snippet } : {}),
      ...(result.target ? { target: result.target } : {}),
      ...(result.thumbnailPath ? { thumbnail: this.panel.webview.asWebviewUri(vscode.Uri.file(result.thumbnailPath)).toString() } : {}),
    };
  }

  private async pickImage(): Promise<void> {
    const [file] =
      (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Search with this image', filters: { Images: ['png', 'jpg', 'jpeg', 'webp', 'gif'] } })) ?? [];
    if (!file) return;
    const bytes = await vscode.workspace.fs.readFile(file);
    const extension = path.extname(file.fsPath).slice(1).toLowerCase();
    const mimeType = extension === 'jpg' || extension === 'jpeg' ? 'image/jpeg' : extension === 'webp' ? 'image/webp' : extension === 'gif' ? 'image/gif' : 'image/png';
    await this.post({ type: 'queryImage', image: { name: path.basename(file.fsPath), mimeType, base64: Buffer.from(bytes).toString('base64') } });
  }

  private postStatus(state: ServiceState): Promise<void> {
    const folders = workspaceRoots().map((r) => r.key);
    const message =
      state.kind === 'empty'
        ? 'This workspace is not indexed yet.'
        : state.kind === 'indexing'
          ? `Indexing…${state.progress ? ` ${state.progress.filesProcessed}/${state.progress.filesToProcess} changed files` : ''}`
          : state.kind === 'error'
            ? state.message
            : `${state.items.toLocaleString('en')} items indexed.`;
    return this.post({ type: 'status', state: state.kind, message, folders });
  }

  private async post(message: HostMessage): Promise<void> {
    await this.panel.webview.postMessage(message);
  }
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
