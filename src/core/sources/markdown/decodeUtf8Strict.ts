import { SourceError } from '../sourceError';

// `fatal` makes invalid bytes throw instead of turning into U+FFFD, which would index garbage;
// the default `ignoreBOM: false` drops a leading byte order mark.
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 text, or throws a `not-utf8` SourceError naming the first bad byte's offset. */
export function decodeUtf8Strict(bytes: Uint8Array, path: string): string {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    const offset = firstInvalidUtf8Offset(bytes);
    throw new SourceError('not-utf8', `not valid UTF-8 (byte offset ${offset})`, path, { cause: error });
  }
}

/**
 * The offset of the first byte that starts no valid UTF-8 sequence (overlong forms, surrogates
 * and code points above U+10FFFF included), or -1. Only run after the decoder has refused, so
 * its speed does not matter.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at]!;
    if (lead < 0x80) {
      at++;
      continue;
    }
    let length: number;
    let min: number;
    let max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) length = 3;
    else if (lead >= 0xf0 && lead <= 0xf4) length = 4;
    else return at;
    // The second byte's range is narrower after some leads: this rules out overlong forms,
    // UTF-16 surrogates (ED A0..BF) and values past U+10FFFF (F4 90..).
    min = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    if (lead === 0xed) max = 0x9f;
    else if (lead === 0xf4) max = 0x8f;
    for (let next = 1; next < length; next++) {
      const byte = bytes[at + next];
      if (byte === undefined || byte < min || byte > max) return at;
      min = 0x80;
      max = 0xbf;
    }
    at += length;
  }
  return -1;
}
