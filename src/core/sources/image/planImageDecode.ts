import type { Metadata } from 'sharp';
import { SourceError } from '../sourceError';
import { fitPixelBudget, type Size } from './fitPixelBudget';
import type { ResolvedImageOptions } from './imageOptions';

/**
 * Vector images render at up to twice their declared size, as a HiDPI screen would show
 * them, so small text in a diagram stays legible; the pixel budget still caps them.
 */
const MAX_SVG_SCALE = 2;
const SVG_BASE_DENSITY = 72;

export interface ImageDecodePlan {
  /** Size as displayed (after EXIF orientation; SVG at its declared size). */
  readonly original: Size;
  /** Size of the decoded pixels handed to the encoders. */
  readonly target: Size;
  /** SVG only: the DPI to rasterise at. */
  readonly density?: number;
}

/**
 * Decides, from the header alone, whether and how to decode: the pixel-count guard runs
 * here so a decompression bomb is refused before any pixel is allocated.
 */
export function planImageDecode(metadata: Metadata, options: ResolvedImageOptions, path?: string): ImageDecodePlan {
  const original = { width: metadata.autoOrient.width, height: metadata.autoOrient.height };
  const { width, height } = original;
  if (!(width > 0 && height > 0)) throw new SourceError('empty', 'The image has no pixels', path);

  if (Math.max(width, height) / Math.min(width, height) > options.maxAspectRatio) {
    throw new SourceError('unsupported', `The image is ${width}x${height}; sides more than ${options.maxAspectRatio}:1 apart cannot be embedded`, path);
  }

  let density: number | undefined;
  let decoded: Size = original;
  if (metadata.format === 'svg') {
    const fit = Math.sqrt(options.pixelBudget / (width * height));
    const lift = Math.sqrt(options.minPixels / (width * height));
    const scale = Math.max(Math.min(MAX_SVG_SCALE, fit), lift);
    // The decoder takes 1..100000 DPI; a clamped density shows up in the pixel guard below.
    density = Math.min(100_000, Math.max(1, SVG_BASE_DENSITY * scale));
    const rendered = density / SVG_BASE_DENSITY;
    decoded = { width: Math.max(1, Math.round(width * rendered)), height: Math.max(1, Math.round(height * rendered)) };
  }

  if (decoded.width * decoded.height > options.maxInputPixels) {
    throw new SourceError('too-many-pixels', `The image declares ${decoded.width}x${decoded.height} pixels, over the limit of ${options.maxInputPixels}`, path);
  }

  const target = fitPixelBudget(decoded.width, decoded.height, {
    maxPixels: options.pixelBudget,
    minPixels: options.minPixels,
  });
  return density === undefined ? { original, target } : { original, target, density };
}
