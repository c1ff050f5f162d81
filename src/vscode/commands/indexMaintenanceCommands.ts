import * as vscode from 'vscode';
import { reportProblems, type ProblemSeverity } from '../../core/index/indexer/indexReport';
import type { ExtensionServices } from '../extensionServices';
import { openResult } from '../openResult';
import { uriFor, workspaceRoots } from '../workspaceRoots';

const SEVERITY_ICONS: Record<ProblemSeverity, string> = { failure: 'error', warning: 'warning', skipped: 'info' };

export async function clearIndex({ service }: ExtensionServices): Promise<void> {
  const clear = 'Clear Index';
  const answer = await vscode.window.showWarningMessage(
    'Delete this workspace’s Sightline index? Searching needs a new Index Workspace afterwards, which embeds every file again.',
    { modal: true },
    clear,
  );
  if (answer !== clear) return;
  await service.clear();
  void vscode.window.showInformationMessage('Sightline: index cleared.');
}

export async function revokeConsent({ consent }: ExtensionServices): Promise<void> {
  await consent.revoke();
  void vscode.window.showInformationMessage('Sightline will ask again before sending files from this workspace.');
}

/**
 * Every file that failed, was indexed with a warning, or was skipped in the last run, with why;
 * picking one opens it at the line the problem is about, or reveals it.
 */
export async function showProblems({ service, log }: ExtensionServices): Promise<void> {
  const report = service.lastReport;
  const problems = report ? reportProblems(report) : [];
  if (!problems.length) {
    void vscode.window.showInformationMessage(report ? 'Sightline: the last indexing run had no problems.' : 'Sightline: no indexing run yet in this window.');
    return;
  }
  const roots = workspaceRoots();
  const picked = await vscode.window.showQuickPick(
    problems.map((p) => ({
      label: `$(${SEVERITY_ICONS[p.severity]}) ${p.path || '(workspace folder)'}`,
      description: p.code,
      detail: p.message,
      problem: p,
    })),
    { title: `Sightline: ${report!.failed.length} failed, ${report!.warnings.length} with warnings, ${report!.skipped.length} skipped`, matchOnDetail: true },
  );
  if (!picked) {
    log.show(true);
    return;
  }
  const { problem } = picked;
  if (problem.path && (problem.line !== undefined || problem.cell !== undefined)) {
    return openResult({
      root: problem.root,
      path: problem.path,
      ...(problem.line !== undefined ? { line: problem.line } : {}),
      ...(problem.cell !== undefined ? { cell: problem.cell } : {}),
    });
  }
  const uri = problem.path ? uriFor(roots, problem.root, problem.path) : undefined;
  if (uri) await vscode.commands.executeCommand('revealInExplorer', uri);
}

export async function findDuplicates({ service }: ExtensionServices): Promise<void> {
  const groups = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Sightline: finding duplicates' }, () =>
    service.duplicates(),
  );
  if (!groups.length) {
    void vscode.window.showInformationMessage('Sightline: no duplicate images in the index.');
    return;
  }
  const roots = workspaceRoots();
  const items: Array<vscode.QuickPickItem & { file?: { root: string; path: string } }> = [];
  groups.forEach((group, i) => {
    items.push({
      label: `Group ${i + 1}: ${group.kind === 'exact' ? 'identical files' : `similar images (≥ ${(group.similarity * 100).toFixed(0)}%)`}`,
      kind: vscode.QuickPickItemKind.Separator,
    });
    for (const file of group.files) items.push({ label: `$(file-media) ${file.path.split('/').pop()}`, description: file.path, file });
  });
  const picked = await vscode.window.showQuickPick(items, { title: `Sightline: ${groups.length} groups of duplicate images`, matchOnDescription: true });
  const uri = picked?.file && uriFor(roots, picked.file.root, picked.file.path);
  if (uri) await vscode.commands.executeCommand('vscode.open', uri);
}
