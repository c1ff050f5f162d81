import * as vscode from 'vscode';
import type { IndexReport } from '../../core/index/indexer/indexReport';
import type { ExtensionServices } from '../extensionServices';
import type { IndexOptions } from '../indexService';
import { loadCore } from '../loadCore';
import { readSettings } from '../settingsReader';
import { MissingKeyError } from '../sightlineService';
import { workspaceRoots } from '../workspaceRoots';
import { formatEta, hasWork, itemCountsText } from '../progressText';

/** Index Workspace: consent first, then a cancellable progress notification and a summary. */
/** Index Workspace; with `retryFailed` (Retry Failed Files), files that failed before are tried again even when unchanged. */
export async function indexWorkspace(
  services: ExtensionServices,
  files?: Array<{ root: string; path: string }>,
  options: IndexOptions = {},
): Promise<IndexReport | undefined> {
  const { service, consent } = services;
  if (!service.hasWorkspace) {
    void vscode.window.showWarningMessage('Open a folder or workspace to index it with Sightline.');
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Sightline indexes only trusted workspaces: trust this workspace first.');
    return undefined;
  }
  const settings = readSettings();
  if (!(await services.keys.get(settings.endpoint))) {
    const setKey = 'Set API Key';
    const answer = await vscode.window.showWarningMessage(`Sightline needs an API key for ${new URL(settings.endpoint).host} to index.`, setKey);
    if (answer === setKey) await vscode.commands.executeCommand('sightline.setApiKey');
    if (!(await services.keys.get(settings.endpoint))) return undefined;
  }
  // Counting files is only needed for the consent question; skip the toast once it is answered.
  const allowed =
    consent.granted(settings.endpoint) ||
    (await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Sightline: counting files…', cancellable: true },
      (_progress, token) => consent.ensure(settings, workspaceRoots(), token),
    ));
  if (!allowed) return undefined;

  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Sightline', cancellable: true },
      (progress, token) => {
        let reported = 0;
        return service.index(
          (p) => {
            // The bar cannot go back: a total that grows (the walk still finds files) waits for the work to catch up.
            const done = Math.max(reported, p.fraction * 100);
            const eta = p.etaSeconds !== undefined && hasWork(p) ? ` · about ${formatEta(p.etaSeconds)} left` : '';
            const counts = itemCountsText(p);
            progress.report({
              message: counts
                ? `${Math.floor(p.fraction * 100)}% · ${counts}${eta}`
                : p.scanDone
                  ? `${p.filesProcessed.toLocaleString('en')} of ${p.filesToProcess.toLocaleString('en')} changed files`
                  : `scanning: ${p.filesSeen.toLocaleString('en')} files seen, ${p.filesToProcess.toLocaleString('en')} to index`,
              increment: done - reported,
            });
            reported = done;
          },
          token,
          files,
          options,
        );
      },
    );
    await services.workspaceState.update('sightline.indexedOnce', true);
    void showSummary(report);
    return report;
  } catch (error) {
    if (error instanceof MissingKeyError) {
      void vscode.window.showErrorMessage(error.message);
      return undefined;
    }
    // The error came from the core, so the core is loaded: its own classes tell what happened.
    const { CorruptIndexError, IndexBusyError, IndexMismatchError, SharedCacheError } = await loadCore();
    if (error instanceof SharedCacheError) {
      // Nothing was indexed: going on without the cache costs every request it would have saved, so the user decides.
      const without = 'Index Without It';
      const settings = 'Open Settings';
      const answer = await vscode.window.showWarningMessage(`Sightline: ${sentence(error.message)} Nothing was indexed.`, without, settings);
      if (answer === settings) await vscode.commands.executeCommand('workbench.action.openSettings', 'sightline.sharedCache');
      return answer === without ? indexWorkspace(services, files, { ...options, withoutSharedCache: true }) : undefined;
    }
    if (error instanceof IndexMismatchError || error instanceof CorruptIndexError) {
      // Vectors of another model cannot be mixed in; a damaged index is rebuilt only with consent.
      const rebuild = 'Rebuild Index';
      const answer = await vscode.window.showWarningMessage(`Sightline: ${error.message}`, { modal: true }, rebuild);
      if (answer !== rebuild) return undefined;
      await service.clear();
      return indexWorkspace(services, files, options);
    }
    if (error instanceof IndexBusyError) {
      // Another window of this folder is indexing: not an error, and this window follows along.
      const message = error.message.charAt(0).toUpperCase() + error.message.slice(1);
      void vscode.window.showInformationMessage(
        `Sightline: ${message}. This window searches the same index and refreshes as it changes; index from the other window, or close it and try again.`,
      );
      return undefined;
    }
    void vscode.window.showErrorMessage(`Sightline: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

async function showSummary(report: IndexReport): Promise<void> {
  const headline = report.cancelled ? 'Indexing cancelled; what finished is kept' : report.fatal ? 'Indexing stopped' : 'Indexing finished';
  const fromCache = report.sharedCache ? `${report.itemsFromSharedCache.toLocaleString('en')} reused from the shared cache, ` : '';
  const counts =
    `${report.itemsEmbedded.toLocaleString('en')} items embedded, ${(report.itemsReused - report.itemsFromSharedCache).toLocaleString('en')} reused, ${fromCache}` +
    `${report.filesRemoved.toLocaleString('en')} files removed` +
    (report.skipped.length ? `, ${report.skipped.length} skipped` : '') +
    (report.warnings.length ? `, ${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}` : '') +
    (report.failed.length ? `, ${report.failed.length} failed` : '');
  const problems = 'Show Problems';
  const actions = report.failed.length || report.warnings.length || report.skipped.length ? [problems] : [];
  const cacheNotes = report.sharedCache?.notes.map((note) => ` Shared cache: ${sentence(note)}`).join('') ?? '';
  const message = report.fatal ? `Sightline: ${headline}. ${report.fatal.message}` : `Sightline: ${headline}: ${counts}.${cacheNotes}`;
  const show = report.fatal ? vscode.window.showErrorMessage : report.failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const answer = await show(message, ...actions);
  if (answer === problems) await vscode.commands.executeCommand('sightline.showProblems');
}

/** A core message (lower case, no full stop) as a sentence of a notification. */
function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
