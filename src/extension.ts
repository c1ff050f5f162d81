import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadCore } from './vscode/loadCore';
import { setApiKey, selectModel } from './vscode/commands/apiKeyCommands';
import { ApiKeyStore } from './vscode/apiKeyStore';
import { CacheTokenStore } from './vscode/cacheTokenStore';
import { setSharedCacheToken } from './vscode/commands/sharedCacheCommands';
import { findSimilarImages } from './vscode/commands/findSimilarCommand';
import { indexWorkspace } from './vscode/commands/indexWorkspaceCommand';
import { clearIndex, findDuplicates, revokeConsent, showProblems } from './vscode/commands/indexMaintenanceCommands';
import { showWhatWillBeSent } from './vscode/commands/whatWillBeSentCommand';
import type { ExtensionServices } from './vscode/extensionServices';
import { watchWorkspace } from './vscode/fileWatcher';
import { PdfViewerProvider } from './vscode/pdfViewer/pdfViewerProvider';
import { showQuickSearch } from './vscode/quickSearch';
import { registerCommand } from './vscode/registerCommand';
import { PANEL_VIEW_TYPE, SearchPanel } from './vscode/searchPanel';
import { userSetEndpoint } from './vscode/settingsReader';
import { SightlineService } from './vscode/sightlineService';
import { createStatusBar } from './vscode/statusBar';
import { UploadConsent } from './vscode/uploadConsent';
import { trackWalkthroughProgress } from './vscode/walkthroughProgress';

/**
 * Builds the services and registers commands, views and the watcher. Nothing heavy happens
 * here: the index, sharp and the PDF engine load on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Sightline', { log: true });
  const keys = new ApiKeyStore(context.secrets, process.env, userSetEndpoint);
  const indexDir = context.storageUri ? path.join(context.storageUri.fsPath, 'index') : undefined;
  const cacheTokens = new CacheTokenStore(context.secrets);
  const service = new SightlineService(indexDir, keys, log, {
    ...(context.globalStorageUri ? { downloadsDir: path.join(context.globalStorageUri.fsPath, 'shared-cache') } : {}),
    token: (url) => cacheTokens.get(url),
  });
  const services: ExtensionServices = {
    service,
    keys,
    consent: new UploadConsent(context.workspaceState),
    log,
    workspaceState: context.workspaceState,
    extensionUri: context.extensionUri,
  };

  const findSimilar = (root: string, relativePath: string) => void SearchPanel.show(services).showSimilar(root, relativePath);
  const commands: Record<string, (...args: never[]) => unknown> = {
    'sightline.indexWorkspace': () => indexWorkspace(services),
    'sightline.retryFailedFiles': () => indexWorkspace(services, undefined, { retryFailed: true }),
    'sightline.search': () => showQuickSearch(services, findSimilar),
    'sightline.openSearchPanel': () => SearchPanel.show(services),
    'sightline.findSimilarImages': (uri?: vscode.Uri) => findSimilarImages(services, uri),
    'sightline.findDuplicateImages': () => findDuplicates(services),
    'sightline.setApiKey': () => setApiKey(services),
    'sightline.selectModel': () => selectModel(services),
    'sightline.setSharedCacheToken': () => setSharedCacheToken(cacheTokens),
    'sightline.clearIndex': () => clearIndex(services),
    'sightline.showProblems': () => showProblems(services),
    'sightline.showWhatWillBeSent': () => showWhatWillBeSent(services),
    'sightline.revokeConsent': () => revokeConsent(services),
  };
  for (const [id, run] of Object.entries(commands)) context.subscriptions.push(registerCommand(log, id, run));

  context.subscriptions.push(
    log,
    service,
    createStatusBar(service),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: (panel) => Promise.resolve(SearchPanel.revive(panel, services)),
    }),
    PdfViewerProvider.register(context.extensionUri, log),
    trackWalkthroughProgress(services),
    watchWorkspace(services, (files) => updateQuietly(services, files)),
  );
  // After activation returns: the status bar shows the index's counts from its manifest at once,
  // then the index opens in the background so the first query does not wait for it.
  setTimeout(() => void service.openInBackground(), 0);
}

export function deactivate(): void {}

/** Watcher updates show in the status bar, not as notifications. */
async function updateQuietly(services: ExtensionServices, files: Array<{ root: string; path: string }>): Promise<void> {
  const source = new vscode.CancellationTokenSource();
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Sightline: updating index' }, () =>
      services.service.index(() => undefined, source.token, files),
    );
  } catch (error) {
    // Another window writes this index and sees the same change: it updates, this one follows.
    const { IndexBusyError } = await loadCore();
    if (!(error instanceof IndexBusyError)) throw error;
  } finally {
    source.dispose();
  }
}
