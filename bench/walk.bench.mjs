// Times full walks of a generated 100k-file tree: `node bench/walk.bench.mjs [runs]`.
// The tree is made once in the temp folder and reused; the walker is bundled from the
// TypeScript sources with esbuild so the benchmark runs on plain Node.
import { bundleSources } from './support/bundleSources.mjs';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const runs = Number(process.argv[2] ?? 7);
const tree = path.join(os.tmpdir(), 'sightline-bench-walk-100k-v1');

const { walkWorkspace } = await bundleSources('src/core/sources/walk/walkWorkspace.ts');
await ensureTree();

// One untimed walk first: the first pass pays for cold directory caches, later ones do not.
const warm = await walk();
const times = [];
// The walk must leave the event loop free for the extension host: track the longest stall.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  await walk();
  times.push(performance.now() - started);
}
loopDelay.disable();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`tree: ${tree}`);
console.log(`files yielded: ${warm.files}, skipped events: ${warm.skipped}, runs: ${runs}`);
console.log(`event loop delay during timed walks: p99 ${ms(loopDelay.percentile(99))}, max ${ms(loopDelay.max)}`);
console.log('| benchmark | files on disk | yielded | median | min |');
console.log('|---|---|---|---|---|');
console.log(`| walkWorkspace, full walk | 100,000 | ${warm.files.toLocaleString('en')} | ${median.toFixed(0)} ms | ${times[0].toFixed(0)} ms |`);

function ms(nanoseconds) {
  return `${(nanoseconds / 1e6).toFixed(0)} ms`;
}

async function walk() {
  let files = 0;
  let skipped = 0;
  for await (const event of walkWorkspace({ roots: [tree] })) {
    if (event.type === 'file') files++;
    else skipped++;
  }
  return { files, skipped };
}

// 100,000 files: 80,000 in 800 folders of the workspace proper (a mix of images, markdown,
// PDFs and other files), 10,000 under node_modules and 10,000 in folders a .gitignore excludes.
async function ensureTree() {
  const marker = path.join(tree, '.complete');
  if (existsSync(marker)) return;
  console.log(`generating ${tree} ...`);
  mkdirSync(tree, { recursive: true });
  writeFileSync(path.join(tree, '.gitignore'), 'build/\n*.log\n/generated\n');
  const extensions = ['png', 'png', 'jpg', 'md', 'md', 'pdf', 'ts', 'json', 'txt', 'log'];
  const folders = [];
  for (let a = 0; a < 20; a++) {
    for (let b = 0; b < 8; b++) {
      for (let c = 0; c < 5; c++) folders.push([`area${a}`, `part${b}`, `leaf${c}`, 100]);
    }
  }
  for (let n = 0; n < 100; n++) folders.push(['node_modules', `pkg${n}`, 'dist', 100]);
  for (let n = 0; n < 50; n++) folders.push(['generated', `batch${n}`, 100]);
  for (let n = 0; n < 50; n++) folders.push([`area${n % 20}`, 'build', `out${n}`, 100]);
  let made = 0;
  for (const spec of folders) {
    const count = spec.pop();
    const folder = path.join(tree, ...spec);
    await mkdir(folder, { recursive: true });
    const writes = [];
    for (let i = 0; i < count; i++) {
      const name = `file${i}.${extensions[(i + made) % extensions.length]}`;
      writes.push(writeFile(path.join(folder, name), ''));
    }
    await Promise.all(writes);
    made += count;
  }
  writeFileSync(marker, `${made}\n`);
}
