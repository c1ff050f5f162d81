import * as vscode from 'vscode';
import type { ExtensionServices } from './extensionServices';
import { rootForUri, workspaceRoots } from './workspaceRoots';
import { autoUpdateEnabled, readSettings } from './settingsReader';
import { fileKey } from '../core/common/fileKey';
import { fileKindOf } from '../core/sources/walk/fileKind';

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.Directory;
  } catch {
    return false;
  }
}

// Everything, not just our file kinds: a deleted or renamed folder is reported as the folder
// alone, and its indexed files must follow it.
const WATCHED = '**/*';
const QUIET_MS = 1500;

/**
 * Keeps the index fresh: file events are collected and handed to the indexer in one batch once
 * the workspace has been quiet for a moment. Only after a first full index, only with upload
 * consent, and only while sightline.autoUpdate is on.
 */
export function watchWorkspace(services: ExtensionServices, update: (files: Array<{ root: string; path: string }>) => Promise<unknown>): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(WATCHED);
  const pending = new Map<string, { root: string; path: string }>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = async () => {
    timer = undefined;
    if (services.service.isIndexing) {
      timer = setTimeout(() => void flush(), QUIET_MS);
      return;
    }
    const files = [...pending.values()];
    pending.clear();
    if (files.length) await update(files).catch((error: unknown) => services.log.error(`Updating the index failed: ${String(error)}`));
  };

  const note = async (uri: vscode.Uri, kind: 'create' | 'change' | 'delete') => {
    if (!autoUpdateEnabled() || !services.workspaceState.get<boolean>('sightline.indexedOnce')) return;
    if (!vscode.workspace.isTrusted || !services.consent.granted(readSettings().endpoint)) return;
    const file = rootForUri(uri, workspaceRoots());
    if (!file || file.path.split('/').some((part) => part === 'node_modules' || part === '.git')) return;
    if (!fileKindOf(file.path) && kind !== 'delete' && !(await isFolder(uri))) return;
    pending.set(fileKey(file.root, file.path), file);
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), QUIET_MS);
  };

  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate((uri) => void note(uri, 'create')),
    watcher.onDidChange((uri) => void note(uri, 'change')),
    watcher.onDidDelete((uri) => void note(uri, 'delete')),
    { dispose: () => clearTimeout(timer) },
  );
}
