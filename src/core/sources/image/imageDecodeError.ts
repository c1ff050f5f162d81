import { SourceError } from '../sourceError';
import { DECODABLE_KINDS, imageKindFromPath, sniffImageKind } from './imageSignature';

/**
 * Turns a decoder failure into a per-file reason. The decoder says "unsupported image
 * format" both for formats it lacks and for damaged files, so the file's own signature (or
 * its name) decides: a PNG that does not decode is corrupt, a BMP or HEIC is unsupported.
 */
export function imageDecodeError(error: unknown, bytes: Uint8Array, path?: string): SourceError {
  const message = error instanceof Error ? error.message : String(error);
  const options = { cause: error };
  if (/exceeds pixel limit/i.test(message)) {
    return new SourceError('too-many-pixels', 'The image is larger than the pixel limit', path, options);
  }
  if (/buffer is empty/i.test(message)) {
    return new SourceError('empty', 'The file is empty', path, options);
  }
  const kind = sniffImageKind(bytes) ?? imageKindFromPath(path);
  if (kind && !DECODABLE_KINDS.has(kind)) {
    return new SourceError('unsupported', `${kind.toUpperCase()} images are not supported`, path, options);
  }
  if (/unsupported image format/i.test(message) && !kind) {
    return new SourceError('unsupported', 'This image format is not supported', path, options);
  }
  const what = kind ? `${kind.toUpperCase()} image` : 'image';
  return new SourceError('corrupt', `The ${what} does not decode: ${message}`, path, options);
}
