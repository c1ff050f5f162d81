import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { LruCache } from './lruCache';

/**
 * What the fake "sees" in an image: a THUMBNAIL_SIZE x THUMBNAIL_SIZE RGB thumbnail (alpha
 * flattened onto white, aspect ignored), each channel centred on its mean, L2-normalised.
 * Centring keeps two different screenshots on the same white background from looking alike;
 * the tiny thumbnail makes a resized or recompressed copy look almost exactly like the original.
 */

export const THUMBNAIL_SIZE = 16;
export const IMAGE_FEATURE_LENGTH = THUMBNAIL_SIZE * THUMBNAIL_SIZE * 3;

export interface DecodedImage {
  readonly sha256: string;
  /** sharp's name for the real format of the bytes: 'png', 'jpeg', 'webp', 'gif', 'svg', ... */
  readonly format: string;
  readonly width: number;
  readonly height: number;
  /** Unit-length thumbnail features, IMAGE_FEATURE_LENGTH long. */
  readonly features: Float32Array;
}

export class ImageDecodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageDecodeError';
  }
}

// Promises are cached so that concurrent requests carrying the same image decode it once.
const decoded = new LruCache<string, Promise<DecodedImage>>(4096);

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  const sha256 = sha256Hex(bytes);
  const cached = decoded.get(sha256);
  if (cached) return cached;
  const pending = decodeUncached(bytes, sha256);
  decoded.set(sha256, pending);
  pending.catch(() => decoded.delete(sha256));
  return pending;
}

async function decodeUncached(bytes: Uint8Array, sha256: string): Promise<DecodedImage> {
  try {
    const metadata = await sharp(bytes).metadata();
    const { data } = await sharp(bytes)
      .flatten({ background: '#ffffff' })
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'fill' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (data.length !== IMAGE_FEATURE_LENGTH) {
      throw new Error(`unexpected thumbnail size ${data.length}`);
    }
    return {
      sha256,
      format: metadata.format ?? 'unknown',
      width: metadata.width ?? 0,
      height: metadata.height ?? 0,
      features: thumbnailFeatures(data),
    };
  } catch (error) {
    throw new ImageDecodeError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

export function thumbnailFeatures(rgb: Uint8Array): Float32Array {
  const pixels = rgb.length / 3;
  const means = [0, 0, 0];
  for (let i = 0; i < rgb.length; i++) means[i % 3] = (means[i % 3] ?? 0) + (rgb[i] ?? 0) / 255;
  for (let c = 0; c < 3; c++) means[c] = (means[c] ?? 0) / pixels;

  const features = new Float32Array(rgb.length);
  let sumSquares = 0;
  for (let i = 0; i < rgb.length; i++) {
    const value = (rgb[i] ?? 0) / 255 - (means[i % 3] ?? 0);
    features[i] = value;
    sumSquares += value * value;
  }
  if (sumSquares < 1e-12) return uniformColourFeatures(means);
  const scale = 1 / Math.sqrt(sumSquares);
  for (let i = 0; i < features.length; i++) features[i] = features[i]! * scale;
  return features;
}

/**
 * A flat image has nothing left after centring; describe it by its colour instead (relative to
 * mid-grey), so flat images of different colours still differ.
 */
function uniformColourFeatures(means: readonly number[]): Float32Array {
  const colour = means.map((mean) => mean - 0.5);
  if (colour.every((value) => Math.abs(value) < 1e-6)) colour.fill(1);
  const norm = Math.sqrt(colour.reduce((sum, value) => sum + value * value, 0) * (IMAGE_FEATURE_LENGTH / 3));
  const features = new Float32Array(IMAGE_FEATURE_LENGTH);
  for (let i = 0; i < features.length; i++) features[i] = (colour[i % 3] ?? 0) / norm;
  return features;
}
