import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { fileEvent, type FolderItem } from './fileEntry';
import { fileKindOf } from './fileKind';
import { isIgnored, type IgnoreChain } from './ignoreRules';
import { ignoredEvent } from './ignoredEvent';
import { ioProblem, skipped, type FolderTask, type RootContext } from './walkContext';

/** A folder reached through a symbolic link; walked after the real folders (see walkRoot). */
export interface LinkedFolder extends FolderTask {
  /** The real path of the folder holding the link, to tell a loop from a second way in. */
  readonly linkParentRealPath: string;
}

/**
 * Follows a symbolic link found in `parent`. Links are followed only to targets inside the
 * root's real path, so a link can neither pull in files from elsewhere nor escape the workspace.
 * Problems are reported only for links that would have mattered: a folder, or a file whose name
 * is one of ours.
 */
export async function followLink(
  parent: FolderTask,
  name: string,
  relativePath: string,
  ignores: IgnoreChain | undefined,
  context: RootContext,
): Promise<FolderItem | LinkedFolder | undefined> {
  const absolutePath = path.join(parent.absolutePath, name);
  // Configuration that rules the link out by its own path spares resolving it at all.
  const early = context.filter.directory(name, relativePath);
  if (early) return ignoredEvent(context, relativePath, early);
  if (isIgnored(ignores, relativePath, false)) return ignoredEvent(context, relativePath, 'ignore-file');
  const kindByName = fileKindOf(name);
  let realPath: string;
  let stats: Stats;
  try {
    realPath = await fs.realpath(absolutePath);
    stats = await context.stats.run(async () => {
      context.settings.signal?.throwIfAborted();
      return fs.stat(realPath);
    });
  } catch (error) {
    context.settings.signal?.throwIfAborted();
    if (!kindByName) return undefined;
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'broken symbolic link' : ioProblem(error);
    return skipped(context, relativePath, 'unreadable', problem, error);
  }
  const isFolder = stats.isDirectory();
  const kind = kindByName ?? fileKindOf(realPath);
  if (!isFolder && (!stats.isFile() || !kind)) return undefined;
  if (!isInside(context.realRoot, realPath)) {
    return skipped(context, relativePath, 'outside-root', 'symbolic link points outside the workspace folder');
  }
  if (isFolder) {
    if (isIgnored(ignores, relativePath, true)) return ignoredEvent(context, relativePath, 'ignore-file');
    return { absolutePath, relativePath, realPath, ignores, linkParentRealPath: parent.realPath };
  }
  const verdict = context.filter.file(name, relativePath);
  if (verdict) return ignoredEvent(context, relativePath, verdict);
  return fileEvent(absolutePath, relativePath, kind!, stats, context);
}

export function isInside(realRoot: string, realPath: string): boolean {
  if (realPath === realRoot) return true;
  const prefix = realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep;
  return realPath.startsWith(prefix);
}
