import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { statFile, type FolderItem } from './fileEntry';
import { fileKindOf } from './fileKind';
import { ignoredEvent } from './ignoredEvent';
import { extendIgnoreChain, isIgnored, type IgnoreChain } from './ignoreRules';
import { readOptional } from './repositoryIgnores';
import { followLink, type LinkedFolder } from './symbolicLink';
import { ioProblem, skipped, type FolderTask, type RootContext } from './walkContext';

const ENTRIES_PER_TURN = 2048;

/** What one folder holds, in name order so walks over the same tree come out the same. */
export interface FolderListing {
  readonly items: FolderItem[];
  readonly subfolders: FolderTask[];
  readonly linkedFolders: LinkedFolder[];
}

/**
 * Lists one folder: reads its ignore files, drops what configuration excludes (so excluded
 * folders are never opened), and stats only files whose name says they are ours.
 */
export async function readFolder(task: FolderTask, context: RootContext): Promise<FolderListing> {
  const listing: FolderListing = { items: [], subfolders: [], linkedFolders: [] };
  let entries: Dirent[];
  try {
    entries = await fs.readdir(task.absolutePath, { withFileTypes: true });
  } catch (error) {
    const problem = `cannot list folder: ${ioProblem(error)}`;
    listing.items.push(skipped(context, task.relativePath, 'unreadable', problem, error));
    return listing;
  }
  const ignores = await folderIgnores(task, entries, context);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const pending: Array<Promise<FolderItem | LinkedFolder | undefined>> = [];
  for (const [index, entry] of entries.entries()) {
    // A folder of many thousand files is filtered in slices so the event loop keeps turning.
    if (index % ENTRIES_PER_TURN === ENTRIES_PER_TURN - 1) await nextTurn();
    const name = entry.name;
    const relativePath = task.relativePath ? `${task.relativePath}/${name}` : name;
    if (entry.isDirectory()) {
      const verdict = context.filter.directory(name, relativePath);
      if (verdict) pending.push(Promise.resolve(ignoredEvent(context, relativePath, verdict)));
      else if (isIgnored(ignores, relativePath, true)) pending.push(Promise.resolve(ignoredEvent(context, relativePath, 'ignore-file')));
      else {
        const absolutePath = path.join(task.absolutePath, name);
        const realPath = path.join(task.realPath, name);
        listing.subfolders.push({ absolutePath, relativePath, realPath, ignores });
      }
    } else if (entry.isFile()) {
      const kind = fileKindOf(name);
      if (!kind) continue;
      const verdict = context.filter.file(name, relativePath);
      if (verdict) pending.push(Promise.resolve(ignoredEvent(context, relativePath, verdict)));
      else if (isIgnored(ignores, relativePath, false)) pending.push(Promise.resolve(ignoredEvent(context, relativePath, 'ignore-file')));
      else pending.push(settled(statFile(path.join(task.absolutePath, name), relativePath, kind, context)));
    } else if (entry.isSymbolicLink()) {
      pending.push(settled(followLink(task, name, relativePath, ignores, context)));
    }
  }
  for (const item of await Promise.all(pending)) {
    if (!item) continue;
    if ('type' in item) listing.items.push(item);
    else listing.linkedFolders.push(item);
  }
  return listing;
}

/**
 * Marks a promise as handled while the loop above is still adding to `pending`: an abort
 * rejects stats mid-loop, before Promise.all has subscribed. Promise.all still sees the error.
 */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

async function folderIgnores(task: FolderTask, entries: readonly Dirent[], context: RootContext): Promise<IgnoreChain | undefined> {
  // .sightlineignore comes last so its `!pattern` lines can re-include what .gitignore hides.
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.name === '.gitignore' && context.settings.useGitignore) names.unshift(entry.name);
    else if (entry.name === '.sightlineignore') names.push(entry.name);
  }
  if (!names.length) return task.ignores;
  const texts = await Promise.all(names.map((name) => readOptional(path.join(task.absolutePath, name))));
  const found = texts.filter((text): text is string => text !== undefined);
  return extendIgnoreChain(task.ignores, task.relativePath, found);
}
