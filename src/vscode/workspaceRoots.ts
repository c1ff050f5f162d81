import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IndexRoot } from '../core/index/indexer/indexerOptions';

/** Each local workspace folder, keyed by its name (made unique when two folders share one). */
export function workspaceRoots(): IndexRoot[] {
  const seen = new Map<string, number>();
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => {
      const count = (seen.get(folder.name) ?? 0) + 1;
      seen.set(folder.name, count);
      return { key: count === 1 ? folder.name : `${folder.name} (${count})`, path: folder.uri.fsPath };
    });
}

export function rootForUri(uri: vscode.Uri, roots: readonly IndexRoot[]): { root: string; path: string } | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const root = folder && roots.find((r) => r.path === folder.uri.fsPath);
  if (!root) return undefined;
  const relative = path.relative(root.path, uri.fsPath).split(path.sep).join('/');
  const outside = !relative || relative === '..' || relative.startsWith('../') || path.isAbsolute(relative);
  return outside ? undefined : { root: root.key, path: relative };
}

export function uriFor(roots: readonly IndexRoot[], root: string, relativePath: string): vscode.Uri | undefined {
  const folder = roots.find((r) => r.key === root);
  return folder ? vscode.Uri.joinPath(vscode.Uri.file(folder.path), ...relativePath.split('/')) : undefined;
}
