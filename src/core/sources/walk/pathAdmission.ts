import * as path from 'node:path';
import { fileKindOf } from './fileKind';
import type { IgnoreReason } from './ignoredEvent';
import { extendIgnoreChain, isIgnored } from './ignoreRules';
import { PathFilter } from './pathFilter';
import { loadRepositoryIgnores, readOptional } from './repositoryIgnores';
import type { WalkOptions } from './walkTypes';
import { resolveWalkSettings } from './walkSettings';

export type AdmissionOptions = Omit<WalkOptions, 'roots' | 'signal'>;

/**
 * Whether a full walk would yield this root-relative file: same kinds, default excludes, globs
 * and ignore files, checked for one path. The file watcher uses it so that a change in an
 * ignored folder is not indexed only to be removed again by the next full run.
 */
export async function isPathWalkable(root: string, relativePath: string, options: AdmissionOptions = {}): Promise<boolean> {
  return fileKindOf(relativePath) !== undefined && (await exclusionOf(root, relativePath, true, options)) === undefined;
}

/** Whether a full walk would descend into this root-relative folder. */
export async function isFolderWalkable(root: string, relativePath: string, options: AdmissionOptions = {}): Promise<boolean> {
  return (await exclusionOf(root, relativePath, false, options)) === undefined;
}

/** Why configuration keeps the walk away from this root-relative file, or undefined when nothing does. */
export function fileExclusion(root: string, relativePath: string, options: AdmissionOptions = {}): Promise<IgnoreReason | undefined> {
  return exclusionOf(root, relativePath, true, options);
}

async function exclusionOf(root: string, relativePath: string, lastIsFile: boolean, options: AdmissionOptions): Promise<IgnoreReason | undefined> {
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
    const verdict = isFile ? filter.file(name, current) : filter.directory(name, current);
    if (verdict !== undefined) return verdict;
    if (isIgnored(chain, current, !isFile)) return 'ignore-file';
  }
  return undefined;
}
