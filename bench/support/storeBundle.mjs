// A CommonJS bundle of one checkout's store, search and status code (IndexStore, SearchEngine,
// statusCommand, parseCliArguments), for benchmarks that run the same probe against this
// checkout and a baseline commit. Only the checkout's src/ is bundled; packages come from the
// harness's own checkout, and native ones stay outside the bundle.
import * as path from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const ENTRIES = ['src/core/index/store/indexStore.ts', 'src/core/index/search/searchEngine.ts', 'src/cli/commands/statusCommand.ts', 'src/cli/cliArguments.ts'];

/** Resolves imports of src/ files to another checkout's src/ (the harness stays this one's). */
function sourcesFrom(dir) {
  return {
    name: 'baseline-src',
    setup(build) {
      build.onResolve({ filter: /^\.\// }, (args) => {
        if (args.importer !== '<stdin>') return undefined;
        return { path: path.join(dir, args.path.replace(/^\.\//, '') + '.ts') };
      });
    },
  };
}

/** Native packages stay outside the bundle, required by absolute path (the bundle lives in a temp folder). */
function keepExternal(repo) {
  return {
    name: 'keep-external',
    setup(build) {
      const requireFromRepo = createRequire(path.join(repo, 'package.json'));
      build.onResolve({ filter: /^(sharp|@hyzyla\/pdfium|usearch)(\/.*)?$/ }, (args) => ({ path: requireFromRepo.resolve(args.path), external: true }));
    },
  };
}

/** Bundles `srcRepo`'s sources with `repo`'s packages into `outfile` (with a source map, for profiles) and returns it. */
export async function bundleStore(repo, srcRepo, outfile) {
  await esbuild.build({
    stdin: { contents: ENTRIES.map((f) => `export * from './${f.replace(/\.ts$/, '')}';`).join('\n'), resolveDir: srcRepo, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    sourcemap: true,
    nodePaths: [path.join(repo, 'node_modules')],
    plugins: srcRepo === repo ? [keepExternal(repo)] : [keepExternal(repo), sourcesFrom(srcRepo)],
    logLevel: 'warning',
  });
  return outfile;
}
