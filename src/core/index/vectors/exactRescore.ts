// Exact cosine between a query and a stored float16 vector truncated to the query's dims. The
// stored vector's prefix is re-normalised here, so the same file serves any Matryoshka cut.
import { float16DecodeTable } from './float16';

/**
 * Cosine of `unitQuery` (already unit length, `unitQuery.length` dims) against the first
 * unitQuery.length halves of `full` starting at `offset`. A zero stored prefix scores 0.
 */
export function cosineWithFloat16(unitQuery: Float32Array, full: Uint16Array, offset: number): number {
  const table = float16DecodeTable();
  let dot = 0;
  let norm = 0;
  const dims = unitQuery.length;
  for (let j = 0; j < dims; j++) {
    const x = table[full[offset + j]!]!;
    dot += x * unitQuery[j]!;
    norm += x * x;
  }
  return norm > 0 ? dot / Math.sqrt(norm) : 0;
}
