/** L2-normalises in place and returns the same array; a zero vector stays zero. */
export function normalizeInPlace(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  return vector;
}

/** Matryoshka cut: keep the first `dimensions` values, then re-normalise. */
export function truncateAndNormalize(vector: Float32Array, dimensions: number): Float32Array {
  const cut = dimensions < vector.length ? vector.slice(0, dimensions) : vector.slice();
  return normalizeInPlace(cut);
}

export function dot(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]! * b[i]!;
  return sum;
}
