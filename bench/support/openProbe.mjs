// The child process of bench/catalogOpen.bench.mjs: opens an index read-only in this fresh
// process and prints one JSON line: open time, peak RSS when the open returned, and the heap
// the open store holds after a full collection (run with --expose-gc).
//   node --expose-gc openProbe.mjs BUNDLE INDEX_DIR
import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const [bundle, dir] = process.argv.slice(2);
const lib = require(bundle);

globalThis.gc();
const heapBefore = process.memoryUsage().heapUsed;
const t0 = performance.now();
const store = await lib.IndexStore.openReadOnly(dir);
const openMs = performance.now() - t0;
const peakRssMB = process.resourceUsage().maxRSS / 1024;
globalThis.gc();
const heldHeapMB = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
const manifest = await lib.IndexStore.readManifest(dir);
let items = 0;
for (const record of store.catalog.allFiles()) items += record.items.length;
const result = { openMs, peakRssMB, heldHeapMB, files: store.catalog.fileCount, items, journalBytes: statSync(path.join(dir, manifest.journal.file)).size };
await store.close();
console.log(JSON.stringify(result));
