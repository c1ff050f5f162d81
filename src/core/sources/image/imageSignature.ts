/** Image kinds told apart by their first bytes (or, failing that, by the file name). */
export type ImageKind = 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff' | 'avif' | 'heic' | 'svg' | 'bmp' | 'ico' | 'psd';

/** Kinds the bundled decoder reads; bytes of these that fail to decode are corrupt, not unsupported. */
export const DECODABLE_KINDS: ReadonlySet<ImageKind> = new Set(['png', 'jpeg', 'gif', 'webp', 'tiff', 'avif', 'svg']);

const EXTENSIONS: Readonly<Record<string, ImageKind>> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  gif: 'gif',
  webp: 'webp',
  tif: 'tiff',
  tiff: 'tiff',
  avif: 'avif',
  heic: 'heic',
  heif: 'heic',
  svg: 'svg',
  bmp: 'bmp',
  ico: 'ico',
  psd: 'psd',
};

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  return prefix.every((b, i) => bytes[offset + i] === b);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** The kind the bytes claim to be, whether or not the rest of the file is intact. */
export function sniffImageKind(bytes: Uint8Array): ImageKind | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(bytes, 0, 4) === 'GIF8') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    return brand === 'avif' || brand === 'avis' ? 'avif' : 'heic';
  }
  if (ascii(bytes, 0, 2) === 'BM') return 'bmp';
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00])) return 'ico';
  if (ascii(bytes, 0, 4) === '8BPS') return 'psd';
  const head = ascii(bytes, 0, Math.min(bytes.length, 1024)).trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return 'svg';
  return undefined;
}

export function imageKindFromPath(path: string | undefined): ImageKind | undefined {
  const dot = path?.lastIndexOf('.') ?? -1;
  if (!path || dot < 0) return undefined;
  return EXTENSIONS[path.slice(dot + 1).toLowerCase()];
}
