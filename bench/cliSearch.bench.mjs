// `sightline search` as a user runs it, end to end, on an existing index: a fresh CLI process
// that reads the API key from the environment, opens the index, embeds the query at the fake
// embeddings server (its own process, so its work is not counted) and prints the results.
// This checkout side by side with a baseline commit, interleaved; the process wall time and
// peak RSS (from /usr/bin/time), and whether both printed the same results.
//
//   node bench/cliSearch.bench.mjs --index DIR [--baseline COMMIT] [--runs 5] [--query "words"]
//
// The index is only read. Each variant's CLI is bundled from its src/ with this checkout's
// packages (bench/support/bundleSources.mjs), as the build does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addBaselineWorktree, median, option, removeBaselineWorktree } from './support/benchRun.mjs';
import { sourcesFrom, writeBundle } from './support/bundleSources.mjs';
import { startFakeServerProcess } from './support/fakeServerProcess.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = option('index', undefined);
if (!dir) throw new Error('usage: --index DIR [--baseline COMMIT] [--runs N] [--query "words"]');
const baseline = option('baseline', undefined);
const runs = Number(option('runs', '5'));
const query = option('query', 'kafka restart latency');
const API_KEY = 'bench-key';
const work = mkdtempSync(path.join(os.tmpdir(), 'sightline-cli-search-'));

let baselineDir;
let server;
try {
  const variants = [];
  if (baseline) {
    baselineDir = addBaselineWorktree(repo, baseline, work);
    const cli = path.join(work, 'before.cjs');
    await writeBundle('src/cli.ts', cli, { repo, plugins: [sourcesFrom(baselineDir, repo)] });
    variants.push({ name: `before (${baseline})`, cli });
  }
  const now = path.join(work, 'now.cjs');
  await writeBundle('src/cli.ts', now, { repo });
  variants.push({ name: 'now', cli: now });

  server = await startFakeServerProcess({ apiKey: API_KEY });
  const env = { ...process.env, SIGHTLINE_API_KEY: API_KEY, SIGHTLINE_ENDPOINT: server.baseUrl };
  const results = variants.map(() => []);
  // Interleaved, so the machine's noise falls on both alike.
  for (let run = 0; run < runs; run++) {
    for (const [v, variant] of variants.entries()) {
      const child = spawnSync(
        '/usr/bin/time',
        ['-f', 'TIME %e %M', process.execPath, variant.cli, 'search', query, '--index-dir', dir, '--json', '--top', '20'],
        {
          env,
          encoding: 'utf8',
          maxBuffer: 64 << 20,
        },
      );
      if (child.status !== 0) throw new Error(`${variant.name}: exit ${child.status}: ${child.stderr}`);
      const [, wall, rssKB] = /TIME ([\d.]+) (\d+)/.exec(child.stderr);
      results[v].push({ wallS: Number(wall), rssMB: Number(rssKB) / 1024, out: child.stdout });
    }
  }
  const load = os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');
  const outputs = new Set(results.flat().map((r) => r.out));
  console.log(`\nquery "${query}", top 20; medians of ${runs} fresh processes per variant; load average at the end ${load}.`);
  console.log(`Same results printed by every process of every variant: ${outputs.size === 1 ? 'yes' : 'NO'}\n`);
  console.log('| variant | process wall | peak RSS |');
  console.log('| --- | --- | --- |');
  for (const [v, variant] of variants.entries()) {
    const r = results[v];
    console.log(`| ${variant.name} | ${median(r.map((x) => x.wallS)).toFixed(2)} s | ${Math.round(median(r.map((x) => x.rssMB)))} MB |`);
  }
} finally {
  await server?.stop();
  removeBaselineWorktree(repo, baselineDir);
  rmSync(work, { recursive: true, force: true });
}
