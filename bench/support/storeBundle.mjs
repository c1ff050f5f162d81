// A CommonJS bundle of one checkout's store, search and status code (IndexStore, SearchEngine,
// statusCommand, parseCliArguments), for benchmarks that run the same probe against this
// checkout and a baseline commit. Only the checkout's src/ is bundled; packages come from the
// harness's own checkout, and native ones stay outside the bundle.
import { sourcesFrom, writeBundle } from './bundleSources.mjs';

const ENTRIES = ['src/core/index/store/indexStore.ts', 'src/core/index/search/searchEngine.ts', 'src/cli/commands/statusCommand.ts', 'src/cli/cliArguments.ts'];

/** Bundles `srcRepo`'s sources with `repo`'s packages into `outfile` (with a source map, for profiles) and returns it. */
export async function bundleStore(repo, srcRepo, outfile) {
  await writeBundle(ENTRIES, outfile, { repo, external: ['usearch'], sourcemap: true, plugins: srcRepo === repo ? [] : [sourcesFrom(srcRepo, repo)] });
  return outfile;
}
