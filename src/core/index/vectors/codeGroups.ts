// The in-memory layout the scan kernel reads (see simd/searchKernels.wat): rows in groups of
// 8, each group's codes interleaved in 16-dim chunks of 128 bytes, even dims stored + 128.
// The file keeps plain row-major int8 codes; this layout is made when a segment is loaded.

export const GROUP_ROWS = 8;
const CHUNK_DIMS = 16;

export function chunksFor(dims: number): number {
  return Math.ceil(dims / CHUNK_DIMS);
}

/** Bytes of one group of 8 rows of `scanDims` codes (padded to whole chunks). */
export function groupBytes(scanDims: number): number {
  return chunksFor(scanDims) * CHUNK_DIMS * GROUP_ROWS;
}

export function groupsFor(rows: number): number {
  return Math.ceil(rows / GROUP_ROWS);
}

/**
 * Writes `count` rows of row-major int8 `codes` into `target` in the grouped layout. Padding
 * dims and padding rows become code 0. Adding 128 to a two's-complement byte is flipping its
 * top bit, so the even-dim bias is an XOR.
 */
export function writeGroupedCodes(target: Uint8Array, codes: Int8Array, count: number, scanDims: number): void {
  const chunks = chunksFor(scanDims);
  const bytesPerGroup = groupBytes(scanDims);
  const groups = groupsFor(count);
  const source = new Uint8Array(codes.buffer, codes.byteOffset, count * scanDims);
  if (scanDims % 4 === 0 && source.byteOffset % 4 === 0 && target.byteOffset % 4 === 0) {
    // Whole 4-byte words (two even/odd pairs each): about four times fewer steps.
    const from = new Uint32Array(source.buffer, source.byteOffset, source.length / 4);
    const to = new Uint32Array(target.buffer, target.byteOffset, (groups * bytesPerGroup) / 4);
    const wordsPerRow = scanDims / 4;
    for (let g = 0; g < groups; g++) {
      for (let i = 0; i < GROUP_ROWS; i++) {
        const row = g * GROUP_ROWS + i;
        for (let c = 0; c < chunks; c++) {
          const at = (g * bytesPerGroup + c * CHUNK_DIMS * GROUP_ROWS + i * CHUNK_DIMS) / 4;
          for (let w = 0; w < 4; w++) {
            const word = c * 4 + w;
            to[at + w] = (row < count && word < wordsPerRow ? from[row * wordsPerRow + word]! : 0) ^ 0x00800080;
          }
        }
      }
    }
    return;
  }
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < GROUP_ROWS; i++) {
      const row = g * GROUP_ROWS + i;
      for (let c = 0; c < chunks; c++) {
        const at = g * bytesPerGroup + c * CHUNK_DIMS * GROUP_ROWS + i * CHUNK_DIMS;
        for (let b = 0; b < CHUNK_DIMS; b++) {
          const dim = c * CHUNK_DIMS + b;
          const value = row < count && dim < scanDims ? source[row * scanDims + dim]! : 0;
          target[at + b] = b % 2 === 0 ? value ^ 0x80 : value;
        }
      }
    }
  }
}

/**
 * Writes query codes in the kernel's layout, 16 int16 per chunk: q[even dims], then
 * q[odd] - 256 * q[even]; returns the bias 128 * sum(q[even dims]) the kernel subtracts.
 */
export function writeGroupedQuery(target: Int16Array, query: Int8Array): number {
  const chunks = chunksFor(query.length);
  let bias = 0;
  for (let c = 0; c < chunks; c++) {
    for (let k = 0; k < 8; k++) {
      const even = query[c * CHUNK_DIMS + 2 * k] ?? 0;
      const odd = query[c * CHUNK_DIMS + 2 * k + 1] ?? 0;
      target[c * 16 + k] = even;
      target[c * 16 + 8 + k] = odd - 256 * even;
      bias += even;
    }
  }
  return bias * 128;
}
