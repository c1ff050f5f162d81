import * as vscode from 'vscode';
import { type DuplicateGroupView, type DuplicatesHostMessage, type DuplicatesMessage, parseDuplicatesMessage } from '../../shared/duplicatesProtocol';
import { InvalidPanelMessage } from '../../shared/messageFields';
import type { ExtensionServices } from '../extensionServices';
import { openResult } from '../openResult';
import { webviewPage } from '../webviewPage';
import { uriFor, workspaceRoots } from '../workspaceRoots';
import { duplicateGroupViews } from './duplicateGroupViews';

const DUPLICATES_VIEW_TYPE = 'sightline.duplicates';

/**
 * Find Duplicate Images, in a panel: each group's images side by side with their thumbnails,
 * sizes and dates, and Open, Reveal and Delete (to the trash, after a confirmation) for each.
 * The page can only name files the panel listed.
 */
export class DuplicatesPanel implements vscode.Disposable {
  private static current: DuplicatesPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private groups: DuplicateGroupView[] = [];

  static async show(services: ExtensionServices): Promise<void> {
    const open = DuplicatesPanel.current ?? new DuplicatesPanel(services);
    open.panel.reveal(undefined, false);
    await open.refresh();
  }

  private readonly panel: vscode.WebviewPanel;

  private constructor(private readonly services: ExtensionServices) {
    DuplicatesPanel.current = this;
    const thumbs = services.service.thumbnailRoot();
    this.panel = vscode.window.createWebviewPanel(DUPLICATES_VIEW_TYPE, 'Sightline: Duplicate Images', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(services.extensionUri, 'dist'),
        vscode.Uri.joinPath(services.extensionUri, 'media'),
        ...(thumbs ? [thumbs] : []),
      ],
    });
    this.panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'icon.svg');
    const { webview } = this.panel;
    webview.html = webviewPage(webview, {
      title: 'Duplicate Images',
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(services.extensionUri, 'dist', 'duplicates.js')),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(services.extensionUri, 'media', 'duplicates.css')),
      body: '<h1>Duplicate images</h1><p id="summary" role="status" aria-live="polite">Looking for duplicates…</p><div id="groups"></div>',
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  dispose(): void {
    if (DuplicatesPanel.current === this) DuplicatesPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private async refresh(): Promise<void> {
    const { service } = this.services;
    const groups = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Sightline: finding duplicates' }, () =>
      service.duplicates(),
    );
    const facts = await service.describeFiles(groups.flatMap((group) => group.files));
    this.groups = duplicateGroupViews(groups, facts, {
      showRoot: workspaceRoots().length > 1,
      thumbnailUri: (file) => this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString(),
    });
    await this.post({ type: 'groups', groups: this.groups });
  }

  private async receive(raw: unknown): Promise<void> {
    let message: DuplicatesMessage;
    try {
      message = parseDuplicatesMessage(raw);
    } catch (error) {
      if (error instanceof InvalidPanelMessage) this.services.log.warn(`Ignored an invalid message from the duplicates panel: ${error.message}`);
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      await this.post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async handle(message: DuplicatesMessage): Promise<void> {
    if (message.type === 'ready') return this.post({ type: 'groups', groups: this.groups });
    // Only a file this panel listed, never a path the page made up.
    if (!this.groups.some((group) => group.files.some((file) => file.root === message.root && file.path === message.path))) {
      this.services.log.warn(`The duplicates panel asked for ${message.path}, which it did not list.`);
      return;
    }
    const uri = uriFor(workspaceRoots(), message.root, message.path);
    if (!uri) return;
    switch (message.type) {
      case 'open':
        return openResult(message, { viewColumn: vscode.ViewColumn.Beside });
      case 'reveal':
        await vscode.commands.executeCommand('revealInExplorer', uri);
        return;
      case 'delete': {
        const remove = 'Move to Trash';
        const answer = await vscode.window.showWarningMessage(
          `Move ${message.path} to the trash?`,
          { modal: true, detail: 'Its copies stay where they are.' },
          remove,
        );
        if (answer !== remove) return;
        await vscode.workspace.fs.delete(uri, { useTrash: true });
        this.groups = this.groups
          .map((group) => ({ ...group, files: group.files.filter((file) => !(file.root === message.root && file.path === message.path)) }))
          .filter((group) => group.files.length > 1);
        await this.post({ type: 'groups', groups: this.groups });
      }
    }
  }

  private async post(message: DuplicatesHostMessage): Promise<void> {
    await this.panel.webview.postMessage(message);
  }
}
