#!/usr/bin/env node
// Checks the VSIXs that packageTargets.mjs wrote: every file must be on the target's
// allow-list, the files the extension loads at run time must be there, native binaries must
// be the target's own (format, architecture and libc read from the files themselves), no
// source maps, TypeScript or tests, and each VSIX must stay within its size budget. The
// VSIX for this machine is also unpacked and run: sharp and PDFium load from it and work.
// Prints a markdown table and exits with 1 on any problem.
//
//   node scripts/checkVsix.mjs [--targets a,b] [--no-smoke] [file.vsix ...]
// Without files it checks dist-vsix/sightline-<target>.vsix for every target (or --targets).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TARGETS, checkVsixContents, findTarget, formatMiB, hostTarget } from './lib/vsixRules.mjs';
import { readZipEntries, readZipEntry } from './lib/zip.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { targets: { type: 'string' }, 'no-smoke': { type: 'boolean', default: false } },
  });
  const jobs = positionals.length > 0 ? positionals.map((file) => ({ file: resolve(file) })) : defaultJobs(values.targets);
  const host = hostTarget();

  const rows = [];
  let failed = false;
  for (const job of jobs) {
    const result = checkOne(job, host, !values['no-smoke']);
    rows.push(result);
    if (result.problems.length > 0) failed = true;
  }

  console.log('| target | files | compressed size | budget | result |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  for (const row of rows) {
    const result =
      row.problems.length === 0 ? 'ok' + (row.smoke ? ' (ran here)' : '') : `${row.problems.length} problem${row.problems.length === 1 ? '' : 's'}`;
    console.log(
      `| ${row.target} | ${row.files ?? '-'} | ${row.size === undefined ? '-' : formatMiB(row.size)} | ${row.budget === undefined ? '-' : formatMiB(row.budget)} | ${result} |`,
    );
  }
  for (const row of rows.filter((r) => r.problems.length > 0)) {
    console.error(`\n${row.target} (${relative(ROOT, row.file)}):`);
    for (const problem of row.problems) console.error(`  - ${problem}`);
  }
  if (failed) {
    console.error('\ncheckVsix: some VSIXs do not pass (see above)');
    process.exitCode = 1;
  }
}

function defaultJobs(option) {
  const names = option ? option.split(',').map((name) => name.trim()) : TARGETS.map((t) => t.target);
  return names.map((given) => {
    const name = given === 'host' ? hostTarget() : given;
    if (!name || !findTarget(name)) {
      throw new Error(`Unknown target "${given}" (known: ${TARGETS.map((t) => t.target).join(', ')}; "host" is ${hostTarget() ?? 'unsupported'})`);
    }
    return { file: join(ROOT, 'dist-vsix', `sightline-${name}.vsix`), target: name };
  });
}

function checkOne(job, host, smoke) {
  const row = { file: job.file, target: job.target ?? relative(ROOT, job.file), problems: [] };
  if (!existsSync(job.file)) {
    row.problems.push(`${relative(ROOT, job.file)} does not exist: run \`node scripts/packageTargets.mjs\``);
    return row;
  }
  try {
    const zip = readFileSync(job.file);
    const entries = readZipEntries(zip);
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    const read = (name) => readZipEntry(zip, byName.get(name));

    // The manifest says which target the VSIX is for; a file name can lie.
    const manifest = byName.has('extension.vsixmanifest') ? read('extension.vsixmanifest').toString('utf8') : '';
    const declared = /TargetPlatform="([^"]*)"/.exec(manifest)?.[1];
    const name = job.target ?? declared;
    const t = name && findTarget(name);
    if (!t) {
      row.problems.push(`cannot tell which target it is for (manifest says ${declared ?? 'nothing'})`);
      return row;
    }
    row.target = t.target;
    row.size = zip.length;
    row.budget = t.budget;
    const { files, problems } = checkVsixContents(t, entries, read, zip.length);
    row.files = files;
    row.problems.push(...problems);

    if (smoke && t.target === host && problems.length === 0) {
      row.problems.push(...smokeTest(zip, entries));
      row.smoke = true;
    }
  } catch (error) {
    row.problems.push(`cannot read it: ${error.message}`);
  }
  return row;
}

/**
 * Unpacks the VSIX's extension folder and loads its packages the way the bundles do, from
 * dist/: proves the trimmed node_modules still has every file sharp and PDFium open at run
 * time (a missing libvips or pdfium.wasm would only show here), then runs the CLI bundle.
 */
function smokeTest(zip, entries) {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-vsix-'));
  try {
    for (const entry of entries) {
      if (entry.isDirectory || !entry.name.startsWith('extension/')) continue;
      const target = resolve(dir, entry.name);
      if (!target.startsWith(dir + sep)) return [`${entry.name}: unpacks outside the extension folder`];
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, readZipEntry(zip, entry));
    }
    const extension = join(dir, 'extension');
    const problems = [];
    const load = spawnSync(process.execPath, ['-e', SMOKE_SCRIPT, extension], { encoding: 'utf8', timeout: 60_000 });
    if (load.status !== 0) problems.push(`smoke test failed: ${(load.stderr || load.stdout || String(load.error)).trim()}`);
    const cli = spawnSync(process.execPath, [join(extension, 'dist', 'cli.js'), '--help'], { encoding: 'utf8', timeout: 60_000 });
    if (cli.status !== 0) problems.push(`dist/cli.js --help exited with ${cli.status}: ${(cli.stderr || String(cli.error)).trim()}`);
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Runs in a child process so the packages load from the unpacked VSIX, not from the repo.
const SMOKE_SCRIPT = `
const { createRequire } = require('node:module');
const path = require('node:path');
const root = process.argv[1];
const load = createRequire(path.join(root, 'dist', 'extension.js'));

function fail(message) { console.error(message); process.exit(1); }

// A one-page PDF with one line of text, its xref offsets computed as it is written.
function tinyPdf() {
  const text = 'BT /F1 24 Tf 20 40 Td (Sightline) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    '<< /Length ' + text.length + ' >>\\nstream\\n' + text + '\\nendstream',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\\n';
  const offsets = objects.map((body, i) => { const at = pdf.length; pdf += (i + 1) + ' 0 obj\\n' + body + '\\nendobj\\n'; return at; });
  const xref = pdf.length;
  pdf += 'xref\\n0 ' + (objects.length + 1) + '\\n0000000000 65535 f \\n';
  for (const at of offsets) pdf += String(at).padStart(10, '0') + ' 00000 n \\n';
  pdf += 'trailer\\n<< /Size ' + (objects.length + 1) + ' /Root 1 0 R >>\\nstartxref\\n' + xref + '\\n%%EOF\\n';
  return Buffer.from(pdf, 'latin1');
}

(async () => {
  for (const name of ['sharp', '@hyzyla/pdfium']) {
    const file = load.resolve(name);
    if (!file.startsWith(root + path.sep)) fail(name + ' resolved outside the VSIX: ' + file);
  }
  const sharp = load('sharp');
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).resize(4).png().toBuffer();
  const { width, format } = await sharp(png).metadata();
  if (width !== 4 || format !== 'png') fail('sharp produced ' + format + ' ' + width + ' px wide');

  const { PDFiumLibrary } = load('@hyzyla/pdfium');
  const library = await PDFiumLibrary.init();
  const document = await library.loadDocument(tinyPdf());
  const page = document.getPage(0);
  const pageText = page.getText();
  const bitmap = await page.render({ width: 40, height: 20, scale: 1, render: 'bitmap' });
  document.destroy();
  library.destroy();
  if (!pageText.includes('Sightline')) fail('PDFium read ' + JSON.stringify(pageText));
  if (bitmap.width !== 40 || bitmap.data.length !== 40 * 20 * 4) fail('PDFium rendered ' + bitmap.width + 'x' + bitmap.height);
})().catch((error) => fail(error && error.stack || String(error)));
`;

try {
  main();
} catch (error) {
  console.error(`checkVsix: ${error.message}`);
  process.exitCode = 1;
}
