import type { EmbeddingImage } from '../../common/embeddingInput';

/** Decoded 8-bit pixels, row-major, no padding: the hand-off between decoding and encoding. */
export interface RawPixels {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA (alpha is dropped before encoding). */
  readonly channels: 1 | 2 | 3 | 4;
}

/** Small preview for the search panel; never sent to the model. */
export interface PreparedThumbnail {
  readonly bytes: Uint8Array;
  readonly mimeType: 'image/webp' | 'image/jpeg';
  readonly width: number;
  readonly height: number;
}

export type EmbeddableEncoding = 'png' | 'jpeg';

/** What the embedding encoder produces from one set of pixels. */
export interface EncodedPixels {
  readonly embeddable: EmbeddingImage;
  readonly encoding: EmbeddableEncoding;
  readonly width: number;
  readonly height: number;
  readonly thumbnail: PreparedThumbnail;
}

export interface PreparedImage extends EncodedPixels {
  /** Source dimensions as displayed, i.e. after EXIF orientation. */
  readonly originalWidth: number;
  readonly originalHeight: number;
  /** Decoder name of the source, e.g. 'png', 'jpeg', 'gif', 'webp', 'svg', 'heif', 'tiff'. */
  readonly format: string;
}
