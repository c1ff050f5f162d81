import { decodeImage, IMAGE_FEATURE_LENGTH, type DecodedImage } from './imageFeatures';
import { LruCache } from './lruCache';
import { finalizeHash, seededRandom } from './seededRandom';
import { l2Normalize } from './vectorMath';

/**
 * Image vectors: the thumbnail features projected into the embedding space with a fixed random
 * +-1 matrix. Random projections preserve cosine similarity (up to about 1/sqrt(dimensions)), so
 * images that look alike stay alike, and different images land nearly orthogonal to each other
 * and to text vectors. Row i of the matrix is generated from its own seed, left to right, so a
 * smaller native size is a prefix of a larger one and Matryoshka cuts stay meaningful.
 */

const PROJECTION_SEED = 0x5197_1e5e;
const projections = new Map<number, Int8Array>();

function projectionMatrix(dimensions: number): Int8Array {
  let matrix = projections.get(dimensions);
  if (!matrix) {
    matrix = new Int8Array(IMAGE_FEATURE_LENGTH * dimensions);
    for (let row = 0; row < IMAGE_FEATURE_LENGTH; row++) {
      const random = seededRandom(finalizeHash(PROJECTION_SEED + row));
      const offset = row * dimensions;
      for (let column = 0; column < dimensions; column++) matrix[offset + column] = random() < 0.5 ? -1 : 1;
    }
    projections.set(dimensions, matrix);
  }
  return matrix;
}

export function projectImageFeatures(features: Float32Array, dimensions: number): Float32Array {
  const matrix = projectionMatrix(dimensions);
  const sum = new Float64Array(dimensions);
  for (let row = 0; row < IMAGE_FEATURE_LENGTH; row++) {
    const weight = features[row]!;
    if (weight === 0) continue;
    const offset = row * dimensions;
    for (let column = 0; column < dimensions; column++) sum[column] = sum[column]! + weight * matrix[offset + column]!;
  }
  return l2Normalize(sum);
}

/** Vector of an image on its own (no registered caption), as the server computes it. */
export async function vectorForImage(bytes: Uint8Array, dimensions = 4096): Promise<Float32Array> {
  return vectorForDecodedImage(await decodeImage(bytes), dimensions);
}

const projected = new LruCache<string, Float32Array>(2048);

/** Same as projectImageFeatures, remembered per image and size: benchmarks resend the same images. */
export function vectorForDecodedImage(image: DecodedImage, dimensions: number): Float32Array {
  const key = `${image.sha256}:${dimensions}`;
  let vector = projected.get(key);
  if (!vector) {
    vector = projectImageFeatures(image.features, dimensions);
    projected.set(key, vector);
  }
  return vector;
}
