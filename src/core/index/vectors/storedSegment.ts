// What the store and its searchers need of a committed segment, whichever format holds it:
// the scan section to copy into a searcher's memory, and full vectors by row for rescoring.
export interface StoredSegment {
  /** Names the segment's file in errors. */
  readonly path: string;
  readonly modelId: string;
  readonly fullDims: number;
  readonly scanDims: number;
  readonly count: number;
  /** Bytes of the scan section: the codes in the kernel's layout, then the padded scales. */
  readonly scanBytes: number;
  /** Offset of the scales within the scan section. */
  readonly scalesAt: number;
  /** Fills `target` (scanBytes long) with the scan section. */
  readScanInto(target: Uint8Array): void;
  /** Copies the fullDims halves of row `local` to target[offset ..]. */
  readRow(local: number, target: Uint16Array, offset?: number): void;
  close(): Promise<void>;
}
