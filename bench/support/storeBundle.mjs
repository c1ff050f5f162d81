// A CommonJS bundle of one checkout's store, search and status code (IndexStore, SearchEngine,
// statusCommand, parseCliArguments), for benchmarks that run the same probe against this
// checkout and a baseline commit. Only the checkout's src/ is bundled; packages come from the
// harness's own checkout, and native ones stay outside the bundle.
import * as path from 'node:path';
import { sourcesFrom, writeBundle } from './bundleSources.mjs';

const ENTRIES = ['src/core/index/store/indexStore.ts', 'src/core/index/search/searchEngine.ts', 'src/cli/commands/statusCommand.ts', 'src/cli/cliArguments.ts'];

/** Bundles `srcRepo`'s sources with `repo`'s packages into `outfile` (with a source map, for profiles) and returns it. */
export async function bundleStore(repo, srcRepo, outfile) {
  await writeBundle(ENTRIES, outfile, { repo, external: ['usearch'], sourcemap: true, plugins: srcRepo === repo ? [] : [sourcesFrom(srcRepo, repo)] });
  return outfile;
}

/**
 * The variants a side-by-side bench runs: the baseline checkout's bundle as "before (COMMIT)"
 * when `baseline` ({ commit, dir }) is given, then this checkout's as "now"; written into `work`.
 */
export async function storeBundleVariants(repo, work, baseline) {
  const variants = [];
  if (baseline) variants.push({ name: `before (${baseline.commit})`, bundle: await bundleStore(repo, baseline.dir, path.join(work, 'before.cjs')) });
  variants.push({ name: 'now', bundle: await bundleStore(repo, repo, path.join(work, 'now.cjs')) });
  return variants;
}
