// Lexical queries alone (no vectors, no fusion) on an existing index, this checkout side by side
// with a baseline commit, each variant in fresh processes, interleaved:
//   first query, p50 and p90 over 3 rounds of the queries, and whether both variants return
//   exactly the same matches (files, items, scores to 12 digits, matched terms).
//
//   node bench/lexicalQuery.bench.mjs --baseline 779f6f7 --index DIR --queries QUERIES_JSON [--runs 3]
//
// QUERIES_JSON is a list of { text } (the scale ladder's query files have that shape). The index
// is only read; both variants must read its format.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addBaselineWorktree, median, option, removeBaselineWorktree } from './support/benchRun.mjs';
import { storeBundleVariants } from './support/storeBundle.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const baseline = option('baseline', undefined);
const dir = option('index', undefined);
const queriesFile = option('queries', undefined);
const runs = Number(option('runs', '3'));
if (!dir || !queriesFile) throw new Error('usage: --index DIR --queries QUERIES_JSON [--baseline COMMIT] [--runs N]');
const work = mkdtempSync(path.join(os.tmpdir(), 'sightline-lexical-query-'));

function probe(bundle) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repo, 'bench', 'support', 'lexicalQueryProbe.mjs'), bundle, dir, queriesFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`probe exited with ${code}`))));
  });
}

const ms = (v) => `${v.toFixed(1)} ms`;

let baselineDir;
try {
  if (baseline) baselineDir = addBaselineWorktree(repo, baseline, work);
  const variants = await storeBundleVariants(repo, work, baseline && { commit: baseline, dir: baselineDir });
  const results = variants.map(() => []);
  // Interleaved, so the machine's noise falls on both alike.
  for (let run = 0; run < runs; run++) for (const [v, variant] of variants.entries()) results[v].push(await probe(variant.bundle));
  const load = os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');
  const digests = new Set(results.flat().map((r) => r.digest));
  console.log(`\n${results[0][0].queries} queries x 3 rounds per process, limit 200; medians of ${runs} fresh processes; load average at the end ${load}.`);
  console.log(`Same matches in every process and variant: ${digests.size === 1 ? 'yes' : 'NO'}\n`);
  console.log('| variant | first query | p50 | p90 |');
  console.log('| --- | --- | --- | --- |');
  for (const [v, variant] of variants.entries()) {
    const r = results[v];
    console.log(`| ${variant.name} | ${ms(median(r.map((x) => x.firstMs)))} | ${ms(median(r.map((x) => x.p50)))} | ${ms(median(r.map((x) => x.p90)))} |`);
  }
} finally {
  removeBaselineWorktree(repo, baselineDir);
  rmSync(work, { recursive: true, force: true });
}
