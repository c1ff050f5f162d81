/** The model's largest input: 1,843,200 px (one visual token per 32x32 block). */
export const MODEL_MAX_PIXELS = 1_843_200;
/** The model's smallest input; anything smaller is upscaled to reach it. */
export const MODEL_MIN_PIXELS = 4_096;

export interface ImagePrepareOptions {
  /** Largest pixel count of the embeddable image (default: the model's maximum). */
  readonly pixelBudget?: number;
  /** Smallest pixel count; tiny images are upscaled to reach it (default 4096). */
  readonly minPixels?: number;
  /** Decompression-bomb guard on declared dimensions, checked before decoding (default 100 MP). */
  readonly maxInputPixels?: number;
  /** Longest side of the thumbnail (default 256). */
  readonly thumbnailSize?: number;
  /** JPEG quality for photographic content (default 85). */
  readonly jpegQuality?: number;
  /** zlib level for flat content (default 3; see encodeEmbeddable for the trade-off). */
  readonly pngCompressionLevel?: number;
  /**
   * Longest/shortest side above which an image is refused: the model's resizer rejects
   * ratios over 200, so such images would only fail at the server (default 200).
   */
  readonly maxAspectRatio?: number;
}

export type ResolvedImageOptions = Required<ImagePrepareOptions>;

export function resolveImageOptions(options: ImagePrepareOptions = {}): ResolvedImageOptions {
  return {
    pixelBudget: options.pixelBudget ?? MODEL_MAX_PIXELS,
    minPixels: options.minPixels ?? MODEL_MIN_PIXELS,
    maxInputPixels: options.maxInputPixels ?? 100_000_000,
    thumbnailSize: options.thumbnailSize ?? 256,
    jpegQuality: options.jpegQuality ?? 85,
    pngCompressionLevel: options.pngCompressionLevel ?? 3,
    maxAspectRatio: options.maxAspectRatio ?? 200,
  };
}
