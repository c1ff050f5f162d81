import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { extendIgnoreChain, type IgnoreChain } from './ignoreRules';

/**
 * The ignore rules that reach into a root from the git repository around it: the repository's
 * `.git/info/exclude`, then each `.gitignore` from the repository's top down to the root's parent
 * (a workspace folder inside a monorepo still honours the monorepo's `.gitignore`). A root that
 * is not inside a repository gets none, as git would give none.
 */
export async function loadRepositoryIgnores(root: string): Promise<IgnoreChain | undefined> {
  const repository = await findRepositoryTop(root);
  if (repository === undefined) return undefined;
  const exclude = await readOptional(path.join(repository, '.git', 'info', 'exclude'));
  const rootFromRepository = toPosix(path.relative(repository, root));
  const prefixFor = (folder: string) => {
    const remainder = toPosix(path.relative(folder, root));
    return remainder ? `${remainder}/` : '';
  };
  let chain = extendIgnoreChain(undefined, '', exclude ? [exclude] : [], prefixFor(repository));
  if (!rootFromRepository) return chain;
  // Folders from the repository top down to the root's parent; the root's own file is read by the walk.
  const folders = [repository];
  for (const part of rootFromRepository.split('/').slice(0, -1)) {
    folders.push(path.join(folders[folders.length - 1]!, part));
  }
  for (const folder of folders) {
    const text = await readOptional(path.join(folder, '.gitignore'));
    chain = extendIgnoreChain(chain, '', text ? [text] : [], prefixFor(folder));
  }
  return chain;
}

async function findRepositoryTop(root: string): Promise<string | undefined> {
  for (let folder = root; ;) {
    // `.git` is a folder in a clone and a file in a worktree or submodule; both mark the top.
    if (await exists(path.join(folder, '.git'))) return folder;
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

export async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

function toPosix(relative: string): string {
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}
