import ignore, { type Ignore } from 'ignore';

/**
 * The ignore files in force for one folder: its own, then its parents' up to (and above) the
 * root. Shared by all subfolders, so a walk holds one node per folder that has ignore files.
 */
export interface IgnoreChain {
  readonly rules: Ignore;
  /** Root-relative folder the patterns are relative to ('' for the root and above it). */
  readonly base: string;
  /** Prepended to paths under `base`: a repository above the root sees the root's path in it. */
  readonly prefix: string;
  readonly parent: IgnoreChain | undefined;
}

// git itself matches case-sensitively unless the file system folds case.
const ignoreCase = process.platform === 'win32' || process.platform === 'darwin';

export function extendIgnoreChain(parent: IgnoreChain | undefined, base: string, patternFiles: readonly string[], prefix = ''): IgnoreChain | undefined {
  const rules = ignore({ ignoreCase });
  for (const text of patternFiles) rules.add(text);
  return patternFiles.length ? { rules, base, prefix, parent } : parent;
}

/**
 * Whether a root-relative path is ignored. As in git, the deepest ignore file with a matching
 * pattern decides, and within a file the last matching pattern wins, so `!pattern` re-includes.
 * Folders are tested with a trailing slash so `build/` patterns match only folders.
 */
export function isIgnored(chain: IgnoreChain | undefined, relativePath: string, isDirectory: boolean): boolean {
  for (let level = chain; level; level = level.parent) {
    const local = level.prefix + (level.base ? relativePath.slice(level.base.length + 1) : relativePath);
    const result = level.rules.test(isDirectory ? `${local}/` : local);
    if (result.unignored) return false;
    if (result.ignored) {
      // The library marks everything under a folder it ignores, but the walk only reaches this
      // path because a deeper file re-included that folder: this level then has no say here.
      if (parentIgnoredAt(level, local)) continue;
      return true;
    }
  }
  return false;
}

function parentIgnoredAt(level: IgnoreChain, local: string): boolean {
  const slash = local.lastIndexOf('/', local.length - 2);
  return slash > 0 && level.rules.test(local.slice(0, slash + 1)).ignored;
}
