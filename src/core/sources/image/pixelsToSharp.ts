import sharp, { type Sharp } from 'sharp';
import type { RawPixels } from './imageTypes';

/**
 * A sharp pipeline reading already-decoded pixels, so each output encodes from memory
 * instead of decoding the source again. Alpha is dropped: sources are flattened before this.
 */
export function pixelsToSharp(pixels: RawPixels): Sharp {
  const image = sharp(pixels.data, {
    raw: { width: pixels.width, height: pixels.height, channels: pixels.channels },
  });
  return pixels.channels === 2 || pixels.channels === 4 ? image.removeAlpha() : image;
}
