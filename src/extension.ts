import * as path from 'node:path';
import * as vscode from 'vscode';
import { setApiKey, selectModel } from './vscode/commands/apiKeyCommands';
import { ApiKeyStore } from './vscode/apiKeyStore';
import { indexWorkspace } from './vscode/commands/indexWorkspaceCommand';
import { clearIndex, findDuplicates, revokeConsent, showProblems } from './vscode/commands/indexMaintenanceCommands';
import type { ExtensionServices } from './vscode/extensionServices';
import { watchWorkspace } from './vscode/fileWatcher';
import { showQuickSearch } from './vscode/quickSearch';
import { PANEL_VIEW_TYPE, SearchPanel } from './vscode/searchPanel';
import { SightlineService } from './vscode/sightlineService';
import { createStatusBar } from './vscode/statusBar';
import { UploadConsent } from './vscode/uploadConsent';
import { rootForUri, workspaceRoots } from './vscode/workspaceRoots';

/**
 * Builds the services and registers commands, views and the watcher. Nothing heavy happens
 * here: the index, sharp and the PDF engine load on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Sightline', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const indexDir = context.storageUri ? path.join(context.storageUri.fsPath, 'index') : undefined;
  const service = new SightlineService(indexDir, keys, log);
  const services: ExtensionServices = {
    service,
    keys,
    consent: new UploadConsent(context.workspaceState),
    log,
    workspaceState: context.workspaceState,
    extensionUri: context.extensionUri,
  };

  const findSimilar = (root: string, relativePath: string) => void SearchPanel.show(services).showSimilar(root, relativePath);
  const command = (id: string, run: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, run));

  command('sightline.indexWorkspace', () => indexWorkspace(services));
  command('sightline.search', () => showQuickSearch(services, findSimilar));
  command('sightline.openSearchPanel', () => SearchPanel.show(services));
  command('sightline.findSimilarImages', (uri?: vscode.Uri) => {
    const target = uri ?? activeImageUri();
    const file = target && rootForUri(target, workspaceRoots());
    if (!file) return vscode.window.showWarningMessage('Find Similar Images works on image files inside the workspace.');
    findSimilar(file.root, file.path);
    return undefined;
  });
  command('sightline.findDuplicateImages', () => findDuplicates(services));
  command('sightline.setApiKey', () => setApiKey(services));
  command('sightline.selectModel', () => selectModel(services));
  command('sightline.clearIndex', () => clearIndex(services));
  command('sightline.showProblems', () => showProblems(services));
  command('sightline.revokeConsent', () => revokeConsent(services));

  context.subscriptions.push(
    log,
    service,
    createStatusBar(service),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => SearchPanel.revive(panel, services),
    }),
    watchWorkspace(services, (files) => updateQuietly(services, files)),
  );
  void service.refreshState();
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
    if ((error as Error)?.name !== 'IndexBusyError') throw error;
  } finally {
    source.dispose();
  }
}

/** The image open in the built-in image preview, for the preview's title-bar button. */
function activeImageUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
}
