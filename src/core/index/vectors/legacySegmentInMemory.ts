// A segment of format 1 (legacySegmentLayout.ts) as a reader sees it: read whole into memory,
// as format 1 always was, because a reader must not rewrite the index in format 2 (only its
// writer upgrades it). It serves the same scan section and rows as a SegmentFile.
import { groupBytes, groupsFor, writeGroupedCodes } from './codeGroups';
import { scanSectionBytes } from './segmentLayout';
import type { StoredSegment } from './storedSegment';
import type { VectorSegment } from './vectorSegment';

export class LegacySegmentInMemory implements StoredSegment {
  readonly scanBytes: number;
  readonly scalesAt: number;

  constructor(
    private readonly segment: VectorSegment,
    readonly path: string,
  ) {
    this.scanBytes = scanSectionBytes(segment.count, segment.scanDims);
    this.scalesAt = groupsFor(segment.count) * groupBytes(segment.scanDims);
  }

  get modelId(): string {
    return this.segment.modelId;
  }

  get fullDims(): number {
    return this.segment.fullDims;
  }

  get scanDims(): number {
    return this.segment.scanDims;
  }

  get count(): number {
    return this.segment.count;
  }

  readScanInto(target: Uint8Array): void {
    if (target.length !== this.scanBytes) throw new RangeError(`the scan section is ${this.scanBytes} bytes, not ${target.length}`);
    const { codes, scales, count, scanDims } = this.segment;
    writeGroupedCodes(target, codes, count, scanDims);
    // Padding rows score 0: their scales are 0.
    const scaleBytes = new Uint8Array(scales.buffer, scales.byteOffset, count * 4);
    target.fill(0, this.scalesAt);
    target.set(scaleBytes, this.scalesAt);
  }

  readRow(local: number, target: Uint16Array, offset = 0): void {
    if (!Number.isInteger(local) || local < 0 || local >= this.count) throw new RangeError(`no row ${local} in ${this.path}`);
    const { full, fullDims } = this.segment;
    target.set(full.subarray(local * fullDims, (local + 1) * fullDims), offset);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
