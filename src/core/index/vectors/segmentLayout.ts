// The byte layout of a segment file (format 2). All integers are little-endian.
//
//   offset size  field
//        0    8  magic "SLVSEG02"
//        8    2  format version (2)
//       10    2  header bytes (256)
//       12    4  fullDims
//       16    4  scanDims
//       20    1  full dtype  (1 = float16)
//       21    1  scan dtype  (4 = int8 in the scan kernel's grouped layout, see codeGroups.ts)
//       22    1  scale dtype (3 = float32, one per vector, padded to whole groups of 8)
//       23    1  reserved, zero
//       24    4  count
//       28    4  CRC-32 of the scan section (codes and scales)
//       32    4  CRC-32 of the row checksum table
//       36    8  offset of the scales
//       44    8  offset of the row checksum table (count * 4 bytes: CRC-32 of each full vector)
//       52    8  offset of the float16 full vectors (count * fullDims * 2 bytes)
//       60    8  file length
//       68    2  model id length in bytes
//       70  182  model id, utf-8, zero padded
//      252    4  CRC-32 of header bytes 0..251
//
// The codes come first, already in the layout the scan kernel reads, followed by the scales:
// that whole scan section is one read straight into the searcher's WebAssembly memory, the only
// part of the file an open index keeps in memory. The full vectors stay on disk and are read a
// row at a time, when a query rescores its candidates, each checked against its own CRC.
// (Format 1 kept the full vectors first and one CRC over everything: see legacySegmentLayout.ts.)
import { groupBytes, groupsFor, GROUP_ROWS } from './codeGroups';

export const SEGMENT_MAGIC = 'SLVSEG02';
export const SEGMENT_FORMAT_VERSION = 2;
export const SEGMENT_HEADER_BYTES = 256;
export const DTYPE_FLOAT16 = 1;
export const DTYPE_INT8_GROUPED = 4;
export const DTYPE_FLOAT32 = 3;
export const MAX_MODEL_ID_BYTES = 182;

const MODEL_ID_OFFSET = 70;
const HEADER_CRC_OFFSET = 252;

/**
 * The largest segment file. Full vectors are read by row, but the scan section is read in one
 * piece and one fs read accepts at most 2^31 - 1 bytes; keeping whole files under that bound
 * also keeps every offset a safe 32-bit quantity for tools that inspect the files.
 */
export const MAX_SEGMENT_FILE_BYTES = 2 ** 31 - 1;

export interface SegmentLayout {
  /** Codes of all rows in groups of 8 (GROUP_ROWS), each group groupBytes(scanDims) long. */
  readonly codesOffset: number;
  readonly scalesOffset: number;
  readonly rowCrcsOffset: number;
  readonly fullOffset: number;
  readonly fileBytes: number;
}

export interface SegmentHeader extends SegmentLayout {
  readonly version: number;
  readonly modelId: string;
  readonly fullDims: number;
  readonly scanDims: number;
  readonly count: number;
  readonly scanCrc: number;
  readonly rowCrcsCrc: number;
}

export function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

/** Bytes of the scan section (codes, then scales padded to whole groups): what a searcher holds per segment. */
export function scanSectionBytes(count: number, scanDims: number): number {
  const groups = groupsFor(count);
  return groups * groupBytes(scanDims) + align16(groups * GROUP_ROWS * 4);
}

export function segmentLayout(count: number, fullDims: number, scanDims: number): SegmentLayout {
  const codesOffset = SEGMENT_HEADER_BYTES;
  const scalesOffset = codesOffset + groupsFor(count) * groupBytes(scanDims);
  const rowCrcsOffset = codesOffset + scanSectionBytes(count, scanDims);
  const fullOffset = align16(rowCrcsOffset + count * 4);
  const fileBytes = fullOffset + count * fullDims * 2;
  return { codesOffset, scalesOffset, rowCrcsOffset, fullOffset, fileBytes };
}

/** The most vectors one segment file can hold, e.g. 231,839 at 4096 full / 1024 scan dims. */
export function maxSegmentCount(fullDims: number, scanDims: number): number {
  let count = Math.floor((MAX_SEGMENT_FILE_BYTES - SEGMENT_HEADER_BYTES - 64) / (fullDims * 2 + 8 + groupBytes(scanDims) / GROUP_ROWS));
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
  bytes[21] = DTYPE_INT8_GROUPED;
  bytes[22] = DTYPE_FLOAT32;
  view.setUint32(24, header.count, true);
  view.setUint32(28, header.scanCrc >>> 0, true);
  view.setUint32(32, header.rowCrcsCrc >>> 0, true);
  view.setBigUint64(36, BigInt(header.scalesOffset), true);
  view.setBigUint64(44, BigInt(header.rowCrcsOffset), true);
  view.setBigUint64(52, BigInt(header.fullOffset), true);
  view.setBigUint64(60, BigInt(header.fileBytes), true);
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
  const count = view.getUint32(24, true);
  const modelIdBytes = view.getUint16(68, true);
  const layoutProblem =
    headerBytes !== SEGMENT_HEADER_BYTES
      ? `header size ${headerBytes}`
      : bytes[20] !== DTYPE_FLOAT16 || bytes[21] !== DTYPE_INT8_GROUPED || bytes[22] !== DTYPE_FLOAT32
        ? `dtype codes ${bytes[20]}/${bytes[21]}/${bytes[22]}`
        : fullDims === 0 || scanDims === 0 || scanDims > fullDims
          ? `dims ${fullDims}/${scanDims}`
          : modelIdBytes > MAX_MODEL_ID_BYTES
            ? `model id length ${modelIdBytes}`
            : undefined;
  if (layoutProblem) return { ok: false, reason: 'layout', detail: `unsupported ${layoutProblem}` };

  const expected = segmentLayout(count, fullDims, scanDims);
  const stored = {
    scalesOffset: Number(view.getBigUint64(36, true)),
    rowCrcsOffset: Number(view.getBigUint64(44, true)),
    fullOffset: Number(view.getBigUint64(52, true)),
    fileBytes: Number(view.getBigUint64(60, true)),
  };
  for (const key of ['scalesOffset', 'rowCrcsOffset', 'fullOffset', 'fileBytes'] as const) {
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
    header: { version, modelId, fullDims, scanDims, count, scanCrc: view.getUint32(28, true), rowCrcsCrc: view.getUint32(32, true), ...expected },
  };
}

/** The format version a segment file says it has (from its magic), or undefined for none. */
export function segmentFormatOf(magic: Uint8Array): number | undefined {
  const text = new TextDecoder().decode(magic.subarray(0, 8));
  return /^SLVSEG0\d$/.test(text) ? Number(text.slice(7)) : undefined;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
