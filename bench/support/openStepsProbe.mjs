// The extension's background open taken apart, in a fresh process, with the production core
// bundle (dist/core.js, what loadCore() loads):
//   node --expose-gc openStepsProbe.mjs OPTIONS_JSON
// the same steps SightlineService.openInBackground takes (open the store as its writer, then
// the search tables: the vector searcher, then the lexical index), each timed, with the heap and
// the memory outside it after a full GC: what each step keeps. Prints STEPS_RESULT {json}.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { core, indexDir } = JSON.parse(process.argv[2]);
const MB = 1024 * 1024;
const steps = [];
let last = performance.now();
const step = (name) => {
  const ms = performance.now() - last;
  globalThis.gc();
  const m = process.memoryUsage();
  steps.push({ name, ms, heapUsedMB: m.heapUsed / MB, externalMB: m.external / MB, rssMB: m.rss / MB, maxRssMB: process.resourceUsage().maxRSS / 1024 });
  last = performance.now();
};

step('start');
const { IndexStore, SearchIndex } = require(core);
step('load the core');
const store = await IndexStore.open(
  indexDir,
  { model: 'Qwen/Qwen3-VL-Embedding-8B', dimensions: 'full', scanDims: 1024 },
  { lock: { wait: false, holderDescription: 'a VS Code window' } },
);
step('open the store (catalog)');
const index = new SearchIndex(store);
void index.vectors;
step('vector searcher (scan codes)');
await index.lexical();
step('lexical index');
await store.close();
console.log(`STEPS_RESULT ${JSON.stringify(steps)}`);
