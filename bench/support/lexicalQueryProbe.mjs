// The child process of bench/lexicalQuery.bench.mjs: opens an index read-only, loads its
// lexical index, answers one query (timed as the first), then every query of QUERIES_JSON
// three times, and prints one JSON line: first ms, p50 and p90 ms, and a digest of every
// match (file, item, score to 12 digits, matched terms) so two variants can be compared.
//   node lexicalQueryProbe.mjs BUNDLE INDEX_DIR QUERIES_JSON
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [bundle, dir, queriesFile] = process.argv.slice(2);
const lib = require(bundle);
const texts = JSON.parse(readFileSync(queriesFile, 'utf8')).map((q) => q.text);
const LIMIT = 200;

const store = await lib.IndexStore.openReadOnly(dir);
const words = await store.lexicalIndex();
const t0 = performance.now();
words.query(texts[0], LIMIT);
const firstMs = performance.now() - t0;
const times = [];
const digest = createHash('sha256');
for (let round = 0; round < 3; round++) {
  for (const text of texts) {
    const t = performance.now();
    const matches = words.query(text, LIMIT);
    times.push(performance.now() - t);
    if (round === 0) digest.update(JSON.stringify(matches.map((m) => [m.file, m.item, m.score.toPrecision(12), m.matchedTerms])));
  }
}
times.sort((a, b) => a - b);
await store.close();
console.log(
  JSON.stringify({ firstMs, p50: times[times.length >> 1], p90: times[Math.floor(times.length * 0.9)], queries: texts.length, digest: digest.digest('hex') }),
);
