// Indexing benchmarks: `node bench/indexing.bench.mjs [images=20000] [--only=reindex,bytes,rss]`
//  1. re-indexing an unchanged tree of 10,000 files (the diff must make it nearly free);
//  2. index bytes per item at 1024 and 4096 dimensions;
//  3. peak RSS of a process indexing many images through the fake server (in its own process).
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { bundleSources } from './support/bundleSources.mjs';
import { startFakeServerProcess } from './support/fakeServerProcess.mjs';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--only='));
const imageCount = Number(positional[0] ?? 20_000);
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const wanted = (name) => !only || only.includes(name);

const core = await bundleSources([
  'src/core/index/store/indexStore.ts',
  'src/core/index/indexer/indexer.ts',
  'src/core/embed/embeddingClient.ts',
  'src/core/settings/sightlineSettings.ts',
]);

if (process.argv[2] === '--child') {
  await childIndex(process.argv[3], process.argv[4], process.argv[5]);
  process.exit(0);
}

const rows = [];
if (wanted('reindex')) await reindexUnchanged();
if (wanted('bytes')) await bytesPerItem();
if (wanted('rss')) await peakRss();
console.log('| benchmark | result | notes |');
console.log('|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);

async function reindexUnchanged() {
  const root = path.join(os.tmpdir(), 'sightline-bench-reindex-10k-v1');
  if (!existsSync(path.join(root, '.done'))) {
    rmSync(root, { recursive: true, force: true });
    for (let i = 0; i < 10_000; i++) {
      const dir = path.join(root, `area-${i % 100}`, `part-${i % 7}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `note-${i}.md`), `# Note ${i}\n\nWords about topic ${i % 97} and subject ${i % 13}.\n`);
    }
    writeFileSync(path.join(root, '.done'), '');
  }
  const server = await startFakeServerProcess({ dimensions: 1024 });
  const indexDir = path.join(os.tmpdir(), `sightline-bench-reindex-index-${process.pid}`);
  try {
    const settings = { ...core.DEFAULT_SETTINGS, endpoint: server.baseUrl, requestsPerSecond: 1000, burst: 1000, concurrency: 4 };
    const first = await runIndex(root, indexDir, settings);
    const times = [];
    for (let run = 0; run < 7; run++) {
      const started = performance.now();
      const report = await runIndex(root, indexDir, settings);
      times.push(performance.now() - started);
      if (report.itemsEmbedded !== 0 || report.filesUnchanged !== 10_000) throw new Error(`unchanged run did work: ${JSON.stringify(report)}`);
    }
    times.sort((a, b) => a - b);
    rows.push([
      're-index unchanged 10,000 markdown files (open index + walk + diff + close)',
      `median ${times[3].toFixed(0)} ms, min ${times[0].toFixed(0)} ms`,
      `first run embedded ${first.itemsEmbedded} items in ${(first.durationMs / 1000).toFixed(1)} s; target < 1 s`,
    ]);
  } finally {
    await server.stop();
    rmSync(indexDir, { recursive: true, force: true });
  }
}

async function runIndex(root, indexDir, settings) {
  const store = await core.IndexStore.open(indexDir, core.indexIdentityFrom(settings));
  const client = new core.EmbeddingClient(core.clientOptionsFrom(settings, 'test-key'));
  try {
    return await new core.Indexer(store, client, core.indexerOptionsFrom(settings, [{ key: '', path: root }])).run();
  } finally {
    await store.close();
    await client.close();
  }
}

async function bytesPerItem() {
  for (const dims of [1024, 4096]) {
    const server = await startFakeServerProcess({ dimensions: dims });
    const root = path.join(os.tmpdir(), 'sightline-bench-reindex-10k-v1');
    const indexDir = path.join(os.tmpdir(), `sightline-bench-bytes-${dims}-${process.pid}`);
    try {
      const settings = { ...core.DEFAULT_SETTINGS, endpoint: server.baseUrl, requestsPerSecond: 1000, burst: 1000, concurrency: 4 };
      const report = await runIndex(root, indexDir, settings);
      const bytes = folderBytes(indexDir);
      const items = report.itemsEmbedded;
      rows.push([
        `index bytes per item, ${dims} dims`,
        `${(bytes / items).toFixed(0)} B`,
        `${items} items, ${(bytes / 1e6).toFixed(1)} MB on disk: float16 vectors ${dims * 2} B + int8 scan codes ${Math.min(dims, 1024)} B + scale 4 B + catalog`,
      ]);
    } finally {
      await server.stop();
      rmSync(indexDir, { recursive: true, force: true });
    }
  }
}

function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

async function peakRss() {
  const root = path.join(os.tmpdir(), `sightline-bench-images-${imageCount}-v1`);
  if (!existsSync(path.join(root, '.done'))) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    for (let i = 0; i < imageCount; i++) {
      const dir = path.join(root, `shots-${Math.floor(i / 500)}`);
      if (i % 500 === 0) mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `shot-${i}.png`), await distinctImage(i));
    }
    writeFileSync(path.join(root, '.done'), '');
  }
  const server = await startFakeServerProcess({ dimensions: 4096 });
  const indexDir = path.join(os.tmpdir(), `sightline-bench-rss-${process.pid}`);
  try {
    const started = performance.now();
    const result = await new Promise((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), ['--child', root, indexDir, server.baseUrl], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('message', resolve);
      child.on('exit', (code) => code && reject(new Error(`indexing child exited with ${code}`)));
    });
    const seconds = (performance.now() - started) / 1000;
    rows.push([
      `peak RSS indexing ${imageCount.toLocaleString('en')} images (320x200 PNG, 4096 dims) through the fake server`,
      `${(result.maxRssKb / 1024).toFixed(0)} MB`,
      `RSS at 10%: ${(result.early / 1048576).toFixed(0)} MB, at the end: ${(result.late / 1048576).toFixed(0)} MB; ${result.items} items in ${seconds.toFixed(0)} s (${(result.items / seconds).toFixed(0)} items/s)`,
    ]);
  } finally {
    await server.stop();
    rmSync(indexDir, { recursive: true, force: true });
  }
}

/** Small, fast-to-make images that are all different, so nothing is reused by content. */
async function distinctImage(seed) {
  const width = 320;
  const height = 200;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      pixels[o] = (x * ((seed % 7) + 1) + seed) & 255;
      pixels[o + 1] = (y * ((seed % 5) + 1) + (seed >> 3)) & 255;
      pixels[o + 2] = ((x ^ y) + (seed >> 6)) & 255;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

async function childIndex(root, indexDir, baseUrl) {
  const settings = { ...core.DEFAULT_SETTINGS, endpoint: baseUrl, requestsPerSecond: 1000, burst: 1000, concurrency: 4 };
  let early = 0;
  let late;
  const store = await core.IndexStore.open(indexDir, core.indexIdentityFrom(settings));
  const client = new core.EmbeddingClient(core.clientOptionsFrom(settings, 'test-key'));
  const report = await new core.Indexer(store, client, core.indexerOptionsFrom(settings, [{ key: '', path: root }])).run({
    onProgress: (p) => {
      if (!early && p.scanDone && p.filesProcessed >= p.filesToProcess / 10) early = process.memoryUsage().rss;
    },
  });
  await store.close();
  await client.close();
  late = process.memoryUsage().rss;
  process.send({ maxRssKb: process.resourceUsage().maxRSS, early, late, items: report.itemsEmbedded });
}
