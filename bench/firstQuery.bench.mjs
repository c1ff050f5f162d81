// The first search after indexing, as the extension answers it: `node bench/firstQuery.bench.mjs [files=300]`.
// A mixed workspace (markdown notes with sections, and screenshots) is indexed once through the
// fake server at the model's full 4096 dimensions; then, on the store the run left open, a query
// is answered (a) cold: a fresh SearchIndex builds its item directory, lexical index and vector
// searcher inside the query, as the first query after a run did before; (b) warm: the tables were
// built beforehand, as SightlineService now does in the background once a run ends. Seven rounds,
// interleaved; each query embeds its text through the fake server, so both include that request.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { bundleSources } from './support/bundleSources.mjs';
import { startFakeServerProcess } from './support/fakeServerProcess.mjs';

const files = Number(process.argv[2] ?? 300);
const ROUNDS = 7;
const core = await bundleSources([
  'src/core/index/store/indexStore.ts',
  'src/core/index/indexer/indexer.ts',
  'src/core/index/search/searchEngine.ts',
  'src/core/index/search/searchIndex.ts',
  'src/core/embed/embeddingClient.ts',
  'src/core/settings/sightlineSettings.ts',
]);

const root = path.join(os.tmpdir(), `sightline-bench-first-query-${files}-v1`);
if (!existsSync(path.join(root, '.done'))) {
  rmSync(root, { recursive: true, force: true });
  const images = Math.round(files * 0.15);
  for (let i = 0; i < files - images; i++) {
    const dir = path.join(root, `notes-${i % 12}`);
    mkdirSync(dir, { recursive: true });
    const sections = Array.from(
      { length: 4 },
      (_, s) => `## Part ${s}\n\nThe relay ${i} of area ${i % 31} needs step ${s} after the firmware ${i % 7} update; see the checklist.\n`,
    ).join('\n');
    writeFileSync(path.join(dir, `note-${i}.md`), `# Note ${i}\n\n${sections}`);
  }
  mkdirSync(path.join(root, 'attachments'), { recursive: true });
  for (let i = 0; i < images; i++) {
    const png = await sharp({ create: { width: 640, height: 400, channels: 3, background: { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 } } })
      .png()
      .toBuffer();
    writeFileSync(path.join(root, 'attachments', `shot-${i}.png`), png);
  }
  writeFileSync(path.join(root, '.done'), '');
}

const server = await startFakeServerProcess({ dimensions: 4096 });
const indexDir = path.join(os.tmpdir(), `sightline-bench-first-query-index-${process.pid}`);
const settings = { ...core.DEFAULT_SETTINGS, endpoint: server.baseUrl, requestsPerSecond: 1000, burst: 1000, concurrency: 4 };
const store = await core.IndexStore.open(indexDir, core.indexIdentityFrom(settings));
const client = new core.EmbeddingClient(core.clientOptionsFrom(settings, 'test-key'));
try {
  const report = await new core.Indexer(store, client, core.indexerOptionsFrom(settings, [{ key: '', path: root }])).run();
  const queries = ['relay firmware checklist', 'screenshot of the settings window', 'area 12 step 3'];
  const cold = [];
  const warm = [];
  for (let round = 0; round < ROUNDS; round++) {
    const query = { text: queries[round % queries.length] };
    {
      const started = performance.now();
      const index = new core.SearchIndex(store);
      await new core.SearchEngine(store, client, {}, index).search(query, { top: 60 });
      cold.push(performance.now() - started);
    }
    {
      const index = new core.SearchIndex(store);
      await index.lexical();
      void index.vectors;
      const started = performance.now();
      await new core.SearchEngine(store, client, {}, index).search(query, { top: 60 });
      warm.push(performance.now() - started);
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(
    `${report.filesSeen} files (${report.itemsByKind.markdown} markdown items, ${report.itemsByKind.image} images), ${store.rowCount} vectors of 4096 dims\n`,
  );
  console.log('| first query after indexing | median | min | max |');
  console.log('|---|---|---|---|');
  for (const [label, times] of [
    ['cold: tables built inside the query', cold],
    ['warm: tables built when the run ended', warm],
  ]) {
    console.log(`| ${label} | ${median(times).toFixed(1)} ms | ${Math.min(...times).toFixed(1)} ms | ${Math.max(...times).toFixed(1)} ms |`);
  }
  console.log(`\nratio cold / warm (medians): ${(median(cold) / median(warm)).toFixed(1)}x`);
} finally {
  await client.close();
  await store.close();
  await server.stop();
  rmSync(indexDir, { recursive: true, force: true });
}
