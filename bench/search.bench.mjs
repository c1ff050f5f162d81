// Vector search benchmark: the int8 WebAssembly SIMD scan + float16 rescoring of
// src/core/index/vectors against, in the same run and on the same data,
//   (a) the memory-bandwidth bound: the best time of a WebAssembly SIMD sum over as many bytes
//       as the scan codes (a scan cannot beat reading its codes once), and
//   (b) usearch's exactSearch over the float32 vectors on one thread.
// Data: clustered synthetic unit vectors (clusters of ~1000 rows around random centres,
// noise as large as the centre), queries drawn from the same clusters, recall@10 against the
// exact float32 top 10.
//
//   node --expose-gc bench/search.bench.mjs                 all sizes (needs ~9 GB free for 1M x 1024)
//   node bench/search.bench.mjs --only=10k@1024,100k@1024   some of them
//   options: --queries=50 --no-usearch --no-js --no-load --json=out.json
import { createRequire } from 'node:module';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NORMALS, prng } from './support/syntheticRandom.mjs';

const require = createRequire(import.meta.url);
const esbuild = require('esbuild');
const usearch = require('usearch');
const wabtFactory = require('wabt');

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value ?? 'true'];
  }),
);
const QUERIES = Number(args.get('queries') ?? 50);
const K = 10;
const CONFIGS = [
  { label: '10k@1024', count: 10_000, dims: 1024 },
  { label: '100k@1024', count: 100_000, dims: 1024 },
  { label: '1M@1024', count: 1_000_000, dims: 1024 },
  { label: '10k@4096', count: 10_000, dims: 4096 },
  { label: '100k@4096', count: 100_000, dims: 4096 },
].filter((c) => !args.has('only') || args.get('only').split(',').includes(c.label));

// ---------------------------------------------------------------------------------------------
// The code under test, bundled from the TypeScript sources.

const work = await mkdtemp(path.join(os.tmpdir(), 'sightline-search-bench-'));
const bundle = path.join(work, 'vectors.mjs');
await esbuild.build({
  stdin: {
    contents: ['vectorSearcher', 'vectorSegment', 'segmentWriter', 'segmentReader', 'segmentLayout', 'float16', 'int8Quantizer']
      .map((name) => `export * from './src/core/index/vectors/${name}';`)
      .concat(`export * from './src/core/common/matryoshka';`)
      .join('\n'),
    resolveDir: repo,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: bundle,
  logLevel: 'error',
});
const lib = await import(pathToFileURL(bundle).href);

// ---------------------------------------------------------------------------------------------
// Synthetic data, generated straight into its final arrays (no per-row temporaries).

function makeClusters(count, dims, seed) {
  const clusters = Math.max(10, Math.round(count / 1000));
  const next = prng(seed);
  const centres = new Float32Array(clusters * dims);
  const scale = 1 / Math.sqrt(dims);
  for (let i = 0; i < centres.length; i += 2) {
    const w = next();
    centres[i] = NORMALS[w & 0xffff] * scale;
    if (i + 1 < centres.length) centres[i + 1] = NORMALS[w >>> 16] * scale;
  }
  return { clusters, centres };
}

/** Fills `out` (rows * dims) with unit vectors around the given centres. */
function drawPoints(out, dims, { clusters, centres }, seed) {
  const next = prng(seed);
  const scale = 1 / Math.sqrt(dims);
  const rows = out.length / dims;
  for (let r = 0; r < rows; r++) {
    const c = (next() % clusters) * dims;
    const base = r * dims;
    let sum = 0;
    for (let j = 0; j < dims; j += 2) {
      const w = next();
      const x0 = centres[c + j] + NORMALS[w & 0xffff] * scale;
      const x1 = centres[c + j + 1] + NORMALS[w >>> 16] * scale;
      out[base + j] = x0;
      out[base + j + 1] = x1;
      sum += x0 * x0 + x1 * x1;
    }
    const inv = 1 / Math.sqrt(sum);
    for (let j = 0; j < dims; j++) out[base + j] *= inv;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Measurements.

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

function recallAt(hitsRows, truthRows) {
  const found = new Set(hitsRows);
  return truthRows.filter((r) => found.has(r)).length / truthRows.length;
}

let sumKernel;
async function bandwidthBound(bytes) {
  if (!sumKernel) {
    const wabt = await wabtFactory();
    const source = `(module (import "env" "memory" (memory 1))
      (func (export "sum") (param $p i32) (param $end i32) (result i64)
        (local $a v128) (local $b v128) (local $c v128) (local $d v128)
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
          (local.set $a (i64x2.add (local.get $a) (v128.load (local.get $p))))
          (local.set $b (i64x2.add (local.get $b) (v128.load offset=16 (local.get $p))))
          (local.set $c (i64x2.add (local.get $c) (v128.load offset=32 (local.get $p))))
          (local.set $d (i64x2.add (local.get $d) (v128.load offset=48 (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 64)))
          (br $next)))
        (local.set $a (i64x2.add (i64x2.add (local.get $a) (local.get $b)) (i64x2.add (local.get $c) (local.get $d))))
        (i64.add (i64x2.extract_lane 0 (local.get $a)) (i64x2.extract_lane 1 (local.get $a)))))`;
    const parsed = wabt.parseWat('sum.wat', source, { simd: true });
    sumKernel = new WebAssembly.Module(parsed.toBinary({}).buffer);
    parsed.destroy();
  }
  const rounded = Math.ceil(bytes / 64) * 64;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(rounded / 65536), maximum: 65536 });
  // Touch every page: untouched pages all map to one zero page and read unrealistically fast.
  new Uint8Array(memory.buffer).fill(1);
  const { sum } = new WebAssembly.Instance(sumKernel, { env: { memory } }).exports;
  const times = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    sum(0, rounded);
    times.push(performance.now() - t0);
  }
  const best = Math.min(...times);
  return { ms: best, gbPerSecond: rounded / best / 1e6 };
}

function timeSearches(searcher, queries, dims, count, options = {}) {
  const times = [];
  const results = [];
  for (let i = -Math.min(5, count); i < count; i++) {
    const q = queries.subarray(((i + count) % count) * dims, (((i + count) % count) + 1) * dims);
    const t0 = performance.now();
    const hits = searcher.search(q, { k: K, ...options });
    const elapsed = performance.now() - t0;
    if (i >= 0) {
      times.push(elapsed);
      results.push(hits.map((h) => h.row));
    }
  }
  return { times, results };
}

async function runConfig({ label, count, dims }) {
  const scanDims = dims;
  const shape = { modelId: 'Qwen/Qwen3-VL-Embedding-8B', fullDims: dims, scanDims };
  const log = (msg) => process.stderr.write(`[${label}] ${msg}\n`);

  let t = performance.now();
  const clusters = makeClusters(count, dims, 1);
  let data = new Float32Array(count * dims);
  const chunkRows = 50_000;
  for (let r = 0; r < count; r += chunkRows) {
    drawPoints(data.subarray(r * dims, Math.min(count, r + chunkRows) * dims), dims, clusters, 1000 + r);
  }
  const queries = drawPoints(new Float32Array(QUERIES * dims), dims, clusters, 7);
  log(`generated ${count} x ${dims} in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Segments as the indexer would write them: each under the per-file limit.
  t = performance.now();
  const perSegment = Math.min(lib.maxSegmentCount(dims, scanDims), 250_000);
  let segments = [];
  for (let r = 0; r < count; r += perSegment) {
    segments.push(lib.encodeVectorSegment(shape, data.subarray(r * dims, Math.min(count, r + perSegment) * dims)));
  }
  log(`encoded ${segments.length} segment(s) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const fileBytes = segments.reduce((sum, s) => sum + lib.segmentLayout(s.count, dims, scanDims).fileBytes, 0);
  const searcher = new lib.VectorSearcher({ ...shape, kernel: 'simd' });
  let first = 0;
  for (const s of segments) {
    searcher.addSegment(s, first);
    first += s.count;
  }

  // Exact float32 ground truth (usearch, all threads: only its answers are used here).
  t = performance.now();
  const truth = usearch.exactSearch(data, queries, dims, K, usearch.MetricKind.IP, 0);
  const truthRows = (i) => Array.from(truth.keys.subarray(i * K, (i + 1) * K), Number);
  log(`ground truth in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Ours and usearch alternate query by query so that both see the same background load.
  const useUsearch = !args.has('no-usearch');
  const usearchQueries = count >= 1_000_000 ? Math.min(QUERIES, 15) : QUERIES;
  const ours = { times: [], results: [] };
  const usearchTimes = [];
  for (let i = -3; i < QUERIES; i++) {
    const at = (i + QUERIES) % QUERIES;
    const q = queries.subarray(at * dims, (at + 1) * dims);
    let t0 = performance.now();
    const hits = searcher.search(q, { k: K });
    const elapsed = performance.now() - t0;
    if (i >= 0) {
      ours.times.push(elapsed);
      ours.results.push(hits.map((h) => h.row));
    }
    if (useUsearch && (i < 0 ? i === -1 : i < usearchQueries)) {
      // A fresh whole buffer per query: usearch's exactSearch ignores a view's byteOffset.
      const whole = queries.slice(at * dims, (at + 1) * dims);
      t0 = performance.now();
      usearch.exactSearch(data, whole, dims, K, usearch.MetricKind.IP, 1);
      if (i >= 0) usearchTimes.push(performance.now() - t0);
    }
  }
  const usearchMs = useUsearch ? { median: median(usearchTimes), queries: usearchQueries } : undefined;
  const recall = ours.results.reduce((sum, rows, i) => sum + recallAt(rows, truthRows(i)), 0) / QUERIES;
  log(`ours: median ${median(ours.times).toFixed(3)} ms, recall ${recall.toFixed(4)}`);
  if (usearchMs) log(`usearch exact: median ${usearchMs.median.toFixed(3)} ms over ${usearchQueries} queries`);
  // Back to back, with the codes warm in cache where they fit, like the bandwidth bound below.
  const hot = timeSearches(searcher, queries, dims, QUERIES);
  const scanOnly = timeSearches(searcher, queries, dims, QUERIES, { candidates: K });
  const scanOnlyRecall = scanOnly.results.reduce((sum, rows, i) => sum + recallAt(rows, truthRows(i)), 0) / QUERIES;

  const codesBytes = count * scanDims;
  const bound = await bandwidthBound(codesBytes);
  log(`bandwidth bound: ${bound.ms.toFixed(3)} ms (${bound.gbPerSecond.toFixed(1)} GB/s)`);

  let jsMs;
  if (!args.has('no-js') && count <= 100_000) {
    const js = new lib.VectorSearcher({ ...shape, kernel: 'js' });
    let row = 0;
    for (const s of segments) {
      js.addSegment(s, row);
      row += s.count;
    }
    const n = 10;
    const jsRun = timeSearches(js, queries, dims, n);
    jsMs = median(jsRun.times);
    const same = jsRun.results.every((rows, i) => rows.join() === ours.results[i].join());
    log(`JS fallback: median ${jsMs.toFixed(2)} ms over ${n} queries, same results as SIMD: ${same}`);
  }

  // Per-vector vs one fixed scale for the whole corpus, on the int8 scan alone (candidates = k),
  // where the quantisation is not hidden by rescoring.
  let fixedScale;
  if (count === 100_000 && dims === 1024) {
    let maxAbs = 0;
    for (let i = 0; i < data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(data[i]));
    const scale = maxAbs / 127;
    const fixed = segments.map((s) => {
      const codes = new Int8Array(s.count * scanDims);
      const row = new Float32Array(scanDims);
      for (let r = 0; r < s.count; r++) {
        lib.float16ToFloat32(s.full.subarray(r * dims, r * dims + scanDims), row);
        lib.normalizeInPlace(row);
        for (let j = 0; j < scanDims; j++) codes[r * scanDims + j] = Math.round(row[j] / scale);
      }
      return { ...s, codes, scales: new Float32Array(s.count).fill(scale) };
    });
    const fixedSearcher = new lib.VectorSearcher({ ...shape, kernel: 'simd' });
    let row = 0;
    for (const s of fixed) {
      fixedSearcher.addSegment(s, row);
      row += s.count;
    }
    const recallOf = (run) => run.results.reduce((sum, rows, i) => sum + recallAt(rows, truthRows(i)), 0) / QUERIES;
    fixedScale = {
      scanOnlyRecall: recallOf(timeSearches(fixedSearcher, queries, dims, QUERIES, { candidates: K })),
      recall: recallOf(timeSearches(fixedSearcher, queries, dims, QUERIES)),
    };
    log(`fixed scale: scan-only recall ${fixedScale.scanOnlyRecall.toFixed(4)}, with rescoring ${fixedScale.recall.toFixed(4)}`);
  }

  // Load time from files: read (verifying CRCs) and add to a fresh searcher.
  let loadMs;
  let freshFillMs;
  if (!args.has('no-load') && count <= 100_000) {
    const files = [];
    for (const [i, s] of segments.entries()) {
      const file = path.join(work, `${label}-${i}.slv`);
      await lib.writeVectorSegment(file, s);
      files.push(file);
    }
    const onDisk = (await Promise.all(files.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0);
    if (onDisk !== fileBytes) throw new Error(`file size ${onDisk} != layout ${fileBytes}`);
    const times = [];
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      const fresh = new lib.VectorSearcher(shape);
      let row = 0;
      for (const f of files) {
        const s = await lib.readVectorSegment(f);
        fresh.addSegment(s, row);
        row += s.count;
      }
      times.push(performance.now() - t0);
    }
    loadMs = median(times);
    // Loading is bound by first-touch page faults; this is the cost of merely filling as many
    // fresh bytes on this machine, now.
    const t0 = performance.now();
    new Uint8Array(fileBytes).fill(1);
    freshFillMs = performance.now() - t0;
    await Promise.all(files.map((f) => rm(f)));
  }

  const result = {
    label,
    count,
    dims,
    scanDims,
    medianMs: median(ours.times),
    p90Ms: percentile(ours.times, 0.9),
    hotMedianMs: median(hot.times),
    recall,
    scanOnlyMedianMs: median(scanOnly.times),
    scanOnlyRecall,
    codesBytes,
    bound,
    usearchMs,
    jsMs,
    fixedScale,
    loadMs,
    freshFillMs,
    fileBytesPerItem: fileBytes / count,
    residentBytesPerItem: (count * dims * 2 + searcher.codeBytes) / count,
  };
  // Drop the references so the collection below frees this size's data before the next one.
  /* eslint-disable no-useless-assignment */
  segments = null;
  data = null;
  /* eslint-enable no-useless-assignment */
  globalThis.gc?.();
  return result;
}

// ---------------------------------------------------------------------------------------------

const results = [];
try {
  for (const config of CONFIGS) results.push(await runConfig(config));
} finally {
  await rm(work, { recursive: true, force: true });
}

const f = (x, digits = 2) => (x === undefined ? 'n/a' : x.toFixed(digits));
const rows = [
  '| items x dims | median ms, alternating with usearch (p90) | median ms, back to back | recall@10 | scan codes | bandwidth bound ms (GB/s) | back to back / bound | usearch exact ms (1 thread) | usearch / ours | JS fallback ms | load ms (fresh-memory fill ms) | bytes/item file / resident |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...results
    .map((r) =>
      [
        `${r.label.replace('@', ' x ')}`,
        `${f(r.medianMs, 3)} (${f(r.p90Ms, 3)})`,
        f(r.hotMedianMs, 3),
        f(r.recall, 4),
        `${f(r.codesBytes / 1e6, 0)} MB`,
        `${f(r.bound.ms, 3)} (${f(r.bound.gbPerSecond, 1)})`,
        f(r.hotMedianMs / r.bound.ms, 2),
        r.usearchMs ? `${f(r.usearchMs.median, 2)}${r.usearchMs.queries < QUERIES ? ` (${r.usearchMs.queries} q)` : ''}` : 'n/a',
        r.usearchMs ? `${f(r.usearchMs.median / r.medianMs, 1)}x` : 'n/a',
        f(r.jsMs, 1),
        r.loadMs === undefined ? 'n/a' : `${f(r.loadMs, 0)} (${f(r.freshFillMs, 0)})`,
        `${f(r.fileBytesPerItem, 0)} / ${f(r.residentBytesPerItem, 0)}`,
      ].join(' | '),
    )
    .map((line) => `| ${line} |`),
];
console.log(
  `\nSearch, k=${K}, ${QUERIES} queries, one thread, Node ${process.version}, ${os.cpus()[0]?.model ?? ''}, ` +
    `load average at the end ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores\n`,
);
console.log(rows.join('\n'));
console.log('\nScan alone (candidates = k, no rescoring slack):');
for (const r of results) console.log(`- ${r.label}: median ${f(r.scanOnlyMedianMs, 3)} ms, recall@10 ${f(r.scanOnlyRecall, 4)}`);
for (const r of results.filter((x) => x.fixedScale)) {
  console.log(
    `\nQuantisation at ${r.label}: per-vector scale: scan-only recall@10 ${f(r.scanOnlyRecall, 4)}, with rescoring ${f(r.recall, 4)}; ` +
      `one fixed scale (corpus max): scan-only ${f(r.fixedScale.scanOnlyRecall, 4)}, with rescoring ${f(r.fixedScale.recall, 4)}`,
  );
}
if (args.has('json')) await writeFile(args.get('json'), JSON.stringify(results, null, 2));
