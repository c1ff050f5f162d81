// Measures prepareImage (decode + resize + embeddable encode + thumbnail) on one core:
// median CPU and wall milliseconds over many runs, for a 1920x1080 screenshot-like PNG and
// a 4000x3000 photo-like JPEG. Usage: node bench/prepareImage.bench.mjs [runs]
//
// CPU time is process.cpuUsage() around each call (libvips threads included), with
// sharp.concurrency(1) and the operation cache off so every run does the full work.
// Freshly mapped memory is expensive to touch in some VMs; running with
// MALLOC_MMAP_THRESHOLD_=4000000000 MALLOC_TRIM_THRESHOLD_=4000000000 keeps freed buffers in
// the heap and shows the compute cost alone.
import { bundleSources } from './support/bundleSources.mjs';
import sharp from 'sharp';

const runs = Number(process.argv[2] ?? 40);

const lib = await bundleSources([
  'src/core/sources/image/prepareImage.ts',
  'src/core/sources/image/decodeImage.ts',
  'src/core/sources/image/planImageDecode.ts',
  'src/core/sources/image/imageOptions.ts',
  'src/core/sources/image/encodeEmbeddable.ts',
  'src/core/sources/image/encodeThumbnail.ts',
  'test/support/fixtures/imageFixtures.ts',
]);

sharp.concurrency(1);
sharp.cache(false);

async function measure(fn) {
  for (let i = 0; i < 5; i += 1) await fn();
  const cpu = [];
  const wall = [];
  for (let i = 0; i < runs; i += 1) {
    const before = process.cpuUsage();
    const start = performance.now();
    await fn();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  return { cpu: stats(cpu), wall: stats(wall) };
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p10: at(0.1), median: at(0.5), p90: at(0.9) };
}

const fmt = (s) => `median ${s.median.toFixed(1)}  p10 ${s.p10.toFixed(1)}  p90 ${s.p90.toFixed(1)}`;

const inputs = [
  ['screenshot 1920x1080 PNG', await lib.screenshotPng(1920, 1080)],
  ['photo 4000x3000 JPEG', await lib.photoLikeJpeg(4000, 3000)],
];
const options = lib.resolveImageOptions();

console.log(`prepareImage, ${runs} runs each, sharp.concurrency(1), ms`);
for (const [name, bytes] of inputs) {
  const result = await lib.prepareImage({ bytes });
  console.log(
    `\n${name} (${(bytes.length / 1024).toFixed(0)} KiB) -> ${result.encoding} ${result.width}x${result.height} ` +
      `${(result.embeddable.bytes.length / 1024).toFixed(0)} KiB, thumbnail ${result.thumbnail.width}x${result.thumbnail.height} ` +
      `${(result.thumbnail.bytes.length / 1024).toFixed(1)} KiB`,
  );
  const total = await measure(() => lib.prepareImage({ bytes }));
  console.log(`  total      cpu ${fmt(total.cpu)}   wall ${fmt(total.wall)}`);

  // Stage split, to see where the time goes.
  const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  const plan = lib.planImageDecode(metadata, options);
  const pixels = await lib.decodeImage(bytes, plan, options);
  const stages = {
    'decode+resize': () => lib.decodeImage(bytes, plan, options),
    embeddable: () => lib.encodeEmbeddable(pixels, options),
    thumbnail: () => lib.encodeThumbnail(pixels, options.thumbnailSize),
  };
  for (const [stage, fn] of Object.entries(stages)) {
    const m = await measure(fn);
    console.log(`  ${stage.padEnd(13)} cpu ${fmt(m.cpu)}   wall ${fmt(m.wall)}`);
  }
}
