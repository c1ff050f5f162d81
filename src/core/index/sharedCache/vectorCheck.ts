import { float16DecodeTable } from '../vectors/float16';

/** How far from 1 a stored vector's length may be: float16 rounding moves it by about 1e-3 at most. */
const UNIT_TOLERANCE = 0.01;

/**
 * Why a cached vector (float16 bits) may not enter the index, or undefined when it may: every
 * value finite and the whole of unit length, as every vector the service's answers give.
 */
export function vectorProblem(halves: Uint16Array): string | undefined {
  const table = float16DecodeTable();
  let squares = 0;
  for (let i = 0; i < halves.length; i++) {
    const value = table[halves[i]!]!;
    if (!Number.isFinite(value)) return 'holds a value that is not a finite number';
    squares += value * value;
  }
  const length = Math.sqrt(squares);
  return Math.abs(length - 1) > UNIT_TOLERANCE ? `has length ${length.toFixed(4)}, not 1` : undefined;
}
