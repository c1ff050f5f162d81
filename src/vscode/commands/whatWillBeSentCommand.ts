import * as vscode from 'vscode';
import type { ExtensionServices } from '../extensionServices';
import { hostOf } from '../secretKey';
import { readSettings } from '../settingsReader';
import { countFiles, describeCounts, formatSize } from '../uploadConsent';
import { workspaceRoots } from '../workspaceRoots';

/**
 * Show What Will Be Sent: before anything leaves the machine, what Index Workspace would send
 * from this workspace and where, counted the way indexing finds files (ignore files and the
 * include/exclude settings honoured). Nothing is sent by looking.
 */
export async function showWhatWillBeSent(services: ExtensionServices): Promise<void> {
  if (!services.service.hasWorkspace) {
    void vscode.window.showInformationMessage('Open a folder or workspace first: Sightline sends nothing without one.');
    return;
  }
  const settings = readSettings();
  const host = hostOf(settings.endpoint);
  const counts = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Sightline: counting files…', cancellable: true },
    (_progress, token) => countFiles(settings, workspaceRoots(), token),
  );
  const megapixels = (settings.pixelBudget / 1_000_000).toFixed(1);
  const detail = [
    `Index Workspace would send ${describeCounts(counts)} (${formatSize(counts.bytes)} before downscaling) to ${host}, and nothing else:`,
    `• Images: a downscaled copy (at most ${megapixels} megapixels).`,
    '• Markdown: the text of each section, with its heading path and the file’s title.',
    '• PDFs: each page’s text and a picture of the page.',
    '• Searches: the words or the image you search with.',
    `The API key goes only to ${host}. The vectors, snippets and thumbnails stay in this workspace’s storage on this machine.`,
    services.consent.granted(settings.endpoint)
      ? 'You have allowed this for this workspace; "Sightline: Revoke Upload Consent" takes it back.'
      : 'Index Workspace asks before it sends anything.',
  ].join('\n');
  const index = 'Index Workspace';
  const answer = await vscode.window.showInformationMessage(`What Sightline sends to ${host}`, { modal: true, detail }, index);
  if (answer === index) await vscode.commands.executeCommand('sightline.indexWorkspace');
}
