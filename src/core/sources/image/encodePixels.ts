import { encodeEmbeddable, type EmbeddableEncodeOptions } from './encodeEmbeddable';
import { encodeThumbnail } from './encodeThumbnail';
import type { EncodedPixels, RawPixels } from './imageTypes';

export interface PixelEncodeOptions extends EmbeddableEncodeOptions {
  readonly thumbnailSize: number;
}

/** Both outputs from one decoded buffer; images and rendered PDF pages share this. */
export async function encodePixels(pixels: RawPixels, options: PixelEncodeOptions): Promise<EncodedPixels> {
  const [embeddable, thumbnail] = await Promise.all([encodeEmbeddable(pixels, options), encodeThumbnail(pixels, options.thumbnailSize)]);
  return {
    embeddable: embeddable.image,
    encoding: embeddable.encoding,
    width: pixels.width,
    height: pixels.height,
    thumbnail,
  };
}
