// Extension host memory: what an open index costs the extension host, and how long the
// extension's background open takes, with the production bundle.
//
//   node bench/extensionHostMemory.bench.mjs [--sizes 10000,100000] [--dims 1024,4096] [--runs 3]
//        [--baseline COMMIT] [--indexes DIR] [--timeout-s 600]
//
// For each size and dims, a synthetic index (bench/support/scaleData.mjs, written through the
// store's own API by scaleProbe.mjs) is put where a real window keeps it: the extension's
// workspace storage folder (context.storageUri), in `index/`. Then, in a fresh Node process per
// run (bench/support/extensionHostProbe.mjs), dist/extension.js is activated on that workspace
// with the fake `vscode` module, the status bar is watched until the background open ends, and
// one query is typed into Sightline: Search (the fake embeddings server, in a process of its
// own, answers the query's embedding). Each run gets a fresh copy of the index, since the
// window opens it as its writer. Windows without an index are measured in the same run: the
// RSS an open index adds is the median after the open minus the median of those. A second
// table takes the open apart (bench/support/openStepsProbe.mjs): what each step costs and keeps.
//
// --indexes DIR keeps the written indexes in DIR (as VARIANT-COUNTxDIMS) and reuses them next
// time; an index folder put there by hand (a link to one, say) is only ever copied, never opened.
// --baseline COMMIT builds that commit's production bundle and writes its index with its own
// store, side by side with this checkout, runs interleaved.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { addBaselineWorktree, median, option, removeBaselineWorktree } from './support/benchRun.mjs';
import { bundleFakeVscode } from './support/fakeVscodeBundle.mjs';
import { startFakeServerProcess } from './support/fakeServerProcess.mjs';
import { buildProduction } from './support/productionBundle.mjs';
import { queries } from './support/scaleData.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sizes = option('sizes', '10000,100000').split(',').map(Number);
const dimsList = option('dims', '1024,4096').split(',').map(Number);
const runs = Number(option('runs', '3'));
const baseline = option('baseline', undefined);
const timeoutMs = Number(option('timeout-s', '600')) * 1000;
const SCAN_DIMS = 1024;
const TARGET_MB = 250;

const work = mkdtempSync(path.join(os.tmpdir(), 'sightline-hostmem-'));
const indexes = option('indexes', path.join(work, 'indexes'));
mkdirSync(indexes, { recursive: true });
const probe = path.join(repo, 'bench', 'support', 'extensionHostProbe.mjs');
const stepsProbe = path.join(repo, 'bench', 'support', 'openStepsProbe.mjs');
const writerProbe = path.join(repo, 'bench', 'support', 'scaleProbe.mjs');
let baselineDir;
try {
  const fakeVscode = await bundleFakeVscode(path.join(work, 'fake-vscode.cjs'));
  const variants = [];
  if (baseline) {
    baselineDir = addBaselineWorktree(repo, baseline, work);
    // Its sources import packages; esbuild looks for them beside the real files.
    symlinkSync(path.join(repo, 'node_modules'), path.join(baselineDir, 'node_modules'));
    variants.push(await variant(`before (${baseline})`, 'before', baselineDir));
  }
  variants.push(await variant('now', 'now', repo));

  const workspace = path.join(work, 'workspace');
  mkdirSync(workspace);
  const rows = [];
  const stepRows = [];
  for (const dims of dimsList) {
    const server = await startFakeServerProcess({ dimensions: dims, rateLimit: { requestsPerSecond: 5, burst: 5 } });
    try {
      const query = queries(Math.max(...sizes), dims, 1)[0].text;
      const probeRun = (v, storage, expectIndex) =>
        runProbe({
          extension: path.join(v.dist, 'extension.js'),
          fakeVscode,
          extensionPath: repo,
          workspace,
          storage,
          endpoint: server.baseUrl,
          query,
          expectIndex,
          timeoutMs,
        });
      for (const count of sizes) {
        const pristine = [];
        for (const v of variants) pristine.push(await pristineIndex(v, count, dims));
        const samples = variants.map(() => ({ open: [], none: [] }));
        // Interleaved, so machine noise falls on every variant alike.
        for (let run = 0; run < runs; run++) {
          for (const [i, v] of variants.entries()) {
            const storage = path.join(work, 'storage');
            cpSync(pristine[i], path.join(storage, 'index'), { recursive: true });
            const { stats: before } = await server.stats();
            const measured = await probeRun(v, storage, true);
            const { stats: after } = await server.stats();
            rmSync(storage, { recursive: true, force: true });
            // The query's vector came from the server: one embeddings request per run, answered.
            if (after.embeddingRequests - before.embeddingRequests !== 1)
              throw new Error(`${v.name}: expected one embeddings request, saw ${after.embeddingRequests - before.embeddingRequests}`);
            if (measured.items !== count) throw new Error(`${v.name}: the status bar counts ${measured.items} items, the index has ${count}`);
            samples[i].open.push(measured);
            const empty = path.join(work, 'storage-empty');
            mkdirSync(empty);
            samples[i].none.push(await probeRun(v, empty, false));
            rmSync(empty, { recursive: true, force: true });
            console.error(`${v.name} ${count} x ${dims} run ${run + 1}: ${summary(measured)}`);
          }
        }
        for (const [i, v] of variants.entries()) {
          const storage = path.join(work, 'storage');
          cpSync(pristine[i], path.join(storage, 'index'), { recursive: true });
          const steps = await runSteps(v, path.join(storage, 'index'));
          rmSync(storage, { recursive: true, force: true });
          stepRows.push({ count, dims, line: stepRow(count, dims, v, steps) });
        }
        for (const [i, v] of variants.entries()) rows.push({ count, dims, line: row(count, dims, v, samples[i]) });
        for (const { line } of rows.slice(-variants.length)) console.error(line);
      }
    } finally {
      await server.stop();
    }
  }
  const load = os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
  console.log(
    `\nnode ${process.version}, ${os.cpus().length} cores, load average at the end ${load}; ${runs} fresh processes per cell (medians), each with a fresh copy of the index.\n`,
  );
  console.log(
    '| items x dims | bundle | RSS before activation | after activation | after the background open | RSS an open index adds | after the first query | peak RSS | background open | longest event-loop stall during the open | first query: search / typed → results | after the query and a full GC: RSS / heap / external |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  // By size, then dims (they were measured dims first: one fake server per vector size).
  rows.sort((a, b) => a.count - b.count || a.dims - b.dims);
  for (const { line } of rows) console.log(line);
  console.log(
    `\nTarget: the RSS an open 100k-item index adds < ${TARGET_MB} MB. "RSS an open index adds" = after the open minus a window without an index once its status bar has settled (same bundle, same run). "typed → results" includes the quick pick's 200 ms typing debounce and the query's embedding request to the fake server (5 requests/s, own process).`,
  );
  console.log(
    '\nThe open step by step (bench/support/openStepsProbe.mjs: the steps of the background open in one fresh process, time of each, then what it keeps after a full GC):\n',
  );
  console.log(
    '| items x dims | bundle | load the core | open the store (catalog) | vector searcher (scan codes) | lexical index | kept in all: heap / outside the heap | peak RSS |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  stepRows.sort((a, b) => a.count - b.count || a.dims - b.dims);
  for (const { line } of stepRows) console.log(line);
} finally {
  removeBaselineWorktree(repo, baselineDir);
  rmSync(work, { recursive: true, force: true });
}

/** A bundle to measure: the production build of `checkout`, and its store for writing indexes. */
async function variant(name, key, checkout) {
  const dist = buildProduction(path.join(work, `build-${key}`), { checkout });
  const writer = path.join(work, `writer-${key}.cjs`);
  const requireFromRepo = createRequire(path.join(repo, 'package.json'));
  await esbuild.build({
    entryPoints: [path.join(checkout, 'src', 'core', 'index', 'store', 'indexStore.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: writer,
    plugins: [
      {
        name: 'native-from-this-checkout',
        setup(build) {
          build.onResolve({ filter: /^(sharp|@hyzyla\/pdfium|usearch)(\/.*)?$/ }, (args) => ({ path: requireFromRepo.resolve(args.path), external: true }));
        },
      },
    ],
    logLevel: 'warning',
  });
  return { name, key, dist, writer };
}

/** The index for this variant and size, written with the variant's own store unless already there. */
async function pristineIndex(v, count, dims) {
  const dir = path.join(indexes, `${v.key}-${count}x${dims}`);
  if (existsSync(path.join(dir, 'manifest.json'))) return realpathSync(dir);
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  await runNode(writerProbe, ['write', v.writer, JSON.stringify({ dir, count, dims, scanDims: SCAN_DIMS })]);
  console.error(`${v.name}: wrote ${count} x ${dims} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}

async function runProbe(options) {
  const out = await runNode(probe, [JSON.stringify(options)], ['--expose-gc']);
  const line = out.split('\n').find((l) => l.startsWith('HOST_RESULT '));
  if (!line) throw new Error(`the probe printed no result:\n${out}`);
  return JSON.parse(line.slice('HOST_RESULT '.length));
}

async function runSteps(v, indexDir) {
  const out = await runNode(stepsProbe, [JSON.stringify({ core: path.join(v.dist, 'core.js'), indexDir })], ['--expose-gc']);
  const line = out.split('\n').find((l) => l.startsWith('STEPS_RESULT '));
  if (!line) throw new Error(`the steps probe printed no result:\n${out}`);
  return JSON.parse(line.slice('STEPS_RESULT '.length));
}

function runNode(script, args, nodeOptions = []) {
  return new Promise((resolve, reject) => {
    // SIGHTLINE_API_KEY goes with the endpoint set in user settings, as the extension allows for CI.
    const child = spawn(process.execPath, [...nodeOptions, script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SIGHTLINE_API_KEY: 'test-key' },
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(script)} exited with ${code}`))));
  });
}

function ms(v) {
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`;
}

function mb(v) {
  return `${Math.round(v)} MB`;
}

function summary(r) {
  return `open ${ms(r.openedAtMs - r.openingAtMs)}, RSS ${mb(r.afterActivate.rssMB)} -> ${mb(r.afterOpen.rssMB)} -> ${mb(r.afterQuery.rssMB)}, peak ${mb(r.maxRssMB)}, stall ${ms(r.stallMaxMs)}, first query ${ms(r.searchMs)} / ${ms(r.firstQueryMs)}`;
}

function row(count, dims, v, { open, none }) {
  const m = (pick) => median(open.map(pick));
  const withoutIndex = median(none.map((r) => r.afterOpen.rssMB));
  const adds = m((r) => r.afterOpen.rssMB) - withoutIndex;
  return (
    `| ${count.toLocaleString('en')} x ${dims.toLocaleString('en')} | ${v.name} | ${mb(m((r) => r.before.rssMB))} | ${mb(m((r) => r.afterActivate.rssMB))} (no index, settled: ${mb(withoutIndex)}) | ` +
    `${mb(m((r) => r.afterOpen.rssMB))} | **${mb(adds)}** | ${mb(m((r) => r.afterQuery.rssMB))} | ${mb(m((r) => r.maxRssMB))} | ${ms(m((r) => r.openedAtMs - r.openingAtMs))} | ` +
    `${ms(m((r) => r.stallMaxMs))} | ${ms(m((r) => r.searchMs))} / ${ms(m((r) => r.firstQueryMs))} | ${mb(m((r) => r.afterGc.rssMB))} / ${mb(m((r) => r.afterGc.heapUsedMB))} / ${mb(m((r) => r.afterGc.externalMB))} |`
  );
}

function stepRow(count, dims, v, steps) {
  const cell = (i) => {
    const [was, now] = [steps[i - 1], steps[i]];
    const sign = (n) => (n >= 0 ? '+' : '−') + mb(Math.abs(n));
    return `${ms(now.ms)}, heap ${sign(now.heapUsedMB - was.heapUsedMB)}, outside ${sign(now.externalMB - was.externalMB)}`;
  };
  const first = steps[0];
  const end = steps.at(-1);
  return (
    `| ${count.toLocaleString('en')} x ${dims.toLocaleString('en')} | ${v.name} | ${[1, 2, 3, 4].map(cell).join(' | ')} | ` +
    `${mb(end.heapUsedMB - first.heapUsedMB)} / ${mb(end.externalMB - first.externalMB)} | ${mb(end.maxRssMB)} |`
  );
}
