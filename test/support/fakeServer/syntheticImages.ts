import sharp, { type Sharp } from 'sharp';
import { seededRandom } from './seededRandom';

/**
 * Synthetic "screenshots" for tests and benchmarks: a window with a title bar, a sidebar, panels,
 * lines standing in for text, a gradient banner and a few shapes, laid out and coloured from a
 * seed. Shapes only (no <text>) so rendering does not depend on the fonts installed.
 */

export type SyntheticImageFormat = 'png' | 'jpeg' | 'webp' | 'gif';

export interface SyntheticImageOptions {
  readonly width?: number;
  readonly height?: number;
  readonly format?: SyntheticImageFormat;
  /** JPEG/WebP quality. */
  readonly quality?: number;
  /** Force a light or dark window; the layout and colours stay those of the seed. */
  readonly theme?: 'light' | 'dark';
}

export function syntheticScreenshotSvg(seed: number, width = 1280, height = 800, theme?: 'light' | 'dark'): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const colour = () => `hsl(${Math.floor(random() * 360)},${40 + Math.floor(random() * 50)}%,${25 + Math.floor(random() * 50)}%)`;
  const coin = random() < 0.5;
  const dark = theme === undefined ? coin : theme === 'dark';
  const background = dark ? pick(['#1e1e1e', '#202124', '#0d1117']) : pick(['#ffffff', '#f5f5f5', '#fafafa']);
  const ink = dark ? '#d4d4d4' : '#333333';
  const shapes: string[] = [];

  const titleHeight = Math.round(height * (0.05 + random() * 0.05));
  shapes.push(`<rect x="0" y="0" width="${width}" height="${titleHeight}" fill="${colour()}"/>`);
  const sidebarWidth = Math.round(width * (0.1 + random() * 0.25));
  const sidebarLeft = random() < 0.5;
  const sidebarX = sidebarLeft ? 0 : width - sidebarWidth;
  shapes.push(`<rect x="${sidebarX}" y="${titleHeight}" width="${sidebarWidth}" height="${height - titleHeight}" fill="${colour()}"/>`);

  const contentX = sidebarLeft ? sidebarWidth : 0;
  const contentWidth = width - sidebarWidth;
  shapes.push(
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs>`,
  );
  const bannerY = titleHeight + Math.round(height * random() * 0.3);
  const bannerHeight = Math.round(height * (0.1 + random() * 0.2));
  shapes.push(`<rect x="${contentX}" y="${bannerY}" width="${contentWidth}" height="${bannerHeight}" fill="url(#g)"/>`);

  const lines = 4 + Math.floor(random() * 10);
  for (let i = 0; i < lines; i++) {
    const y = titleHeight + Math.round(random() * (height - titleHeight - 20));
    const x = contentX + Math.round(random() * contentWidth * 0.3);
    const w = Math.round(contentWidth * (0.2 + random() * 0.5));
    shapes.push(`<rect x="${x}" y="${y}" width="${w}" height="${Math.max(4, Math.round(height / 80))}" fill="${ink}"/>`);
  }
  const blobs = 2 + Math.floor(random() * 4);
  for (let i = 0; i < blobs; i++) {
    const cx = contentX + Math.round(random() * contentWidth);
    const cy = titleHeight + Math.round(random() * (height - titleHeight));
    const r = Math.round(Math.min(width, height) * (0.05 + random() * 0.15));
    shapes.push(
      random() < 0.5
        ? `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${colour()}"/>`
        : `<rect x="${cx - r}" y="${cy - r}" width="${2 * r}" height="${Math.round(r * 1.3)}" rx="${Math.round(r / 6)}" fill="${colour()}"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${background}"/>${shapes.join('')}</svg>`;
}

export async function renderSyntheticScreenshot(seed: number, options: SyntheticImageOptions = {}): Promise<Buffer> {
  const svg = syntheticScreenshotSvg(seed, options.width ?? 1280, options.height ?? 800, options.theme);
  return encodeImage(sharp(Buffer.from(svg)), options);
}

/** Re-encodes an image, optionally resized: the kind of copy a client's preprocessing produces. */
export async function reencodeImage(bytes: Uint8Array, options: SyntheticImageOptions = {}): Promise<Buffer> {
  let pipeline = sharp(bytes);
  if (options.width !== undefined || options.height !== undefined) {
    pipeline = pipeline.resize(options.width ?? null, options.height ?? null, { fit: 'fill' });
  }
  return encodeImage(pipeline, options);
}

function encodeImage(pipeline: Sharp, options: SyntheticImageOptions): Promise<Buffer> {
  switch (options.format ?? 'png') {
    case 'png':
      return pipeline.png().toBuffer();
    case 'jpeg':
      return pipeline.jpeg({ quality: options.quality ?? 85 }).toBuffer();
    case 'webp':
      return pipeline.webp({ quality: options.quality ?? 80 }).toBuffer();
    case 'gif':
      return pipeline.gif().toBuffer();
  }
}

export function toDataUrl(bytes: Uint8Array, mimeType: string): string {
  return `data:${mimeType};base64,${Buffer.from(bytes).toString('base64')}`;
}
