import * as vscode from 'vscode';
import type { ExtensionServices } from './extensionServices';
import { rootForUri, workspaceRoots } from './workspaceRoots';
import { autoUpdateEnabled, readSettings } from './settingsReader';

const WATCHED = '**/*.{png,jpg,jpeg,webp,gif,bmp,tif,tiff,svg,md,markdown,mdx,pdf,PNG,JPG,JPEG,WEBP,GIF,BMP,TIF,TIFF,SVG,MD,MARKDOWN,MDX,PDF}';
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

  const note = (uri: vscode.Uri) => {
    if (!autoUpdateEnabled() || !services.workspaceState.get<boolean>('sightline.indexedOnce')) return;
    if (!vscode.workspace.isTrusted || !services.consent.granted(readSettings().endpoint)) return;
    const file = rootForUri(uri, workspaceRoots());
    if (!file || file.path.split('/').some((part) => part === 'node_modules' || part === '.git')) return;
    pending.set(`${file.root}\u0000${file.path}`, file);
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), QUIET_MS);
  };

  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(note),
    watcher.onDidChange(note),
    watcher.onDidDelete(note),
    { dispose: () => clearTimeout(timer) },
  );
}
