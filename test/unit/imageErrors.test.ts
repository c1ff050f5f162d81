import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareImage } from '../../src/core/sources/image/prepareImage';
import { SourceError, type SourceErrorCode } from '../../src/core/sources/sourceError';
import { photoLikeJpeg, pngDeclaring, screenshotPng, solidPng } from '../support/fixtures/imageFixtures';

async function codeOf(promise: Promise<unknown>): Promise<SourceErrorCode> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return (error as SourceError).code;
  }
  throw new Error('expected a SourceError');
}

describe('prepareImage errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sightline-image-errors-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a truncated PNG as corrupt', async () => {
    const png = await screenshotPng(640, 480);
    expect(await codeOf(prepareImage({ bytes: png.subarray(0, Math.floor(png.length / 2)) }))).toBe('corrupt');
  });

  it('reports a truncated JPEG as corrupt', async () => {
    const jpeg = await photoLikeJpeg(640, 480);
    expect(await codeOf(prepareImage({ bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)) }))).toBe('corrupt');
  });

  it('reports a PNG cut inside its header as corrupt', async () => {
    const png = await solidPng(100, 100);
    expect(await codeOf(prepareImage({ bytes: png.subarray(0, 20) }))).toBe('corrupt');
  });

  it('reports bytes that are no image as unsupported, or as corrupt when the name claims an image', async () => {
    const bytes = new TextEncoder().encode('this is plainly not an image file at all');
    expect(await codeOf(prepareImage({ bytes }))).toBe('unsupported');
    expect(await codeOf(prepareImage({ bytes, path: 'docs/shot.png' }))).toBe('corrupt');
  });

  it('reports a format the decoder lacks (BMP) as unsupported', async () => {
    const bmp = new Uint8Array(70);
    bmp.set([0x42, 0x4d]);
    const error = await prepareImage({ bytes: bmp, path: 'icon.bmp' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unsupported', path: 'icon.bmp' });
    expect((error as Error).message).toMatch(/BMP/);
  });

  it('reports a HEIC photo as unsupported: the bundled decoder has no HEVC', async () => {
    const heic = new Uint8Array(64);
    heic.set(new TextEncoder().encode('\0\0\0\x18ftypheic'));
    const error = await prepareImage({ bytes: heic }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unsupported' });
    expect((error as Error).message).toMatch(/HEIC/);
  });

  it('refuses huge declared dimensions from the header, before decoding', async () => {
    // 20000 x 20000 = 400 MP declared, with almost no data behind it.
    const error = await prepareImage({ bytes: pngDeclaring(20_000, 20_000), path: 'bomb.png' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'too-many-pixels', path: 'bomb.png' });
    expect((error as Error).message).toMatch(/20000x20000/);
  });

  it('applies a lower maxInputPixels to real images', async () => {
    expect(await codeOf(prepareImage({ bytes: await solidPng(1000, 1000) }, { maxInputPixels: 500_000 }))).toBe('too-many-pixels');
  });

  it('refuses an SVG whose smallest rendering is still a bomb', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100000000" height="100000000"><rect width="10" height="10"/></svg>');
    expect(await codeOf(prepareImage({ bytes: svg }))).toBe('too-many-pixels');
  });

  it('refuses sides more than 200:1 apart, which the model cannot take', async () => {
    const strip = await sharp({ create: { width: 4020, height: 20, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect(await codeOf(prepareImage({ bytes: strip }))).toBe('unsupported');
  });

  it('reports a missing file and a directory as unreadable, naming the path', async () => {
    const missing = join(dir, 'missing.png');
    const error = await prepareImage({ path: missing }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unreadable', path: missing });
    expect((error as Error).message).toMatch(/ENOENT/);
    expect(await codeOf(prepareImage({ path: dir }))).toBe('unreadable');
  });

  it('reports an empty file as empty', async () => {
    expect(await codeOf(prepareImage({ bytes: new Uint8Array(0) }))).toBe('empty');
  });

  it('keeps the underlying error as the cause', async () => {
    const error = (await prepareImage({ bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) }).catch((e: unknown) => e)) as SourceError;
    expect(error.code).toBe('corrupt');
    expect(error.cause).toBeInstanceOf(Error);
  });
});
