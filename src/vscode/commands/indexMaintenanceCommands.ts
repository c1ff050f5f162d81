import * as vscode from 'vscode';
import type { ProblemSeverity } from '../../core/index/indexer/indexReport';
import { DuplicatesPanel } from '../duplicates/duplicatesPanel';
import type { ExtensionServices } from '../extensionServices';
import type { IndexProblem } from '../indexProblems';
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

const SEVERITY_HEADINGS: Record<ProblemSeverity, string> = {
  failure: 'Errors: not searchable',
  warning: 'Warnings: indexed, with a caveat',
  skipped: 'Skipped on purpose',
};

/**
 * The index's problems, errors, warnings and skipped files apart (with their icons); picking
 * one opens the file at the line the problem is about, or reveals it in the explorer.
 */
export async function showProblems({ service }: ExtensionServices): Promise<void> {
  if (service.state.kind === 'empty' && !service.lastReport) {
    void vscode.window.showInformationMessage('Sightline: index this workspace first; its problems are listed here afterwards.');
    return;
  }
  const problems = await service.problems();
  if (!problems.length) {
    void vscode.window.showInformationMessage('Sightline: the index has no problems.');
    return;
  }
  const count = (severity: ProblemSeverity) => problems.filter((p) => p.severity === severity).length;
  const items: Array<vscode.QuickPickItem & { problem?: IndexProblem }> = [];
  for (const severity of ['failure', 'warning', 'skipped'] as const) {
    const group = problems.filter((p) => p.severity === severity);
    if (!group.length) continue;
    items.push({ label: `${SEVERITY_HEADINGS[severity]} (${group.length})`, kind: vscode.QuickPickItemKind.Separator });
    for (const problem of group) {
      items.push({
        label: `$(${SEVERITY_ICONS[severity]}) ${problem.path || '(workspace folder)'}${problem.line !== undefined ? `:${problem.line}` : problem.cell !== undefined ? `, cell ${problem.cell}` : ''}`,
        description: problem.code,
        detail: problem.message,
        problem,
      });
    }
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: `Sightline: ${plural(count('failure'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('skipped')} skipped`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked?.problem) return;
  const { problem } = picked;
  if (problem.path && (problem.line !== undefined || problem.cell !== undefined)) {
    return openResult({
      root: problem.root,
      path: problem.path,
      ...(problem.line !== undefined ? { line: problem.line } : {}),
      ...(problem.cell !== undefined ? { cell: problem.cell } : {}),
    });
  }
  const uri = problem.path ? uriFor(workspaceRoots(), problem.root, problem.path) : undefined;
  if (uri) await vscode.commands.executeCommand('revealInExplorer', uri);
}

/** Find Duplicate Images: the duplicates panel, thumbnails side by side. */
export async function findDuplicates(services: ExtensionServices): Promise<void> {
  if (services.service.state.kind === 'empty') {
    void vscode.window.showInformationMessage('Sightline: index this workspace first; duplicates are found among indexed images.');
    return;
  }
  await DuplicatesPanel.show(services);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
