// Measures PDF page preparation (text extraction + render + embeddable encode + thumbnail)
// on a generated multi-page report PDF with text and a vector chart on every page: median
// ms per page, CPU and wall, on one core. Usage: node bench/preparePdf.bench.mjs [pages] [rounds]
//
// CPU time is process.cpuUsage() (PDFium runs on the main thread; libvips threads are
// included), with sharp.concurrency(1) and the operation cache off. Freshly mapped memory is
// expensive to touch in some VMs; running with MALLOC_MMAP_THRESHOLD_=4000000000
// MALLOC_TRIM_THRESHOLD_=4000000000 keeps freed buffers in the heap and shows the compute
// cost alone.
import { bundleSources } from './support/bundleSources.mjs';
import sharp from 'sharp';

const pageCount = Number(process.argv[2] ?? 30);
const rounds = Number(process.argv[3] ?? 3);

const lib = await bundleSources([
  'src/core/sources/pdf/openPdf.ts',
  'src/core/sources/pdf/pdfiumLibrary.ts',
  'src/core/sources/pdf/pageRenderSize.ts',
  'src/core/sources/image/encodePixels.ts',
  'src/core/sources/pdf/dropAlpha.ts',
  'src/core/sources/image/imageOptions.ts',
  'test/support/fixtures/pdfFixtures.ts',
]);

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
