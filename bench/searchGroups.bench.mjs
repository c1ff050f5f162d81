// What ranking pays to draw vector candidates per kind of item (text, image, image with text)
// and to calibrate them, for the search panel's request (top 60, so k = 300 per group):
//   before: one scan of all rows, k = 300 with the searcher's default rescoring slack (3,000);
//   masked: one scan per group (what a simple per-kind draw costs);
//   now:    one scan keeping each group's best (VectorSearcher.searchGroups), slack 3k per group,
//           plus exactly scoring the background sample (3 x 192 rows).
// Random unit vectors, rows assigned to three groups in turn, medians of 15 runs each after 5
// warm-up rounds, interleaved.
//
//   node bench/searchGroups.bench.mjs [--sizes=10000,100000] [--dims=1024] [--k=300]
import { bundleSources } from './support/bundleSources.mjs';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value ?? 'true'];
  }),
);
const sizes = (args.get('sizes') ?? '10000,100000').split(',').map(Number);
const dims = Number(args.get('dims') ?? 1024);
const k = Number(args.get('k') ?? 300);
const lib = await bundleSources(['src/core/index/vectors/vectorSearcher.ts', 'src/core/index/vectors/vectorSegment.ts']);

let state = 7;
const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5;
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

console.log(
  `| items x dims | before: one scan, k ${k} | one masked scan per group | now: one scan, three groups | now: background sample | now total / before |`,
);
console.log('|---|---:|---:|---:|---:|---:|');
for (const count of sizes) {
  const data = new Float32Array(count * dims);
  for (let row = 0; row < count; row++) {
    let norm = 0;
    for (let i = 0; i < dims; i++) norm += (data[row * dims + i] = random()) ** 2;
    for (let i = 0; i < dims; i++) data[row * dims + i] /= Math.sqrt(norm);
  }
  const searcher = new lib.VectorSearcher({ modelId: 'bench', fullDims: dims, scanDims: dims });
  searcher.addSegment(lib.encodeVectorSegment({ modelId: 'bench', fullDims: dims, scanDims: dims }, data), 0);
  const groups = new Uint8Array(count).map((_, row) => (row % 3) + 1);
  const masks = [1, 2, 3].map((g) => groups.map((value) => (value === g ? 1 : 0)));
  const sample = Array.from({ length: 576 }, (_, i) => Math.floor((i * count) / 576));
  const runs = { plain: [], masked: [], grouped: [], sample: [] };
  // Five warm-up rounds (JIT, first touches of the memory) are not counted.
  for (let run = 0; run < 20; run++) {
    const query = data.slice((run % 50) * dims, ((run % 50) + 1) * dims);
    const time = (name, work) => {
      const start = performance.now();
      work();
      if (run >= 5) runs[name].push(performance.now() - start);
    };
    time('plain', () => searcher.search(query, { k }));
    time('masked', () => masks.forEach((filter) => searcher.search(query, { k, filter, candidates: 3 * k })));
    time('grouped', () => searcher.searchGroups(query, { k, groups, groupCount: 3, candidates: 3 * k }));
    time('sample', () => searcher.scoreRows(query, sample));
  }
  const [plain, masked, grouped, sampled] = [runs.plain, runs.masked, runs.grouped, runs.sample].map(median);
  console.log(
    `| ${count / 1000}k x ${dims} | ${plain.toFixed(2)} ms | ${masked.toFixed(2)} ms | ${grouped.toFixed(2)} ms | ${sampled.toFixed(2)} ms | ${((grouped + sampled) / plain).toFixed(2)} |`,
  );
}
