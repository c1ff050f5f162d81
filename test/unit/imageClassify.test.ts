import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FLAT_COLOUR_SHARE, isFlatContent, topColourShare } from '../../src/core/sources/image/classifyContent';
import { fitPixelBudget } from '../../src/core/sources/image/fitPixelBudget';
import type { RawPixels } from '../../src/core/sources/image/imageTypes';
import { prepareImage } from '../../src/core/sources/image/prepareImage';
import { diagramSvg, photoLikeJpeg, screenshotPng } from '../support/fixtures/imageFixtures';

async function pixelsOf(bytes: Uint8Array): Promise<RawPixels> {
  const { data, info } = await sharp(bytes).flatten({ background: '#fff' }).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

describe('photo vs screenshot rule', () => {
  it('scores a screenshot far above the threshold and a noisy photo far below it', async () => {
    const screenshot = topColourShare(await pixelsOf(await screenshotPng(1280, 800)));
    const diagram = topColourShare(await pixelsOf(diagramSvg(400, 300)));
    const photo = topColourShare(await pixelsOf(await photoLikeJpeg(1280, 800)));
    expect(screenshot).toBeGreaterThan(FLAT_COLOUR_SHARE + 0.2);
    expect(diagram).toBeGreaterThan(FLAT_COLOUR_SHARE + 0.2);
    expect(photo).toBeLessThan(FLAT_COLOUR_SHARE - 0.3);
  });

  it('treats a screenshot saved as JPEG as flat: its backgrounds still repeat exact values', async () => {
    const jpeg = await sharp(await screenshotPng(1280, 800))
      .jpeg({ quality: 85 })
      .toBuffer();
    expect(isFlatContent(await pixelsOf(jpeg))).toBe(true);
    const result = await prepareImage({ bytes: jpeg });
    expect(result).toMatchObject({ format: 'jpeg', encoding: 'png' });
  });

  it('treats a smooth noise-free gradient as photographic', () => {
    const width = 300;
    const height = 200;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const i = (y * width + x) * 3;
        data[i] = Math.round((x / width) * 255);
        data[i + 1] = Math.round((y / height) * 255);
        data[i + 2] = 128;
      }
    }
    expect(isFlatContent({ data, width, height, channels: 3 })).toBe(false);
  });

  it('reads single-channel pixels', () => {
    const flat = new Uint8Array(64 * 64).fill(200);
    expect(isFlatContent({ data: flat, width: 64, height: 64, channels: 1 })).toBe(true);
    const ramp = Uint8Array.from({ length: 256 * 256 }, (_, i) => i % 256);
    expect(isFlatContent({ data: ramp, width: 256, height: 256, channels: 1 })).toBe(false);
  });

  it('gives PNG output a size advantage only where it belongs', async () => {
    const shot = await prepareImage({ bytes: await screenshotPng(1280, 800) });
    const photo = await prepareImage({ bytes: await photoLikeJpeg(1280, 800) });
    expect(shot.encoding).toBe('png');
    expect(photo.encoding).toBe('jpeg');
    // As PNG the photo would be several times larger than the JPEG that was chosen.
    const photoAsPng = await sharp(photo.embeddable.bytes).png().toBuffer();
    expect(photoAsPng.length).toBeGreaterThan(photo.embeddable.bytes.length * 3);
  });
});

describe('fitPixelBudget', () => {
  const limits = { maxPixels: 1_843_200, minPixels: 4096 };

  it('keeps sizes already within the budget', () => {
    expect(fitPixelBudget(1280, 1440, limits)).toEqual({ width: 1280, height: 1440 });
    expect(fitPixelBudget(64, 64, limits)).toEqual({ width: 64, height: 64 });
  });

  it.each([
    [1920, 1080],
    [4000, 3000],
    [3000, 4000],
    [20000, 200],
    [1281, 1441],
  ])('scales %ix%i to at most the budget, keeping the aspect', (width, height) => {
    const out = fitPixelBudget(width, height, limits);
    expect(out.width * out.height).toBeLessThanOrEqual(limits.maxPixels);
    expect(out.width * out.height).toBeGreaterThan(limits.maxPixels * 0.98);
    expect(Math.abs(out.width / out.height - width / height) / (width / height)).toBeLessThan(0.02);
  });

  it('upscales to the minimum and no further', () => {
    const out = fitPixelBudget(10, 10, limits);
    expect(out).toEqual({ width: 64, height: 64 });
    const wide = fitPixelBudget(40, 2, limits);
    expect(wide.width * wide.height).toBeGreaterThanOrEqual(4096);
    expect(wide.width * wide.height).toBeLessThan(4096 * 1.05);
  });
});
