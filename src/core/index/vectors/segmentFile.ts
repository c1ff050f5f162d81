// An open segment file (format 2) read on demand: the header when opened, the scan section
// when a searcher loads it (straight into its memory), and single full vectors with positioned
// reads when a query rescores its candidates. Nothing else of the file is ever in memory, so
// an open index costs its scan codes, not its full vectors. Every piece is checked against its
// CRC when it is read; a damaged piece is reported as a corrupt file when it is first needed.
import type { promises as fs } from 'node:fs';
import { readAtSync } from '../../common/positionedRead';
import { assertLittleEndian, bytesOf } from './byteViews';
import { CorruptVectorFileError } from './corruptVectorFileError';
import { crc32 } from './crc32';
import { decodeSegmentHeader, SEGMENT_HEADER_BYTES, type SegmentHeader } from './segmentLayout';
import type { StoredSegment } from './storedSegment';

/** Bytes per read call, below the 2^31 - 1 that one fs read accepts. */
const READ_CHUNK = 1 << 28;

export class SegmentFile implements StoredSegment {
  private rowCrcs: Uint32Array | undefined;
  private closed = false;

  private constructor(
    private readonly handle: fs.FileHandle,
    /** Names the file in errors. */
    readonly path: string,
    readonly header: SegmentHeader,
  ) {}

  /** Checks the header and the file's length; takes over `handle` (closed by close()). */
  static async open(handle: fs.FileHandle, path: string): Promise<SegmentFile> {
    try {
      return new SegmentFile(handle, path, await readHeader(handle, path));
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get count(): number {
    return this.header.count;
  }

  get fullDims(): number {
    return this.header.fullDims;
  }

  get scanDims(): number {
    return this.header.scanDims;
  }

  get modelId(): string {
    return this.header.modelId;
  }

  /** Bytes of the scan section: the codes in the kernel's layout, then the padded scales. */
  get scanBytes(): number {
    return this.header.rowCrcsOffset - this.header.codesOffset;
  }

  /** Offset of the scales within the scan section. */
  get scalesAt(): number {
    return this.header.scalesOffset - this.header.codesOffset;
  }

  /** Reads the scan section into `target` (scanBytes long) and checks it. */
  readScanInto(target: Uint8Array): void {
    if (target.length !== this.scanBytes) throw new RangeError(`the scan section is ${this.scanBytes} bytes, not ${target.length}`);
    this.readFully(target, this.header.codesOffset);
    const actual = crc32(target);
    if (actual !== this.header.scanCrc) throw this.crcError('scan codes', actual, this.header.scanCrc);
  }

  /** Reads the full vector of row `local` (fullDims halves) into target[offset ..], checked against its CRC. */
  readRow(local: number, target: Uint16Array, offset = 0): void {
    if (!Number.isInteger(local) || local < 0 || local >= this.count) throw new RangeError(`no row ${local} in ${this.path}`);
    const { fullDims } = this.header;
    const bytes = bytesOf(target.subarray(offset, offset + fullDims));
    this.readFully(bytes, this.header.fullOffset + local * fullDims * 2);
    const expected = this.rowChecksums()[local]!;
    const actual = crc32(bytes);
    if (actual !== expected) throw this.crcError(`the full vector of row ${local}`, actual, expected);
  }

  /** Reads rows first .. first + target.length / fullDims - 1, each checked, without blocking. */
  async readRows(first: number, target: Uint16Array): Promise<void> {
    const { fullDims } = this.header;
    const rows = target.length / fullDims;
    if (!Number.isInteger(rows) || first < 0 || first + rows > this.count) throw new RangeError(`no rows ${first}..${first + rows - 1} in ${this.path}`);
    const bytes = bytesOf(target);
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await this.handle.read(
        bytes,
        done,
        Math.min(READ_CHUNK, bytes.length - done),
        this.header.fullOffset + first * fullDims * 2 + done,
      );
      if (bytesRead === 0) throw new CorruptVectorFileError(this.path, 'truncated', `end of file in row ${first + Math.floor(done / (fullDims * 2))}`);
      done += bytesRead;
    }
    const checksums = this.rowChecksums();
    for (let i = 0; i < rows; i++) {
      const actual = crc32(bytes.subarray(i * fullDims * 2, (i + 1) * fullDims * 2));
      if (actual !== checksums[first + i]) throw this.crcError(`the full vector of row ${first + i}`, actual, checksums[first + i]!);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  private rowChecksums(): Uint32Array {
    if (!this.rowCrcs) {
      const { rowCrcsOffset, fullOffset, count } = this.header;
      const table = new Uint8Array(fullOffset - rowCrcsOffset);
      this.readFully(table, rowCrcsOffset);
      const actual = crc32(table);
      if (actual !== this.header.rowCrcsCrc) throw this.crcError('the row checksums', actual, this.header.rowCrcsCrc);
      this.rowCrcs = new Uint32Array(table.buffer, 0, count);
    }
    return this.rowCrcs;
  }

  private readFully(target: Uint8Array, position: number): void {
    const read = readAtSync(this.handle.fd, target, position);
    // The file shrank after it was opened: treat it like any other truncation.
    if (read < target.length) throw new CorruptVectorFileError(this.path, 'truncated', `end of file at byte ${position + read}`);
  }

  private crcError(what: string, actual: number, expected: number): CorruptVectorFileError {
    const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
    return new CorruptVectorFileError(this.path, 'body-crc', `CRC ${hex(actual)} of ${what} does not match stored ${hex(expected)}`);
  }
}

async function readHeader(handle: fs.FileHandle, path: string): Promise<SegmentHeader> {
  assertLittleEndian();
  const { size } = await handle.stat();
  if (size < SEGMENT_HEADER_BYTES) {
    throw new CorruptVectorFileError(path, 'truncated', `${size} bytes, shorter than the ${SEGMENT_HEADER_BYTES}-byte header`);
  }
  const headerBytes = new Uint8Array(SEGMENT_HEADER_BYTES);
  await handle.read(headerBytes, 0, SEGMENT_HEADER_BYTES, 0);
  const check = decodeSegmentHeader(headerBytes, crc32);
  if (!check.ok) throw new CorruptVectorFileError(path, check.reason, check.detail);
  const header = check.header;
  if (size < header.fileBytes) throw new CorruptVectorFileError(path, 'truncated', `${size} bytes, header declares ${header.fileBytes}`);
  if (size > header.fileBytes) throw new CorruptVectorFileError(path, 'size', `${size} bytes, header declares ${header.fileBytes}`);
  return header;
}
