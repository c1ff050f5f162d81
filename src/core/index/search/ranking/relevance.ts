/**
 * Calibrated scores (spreads above the background, see scoreCalibration) as a relevance in
 * 0..1, the value a result list ranks by and a relevance bar shows: 0 for what is no better than
 * an unrelated item, one half at about SCALE·ln 2 spreads, approaching 1 far above. It keeps
 * differences between strong matches (no early saturation), so the calibrated order survives
 * being fused with the lexical side.
 */
export const SCALE = 6;

export function relevanceOf(calibrated: number): number {
  return 1 - Math.exp(-Math.max(0, calibrated) / SCALE);
}
