export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * The size to send to the model: the source size scaled by one factor (aspect ratio kept)
 * so the pixel count is at most `maxPixels`. Smaller images keep their size, because
 * upscaling adds bytes and tokens but no detail, except below `minPixels`, which the model
 * would upscale anyway.
 */
export function fitPixelBudget(width: number, height: number, limits: { readonly maxPixels: number; readonly minPixels: number }): Size {
  const pixels = width * height;
  let scale = 1;
  if (pixels > limits.maxPixels) scale = Math.sqrt(limits.maxPixels / pixels);
  else if (pixels < limits.minPixels) scale = Math.sqrt(limits.minPixels / pixels);
  if (scale === 1) return { width, height };

  let w = Math.max(1, Math.round(width * scale));
  let h = Math.max(1, Math.round(height * scale));
  // Rounding may overshoot by a row or column; trim the longer side until it fits.
  while (w * h > limits.maxPixels && (w > 1 || h > 1)) {
    if (w >= h) w -= 1;
    else h -= 1;
  }
  // Upscaling rounds the other way: grow the shorter side until the minimum is met.
  while (w * h < limits.minPixels && w * h < limits.maxPixels) {
    if (w <= h) w += 1;
    else h += 1;
  }
  return { width: w, height: h };
}
