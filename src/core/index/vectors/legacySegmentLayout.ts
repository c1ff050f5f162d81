// The byte layout of a segment file of format 1, read only to upgrade an index to format 2
// (segmentLayout.ts). All integers are little-endian.
//
//   offset size  field
//        0    8  magic "SLVSEG01"
//        8    2  format version (1)
//       10    2  header bytes (256)
//       12    4  fullDims
//       16    4  scanDims
//       20    1  full dtype  (1 = float16)
//       21    1  scan dtype  (2 = int8)
//       22    1  scale dtype (3 = float32, one per vector)
//       23    5  reserved, zero
//       28    4  count
//       32    8  offset of the float16 full vectors (count * fullDims * 2 bytes)
//       40    8  offset of the scales (count * 4 bytes)
//       48    8  offset of the int8 scan codes (count * scanDims bytes)
//       56    8  file length
//       64    4  CRC-32 of the body (every byte after the header, padding included)
//       68    2  model id length in bytes
//       70  182  model id, utf-8, zero padded
//      252    4  CRC-32 of header bytes 0..251
//
// Sections start on 16-byte boundaries so typed-array views need no copies, and the int8
// codes come last so a reader can place them in a separate buffer.

export const SEGMENT_MAGIC = 'SLVSEG01';
export const SEGMENT_FORMAT_VERSION = 1;
export const SEGMENT_HEADER_BYTES = 256;
export const DTYPE_FLOAT16 = 1;
export const DTYPE_INT8 = 2;
export const DTYPE_FLOAT32 = 3;
export const MAX_MODEL_ID_BYTES = 182;

const MODEL_ID_OFFSET = 70;
const HEADER_CRC_OFFSET = 252;

/**
 * The largest segment file: Node 20's fs.readFile and a single fs read refuse more than
 * 2^31 - 1 bytes, so no segment may exceed it. Larger indexes are split into several segments.
 */
export const MAX_SEGMENT_FILE_BYTES = 2 ** 31 - 1;

export interface SegmentLayout {
  readonly fullOffset: number;
  readonly scalesOffset: number;
  readonly codesOffset: number;
  readonly fileBytes: number;
}

export interface SegmentHeader extends SegmentLayout {
  readonly version: number;
  readonly modelId: string;
  readonly fullDims: number;
  readonly scanDims: number;
  readonly count: number;
  readonly bodyCrc: number;
}

export function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

export function segmentLayout(count: number, fullDims: number, scanDims: number): SegmentLayout {
  const fullOffset = SEGMENT_HEADER_BYTES;
  const scalesOffset = align16(fullOffset + count * fullDims * 2);
  const codesOffset = align16(scalesOffset + count * 4);
  const fileBytes = codesOffset + count * scanDims;
  return { fullOffset, scalesOffset, codesOffset, fileBytes };
}

/**
 * The most vectors one segment file can hold, e.g. 698,141 at 1024/1024 dims and 232,915
 * at 4096 full / 1024 scan dims.
 */
export function maxSegmentCount(fullDims: number, scanDims: number): number {
  let count = Math.floor((MAX_SEGMENT_FILE_BYTES - SEGMENT_HEADER_BYTES - 32) / (fullDims * 2 + 4 + scanDims));
  while (segmentLayout(count + 1, fullDims, scanDims).fileBytes <= MAX_SEGMENT_FILE_BYTES) count++;
  while (count > 0 && segmentLayout(count, fullDims, scanDims).fileBytes > MAX_SEGMENT_FILE_BYTES) count--;
  return count;
}

export function encodeModelId(modelId: string): Uint8Array {
  const bytes = new TextEncoder().encode(modelId);
  if (bytes.length > MAX_MODEL_ID_BYTES) {
    throw new RangeError(`model id is ${bytes.length} bytes; at most ${MAX_MODEL_ID_BYTES} fit in a segment header`);
  }
  return bytes;
}

/** Builds the 256-byte header; `crc` computes CRC-32 so this file stays free of I/O imports. */
export function encodeSegmentHeader(header: Omit<SegmentHeader, 'version'>, crc: (data: Uint8Array) => number): Uint8Array {
  const bytes = new Uint8Array(SEGMENT_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(SEGMENT_MAGIC), 0);
  view.setUint16(8, SEGMENT_FORMAT_VERSION, true);
  view.setUint16(10, SEGMENT_HEADER_BYTES, true);
  view.setUint32(12, header.fullDims, true);
  view.setUint32(16, header.scanDims, true);
  bytes[20] = DTYPE_FLOAT16;
  bytes[21] = DTYPE_INT8;
  bytes[22] = DTYPE_FLOAT32;
  view.setUint32(28, header.count, true);
  view.setBigUint64(32, BigInt(header.fullOffset), true);
  view.setBigUint64(40, BigInt(header.scalesOffset), true);
  view.setBigUint64(48, BigInt(header.codesOffset), true);
  view.setBigUint64(56, BigInt(header.fileBytes), true);
  view.setUint32(64, header.bodyCrc >>> 0, true);
  const modelId = encodeModelId(header.modelId);
  view.setUint16(68, modelId.length, true);
  bytes.set(modelId, MODEL_ID_OFFSET);
  view.setUint32(HEADER_CRC_OFFSET, crc(bytes.subarray(0, HEADER_CRC_OFFSET)), true);
  return bytes;
}

/** A reason code and message for the first problem found in a header, or a parsed header. */
export type HeaderCheck =
  | { readonly ok: true; readonly header: SegmentHeader }
  | { readonly ok: false; readonly reason: 'magic' | 'version' | 'header-crc' | 'layout'; readonly detail: string };

export function decodeSegmentHeader(bytes: Uint8Array, crc: (data: Uint8Array) => number): HeaderCheck {
  const view = new DataView(bytes.buffer, bytes.byteOffset, SEGMENT_HEADER_BYTES);
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== SEGMENT_MAGIC) {
    return { ok: false, reason: 'magic', detail: `expected magic ${SEGMENT_MAGIC}, found ${JSON.stringify(magic)}` };
  }
  const version = view.getUint16(8, true);
  if (version !== SEGMENT_FORMAT_VERSION) {
    return { ok: false, reason: 'version', detail: `format version ${version}; this build reads ${SEGMENT_FORMAT_VERSION}` };
  }
  const storedCrc = view.getUint32(HEADER_CRC_OFFSET, true);
  const actualCrc = crc(bytes.subarray(0, HEADER_CRC_OFFSET));
  if (storedCrc !== actualCrc) {
    return { ok: false, reason: 'header-crc', detail: `header CRC ${hex(actualCrc)} does not match stored ${hex(storedCrc)}` };
  }
  const headerBytes = view.getUint16(10, true);
  const fullDims = view.getUint32(12, true);
  const scanDims = view.getUint32(16, true);
  const count = view.getUint32(28, true);
  const modelIdBytes = view.getUint16(68, true);
  const layoutProblem =
    headerBytes !== SEGMENT_HEADER_BYTES
      ? `header size ${headerBytes}`
      : bytes[20] !== DTYPE_FLOAT16 || bytes[21] !== DTYPE_INT8 || bytes[22] !== DTYPE_FLOAT32
        ? `dtype codes ${bytes[20]}/${bytes[21]}/${bytes[22]}`
        : fullDims === 0 || scanDims === 0 || scanDims > fullDims
          ? `dims ${fullDims}/${scanDims}`
          : modelIdBytes > MAX_MODEL_ID_BYTES
            ? `model id length ${modelIdBytes}`
            : undefined;
  if (layoutProblem) return { ok: false, reason: 'layout', detail: `unsupported ${layoutProblem}` };

  const expected = segmentLayout(count, fullDims, scanDims);
  const stored: SegmentLayout = {
    fullOffset: Number(view.getBigUint64(32, true)),
    scalesOffset: Number(view.getBigUint64(40, true)),
    codesOffset: Number(view.getBigUint64(48, true)),
    fileBytes: Number(view.getBigUint64(56, true)),
  };
  for (const key of ['fullOffset', 'scalesOffset', 'codesOffset', 'fileBytes'] as const) {
    if (stored[key] !== expected[key]) {
      return { ok: false, reason: 'layout', detail: `${key} is ${stored[key]}, expected ${expected[key]} for ${count} vectors` };
    }
  }
  if (expected.fileBytes > MAX_SEGMENT_FILE_BYTES) {
    return { ok: false, reason: 'layout', detail: `declares ${expected.fileBytes} bytes, over the ${MAX_SEGMENT_FILE_BYTES}-byte limit` };
  }
  const modelId = new TextDecoder().decode(bytes.subarray(MODEL_ID_OFFSET, MODEL_ID_OFFSET + modelIdBytes));
  return {
    ok: true,
    header: { version, modelId, fullDims, scanDims, count, bodyCrc: view.getUint32(64, true), ...expected },
  };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
