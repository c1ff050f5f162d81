// Matryoshka truncation: the model front-loads information, so the first k components of an
// embedding, re-normalised to unit length, are themselves a usable (smaller) embedding.

/** Returns the first `k` values of `vector` scaled to unit L2 norm (all zeros stay zeros). */
export function truncateAndNormalize(vector: ArrayLike<number>, k: number): Float32Array {
  if (!Number.isInteger(k) || k <= 0 || k > vector.length) {
    throw new RangeError(`cannot truncate a ${vector.length}-dim vector to ${k} dims`);
  }
  const out = new Float32Array(k);
  for (let i = 0; i < k; i++) out[i] = vector[i]!;
  return normalizeInPlace(out);
}

/** Scales `vector` to unit L2 norm in place (all zeros stay zeros) and returns it. */
export function normalizeInPlace(vector: Float32Array): Float32Array {
  let sumSquares = 0;
  for (let i = 0; i < vector.length; i++) sumSquares += vector[i]! * vector[i]!;
  if (sumSquares > 0) {
    const inv = 1 / Math.sqrt(sumSquares);
    for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! * inv;
  }
  return vector;
}
