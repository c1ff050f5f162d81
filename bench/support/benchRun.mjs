// What the side-by-side benchmarks share: their command-line options, the median they report,
// and the baseline commit checked out into a temporary worktree (only its src/ is bundled; its
// packages come from this checkout).
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** The value after `--name` in the process's arguments, or `fallback`. */
export function option(name, fallback) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Checks `commit` out (detached) into `work`/baseline and returns that folder. */
export function addBaselineWorktree(repo, commit, work) {
  const dir = path.join(work, 'baseline');
  execFileSync('git', ['-C', repo, 'worktree', 'add', '--detach', dir, commit], { stdio: 'ignore' });
  return dir;
}

/** Removes a worktree made by addBaselineWorktree (nothing when `dir` is undefined). */
export function removeBaselineWorktree(repo, dir) {
  if (dir) execFileSync('git', ['-C', repo, 'worktree', 'remove', '--force', dir], { stdio: 'ignore' });
}
