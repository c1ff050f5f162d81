// Measures PDF page preparation (text extraction + render + embeddable encode + thumbnail)
// on a generated multi-page report PDF with text and a vector chart on every page: median
// ms per page, CPU and wall, on one core. Usage: node bench/preparePdf.bench.mjs [pages] [rounds]
//
// CPU time is process.cpuUsage() (PDFium runs on the main thread; libvips threads are
// included), with sharp.concurrency(1) and the operation cache off. Freshly mapped memory is
// expensive to touch in some VMs; running with MALLOC_MMAP_THRESHOLD_=4000000000
// MALLOC_TRIM_THRESHOLD_=4000000000 keeps freed buffers in the heap and shows the compute
// cost alone.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pageCount = Number(process.argv[2] ?? 30);
const rounds = Number(process.argv[3] ?? 3);

/** Bundles TS sources into a temporary ESM file; native/WASM packages stay external. */
async function bundle(contents) {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
  const outfile = join(dir, 'bundle.mjs');
  const keepExternal = {
    name: 'keep-external',
    setup(build) {
      // Absolute URLs, so the bundle in the temp dir still loads the repo's node_modules.
      build.onResolve({ filter: /^(sharp|@hyzyla\/pdfium)$/ }, (args) => ({
        path: import.meta.resolve(args.path),
        external: true,
      }));
    },
  };
  await esbuild.build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    plugins: [keepExternal],
    logLevel: 'error',
  });
  const module = await import(pathToFileURL(outfile).href);
  rmSync(dir, { recursive: true, force: true });
  return module;
}

const lib = await bundle(`
  export { openPdf } from './src/core/sources/pdf/openPdf';
  export { pdfiumLibrary } from './src/core/sources/pdf/pdfiumLibrary';
  export { pageRenderSize } from './src/core/sources/pdf/pageRenderSize';
  export { encodePixels } from './src/core/sources/image/encodePixels';
  export { dropAlpha } from './src/core/sources/pdf/dropAlpha';
  export { resolveImageOptions } from './src/core/sources/image/imageOptions';
  export { reportPdf } from './test/support/fixtures/pdfFixtures';
`);

sharp.concurrency(1);
sharp.cache(false);

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p10: at(0.1), median: at(0.5), p90: at(0.9) };
}
const fmt = (s) => `median ${s.median.toFixed(1)}  p10 ${s.p10.toFixed(1)}  p90 ${s.p90.toFixed(1)}`;

const bytes = lib.reportPdf(pageCount);
const openCpu = [];
const openWall = [];
const pageCpu = [];
const pageWall = [];
let sample;
for (let round = 0; round <= rounds; round += 1) {
  const warmup = round === 0;
  let before = process.cpuUsage();
  let start = performance.now();
  const pdf = await lib.openPdf({ bytes });
  if (!warmup) {
    openWall.push(performance.now() - start);
    openCpu.push(usedMs(before));
  }
  before = process.cpuUsage();
  start = performance.now();
  for await (const page of pdf.pages()) {
    if (!warmup) {
      pageWall.push(performance.now() - start);
      pageCpu.push(usedMs(before));
    }
    sample ??= page;
    before = process.cpuUsage();
    start = performance.now();
  }
  await pdf.close();
}

function usedMs(before) {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

console.log(`preparePdf: ${pageCount}-page generated report (${(bytes.length / 1024).toFixed(0)} KiB), ${rounds} rounds, ms`);
console.log(
  `page -> ${sample.image.mimeType} ${sample.width}x${sample.height} ${(sample.image.bytes.length / 1024).toFixed(0)} KiB, ` +
    `thumbnail ${sample.thumbnail.width}x${sample.thumbnail.height}, text ${sample.text.length} chars`,
);
console.log(`  open      cpu ${fmt(stats(openCpu))}   wall ${fmt(stats(openWall))}`);
console.log(`  per page  cpu ${fmt(stats(pageCpu))}   wall ${fmt(stats(pageWall))}`);

// Stage split on page 1, to see where the time goes.
const library = await lib.pdfiumLibrary();
const document = await library.loadDocument(bytes);
const encodeOptions = lib.resolveImageOptions();
const stages = { text: [], render: [], encode: [] };
for (let run = 0; run < 5 + pageCount * rounds; run += 1) {
  let before = process.cpuUsage();
  const page = document.getPage(0);
  page.getText();
  const text = usedMs(before);
  before = process.cpuUsage();
  const { originalWidth, originalHeight } = page.getOriginalSize();
  const size = lib.pageRenderSize(originalWidth, originalHeight, { pixelBudget: encodeOptions.pixelBudget, minPixels: encodeOptions.minPixels });
  const bitmap = await page.render({ width: size.width, height: size.height, scale: 1, render: 'bitmap' });
  const render = usedMs(before);
  before = process.cpuUsage();
  const rgb = lib.dropAlpha(bitmap.data);
  await lib.encodePixels({ data: rgb, width: bitmap.width, height: bitmap.height, channels: 3 }, encodeOptions);
  const encode = usedMs(before);
  if (run >= 5) {
    stages.text.push(text);
    stages.render.push(render);
    stages.encode.push(encode);
  }
}
document.destroy();
for (const [stage, values] of Object.entries(stages)) console.log(`  ${stage.padEnd(9)} cpu ${fmt(stats(values))}`);
