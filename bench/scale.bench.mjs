// The scale ladder: synthetic clustered vectors and catalog entries written through the store's
// own API (no server), then each measurement in a fresh process (bench/support/scaleProbe.mjs),
// this checkout's format side by side with a baseline commit's in one run:
//   open time, cold first query (hybrid: lexical + vector + fusion, the query vector given),
//   peak RSS, warm p50/p99, recall@10 of the vector search against exact float32 search,
//   bytes per item on disk, and `sightline status --json` time and peak RSS.
//
//   node bench/scale.bench.mjs --baseline be022a5 [--sizes 10000,100000] [--dims 1024,4096]
//                              [--runs 3] [--warm 200] [--queries 100]
//
// The baseline is checked out into a temporary worktree; only its src/ is bundled (packages come
// from this checkout). Indexes are written under the temp folder and deleted after each size.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addBaselineWorktree, median, option, removeBaselineWorktree } from './support/benchRun.mjs';
import { queries } from './support/scaleData.mjs';
import { storeBundleVariants } from './support/storeBundle.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sizes = option('sizes', '10000,100000').split(',').map(Number);
const dimsList = option('dims', '1024,4096').split(',').map(Number);
const runs = Number(option('runs', '3'));
const warm = Number(option('warm', '200'));
const queryCount = Number(option('queries', '100'));
const baseline = option('baseline', undefined);
const scanDims = 1024;

const work = mkdtempSync(path.join(os.tmpdir(), 'sightline-scale-'));
const probe = path.join(repo, 'bench', 'support', 'scaleProbe.mjs');

function runProbe(mode, bundleFile, options) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [probe, mode, bundleFile, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`${mode} probe exited with ${code}`));
      const line = out.split('\n').find((l) => l.startsWith('SCALE_RESULT ')) ?? out.trim().split('\n').at(-1);
      resolve({ ...JSON.parse(line.replace(/^SCALE_RESULT /, '')), wallMs });
    });
  });
}

function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  return total;
}

const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const mb = (v) => `${Math.round(v)} MB`;

let baselineDir;
try {
  if (baseline) baselineDir = addBaselineWorktree(repo, baseline, work);
  const variants = await storeBundleVariants(repo, work, baseline && { commit: baseline, dir: baselineDir });

  const rows = [];
  for (const count of sizes) {
    for (const dims of dimsList) {
      const queriesFile = path.join(work, `queries-${count}-${dims}.json`);
      const truthFile = path.join(work, `truth-${count}-${dims}.json`);
      writeFileSync(queriesFile, JSON.stringify(queries(count, dims, queryCount)));
      const results = variants.map(() => ({ search: [], status: [] }));
      const dirs = variants.map((v, i) => path.join(work, `index-${i}-${count}-${dims}`));
      for (const [i, variant] of variants.entries()) {
        const written = await runProbe('write', variant.bundle, {
          dir: dirs[i],
          count,
          dims,
          scanDims,
          queriesFile,
          truthFile: i === 0 ? truthFile : undefined,
        });
        results[i].writeMs = written.writeMs;
        results[i].bytes = folderBytes(dirs[i]);
        console.error(`${variant.name} ${count} x ${dims}: written in ${ms(written.writeMs)}, ${(results[i].bytes / 1e6).toFixed(0)} MB`);
      }
      // Interleaved, so machine noise falls on both alike.
      for (let run = 0; run < runs; run++) {
        for (const [i, variant] of variants.entries()) {
          results[i].search.push(await runProbe('search', variant.bundle, { dir: dirs[i], queriesFile }));
          results[i].status.push(await runProbe('status', variant.bundle, { dir: dirs[i] }));
        }
      }
      for (const [i, variant] of variants.entries()) {
        results[i].warm = await runProbe('search', variant.bundle, { dir: dirs[i], queriesFile, truthFile, warm });
        rmSync(dirs[i], { recursive: true, force: true });
        const s = results[i].search;
        const st = results[i].status;
        rows.push(
          `| ${count.toLocaleString('en')} x ${dims.toLocaleString('en')} | ${variant.name} | ${ms(median(s.map((r) => r.openMs)))} | ${ms(median(s.map((r) => r.firstMs)))} | ` +
            `${ms(median(s.map((r) => r.wallMs)))} | ${mb(median(s.map((r) => r.maxRssMB)))} | ${ms(results[i].warm.warmP50)} / ${ms(results[i].warm.warmP99)} | ` +
            `${results[i].warm.recall.toFixed(3)} | ${Math.round(results[i].bytes / count).toLocaleString('en')} | ${ms(median(st.map((r) => r.statusMs)))} | ${ms(median(st.map((r) => r.wallMs)))} | ${mb(median(st.map((r) => r.maxRssMB)))} |`,
        );
        console.error(rows.at(-1));
      }
      rmSync(queriesFile, { force: true });
      rmSync(truthFile, { force: true });
    }
  }
  const load = os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');
  console.log(
    `\n${runs} fresh processes per cell (medians); warm: ${warm} queries in one process; recall@10 over ${queryCount} queries; scan codes ${scanDims} dims; load average at the end ${load}.\n`,
  );
  console.log(
    '| items x dims | format | open | cold first query | search process wall | search peak RSS | warm p50 / p99 | recall@10 | bytes/item | status (in process) | status process wall | status peak RSS |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
} finally {
  removeBaselineWorktree(repo, baselineDir);
  rmSync(work, { recursive: true, force: true });
}
