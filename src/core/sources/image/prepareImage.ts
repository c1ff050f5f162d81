import sharp, { type Metadata } from 'sharp';
import { SourceError } from '../sourceError';
import { decodeImage } from './decodeImage';
import { encodePixels } from './encodePixels';
import { imageDecodeError } from './imageDecodeError';
import { resolveImageOptions, type ImagePrepareOptions } from './imageOptions';
import type { PreparedImage } from './imageTypes';
import { planImageDecode } from './planImageDecode';
import { readInputBytes, type SourceInput } from './readInputBytes';

// Every image is read once, so sharp's operation cache would only hold memory. This copy of
// sharp belongs to Sightline alone (each extension loads its own), so the setting is ours to make.
sharp.cache(false);

/**
 * Turns an image file into what the model and the search panel need: one embeddable image
 * within the pixel budget, and a thumbnail. Decodes once; every failure is a SourceError.
 */
export async function prepareImage(input: SourceInput, options?: ImagePrepareOptions): Promise<PreparedImage> {
  const resolved = resolveImageOptions(options);
  const { path } = input;
  const bytes = await readInputBytes(input);
  if (bytes.length === 0) throw new SourceError('empty', 'The file is empty', path);

  let metadata: Metadata;
  try {
    // The header read skips the pixel limit: SVGs declare sizes they are not rendered at,
    // and planImageDecode applies the limit to the size that will actually be decoded.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw imageDecodeError(error, bytes, path);
  }
  if (metadata.format === 'heif' && metadata.compression === 'hevc') {
    throw new SourceError('unsupported', 'HEIC (HEVC-coded) images are not supported', path);
  }

  const plan = planImageDecode(metadata, resolved, path);
  let pixels;
  try {
    pixels = await decodeImage(bytes, plan, resolved);
  } catch (error) {
    throw imageDecodeError(error, bytes, path);
  }
  const encoded = await encodePixels(pixels, resolved);
  return {
    ...encoded,
    originalWidth: plan.original.width,
    originalHeight: plan.original.height,
    format: metadata.format,
  };
}
