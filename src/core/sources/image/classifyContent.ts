import type { RawPixels } from './imageTypes';

/** Longest side of the sampling grid: up to 128 x 128 = 16,384 samples, well under 1 ms. */
const GRID = 128;
/** How many of the most frequent colours count as "the flat colours" of an image. */
const TOP_COLOURS = 16;
/**
 * Share of samples the top colours must cover for the image to count as flat. Screenshots,
 * diagrams, slides and rendered document pages sit at 0.6-1.0 (backgrounds, panels and text
 * repeat exact values); photographs, even smooth ones, sit below 0.2 because sensor noise,
 * gradients and JPEG blocks scatter values. 0.5 splits the two with margin on both sides.
 */
export const FLAT_COLOUR_SHARE = 0.5;

/**
 * The share of pixels (sampled on a grid, nearest pixel, so no blending invents colours)
 * whose exact colour is one of the 16 most frequent. Alpha is ignored: callers flatten first.
 */
export function topColourShare(pixels: RawPixels): number {
  const { data, width, height, channels } = pixels;
  const step = Math.max(1, Math.ceil(Math.max(width, height) / GRID));
  const counts = new Map<number, number>();
  let samples = 0;
  for (let y = Math.floor(step / 2); y < height; y += step) {
    const row = y * width;
    for (let x = Math.floor(step / 2); x < width; x += step) {
      const i = (row + x) * channels;
      const key = channels >= 3 ? (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]! : data[i]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      samples += 1;
    }
  }
  if (samples === 0) return 1;
  const top = [...counts.values()].sort((a, b) => b - a).slice(0, TOP_COLOURS);
  return top.reduce((sum, n) => sum + n, 0) / samples;
}

/**
 * Flat content (screenshots, diagrams, document pages) goes out as PNG: lossless keeps text
 * edges crisp and compresses well. Photographic content goes out as JPEG, which is several
 * times smaller for it at no visible cost to the model.
 */
export function isFlatContent(pixels: RawPixels): boolean {
  return topColourShare(pixels) >= FLAT_COLOUR_SHARE;
}
