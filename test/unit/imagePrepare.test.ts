import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { prepareImage } from '../../src/core/sources/image/prepareImage';
import { MODEL_MAX_PIXELS } from '../../src/core/sources/image/imageOptions';
import { diagramSvg, exifRotatedJpeg, photoLikeJpeg, screenshotPng, solidPng, transparentPng, twoFrameAnimation } from '../support/fixtures/imageFixtures';

/** Decodes an output and returns its real format, size and pixels. */
async function decode(bytes: Uint8Array) {
  const metadata = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
  return { format: metadata.format, width: info.width, height: info.height, pages: metadata.pages, pixel };
}

describe('prepareImage', () => {
  it('downscales a 1920x1080 screenshot into the model budget, keeps the aspect, and sends PNG', async () => {
    const result = await prepareImage({ bytes: await screenshotPng(1920, 1080) });
    expect(result.width * result.height).toBeLessThanOrEqual(MODEL_MAX_PIXELS);
    expect(result.width * result.height).toBeGreaterThan(MODEL_MAX_PIXELS * 0.99);
    expect(result.width / result.height).toBeCloseTo(1920 / 1080, 2);
    expect(result).toMatchObject({ originalWidth: 1920, originalHeight: 1080, format: 'png', encoding: 'png' });
    expect(result.embeddable.mimeType).toBe('image/png');
    const out = await decode(result.embeddable.bytes);
    expect(out).toMatchObject({ format: 'png', width: result.width, height: result.height });
  });

  it('sends a photo as JPEG within the budget', async () => {
    const result = await prepareImage({ bytes: await photoLikeJpeg(2000, 1500) });
    expect(result).toMatchObject({ format: 'jpeg', encoding: 'jpeg', originalWidth: 2000, originalHeight: 1500 });
    expect(result.embeddable.mimeType).toBe('image/jpeg');
    expect(result.width * result.height).toBeLessThanOrEqual(MODEL_MAX_PIXELS);
    const out = await decode(result.embeddable.bytes);
    expect(out).toMatchObject({ format: 'jpeg', width: result.width, height: result.height });
  });

  it('honours a smaller pixel budget and the JPEG quality', async () => {
    const bytes = await photoLikeJpeg(800, 600);
    const low = await prepareImage({ bytes }, { pixelBudget: 120_000, jpegQuality: 40 });
    const high = await prepareImage({ bytes }, { pixelBudget: 120_000, jpegQuality: 95 });
    expect([low.width, low.height]).toEqual([400, 300]);
    expect(low.embeddable.bytes.length).toBeLessThan(high.embeddable.bytes.length);
  });

  it('never upscales an image that is within the budget', async () => {
    const result = await prepareImage({ bytes: await screenshotPng(800, 600) });
    expect([result.width, result.height]).toEqual([800, 600]);
  });

  it('upscales a tiny image just enough to reach the minimum pixel count', async () => {
    const result = await prepareImage({ bytes: await solidPng(16, 8) });
    expect(result.width * result.height).toBeGreaterThanOrEqual(4096);
    expect(result.width * result.height).toBeLessThan(4096 * 1.05);
    expect(result.width / result.height).toBeCloseTo(2, 1);
    expect([result.originalWidth, result.originalHeight]).toEqual([16, 8]);
  });

  it('applies the EXIF orientation before sizing', async () => {
    // Stored 300x200 with left half red; orientation 6 shows it 200x300 with red on top.
    const result = await prepareImage({ bytes: await exifRotatedJpeg(300, 200) });
    expect([result.originalWidth, result.originalHeight]).toEqual([200, 300]);
    expect([result.width, result.height]).toEqual([200, 300]);
    const out = await decode(result.embeddable.bytes);
    const [topR, , topB] = out.pixel(100, 30);
    const [bottomR, , bottomB] = out.pixel(100, 270);
    expect(topR).toBeGreaterThan(200);
    expect(topB).toBeLessThan(60);
    expect(bottomB).toBeGreaterThan(200);
    expect(bottomR).toBeLessThan(60);
  });

  it('flattens transparency onto white', async () => {
    const result = await prepareImage({ bytes: await transparentPng(100) });
    const out = await decode(result.embeddable.bytes);
    expect(out.pixel(5, 5)).toEqual([255, 255, 255]);
    expect(out.pixel(50, 50)).toEqual([0, 0, 0]);
    const meta = await sharp(result.embeddable.bytes).metadata();
    expect(meta.hasAlpha).toBe(false);
  });

  it.each(['gif', 'webp'] as const)('takes only the first frame of an animated %s', async (format) => {
    const result = await prepareImage({ bytes: await twoFrameAnimation(format, 80, 60) });
    expect(result.format).toBe(format);
    expect([result.originalWidth, result.originalHeight]).toEqual([80, 60]);
    const out = await decode(result.embeddable.bytes);
    expect(out.pages ?? 1).toBe(1);
    expect(out.height).toBe(result.height);
    const [r, , b] = out.pixel(Math.floor(out.width / 2), Math.floor(out.height / 2));
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(60);
  });

  it('rasterises an SVG at twice its declared size when that fits the budget', async () => {
    const result = await prepareImage({ bytes: diagramSvg(400, 300) });
    expect(result).toMatchObject({ format: 'svg', originalWidth: 400, originalHeight: 300, width: 800, height: 600 });
    expect(result.encoding).toBe('png');
    const out = await decode(result.embeddable.bytes);
    expect(out.pixel(2, 2)).toEqual([255, 255, 255]);
  });

  it('rasterises a large SVG at the density that fits the budget, not above it', async () => {
    const result = await prepareImage({ bytes: diagramSvg(4000, 3000) });
    expect(result.width * result.height).toBeLessThanOrEqual(MODEL_MAX_PIXELS);
    expect(result.width * result.height).toBeGreaterThan(MODEL_MAX_PIXELS * 0.98);
    expect(result.width / result.height).toBeCloseTo(4 / 3, 2);
  });

  it('converts CMYK, 16-bit and greyscale sources to 8-bit sRGB', async () => {
    const base = sharp(await screenshotPng(300, 200));
    const sources = [
      await base.clone().toColourspace('cmyk').jpeg().toBuffer(),
      await base.clone().toColourspace('rgb16').png().toBuffer(),
      await base.clone().toColourspace('b-w').png().toBuffer(),
    ];
    for (const bytes of sources) {
      const result = await prepareImage({ bytes });
      const meta = await sharp(result.embeddable.bytes).metadata();
      expect(meta).toMatchObject({ space: 'srgb', depth: 'uchar', width: 300, height: 200 });
    }
  });

  it.each([
    ['tiff', (image: Sharp) => image.tiff()],
    ['heif', (image: Sharp) => image.avif()],
  ] as const)('reads %s sources', async (format, encode) => {
    const bytes = await encode(sharp(await screenshotPng(320, 200))).toBuffer();
    const result = await prepareImage({ bytes });
    expect(result).toMatchObject({ format, width: 320, height: 200 });
  });

  it('reads from a path as well as from bytes', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'sightline-image-'));
    try {
      const path = join(dir, 'shot.png');
      await writeFile(path, await screenshotPng(640, 400));
      const result = await prepareImage({ path });
      expect([result.width, result.height, result.encoding]).toEqual([640, 400, 'png']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('prepareImage thumbnail', () => {
  it('fits the longest side to the thumbnail size and decodes as WebP', async () => {
    const result = await prepareImage({ bytes: await screenshotPng(1920, 1080) });
    expect(result.thumbnail).toMatchObject({ mimeType: 'image/webp', width: 256, height: 144 });
    const out = await decode(result.thumbnail.bytes);
    expect(out).toMatchObject({ format: 'webp', width: 256, height: 144 });
  });

  it('honours a custom thumbnail size and keeps portrait orientation', async () => {
    const result = await prepareImage({ bytes: await exifRotatedJpeg(300, 200) }, { thumbnailSize: 96 });
    expect([result.thumbnail.width, result.thumbnail.height]).toEqual([64, 96]);
  });

  it('does not enlarge a thumbnail beyond the image', async () => {
    const result = await prepareImage({ bytes: await solidPng(100, 50) });
    expect(Math.max(result.thumbnail.width, result.thumbnail.height)).toBeLessThanOrEqual(Math.max(result.width, result.height));
  });
});
