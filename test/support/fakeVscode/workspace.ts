import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FakeSettings } from './configuration';
import { EventEmitter } from './events';
import { Uri } from './uri';

export interface FakeWorkspaceFolder {
  readonly uri: Uri;
  readonly name: string;
  readonly index: number;
}

/** A file system watcher whose events a test fires by path. */
export class FakeFileSystemWatcher {
  private readonly created = new EventEmitter<Uri>();
  private readonly changed = new EventEmitter<Uri>();
  private readonly deleted = new EventEmitter<Uri>();
  readonly onDidCreate = this.created.event;
  readonly onDidChange = this.changed.event;
  readonly onDidDelete = this.deleted.event;
  disposed = false;

  constructor(readonly glob: unknown) {}

  fire(kind: 'create' | 'change' | 'delete', fsPath: string): void {
    ({ create: this.created, change: this.changed, delete: this.deleted })[kind].fire(Uri.file(fsPath));
  }

  dispose(): void {
    this.disposed = true;
  }
}

export class WorkspaceRecord {
  folders: FakeWorkspaceFolder[] | undefined;
  isTrusted = true;
  readonly settings = new FakeSettings();
  watchers: FakeFileSystemWatcher[] = [];
  trashed: string[] = [];

  /** Opens these folders; a name defaults to the folder's base name, as VS Code does. */
  setFolders(folders: ReadonlyArray<string | { path: string; name?: string; uri?: Uri }>): void {
    this.folders = folders.map((folder, index) => {
      const spec = typeof folder === 'string' ? { path: folder } : folder;
      return { uri: spec.uri ?? Uri.file(spec.path), name: spec.name ?? path.basename(spec.path), index };
    });
  }
}

export const workspaceRecord = new WorkspaceRecord();

export const workspace = {
  get workspaceFolders(): readonly FakeWorkspaceFolder[] | undefined {
    return workspaceRecord.folders;
  },
  get isTrusted(): boolean {
    return workspaceRecord.isTrusted;
  },
  /** The innermost folder containing the URI, as VS Code answers for nested folders. */
  getWorkspaceFolder(uri: Uri): FakeWorkspaceFolder | undefined {
    const containing = (workspaceRecord.folders ?? []).filter((folder) => {
      if (folder.uri.scheme !== uri.scheme) return false;
      const relative = path.posix.relative(folder.uri.path, uri.path);
      return !relative.startsWith('../') && relative !== '..' && !path.posix.isAbsolute(relative);
    });
    return containing.sort((a, b) => b.uri.path.length - a.uri.path.length)[0];
  },
  getConfiguration(section?: string) {
    return workspaceRecord.settings.section(section);
  },
  createFileSystemWatcher(glob: unknown): FakeFileSystemWatcher {
    const watcher = new FakeFileSystemWatcher(glob);
    workspaceRecord.watchers.push(watcher);
    return watcher;
  },
  fs: {
    async readFile(uri: Uri): Promise<Uint8Array> {
      return new Uint8Array(await fs.readFile(uri.fsPath));
    },
    /** Deletes for real; `trashed` records what went to the "trash" (VS Code's useTrash). */
    async delete(uri: Uri, options?: { useTrash?: boolean }): Promise<void> {
      if (options?.useTrash) workspaceRecord.trashed.push(uri.fsPath);
      await fs.rm(uri.fsPath);
    },
    async stat(uri: Uri) {
      const stat = await fs.stat(uri.fsPath);
      return { type: stat.isDirectory() ? 2 : 1, size: stat.size, ctime: stat.ctimeMs, mtime: stat.mtimeMs };
    },
  },
  /** A notebook with as many cells as the file's JSON lists. */
  async openNotebookDocument(uri: Uri) {
    const data = JSON.parse(await fs.readFile(uri.fsPath, 'utf8')) as { cells?: unknown[] };
    return { uri, cellCount: data.cells?.length ?? 0 };
  },
  onDidChangeConfiguration: new EventEmitter<unknown>().event,
  onDidChangeWorkspaceFolders: new EventEmitter<unknown>().event,
  onDidGrantWorkspaceTrust: new EventEmitter<void>().event,
};
