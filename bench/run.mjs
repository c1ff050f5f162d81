// Runs the benchmarks one after another (never in parallel: they would measure each other).
// `npm run bench` runs all; `npm run bench -- search walk` runs the named ones.
// Each prints markdown tables; BENCHMARKS.md records them with the command that produced them.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((name) => name.endsWith('.bench.mjs'))
  .map((name) => name.replace(/\.bench\.mjs$/, ''))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const name of wanted.length ? wanted : all) {
  console.log(`\n## ${name}\n\n\`node bench/${name}.bench.mjs\`\n`);
  const result = spawnSync(process.execPath, [path.join(here, `${name}.bench.mjs`)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`${name} failed with exit code ${result.status}`);
  }
}
process.exit(failed ? 1 : 0);
