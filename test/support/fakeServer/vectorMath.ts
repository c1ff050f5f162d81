/**
 * Vector helpers shared by the server and by tests that compute expected vectors. Vectors leave
 * the server as float32, so every helper that produces a final vector returns a Float32Array:
 * that way the "float" and "base64" encodings carry bit-identical values.
 */

import { endianness } from 'node:os';

// Hot loops run over one concrete array type: generic ArrayLike access is many times slower.
function asFloat64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

export function l2Normalize(values: ArrayLike<number>): Float32Array {
  const source = asFloat64(values);
  let sumSquares = 0;
  for (let i = 0; i < source.length; i++) sumSquares += source[i]! * source[i]!;
  const out = new Float32Array(source.length);
  if (sumSquares === 0) return out;
  const scale = 1 / Math.sqrt(sumSquares);
  for (let i = 0; i < source.length; i++) out[i] = source[i]! * scale;
  return out;
}

/** Normalised sum of already-normalised parts: how mixed inputs (image + text) become one vector. */
export function combineVectors(parts: readonly ArrayLike<number>[]): Float32Array {
  const first = parts[0];
  if (first === undefined) throw new Error('combineVectors needs at least one vector');
  const sum = new Float64Array(first.length);
  for (const part of parts) {
    if (part.length !== sum.length) throw new Error('combineVectors: vectors differ in length');
    const values = asFloat64(part);
    for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + values[i]!;
  }
  return l2Normalize(sum);
}

/** Matryoshka truncation: keep the first `dimensions` values and re-normalise. */
export function truncateVector(vector: ArrayLike<number>, dimensions: number): Float32Array {
  return l2Normalize(asFloat64(vector).subarray(0, dimensions));
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = asFloat64(a);
  const y = asFloat64(b);
  const length = Math.min(x.length, y.length);
  let sum = 0;
  for (let i = 0; i < length; i++) sum += x[i]! * y[i]!;
  return sum;
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const denominator = Math.sqrt(dot(a, a) * dot(b, b));
  return denominator === 0 ? 0 : dot(a, b) / denominator;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** The wire form of `encoding_format: "base64"`: raw little-endian float32 bytes. */
export function float32ToBase64(vector: Float32Array): string {
  if (LITTLE_ENDIAN) return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i] ?? 0, i * 4);
  return bytes.toString('base64');
}

export function base64ToFloat32(encoded: string): Float32Array {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length % 4 !== 0) throw new Error(`base64 vector has ${bytes.length} bytes, not a multiple of 4`);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}
