// A workspace of screenshots indexed cold against the provider's limit, and the same workspace
// indexed by a teammate from the shared cache the cold run exported, side by side in one run:
//
//   node bench/sharedCache.bench.mjs [images=2000] [--cache-runs=3]
//
// Every run is the command line tool in a fresh process, as CI and a teammate run it:
// `sightline index` cold, `sightline cache export`, then `sightline index --cache FILE` on a clone
// (another path, a new index). Wall time is from spawning the process to its exit: opening and
// checking the cache, walking, preparing, embedding and committing. The fake server runs in its
// own process, enforcing IONOS's contract (5 requests/s, bursts of 10) with 50 ms per answer, at
// the model's full 4096 dimensions; the tool uses its defaults (5/s, burst 10, 4 in flight).
// The screenshots are the test helpers' synthetic ones, all different, at the sizes screenshots
// come in (phone to 4K, light and dark). "1% changed" is a clone with 1% more screenshots than
// the cache knows. The cold run takes about images/5 seconds, so it runs once; the cache runs are
// repeated and their median reported.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bundleSources } from './support/bundleSources.mjs';
import { startFakeServerProcess } from './support/fakeServerProcess.mjs';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const imageCount = Number(positional[0] ?? 2000);
const cacheRuns = Number(process.argv.find((a) => a.startsWith('--cache-runs='))?.slice(13) ?? 3);
const LIMIT = { requestsPerSecond: 5, burst: 10 };
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Screenshot sizes with how often they come up: laptops and monitors mostly, some phones, tablets and old dialogs. */
const SIZES = [
  [1920, 1080, 5],
  [1440, 900, 4],
  [1280, 800, 4],
  [2560, 1440, 2],
  [1366, 768, 2],
  [3024, 1964, 1],
  [390, 844, 2],
  [820, 1180, 1],
  [800, 600, 2],
  [640, 480, 2],
];

const { renderSyntheticScreenshot } = await bundleSources('test/support/fakeServer/syntheticImages.ts');
const work = mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-shared-cache-'));
const load = [os.loadavg()[0].toFixed(1)];
try {
  const cli = await bundleCli();
  const { root, bytes } = await screenshots(imageCount);
  const server = await startFakeServerProcess({ dimensions: 4096, latencyMs: 50, rateLimit: LIMIT });
  try {
    const sightline = (args, cwd = work) => measured(server, () => runCli(cli, args, { cwd, endpoint: server.baseUrl }));

    console.error(`cold run: ${imageCount} images at ${LIMIT.requestsPerSecond} requests/s (about ${Math.round(imageCount / LIMIT.requestsPerSecond)} s)…`);
    const coldIndex = path.join(work, 'cold-index');
    const cold = await sightline(['index', root, '--index-dir', coldIndex, '--json']);

    const cacheFile = path.join(work, 'team.slcache');
    const exported = await sightline(['cache', 'export', cacheFile, '--root', root, '--index-dir', coldIndex, '--json']);
    const exportInfo = JSON.parse(exported.stdout);

    const clone = path.join(work, 'clone');
    cpSync(root, clone, { recursive: true });
    const fromCache = [];
    for (let run = 0; run < cacheRuns; run++) {
      console.error(`from the cache, run ${run + 1} of ${cacheRuns}…`);
      fromCache.push(await sightline(['index', clone, '--index-dir', path.join(work, `cache-index-${run}`), '--cache', cacheFile, '--json']));
    }

    const changed = path.join(work, 'clone-changed');
    cpSync(root, changed, { recursive: true });
    const extra = Math.max(1, Math.round(imageCount / 100));
    mkdirSync(path.join(changed, 'new'), { recursive: true });
    for (let i = 0; i < extra; i++) writeFileSync(path.join(changed, 'new', `shot-new-${i}.png`), await screenshot(1_000_000 + i));
    const fromCacheChanged = [];
    for (let run = 0; run < cacheRuns; run++) {
      console.error(`from the cache, 1% changed, run ${run + 1} of ${cacheRuns}…`);
      fromCacheChanged.push(await sightline(['index', changed, '--index-dir', path.join(work, `changed-index-${run}`), '--cache', cacheFile, '--json']));
    }
    load.push(os.loadavg()[0].toFixed(1));

    const row = (label, runs) => {
      const median = medianOf(runs.map((r) => r.seconds));
      const typical = runs.find((r) => r.seconds === median) ?? runs[0];
      const report = JSON.parse(typical.stdout);
      const spread = runs.length > 1 ? ` (${runs.map((r) => r.seconds.toFixed(1)).join(', ')})` : ' (once)';
      return (
        `| ${label} | ${report.itemsEmbedded.toLocaleString('en')} | ${report.itemsFromSharedCache.toLocaleString('en')} | ` +
        `${typical.requests.toLocaleString('en')} | ${typical.rateLimited} | ${median.toFixed(1)} s${spread} | ${(cold.seconds / median).toFixed(1)}x |`
      );
    };
    console.log(
      `${imageCount.toLocaleString('en')} synthetic screenshots (PNG, ${SIZES.length} sizes from 390x844 to 3024x1964, light and dark; ` +
        `${(bytes / 1024 / 1024).toFixed(0)} MiB, ${(bytes / imageCount / 1024).toFixed(0)} KiB each on average), 4096 dims; ` +
        `fake server ${LIMIT.requestsPerSecond} req/s, burst ${LIMIT.burst}, 50 ms per answer; each run a fresh \`sightline\` process; load average ${load.join(' → ')}\n`,
    );
    console.log('| run | items embedded | reused from the shared cache | requests at the server | 429s | wall time (median; each run) | faster than cold |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    console.log(row('`sightline index`, cold (no cache)', [cold]));
    console.log(row('`sightline index --cache`, same files', fromCache));
    console.log(row(`\`sightline index --cache\`, 1% changed (+${extra} screenshots)`, fromCacheChanged));
    console.log(
      `\n\`sightline cache export\`: ${exportInfo.entries.toLocaleString('en')} entries in ${exported.seconds.toFixed(1)} s (process included), ` +
        `${(exportInfo.bytes / 1024 / 1024).toFixed(1)} MiB, ${(exportInfo.bytes / exportInfo.entries).toFixed(1)} bytes per item ` +
        `(float16 vector ${exportInfo.vectorDims * 2} B + key 32 B, header and checksum shared); the index itself: ` +
        `${(folderBytes(coldIndex) / exportInfo.entries).toFixed(0)} bytes per item`,
    );
  } finally {
    await server.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Runs `run` and reads what the server saw meanwhile. */
async function measured(server, run) {
  const { stats: before } = await server.stats();
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const { stats: after } = await server.stats();
  return { ...result, seconds, requests: after.embeddingRequests - before.embeddingRequests, rateLimited: after.rateLimited - before.rateLimited };
}

/** src/cli.ts bundled as the release build bundles it, into the temp folder (so dist/ need not be current). */
async function bundleCli() {
  const file = path.join(work, 'cli', 'cli.js');
  await esbuild.build({
    entryPoints: [path.join(repo, 'src/cli.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['sharp', '@hyzyla/pdfium', 'vscode'],
    logLevel: 'silent',
    absWorkingDir: repo,
  });
  return file;
}

/** One `sightline` process; resolves with its output once it exits 0. */
function runCli(cli, args, { cwd, endpoint }) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, SIGHTLINE_API_KEY: 'test-key', SIGHTLINE_ENDPOINT: endpoint, NODE_PATH: path.join(repo, 'node_modules') };
    const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve({ stdout }) : reject(new Error(`sightline ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`)),
    );
  });
}

/** Screenshot `seed`: its size drawn from SIZES by weight, every third one dark. */
function screenshot(seed) {
  const total = SIZES.reduce((sum, [, , weight]) => sum + weight, 0);
  let pick = (seed * 7919) % total;
  const [width, height] = SIZES.find(([, , weight]) => (pick -= weight) < 0);
  return renderSyntheticScreenshot(seed, { width, height, theme: seed % 3 === 0 ? 'dark' : 'light' });
}

/** The screenshots, made once per count and kept in the temp folder for later runs. */
async function screenshots(count) {
  const root = path.join(os.tmpdir(), `sightline-bench-screenshots-${count}-varied-v1`);
  if (!existsSync(path.join(root, '.done'))) {
    rmSync(root, { recursive: true, force: true });
    console.error(`making ${count} synthetic screenshots in ${root}…`);
    for (let i = 0; i < count; i++) {
      const dir = path.join(root, `area-${Math.floor(i / 250)}`);
      if (i % 250 === 0) mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `shot-${i}.png`), await screenshot(i));
    }
    writeFileSync(path.join(root, '.done'), '');
  }
  return { root, bytes: folderBytes(root) };
}

function medianOf(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}
