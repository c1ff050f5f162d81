// Shared by the benchmarks: bundles TypeScript sources with esbuild into one CommonJS file in
// the temp folder and requires it, so benchmarks run on plain Node without a build step.
// CommonJS, so the bundled packages' own require() calls of Node built-ins keep working.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const thisRepo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Native or WASM packages: loaded from the repo's node_modules, never inlined. */
const ALWAYS_EXTERNAL = ['sharp', '@hyzyla/pdfium'];

/**
 * An esbuild plugin that takes every file of `repo`'s src/ from checkout `dir` instead (a
 * baseline commit in its own worktree), while packages still come from `repo`.
 */
export function sourcesFrom(dir, repo = thisRepo) {
  const ownSrc = path.join(repo, 'src') + path.sep;
  return {
    name: 'baseline-src',
    setup(build) {
      build.onResolve({ filter: /\/src\// }, (args) => {
        const resolved = path.resolve(args.resolveDir, args.path);
        if (!resolved.startsWith(ownSrc)) return undefined;
        return build.resolve('./' + path.relative(repo, resolved), { resolveDir: dir, kind: args.kind });
      });
    },
  };
}

/**
 * Bundles `entry` (a repo-relative .ts path, or a list of them whose exports are merged) and
 * returns the required module. `external` names more packages to leave out of the bundle.
 * Merging follows `export *` rules: a name exported by two entries is left out. `repo` bundles
 * another checkout instead (an older commit in its own worktree, for before/after comparisons);
 * `plugins` are more esbuild plugins (e.g. to take only src/ from another checkout).
 */
export async function bundleSources(entry, options = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-'));
  const outfile = path.join(dir, 'bundle.cjs');
  try {
    await writeBundle(entry, outfile, options);
    return createRequire(import.meta.url)(outfile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Like bundleSources, but leaves the bundle at `outfile` for child processes to require.
 * Packages resolve from `repo`'s node_modules, also for sources a plugin takes from elsewhere
 * (a baseline worktree has none of its own); `sourcemap` adds a map, for profiles.
 */
export async function writeBundle(entry, outfile, { external = [], repo = thisRepo, plugins = [], sourcemap = false } = {}) {
  const entries = Array.isArray(entry) ? entry : [entry];
  const requireFromRepo = createRequire(path.join(repo, 'package.json'));
  const names = [...ALWAYS_EXTERNAL, ...external];
  const keepExternal = {
    name: 'keep-external',
    setup(build) {
      const filter = new RegExp(`^(${names.map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})(/.*)?$`);
      // Absolute paths, so the bundle in the temp folder still loads the repo's node_modules.
      build.onResolve({ filter }, (args) => ({ path: requireFromRepo.resolve(args.path), external: true }));
    },
  };
  const contents = entries.map((file) => `export * from ${JSON.stringify('./' + file.replace(/\.ts$/, ''))};`).join('\n');
  await esbuild.build({
    stdin: { contents, resolveDir: repo, loader: 'ts', sourcefile: 'bench-entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    sourcemap,
    nodePaths: [path.join(repo, 'node_modules')],
    plugins: [keepExternal, ...plugins],
    logLevel: 'warning',
  });
}
