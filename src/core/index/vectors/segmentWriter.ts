// Writes segment files (format 2, see segmentLayout.ts) and publishes them atomically. Rows
// stream through in blocks: only the scan section (a quarter or less of the file) is held whole,
// so a compaction can rewrite segments far larger than it could hold in memory.
import type { promises as fs } from 'node:fs';
import { replaceFileAtomically } from './atomicFile';
import { assertLittleEndian, bytesOf } from './byteViews';
import { groupBytes, GROUP_ROWS, writeGroupedCodes } from './codeGroups';
import { crc32 } from './crc32';
import { float16ToFloat32 } from './float16';
import { quantizeInt8 } from './int8Quantizer';
import { encodeSegmentHeader, maxSegmentCount, segmentLayout, SEGMENT_HEADER_BYTES } from './segmentLayout';
import { checkShape, type SegmentShape, type VectorSegment } from './vectorSegment';
import { normalizeInPlace } from '../../common/matryoshka';

/** Rows per block (a multiple of GROUP_ROWS, so each block starts on a group boundary). */
const BLOCK_ROWS = 4096;

/** Fills `target` with the float16 vectors of rows first .. first + target.length / fullDims - 1. */
export type RowSource = (first: number, target: Uint16Array) => void | Promise<void>;

export async function writeVectorSegment(path: string, segment: VectorSegment): Promise<void> {
  const { count, fullDims } = segment;
  if (segment.full.length !== count * fullDims || segment.codes.length !== count * segment.scanDims || segment.scales.length !== count) {
    throw new RangeError('segment arrays do not match its count and dims');
  }
  // The codes are derived again from the halves: the same function of them as segmentFromFloat16.
  await writeSegmentFile(path, segment, count, (first, target) => target.set(segment.full.subarray(first * fullDims, first * fullDims + target.length)));
}

/**
 * Writes a segment of `count` rows read block by block from `rows`, deriving the int8 scan
 * codes from the stored halves (so rewriting a segment reproduces exactly the same codes).
 */
export async function writeSegmentFile(path: string, shape: SegmentShape, count: number, rows: RowSource): Promise<void> {
  assertLittleEndian();
  checkShape(shape);
  const { fullDims, scanDims } = shape;
  const limit = maxSegmentCount(fullDims, scanDims);
  if (count > limit) {
    throw new RangeError(`${count} vectors exceed the ${limit}-vector limit of one segment at ${fullDims}/${scanDims} dims`);
  }
  const layout = segmentLayout(count, fullDims, scanDims);
  // Codes then scales, exactly as a searcher holds them in its WebAssembly memory.
  const scanSection = new Uint8Array(layout.rowCrcsOffset - layout.codesOffset);
  const codes = scanSection.subarray(0, layout.scalesOffset - layout.codesOffset);
  const scales = new Float32Array(scanSection.buffer, codes.length, (layout.rowCrcsOffset - layout.scalesOffset) / 4);
  const rowCrcs = new Uint32Array(count);

  await replaceFileAtomically(path, async (handle) => {
    const block = new Uint16Array(Math.min(BLOCK_ROWS, Math.max(count, 1)) * fullDims);
    const blockCodes = new Int8Array(Math.min(BLOCK_ROWS, Math.max(count, 1)) * scanDims);
    const prefix = new Float32Array(scanDims);
    for (let first = 0; first < count; first += BLOCK_ROWS) {
      const n = Math.min(BLOCK_ROWS, count - first);
      const halves = block.subarray(0, n * fullDims);
      await rows(first, halves);
      for (let i = 0; i < n; i++) {
        const row = halves.subarray(i * fullDims, (i + 1) * fullDims);
        float16ToFloat32(row.subarray(0, scanDims), prefix);
        normalizeInPlace(prefix);
        scales[first + i] = quantizeInt8(prefix, scanDims, blockCodes, i * scanDims);
        rowCrcs[first + i] = crc32(bytesOf(row));
      }
      writeGroupedCodes(codes.subarray((first / GROUP_ROWS) * groupBytes(scanDims)), blockCodes, n, scanDims);
      await writeAt(handle, bytesOf(halves), layout.fullOffset + first * fullDims * 2);
    }
    const crcTable = new Uint8Array(layout.fullOffset - layout.rowCrcsOffset);
    crcTable.set(bytesOf(rowCrcs));
    const header = encodeSegmentHeader(
      { modelId: shape.modelId, fullDims, scanDims, count, scanCrc: crc32(scanSection), rowCrcsCrc: crc32(crcTable), ...layout },
      crc32,
    );
    if (header.length !== SEGMENT_HEADER_BYTES) throw new Error('header size mismatch');
    await writeAt(handle, header, 0);
    await writeAt(handle, scanSection, layout.codesOffset);
    await writeAt(handle, crcTable, layout.rowCrcsOffset);
    // An empty or short file still gets its declared length (the last section may be empty).
    await handle.truncate(layout.fileBytes);
  });
}

async function writeAt(handle: fs.FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}
