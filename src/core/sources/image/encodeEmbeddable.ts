import type { EmbeddingImage } from '../../common/embeddingInput';
import { isFlatContent } from './classifyContent';
import type { EmbeddableEncoding, RawPixels } from './imageTypes';
import { pixelsToSharp } from './pixelsToSharp';

export interface EmbeddableEncodeOptions {
  readonly jpegQuality: number;
  /**
   * zlib level for PNG. Measured on a 1810x1018 screenshot on one core: level 1 takes 8 ms
   * for 699 KiB, level 3 13 ms for 604 KiB, level 6 (zlib's default) 19 ms for 595 KiB.
   * Level 3 is the default: uploads are the scarcer resource (the API is rate-limited per
   * request, so every image is sent at full budget), and beyond it bytes barely shrink.
   */
  readonly pngCompressionLevel: number;
}

/** PNG for flat content, JPEG for photographic content (rule in classifyContent). */
export async function encodeEmbeddable(
  pixels: RawPixels,
  options: EmbeddableEncodeOptions,
): Promise<{ readonly image: EmbeddingImage; readonly encoding: EmbeddableEncoding }> {
  if (isFlatContent(pixels)) {
    const bytes = await pixelsToSharp(pixels).png({ compressionLevel: options.pngCompressionLevel, adaptiveFiltering: false }).toBuffer();
    return { image: { bytes, mimeType: 'image/png' }, encoding: 'png' };
  }
  // Huffman optimisation (sharp's default) doubles JPEG encode time, but saves ~15% of bytes.
  const bytes = await pixelsToSharp(pixels).jpeg({ quality: options.jpegQuality }).toBuffer();
  return { image: { bytes, mimeType: 'image/jpeg' }, encoding: 'jpeg' };
}
