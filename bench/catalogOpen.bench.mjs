// Opening a large index read-only, as `sightline search` and a following window do, this
// checkout side by side with a baseline commit, each open in a fresh process, interleaved:
//   open time (IndexStore.openReadOnly), peak RSS when the open returns, and the heap the open
//   store holds after a full collection.
//
//   node bench/catalogOpen.bench.mjs --baseline ffb2072 [--index DIR] [--count 100000]
//                                    [--dims 4096] [--runs 7]
//
// With --index, an existing index is opened (read-only: nothing in it is written). Without it,
// one of --count items x --dims is written first through this checkout's store API
// (bench/support/scaleProbe.mjs write) into the temp folder and deleted afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addBaselineWorktree, median, option, removeBaselineWorktree } from './support/benchRun.mjs';
import { storeBundleVariants } from './support/storeBundle.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const baseline = option('baseline', undefined);
const runs = Number(option('runs', '7'));
const count = Number(option('count', '100000'));
const dims = Number(option('dims', '4096'));
const work = mkdtempSync(path.join(os.tmpdir(), 'sightline-catalog-open-'));
const support = path.join(repo, 'bench', 'support');

function run(script, args, nodeFlags = []) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeFlags, path.join(support, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      resolve({ ...JSON.parse(out.trim().split('\n').at(-1)), wallMs: performance.now() - started });
    });
  });
}

const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
const mb = (v) => `${Math.round(v)} MB`;

let baselineDir;
try {
  if (baseline) baselineDir = addBaselineWorktree(repo, baseline, work);
  const variants = await storeBundleVariants(repo, work, baseline && { commit: baseline, dir: baselineDir });

  let dir = option('index', undefined);
  if (!dir) {
    dir = path.join(work, 'index');
    const written = await run('scaleProbe.mjs', ['write', variants.at(-1).bundle, JSON.stringify({ dir, count, dims, scanDims: 1024 })]);
    console.error(`written ${count} x ${dims} in ${ms(written.writeMs)}`);
  }

  const results = variants.map(() => []);
  // Interleaved, so the machine's noise falls on both alike.
  for (let i = 0; i < runs; i++) {
    for (const [v, variant] of variants.entries()) results[v].push(await run('openProbe.mjs', [variant.bundle, dir], ['--expose-gc']));
  }
  const load = os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');
  const first = results[0][0];
  console.log(
    `\n${first.files.toLocaleString('en')} files, ${first.items.toLocaleString('en')} items, journal ${(first.journalBytes / 1e6).toFixed(0)} MB; medians of ${runs} fresh processes; load average at the end ${load}.\n`,
  );
  console.log('| variant | open | process wall | peak RSS at open | heap held after open |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [v, variant] of variants.entries()) {
    const r = results[v];
    console.log(
      `| ${variant.name} | ${ms(median(r.map((x) => x.openMs)))} | ${ms(median(r.map((x) => x.wallMs)))} | ${mb(median(r.map((x) => x.peakRssMB)))} | ${mb(median(r.map((x) => x.heldHeapMB)))} |`,
    );
  }
} finally {
  removeBaselineWorktree(repo, baselineDir);
  rmSync(work, { recursive: true, force: true });
}
