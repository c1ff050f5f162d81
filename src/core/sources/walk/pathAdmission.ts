import * as path from 'node:path';
import { fileKindOf } from './fileKind';
import { extendIgnoreChain, isIgnored } from './ignoreRules';
import { PathFilter } from './pathFilter';
import { loadRepositoryIgnores, readOptional } from './repositoryIgnores';
import type { WalkOptions } from './walkTypes';
import { resolveWalkSettings } from './walkSettings';

/**
 * Whether a full walk would yield this root-relative file: same kinds, default excludes, globs
 * and ignore files, checked for one path. The file watcher uses it so that a change in an
 * ignored folder is not indexed only to be removed again by the next full run.
 */
export async function isPathWalkable(root: string, relativePath: string, options: Omit<WalkOptions, 'roots' | 'signal'> = {}): Promise<boolean> {
  return fileKindOf(relativePath) !== undefined && admitted(root, relativePath, true, options);
}

/** Whether a full walk would descend into this root-relative folder. */
export function isFolderWalkable(root: string, relativePath: string, options: Omit<WalkOptions, 'roots' | 'signal'> = {}): Promise<boolean> {
  return admitted(root, relativePath, false, options);
}

async function admitted(root: string, relativePath: string, lastIsFile: boolean, options: Omit<WalkOptions, 'roots' | 'signal'>): Promise<boolean> {
  const settings = resolveWalkSettings({ ...options, roots: [root] });
  const filter = new PathFilter(settings);
  const parts = relativePath.split('/');
  let chain = settings.useGitignore ? await loadRepositoryIgnores(root) : undefined;
  for (let depth = 0; depth < parts.length; depth++) {
    const folder = parts.slice(0, depth).join('/');
    // The same ignore files, in the same order, as the walk reads for this folder.
    const names = settings.useGitignore ? ['.gitignore', '.sightlineignore'] : ['.sightlineignore'];
    const texts = await Promise.all(names.map((name) => readOptional(path.join(root, folder, name))));
    chain = extendIgnoreChain(
      chain,
      folder,
      texts.filter((t): t is string => t !== undefined),
    );
    const current = parts.slice(0, depth + 1).join('/');
    const isFile = lastIsFile && depth === parts.length - 1;
    const name = parts[depth]!;
    if ((isFile ? filter.file(name, current) : filter.directory(name, current)) !== undefined) return false;
    if (isIgnored(chain, current, !isFile)) return false;
  }
  return true;
}
