import type { Size } from '../image/fitPixelBudget';

/** Beyond 4x (288 DPI) a small page gains no legibility, only bytes and tokens. */
const MAX_SCALE = 4;

/**
 * The bitmap size for a page of `widthPt` x `heightPt` points: the largest that fits the pixel
 * budget (a Letter page gets about 140 DPI at the model's maximum), capped at MAX_SCALE,
 * lifted to `minPixels` for tiny pages. Floors keep the product within the budget.
 */
export function pageRenderSize(widthPt: number, heightPt: number, limits: { readonly pixelBudget: number; readonly minPixels: number }): Size {
  const area = widthPt * heightPt;
  const budgetScale = Math.sqrt(limits.pixelBudget / area);
  const minScale = Math.sqrt(limits.minPixels / area);
  let scale = Math.min(MAX_SCALE, budgetScale);
  if (scale < minScale) scale = Math.min(minScale, budgetScale);
  return {
    width: Math.max(1, Math.floor(widthPt * scale)),
    height: Math.max(1, Math.floor(heightPt * scale)),
  };
}
