import sharp from 'sharp';
import type { RawPixels } from './imageTypes';
import type { ImageDecodePlan } from './planImageDecode';

const WHITE = { r: 255, g: 255, b: 255 };

/**
 * The one decode of the source: first frame only, EXIF orientation applied, transparency
 * flattened onto white (the model takes no alpha, and black, the usual default, would hide
 * dark line art), resized to the planned size, as 8-bit sRGB (CMYK and 16-bit sources too).
 */
export async function decodeImage(bytes: Uint8Array, plan: ImageDecodePlan, limits: { readonly maxInputPixels: number }): Promise<RawPixels> {
  const { data, info } = await sharp(bytes, {
    autoOrient: true,
    // The default, made explicit: animated GIF/WebP and multi-page TIFF give their first frame.
    pages: 1,
    // Abort on truncated data; tolerate the minor warnings common in camera JPEGs.
    failOn: 'truncated',
    limitInputPixels: limits.maxInputPixels,
    ...(plan.density === undefined ? {} : { density: plan.density }),
  })
    .flatten({ background: WHITE })
    .resize(plan.target.width, plan.target.height, { fit: 'fill' })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}
