// The child processes of bench/scale.bench.mjs, one fresh process per measurement:
//   node scaleProbe.mjs write  BUNDLE OPTIONS_JSON   writes an index through the store's own API
//   node scaleProbe.mjs search BUNDLE OPTIONS_JSON   opens it cold and answers queries
//   node scaleProbe.mjs status BUNDLE OPTIONS_JSON   runs `sightline status --json` on it
// BUNDLE is a CommonJS bundle of one checkout's src (IndexStore, SearchEngine, SearchIndex), so
// the same script drives the current format and the previous one. Prints one JSON line.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { clusterCentres, itemVector, MODEL, workspaceFiles } from './scaleData.mjs';

const require = createRequire(import.meta.url);
const [mode, bundle, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson);
const lib = require(bundle);

const maxRssMB = () => process.resourceUsage().maxRSS / 1024;

if (mode === 'write') await write(options);
else if (mode === 'search') await search(options);
else if (mode === 'status') await status(options);
else throw new Error(`unknown mode ${mode}`);

/**
 * Writes `count` items at `dims` through IndexStore (checkpoints every 20,000 items, as a long
 * indexing run would). With `truthFile`, also the exact float32 top 10 of each query.
 */
async function write({ dir, count, dims, scanDims, queriesFile, truthFile }) {
  const usearch = truthFile ? require('usearch') : undefined;
  const queryList = truthFile ? JSON.parse(readFileSync(queriesFile, 'utf8')) : [];
  const queryVectors = new Float32Array(queryList.length * dims);
  queryList.forEach((q, i) => queryVectors.set(q.vector, i * dims));
  const best = queryList.map(() => []);

  const t0 = performance.now();
  const store = await lib.IndexStore.open(dir, { model: MODEL, dimensions: 'full', scanDims });
  const centres = clusterCentres(count, dims);
  const CHUNK = 20_000;
  const chunk = new Float32Array(CHUNK * dims);
  let chunkRows = [];
  const flushTruth = () => {
    if (!usearch || chunkRows.length === 0) {
      chunkRows = [];
      return;
    }
    const data = chunk.length === chunkRows.length * dims ? chunk : chunk.slice(0, chunkRows.length * dims);
    const k = Math.min(10, chunkRows.length);
    const found = usearch.exactSearch(data, queryVectors, dims, k, usearch.MetricKind.IP, 0);
    for (let q = 0; q < queryList.length; q++) {
      for (let j = 0; j < k; j++) {
        const local = Number(found.keys[q * k + j]);
        best[q].push([1 - found.distances[q * k + j], chunkRows[local]]);
      }
      best[q].sort((a, b) => b[0] - a[0]);
      best[q].length = Math.min(best[q].length, 10);
    }
    chunkRows = [];
  };
  let fileIndex = 0;
  for (const file of workspaceFiles(count)) {
    const fileNumber = Number(/-(\d+)\.(md|png|pdf)$/.exec(file.path)[1]);
    file.items.forEach((item, i) => {
      const at = chunkRows.length * dims;
      itemVector(chunk, at, dims, centres, fileNumber, i);
      // A copy: the store keeps what it is given until its next checkpoint.
      const row = store.addVector(item.embedKey, chunk.slice(at, at + dims));
      if (row !== item.row) throw new Error(`row ${row} for item ${item.row}`);
      chunkRows.push(row);
      if (chunkRows.length === CHUNK) flushTruth();
    });
    store.putFile(file);
    fileIndex++;
    if (store.pendingCount >= CHUNK) await store.checkpoint();
  }
  flushTruth();
  await store.close();
  if (truthFile) writeFileSync(truthFile, JSON.stringify(best.map((hits) => hits.map(([, row]) => row))));
  console.log(JSON.stringify({ files: fileIndex, writeMs: performance.now() - t0, maxRssMB: maxRssMB() }));
}

/**
 * What `sightline search` does, with the query vector embedded offline: open the index
 * read-only, answer one hybrid query (lexical + vector + fusion) and print it. With `warm`,
 * then answers the other queries, timing each, and checks vector recall against `truthFile`.
 */
async function search({ dir, queriesFile, truthFile, warm }) {
  const queryList = JSON.parse(readFileSync(queriesFile, 'utf8'));
  let current = Float32Array.from(queryList[0].vector);
  const client = { embedQuery: async () => current, close: async () => undefined };
  const t0 = performance.now();
  const store = await lib.IndexStore.openReadOnly(dir);
  const openMs = performance.now() - t0;
  const engine = new lib.SearchEngine(store, client, {});
  const first = await engine.search({ text: queryList[0].text }, { top: 10 });
  const firstMs = performance.now() - t0 - openMs;
  process.stdout.write(`${first.results.map((r) => `${r.score.toFixed(3)} ${r.path}`).join('\n')}\n`);
  const result = { openMs, firstMs, sinceStartMs: performance.now(), mode: first.mode, results: first.results.length };
  if (warm) {
    const times = [];
    for (let i = 0; i < warm; i++) {
      const query = queryList[1 + (i % (queryList.length - 1))];
      current = Float32Array.from(query.vector);
      const t = performance.now();
      await engine.search({ text: query.text }, { top: 10 });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    result.warmP50 = times[Math.floor(times.length / 2)];
    result.warmP99 = times[Math.min(times.length - 1, Math.floor(times.length * 0.99))];
    if (truthFile) {
      const truth = JSON.parse(readFileSync(truthFile, 'utf8'));
      const searcher = engine.index.vectors;
      let found = 0;
      let total = 0;
      queryList.forEach((query, q) => {
        const rows = new Set(searcher.search(Float32Array.from(query.vector), { k: 10 }).map((hit) => hit.row));
        for (const row of truth[q]) if (rows.has(row)) found++;
        total += truth[q].length;
      });
      result.recall = found / total;
    }
  }
  await store.close();
  result.maxRssMB = maxRssMB();
  console.log(`SCALE_RESULT ${JSON.stringify(result)}`);
}

/** What `sightline status --json` does, in this process: its wall time from here and peak RSS. */
async function status({ dir }) {
  const t0 = performance.now();
  let out = '';
  const output = { out: (text) => (out += text), err: (text) => process.stderr.write(text), isTTY: false };
  const code = await lib.statusCommand(lib.parseCliArguments(['status', '--json', '--index-dir', dir]), output);
  const statusMs = performance.now() - t0;
  const parsed = JSON.parse(out);
  console.log(`SCALE_RESULT ${JSON.stringify({ code, statusMs, sinceStartMs: performance.now(), vectors: parsed.vectors, maxRssMB: maxRssMB() })}`);
}
