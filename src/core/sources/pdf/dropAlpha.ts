/**
 * RGBA to RGB in one pass. PDFium renders opaque pages with an alpha byte per pixel; dropping
 * it here once is cheaper than letting each encoder do it, and keeps the resizer from
 * premultiplying an alpha channel that carries nothing.
 */
export function dropAlpha(rgba: Uint8Array): Uint8Array {
  const pixels = rgba.length >> 2;
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i]!;
    rgb[j + 1] = rgba[i + 1]!;
    rgb[j + 2] = rgba[i + 2]!;
  }
  return rgb;
}
