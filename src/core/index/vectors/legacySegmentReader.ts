// Reads and verifies a segment file of format 1 (legacySegmentLayout.ts), which only the
// upgrade to format 2 still does. The header, float16 vectors and scales land in one
// ArrayBuffer viewed by typed arrays (no per-vector copies); the int8 codes, which a searcher
// copies into its WebAssembly memory, get their own buffer so it can be dropped afterwards
// instead of staying resident next to the float16 vectors.
import { promises as fs } from 'node:fs';
import { assertLittleEndian } from './byteViews';
import { CorruptVectorFileError } from './corruptVectorFileError';
import { crc32 } from './crc32';
import { decodeSegmentHeader, SEGMENT_HEADER_BYTES } from './legacySegmentLayout';
import type { VectorSegment } from './vectorSegment';

/** Bytes per read call, below the 2^31 - 1 that one fs read accepts. */
const READ_CHUNK = 1 << 30;

export async function readLegacyVectorSegment(path: string): Promise<VectorSegment> {
  const handle = await fs.open(path, 'r');
  try {
    return await readLegacyVectorSegmentFrom(handle, path);
  } finally {
    await handle.close();
  }
}

/** Reads a segment from an open file; `path` only names it in errors. The caller closes it. */
export async function readLegacyVectorSegmentFrom(handle: fs.FileHandle, path: string): Promise<VectorSegment> {
  assertLittleEndian();
  const { size } = await handle.stat();
  if (size < SEGMENT_HEADER_BYTES) {
    throw new CorruptVectorFileError(path, 'truncated', `${size} bytes, shorter than the ${SEGMENT_HEADER_BYTES}-byte header`);
  }
  const headerBytes = new Uint8Array(SEGMENT_HEADER_BYTES);
  await readFully(handle, headerBytes, 0, path);
  const check = decodeSegmentHeader(headerBytes, crc32);
  if (!check.ok) throw new CorruptVectorFileError(path, check.reason, check.detail);
  const header = check.header;
  if (size < header.fileBytes) {
    throw new CorruptVectorFileError(path, 'truncated', `${size} bytes, header declares ${header.fileBytes}`);
  }
  if (size > header.fileBytes) {
    throw new CorruptVectorFileError(path, 'size', `${size} bytes, header declares ${header.fileBytes}`);
  }

  const main = new Uint8Array(header.codesOffset);
  main.set(headerBytes, 0);
  await readFully(handle, main.subarray(SEGMENT_HEADER_BYTES), SEGMENT_HEADER_BYTES, path);
  const codeBytes = new Uint8Array(header.fileBytes - header.codesOffset);
  await readFully(handle, codeBytes, header.codesOffset, path);

  const bodyCrc = crc32(codeBytes, crc32(main.subarray(SEGMENT_HEADER_BYTES)));
  if (bodyCrc !== header.bodyCrc) {
    throw new CorruptVectorFileError(
      path,
      'body-crc',
      `body CRC 0x${bodyCrc.toString(16).padStart(8, '0')} does not match stored 0x${header.bodyCrc.toString(16).padStart(8, '0')}`,
    );
  }
  const { count, fullDims, scanDims } = header;
  return {
    modelId: header.modelId,
    fullDims,
    scanDims,
    count,
    full: new Uint16Array(main.buffer, header.fullOffset, count * fullDims),
    scales: new Float32Array(main.buffer, header.scalesOffset, count),
    codes: new Int8Array(codeBytes.buffer, 0, count * scanDims),
  };
}

async function readFully(handle: fs.FileHandle, target: Uint8Array, position: number, path: string): Promise<void> {
  let done = 0;
  while (done < target.length) {
    const length = Math.min(READ_CHUNK, target.length - done);
    const { bytesRead } = await handle.read(target, done, length, position + done);
    // The file shrank after stat(): treat it like any other truncation.
    if (bytesRead === 0) throw new CorruptVectorFileError(path, 'truncated', `end of file at byte ${position + done}`);
    done += bytesRead;
  }
}
