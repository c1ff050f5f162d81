import { badRequest } from './apiErrors';

/**
 * Parses an `image_url.url`. Only base64 `data:` URLs of the four formats the client sends are
 * accepted; http(s) URLs are refused because this server never fetches anything.
 */

export const SUPPORTED_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type SupportedImageType = (typeof SUPPORTED_IMAGE_TYPES)[number];

/** sharp's format name for each accepted MIME type, to compare declared and real formats. */
export const SHARP_FORMAT_FOR_TYPE: Record<SupportedImageType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

export interface ImageDataUrl {
  readonly mimeType: SupportedImageType;
  readonly bytes: Buffer;
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function parseImageDataUrl(url: string, param: string): ImageDataUrl {
  if (/^https?:/i.test(url)) {
    throw badRequest(`Remote image URLs are not supported by this server (it cannot fetch ${url.slice(0, 80)}); send the image as a base64 data: URL.`, param);
  }
  const match = DATA_URL.exec(url);
  if (!match) throw badRequest(`Invalid image URL: expected a data:image/...;base64,... URL, got "${url.slice(0, 40)}".`, param);
  const mimeType = (match[1] ?? '').toLowerCase();
  const parameters = (match[2] ?? '').toLowerCase().split(';').filter(Boolean);
  const payload = (match[3] ?? '').trim();
  if (!(SUPPORTED_IMAGE_TYPES as readonly string[]).includes(mimeType)) {
    throw badRequest(`Unsupported image MIME type "${mimeType}"; expected one of ${SUPPORTED_IMAGE_TYPES.join(', ')}.`, param);
  }
  if (!parameters.includes('base64')) throw badRequest('Invalid image data URL: only base64-encoded data URLs are supported.', param);
  if (payload.length === 0) throw badRequest('Invalid image data URL: the image data is empty.', param);
  if (payload.length % 4 !== 0 || !BASE64.test(payload)) {
    throw badRequest('Invalid image data URL: the data is not valid base64.', param);
  }
  return { mimeType: mimeType as SupportedImageType, bytes: Buffer.from(payload, 'base64') };
}
