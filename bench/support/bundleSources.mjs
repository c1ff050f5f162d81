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
 * Bundles `entry` (a repo-relative .ts path, or a list of them whose exports are merged) and
 * returns the required module. `external` names more packages to leave out of the bundle.
 * Merging follows `export *` rules: a name exported by two entries is left out. `repo` bundles
 * another checkout instead (an older commit in its own worktree, for before/after comparisons);
 * `plugins` are more esbuild plugins (e.g. to take only src/ from another checkout).
 */
export async function bundleSources(entry, { external = [], repo = thisRepo, plugins = [] } = {}) {
  const entries = Array.isArray(entry) ? entry : [entry];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-'));
  const outfile = path.join(dir, 'bundle.cjs');
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
  try {
    await esbuild.build({
      stdin: { contents, resolveDir: repo, loader: 'ts', sourcefile: 'bench-entry.ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      plugins: [keepExternal, ...plugins],
      logLevel: 'warning',
    });
    return createRequire(import.meta.url)(outfile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
