// Builds a checkout's production bundles (esbuild.mjs --production) into a folder of their own,
// so dist/ is left alone and an older commit can be built beside this one. esbuild.mjs resolves
// src/ and writes dist/ relative to its working folder: that folder links the checkout's sources
// and this checkout's node_modules (the extension requires its native packages from there).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const thisRepo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Returns the dist folder holding extension.js, core.js, cli.js and the rest. */
export function buildProduction(dir, { checkout = thisRepo } = {}) {
  mkdirSync(dir, { recursive: true });
  for (const name of ['src', 'package.json', 'tsconfig.json', 'tsconfig.base.json'])
    if (existsSync(path.join(checkout, name))) symlinkSync(path.join(checkout, name), path.join(dir, name));
  symlinkSync(path.join(thisRepo, 'node_modules'), path.join(dir, 'node_modules'));
  // A copy, not a link: Node resolves `esbuild` from the script's real folder, and another
  // checkout (a worktree of an older commit) has no node_modules of its own.
  copyFileSync(path.join(checkout, 'esbuild.mjs'), path.join(dir, 'esbuild.mjs'));
  try {
    execFileSync(process.execPath, [path.join(dir, 'esbuild.mjs'), '--production'], { cwd: dir, stdio: 'pipe' });
  } catch (error) {
    process.stderr.write(error.stderr ?? '');
    throw error;
  }
  return path.join(dir, 'dist');
}
