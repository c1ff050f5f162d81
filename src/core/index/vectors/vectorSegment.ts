// A segment is an immutable batch of embeddings in the two forms search needs: float16 full
// vectors (the source of truth, so the Matryoshka cut can change without re-embedding) and
// int8 codes of the first `scanDims` dims (what the scan reads). Rows are numbered 0..count-1;
// mapping rows to items is the caller's business.
import { float16ToFloat32, float32ToFloat16 } from './float16';
import { quantizeInt8 } from './int8Quantizer';
import { normalizeInPlace } from '../../common/matryoshka';

export interface VectorSegment {
  readonly modelId: string;
  /** Dimensions of each stored full vector. */
  readonly fullDims: number;
  /** Leading dimensions kept as int8 scan codes (<= fullDims). */
  readonly scanDims: number;
  readonly count: number;
  /** count * fullDims float16 bit patterns, row-major. */
  readonly full: Uint16Array;
  /** count per-vector scales: value ~= code * scale (of the re-normalised scanDims prefix). */
  readonly scales: Float32Array;
  /** count * scanDims int8 codes, row-major. */
  readonly codes: Int8Array;
}

export interface SegmentShape {
  readonly modelId: string;
  readonly fullDims: number;
  readonly scanDims: number;
}

/** Encodes float32 embeddings (count * fullDims, row-major) into a segment. */
export function encodeVectorSegment(shape: SegmentShape, vectors: Float32Array): VectorSegment {
  checkShape(shape);
  if (vectors.length % shape.fullDims !== 0) {
    throw new RangeError(`${vectors.length} values are not a whole number of ${shape.fullDims}-dim vectors`);
  }
  return segmentFromFloat16(shape, float32ToFloat16(vectors));
}

/**
 * Builds a segment from float16 full vectors, deriving the scan codes from the stored halves
 * (not from any float32 original) so that rewriting a segment, e.g. when compacting away
 * deleted rows, reproduces exactly the same codes.
 */
export function segmentFromFloat16(shape: SegmentShape, full: Uint16Array): VectorSegment {
  checkShape(shape);
  const { fullDims, scanDims } = shape;
  if (full.length % fullDims !== 0) {
    throw new RangeError(`${full.length} halves are not a whole number of ${fullDims}-dim vectors`);
  }
  const count = full.length / fullDims;
  const scales = new Float32Array(count);
  const codes = new Int8Array(count * scanDims);
  const prefix = new Float32Array(scanDims);
  for (let row = 0; row < count; row++) {
    float16ToFloat32(full.subarray(row * fullDims, row * fullDims + scanDims), prefix);
    normalizeInPlace(prefix);
    scales[row] = quantizeInt8(prefix, scanDims, codes, row * scanDims);
  }
  return { modelId: shape.modelId, fullDims, scanDims, count, full, scales, codes };
}

export function checkShape(shape: SegmentShape): void {
  const { fullDims, scanDims } = shape;
  if (!Number.isInteger(fullDims) || fullDims <= 0) throw new RangeError(`bad fullDims ${fullDims}`);
  if (!Number.isInteger(scanDims) || scanDims <= 0 || scanDims > fullDims) {
    throw new RangeError(`scanDims ${scanDims} must be in 1..fullDims (${fullDims})`);
  }
}
