/** Zoom levels the + and - buttons step through (1 = 100%, a point drawn as 96/72 CSS pixels). */
export const ZOOM_STEPS = [0.5, 0.67, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4] as const;

/** CSS pixels per PDF point at 100%: PDF points are 1/72 inch, CSS pixels 1/96. */
export const PX_PER_PT = 96 / 72;

/** The next level up or down from `current`, which may lie between steps (a fitted width does). */
export function stepZoom(current: number, direction: 1 | -1): number {
  if (direction > 0) return ZOOM_STEPS.find((step) => step > current + 0.005) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1]!;
  return [...ZOOM_STEPS].reverse().find((step) => step < current - 0.005) ?? ZOOM_STEPS[0];
}

/** The page's width on screen in CSS pixels: fitted to the viewport, or at a zoom level. */
export function pageCssWidth(widthPt: number, zoom: number | 'fit', viewportWidth: number): number {
  if (zoom === 'fit') return Math.max(160, Math.floor(viewportWidth - 32));
  return Math.round(widthPt * PX_PER_PT * zoom);
}
