// IEEE 754 half-precision encoding for the stored full vectors. Node 20 has no Float16Array,
// so values travel as raw uint16 bit patterns. Half precision keeps about 3 significant
// digits, which is ample for unit-length embedding components (|x| < 1) and halves the bytes
// of the source of truth compared with float32.

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** Rounds one number to the nearest float16 (ties to even) and returns its bit pattern. */
export function toFloat16Bits(value: number): number {
  scratch[0] = value;
  return halfFromFloat32Bits(scratchBits[0]!);
}

/** float32 bit pattern -> float16 bit pattern, round to nearest even. */
function halfFromFloat32Bits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  const halfExp = exp - 127 + 15;
  if (halfExp > 0 && halfExp < 0x1f) {
    // The common case for embedding components: a normal half.
    let half = (halfExp << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    // Rounding may carry into the exponent, which correctly yields the next power of two
    // (or infinity at the top of the range).
    if (rest > 0x1000 || (rest === 0x1000 && (half & 1) !== 0)) half += 1;
    return sign | half;
  }
  if (exp === 0xff) {
    // Infinity stays infinity; NaN keeps a quiet-NaN payload bit so it stays NaN.
    return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  }
  if (halfExp >= 0x1f) return sign | 0x7c00; // too large: infinity
  // Subnormal half (or zero): shift the mantissa with its implicit bit into place.
  if (halfExp < -10) return sign;
  const full = mant | 0x800000;
  const shift = 14 - halfExp;
  let half = full >>> shift;
  const rest = full & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  if (rest > halfway || (rest === halfway && (half & 1) !== 0)) half += 1;
  return sign | half;
}

/** Decodes one float16 bit pattern. */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

let decodeTable: Float32Array | undefined;

/**
 * A 65,536-entry lookup table from float16 bits to float32 (256 KiB). Rescoring decodes
 * hundreds of thousands of halves per query; one indexed load is far cheaper than bit fiddling.
 */
export function float16DecodeTable(): Float32Array {
  if (!decodeTable) {
    decodeTable = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) decodeTable[bits] = fromFloat16Bits(bits);
  }
  return decodeTable;
}

/** Encodes float32 values as float16 bit patterns into `out` (allocated when omitted). */
export function float32ToFloat16(values: ArrayLike<number>, out?: Uint16Array): Uint16Array {
  const result = out ?? new Uint16Array(values.length);
  if (result.length < values.length) throw new RangeError('float16 output is shorter than the input');
  if (values instanceof Float32Array) {
    // Read the float32 bits in place: a whole segment is encoded this way, so skipping the
    // scratch round trip per value matters.
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
    for (let i = 0; i < bits.length; i++) result[i] = halfFromFloat32Bits(bits[i]!);
  } else {
    for (let i = 0; i < values.length; i++) result[i] = toFloat16Bits(values[i]!);
  }
  return result;
}

/** Decodes float16 bit patterns into float32 values in `out` (allocated when omitted). */
export function float16ToFloat32(bits: Uint16Array, out?: Float32Array): Float32Array {
  const result = out ?? new Float32Array(bits.length);
  if (result.length < bits.length) throw new RangeError('float32 output is shorter than the input');
  const table = float16DecodeTable();
  for (let i = 0; i < bits.length; i++) result[i] = table[bits[i]!]!;
  return result;
}
