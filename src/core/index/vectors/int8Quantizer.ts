// Symmetric int8 scalar quantisation with one scale per vector. A per-vector scale spends the
// full [-127, 127] range on every vector whatever its largest component, so it needs no
// calibration over the corpus and new segments never disagree with old ones about the range.
// -128 is never produced so that products of two codes fit in int16 (127 * 127 = 16129),
// which the SIMD kernel relies on.

/** The largest code magnitude; codes lie in [-INT8_CODE_MAX, INT8_CODE_MAX]. */
export const INT8_CODE_MAX = 127;

/**
 * Quantises `dims` values of `vector` (from index 0) into `codes[offset .. offset + dims)` and
 * returns the scale s such that vector[i] ~= codes[offset + i] * s. An all-zero vector gets
 * scale 0 and all-zero codes.
 */
export function quantizeInt8(vector: ArrayLike<number>, dims: number, codes: Int8Array, offset = 0): number {
  let maxAbs = 0;
  for (let i = 0; i < dims; i++) {
    const a = Math.abs(vector[i]!);
    if (a > maxAbs) maxAbs = a;
  }
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) {
    codes.fill(0, offset, offset + dims);
    return 0;
  }
  const scale = maxAbs / INT8_CODE_MAX;
  const inv = INT8_CODE_MAX / maxAbs;
  for (let i = 0; i < dims; i++) {
    // Rounds half up like Math.round, which V8 runs several times slower here. The result
    // stays within +-127 because |vector[i]| * inv <= 127 by construction.
    codes[offset + i] = Math.floor(vector[i]! * inv + 0.5);
  }
  return Math.fround(scale);
}

/** Reconstructs approximate values from int8 codes and their scale. */
export function dequantizeInt8(codes: Int8Array, scale: number, out?: Float32Array): Float32Array {
  const result = out ?? new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) result[i] = codes[i]! * scale;
  return result;
}
