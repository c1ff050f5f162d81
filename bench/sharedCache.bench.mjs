// A workspace of screenshots indexed cold against the provider's limit, and the same workspace
// indexed by a teammate from the shared cache the first run exported, side by side in one run:
//
//   node bench/sharedCache.bench.mjs [images=2000] [--cache-runs=3]
//
// The fake server runs in its own process, enforcing IONOS's contract (5 requests/s, bursts of
// 10) with 50 ms per answer, at the model's full 4096 dimensions; the client uses the defaults
// (5/s, burst 10, 4 in flight). Images are the synthetic 1280x800 screenshots of the test
// helpers, all different. "From the cache" indexes a copy of the workspace (a teammate's clone,
// another path) into a new index, opening and checking the cache first; "1% changed" is a clone
// with 1% more screenshots than the cache knows. Wall time is what the user waits for: opening
// the cache, walking, preparing, embedding and committing, until the index is closed.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleSources } from './support/bundleSources.mjs';
import { startFakeServerProcess } from './support/fakeServerProcess.mjs';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const imageCount = Number(positional[0] ?? 2000);
const cacheRuns = Number(process.argv.find((a) => a.startsWith('--cache-runs='))?.slice(13) ?? 3);
const LIMIT = { requestsPerSecond: 5, burst: 10 };

const lib = await bundleSources([
  'src/core/index/store/indexStore.ts',
  'src/core/index/indexer/indexer.ts',
  'src/core/embed/embeddingClient.ts',
  'src/core/settings/sightlineSettings.ts',
  'src/core/index/sharedCache/openSharedCache.ts',
  'src/core/index/sharedCache/exportSharedCache.ts',
  'test/support/fakeServer/syntheticImages.ts',
]);

const work = path.join(os.tmpdir(), `sightline-bench-shared-cache-${process.pid}`);
mkdirSync(work, { recursive: true });
const load = [os.loadavg()[0].toFixed(1)];
try {
  const root = await screenshots(imageCount);
  const server = await startFakeServerProcess({ dimensions: 4096, latencyMs: 50, rateLimit: LIMIT });
  try {
    const settings = { ...lib.DEFAULT_SETTINGS, endpoint: server.baseUrl, requestsPerSecond: LIMIT.requestsPerSecond, burst: LIMIT.burst, concurrency: 4 };

    console.error(`cold run: ${imageCount} images at ${LIMIT.requestsPerSecond} requests/s (about ${Math.round(imageCount / LIMIT.requestsPerSecond)} s)…`);
    const coldIndex = path.join(work, 'cold-index');
    const cold = await measured(server, () => indexRun(root, coldIndex, settings));

    const cacheFile = path.join(work, 'team.slcache');
    const exportStarted = performance.now();
    const exported = await exportFrom(coldIndex, settings, cacheFile);
    const exportMs = performance.now() - exportStarted;

    const clone = path.join(work, 'clone');
    cpSync(root, clone, { recursive: true });
    const fromCache = [];
    for (let run = 0; run < cacheRuns; run++) {
      console.error(`from the cache, run ${run + 1} of ${cacheRuns}…`);
      fromCache.push(await measured(server, () => indexRun(clone, path.join(work, `cache-index-${run}`), settings, cacheFile)));
    }

    const changed = path.join(work, 'clone-changed');
    cpSync(root, changed, { recursive: true });
    const extra = Math.max(1, Math.round(imageCount / 100));
    mkdirSync(path.join(changed, 'new'), { recursive: true });
    for (let i = 0; i < extra; i++) writeFileSync(path.join(changed, 'new', `shot-new-${i}.png`), await lib.renderSyntheticScreenshot(1_000_000 + i));
    const fromCacheChanged = [];
    for (let run = 0; run < cacheRuns; run++) {
      console.error(`from the cache, 1% changed, run ${run + 1} of ${cacheRuns}…`);
      fromCacheChanged.push(await measured(server, () => indexRun(changed, path.join(work, `changed-index-${run}`), settings, cacheFile)));
    }
    load.push(os.loadavg()[0].toFixed(1));

    const coldSeconds = cold.seconds;
    const row = (label, runs) => {
      const median = medianOf(runs.map((r) => r.seconds));
      const typical = runs.find((r) => r.seconds === median) ?? runs[0];
      const spread = runs.length > 1 ? ` (${runs.map((r) => r.seconds.toFixed(1)).join(', ')})` : '';
      return `| ${label} | ${typical.report.itemsEmbedded.toLocaleString('en')} | ${typical.report.itemsFromSharedCache.toLocaleString('en')} | ${typical.requests.toLocaleString('en')} | ${typical.rateLimited} | ${median.toFixed(1)} s${spread} | ${typical.openMs === undefined ? '–' : `${typical.openMs.toFixed(0)} ms`} | ${(coldSeconds / median).toFixed(1)}x |`;
    };
    console.log(
      `${imageCount.toLocaleString('en')} synthetic 1280x800 screenshots, 4096 dims; fake server ${LIMIT.requestsPerSecond} req/s, burst ${LIMIT.burst}, 50 ms per answer; load average ${load.join(' → ')}\n`,
    );
    console.log(
      '| run | items embedded | reused from the shared cache | requests at the server | 429s | wall time (median; each run) | opening the cache | faster than cold |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    console.log(row('cold (no cache)', [cold]));
    console.log(row('from the shared cache, same files', fromCache));
    console.log(row(`from the shared cache, 1% changed (+${extra} screenshots)`, fromCacheChanged));
    console.log(
      `\nexport: ${exported.entries.toLocaleString('en')} entries in ${exportMs.toFixed(0)} ms, ${(exported.bytes / 1024 / 1024).toFixed(1)} MiB, ` +
        `${(exported.bytes / exported.entries).toFixed(1)} bytes per entry (float16 vector ${exported.vectorDims * 2} B + key 32 B; header and checksum shared); ` +
        `the index itself: ${(folderBytes(coldIndex) / cold.report.itemsEmbedded).toFixed(0)} bytes per item`,
    );
  } finally {
    await server.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Runs `run` and reads what the server saw meanwhile. */
async function measured(server, run) {
  const { stats: before } = await server.stats();
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const { stats: after } = await server.stats();
  return { ...result, seconds, requests: after.embeddingRequests - before.embeddingRequests, rateLimited: after.rateLimited - before.rateLimited };
}

async function indexRun(root, indexDir, settings, cacheFile) {
  let openMs;
  let sharedCache;
  if (cacheFile) {
    const started = performance.now();
    sharedCache = await lib.SharedCache.open(cacheFile, {
      identity: lib.cacheIdentityFrom(settings),
      maxBytes: 1024 * 1024 * 1024,
      downloadsDir: path.join(work, 'downloads'),
    });
    openMs = performance.now() - started;
  }
  const store = await lib.IndexStore.open(indexDir, lib.indexIdentityFrom(settings));
  const client = new lib.EmbeddingClient(lib.clientOptionsFrom(settings, 'test-key'));
  try {
    const options = { ...lib.indexerOptionsFrom(settings, [{ key: '', path: root }]), ...(sharedCache ? { sharedCache } : {}) };
    const report = await new lib.Indexer(store, client, options).run();
    if (report.failed.length || report.fatal) throw new Error(`indexing failed: ${JSON.stringify(report.fatal ?? report.failed.slice(0, 3))}`);
    return { report, openMs };
  } finally {
    await store.close();
    await client.close();
    await sharedCache?.close();
  }
}

async function exportFrom(indexDir, settings, file) {
  const store = await lib.IndexStore.openReadOnly(indexDir, lib.indexIdentityFrom(settings));
  try {
    return await lib.exportSharedCache(store, lib.cacheIdentityFrom(settings), file);
  } finally {
    await store.close();
  }
}

/** The screenshots, made once per size and kept in the temp folder for later runs. */
async function screenshots(count) {
  const root = path.join(os.tmpdir(), `sightline-bench-screenshots-${count}-v1`);
  if (existsSync(path.join(root, '.done'))) return root;
  rmSync(root, { recursive: true, force: true });
  console.error(`making ${count} synthetic screenshots in ${root}…`);
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `area-${Math.floor(i / 250)}`);
    if (i % 250 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `shot-${i}.png`), await lib.renderSyntheticScreenshot(i));
  }
  writeFileSync(path.join(root, '.done'), '');
  return root;
}

function medianOf(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}
