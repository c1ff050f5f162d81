import { promises as fs } from 'node:fs';
import { ConcurrencyLimit } from '../../common/concurrencyLimit';
import { ignoredEvent } from './ignoredEvent';
import { PathFilter } from './pathFilter';
import { loadRepositoryIgnores } from './repositoryIgnores';
import { isInside, type LinkedFolder } from './symbolicLink';
import { walkFolders } from './walkFolders';
import { ioProblem, skipped, type FileBudget, type RootContext } from './walkContext';
import { resolveWalkSettings } from './walkSettings';
import type { WalkEvent, WalkOptions } from './walkTypes';

// Stat calls in flight at once. libuv runs four at a time by default; a deeper queue keeps
// those threads busy without holding thousands of pending requests.
const STAT_CONCURRENCY = 32;

/**
 * Finds the images, markdown files and PDFs under each root, as a stream of events: a `file`
 * for each one to index, a `skipped` for each one that cannot be (and, when asked, for each one
 * configuration leaves out). Throws the signal's reason when aborted.
 */
export async function* walkWorkspace(options: WalkOptions): AsyncGenerator<WalkEvent, void, undefined> {
  const settings = resolveWalkSettings(options);
  const shared = {
    settings,
    filter: new PathFilter(settings),
    stats: new ConcurrencyLimit(STAT_CONCURRENCY),
    budget: { emitted: 0, leftOut: 0, firstLeftOut: undefined } as FileBudget,
  };
  const skipFolders = await realPaths(options.skipFolders ?? []);
  for (const root of options.roots) {
    settings.signal?.throwIfAborted();
    yield* walkRoot(root, shared, skipFolders);
  }
  const { budget } = shared;
  if (budget.firstLeftOut) {
    const { root, relativePath } = budget.firstLeftOut;
    const message =
      `file limit of ${settings.maxFiles} reached: ${budget.leftOut} more file${budget.leftOut === 1 ? '' : 's'} ` + `left out, from ${relativePath} on`;
    yield skipped({ root }, '', 'too-many-files', message);
  }
}

async function* walkRoot(
  root: string,
  shared: Omit<RootContext, 'root' | 'realRoot'>,
  skipFolders: readonly string[],
): AsyncGenerator<WalkEvent, void, undefined> {
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
    if (!(await fs.stat(realRoot)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    yield skipped({ root }, '', 'unreadable', `cannot open folder: ${ioProblem(error)}`, error);
    return;
  }
  const context: RootContext = { root, realRoot, ...shared };
  const ignores = shared.settings.useGitignore ? await loadRepositoryIgnores(root) : undefined;
  // Folders to skip count as walked already, so neither their path nor a link reaches them.
  const visited = new Set([realRoot, ...skipFolders]);
  const linked: LinkedFolder[] = [];
  yield* walkFolders({ absolutePath: root, relativePath: '', realPath: realRoot, ignores }, context, visited, linked);
  // Linked folders come after every real folder, so a folder is always found under its own
  // path first and a link to it is recognised as a second way in (or as a loop).
  for (let at = 0; at < linked.length; at++) {
    const link = linked[at]!;
    if (visited.has(link.realPath)) {
      if (isInside(link.realPath, link.linkParentRealPath)) {
        yield skipped(context, link.relativePath, 'unreadable', 'symbolic link loop: it points to a folder that contains it');
      } else {
        const event = ignoredEvent(context, link.relativePath, 'already-walked');
        if (event) yield event;
      }
      continue;
    }
    visited.add(link.realPath);
    yield* walkFolders(link, context, visited, linked);
  }
}

async function realPaths(folders: readonly string[]): Promise<string[]> {
  const real = await Promise.all(folders.map((folder) => fs.realpath(folder).catch(() => undefined)));
  return real.filter((folder): folder is string => folder !== undefined);
}
