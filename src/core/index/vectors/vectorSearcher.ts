// Search over one or more segments: an int8 scan of every live row (WebAssembly SIMD, or JS
// as a fallback) keeps the best `candidates` rows, which are then rescored exactly against the
// float16 full vectors at the query's dims. The scan is the approximation; the rescoring makes
// the final order exact among the candidates, which is why a few hundred KB of rescoring buys
// back nearly all recall lost to int8. Only the codes live in memory: the full vectors of a
// segment file are read row by row for the candidates (StoredSegment.readRow).
import { chunksFor, groupBytes, groupsFor, GROUP_ROWS, writeGroupedCodes, writeGroupedQuery } from './codeGroups';
import { BLOCK_ROWS, createCodeMemory, DATA_START, ensureCodeMemory, MAX_SCAN_DIMS, QUERY_PTR, SCORES_PTR } from './codeMemory';
import { quantizeInt8 } from './int8Quantizer';
import { truncateAndNormalize } from '../../common/matryoshka';
import { align16, scanSectionBytes } from './segmentLayout';
import type { StoredSegment } from './storedSegment';
import { HeldRows } from './heldRows';
import { createSearchKernels, type KernelMode, type SearchKernels } from './searchKernels';
import { TopCandidates } from './topCandidates';
import type { VectorSegment } from './vectorSegment';

export interface VectorSearcherOptions {
  readonly modelId: string;
  readonly fullDims: number;
  readonly scanDims: number;
  /** 'auto' (default) uses WebAssembly SIMD when the runtime has it; 'js' forces the fallback. */
  readonly kernel?: KernelMode;
}

/** Global rows to keep: a mask (non-zero = keep; rows past its end are dropped) or a predicate. */
export type RowFilter = Uint8Array | ((row: number) => boolean);

export interface SearchOptions {
  readonly k: number;
  /** Rows kept by the int8 scan for exact rescoring; default max(100, 10 * k). */
  readonly candidates?: number;
  /** Matryoshka dims to rank by; default min(query length, fullDims). */
  readonly dims?: number;
  readonly filter?: RowFilter;
}

export interface SearchHit {
  /** Global row: the segment's first row plus the row within it. */
  readonly row: number;
  /** Cosine similarity at the searched dims. */
  readonly score: number;
}

export type SegmentId = number;

function lowestThreshold(heaps: readonly TopCandidates[]): number {
  let lowest = heaps[0]!.threshold;
  for (let i = 1; i < heaps.length; i++) if (heaps[i]!.threshold < lowest) lowest = heaps[i]!.threshold;
  return lowest;
}

/** Where a segment's full vectors come from: memory, or its file. */
interface FullRows {
  /** Copies the fullDims halves of row `local` to target[offset ..]. */
  readRow(local: number, target: Uint16Array, offset: number): void;
}

function rowsInMemory(full: Uint16Array, fullDims: number): FullRows {
  return { readRow: (local, target, offset) => target.set(full.subarray(local * fullDims, (local + 1) * fullDims), offset) };
}

interface LoadedSegment {
  readonly id: SegmentId;
  readonly firstRow: number;
  readonly count: number;
  readonly full: FullRows;
  codesPtr: number;
  scalesPtr: number;
  /** Bytes the segment holds in memory (0 for a streamed one). */
  readonly bytes: number;
  /** A streamed segment's file: its scan section is read for every scan, never kept. */
  readonly streamed?: StoredSegment;
  deleted: Uint8Array | undefined;
  deletedCount: number;
}

export class VectorSearcher {
  readonly modelId: string;
  readonly fullDims: number;
  readonly scanDims: number;
  private readonly memory = createCodeMemory();
  private readonly kernel: SearchKernels;
  private readonly segments: LoadedSegment[] = [];
  private nextId = 1;
  private end = DATA_START;
  /** The largest scan section of a streamed segment: the space past `end` a scan reads them into. */
  private streamBytes = 0;

  constructor(options: VectorSearcherOptions) {
    const { fullDims, scanDims } = options;
    if (!Number.isInteger(fullDims) || fullDims <= 0) throw new RangeError(`bad fullDims ${fullDims}`);
    if (!Number.isInteger(scanDims) || scanDims <= 0 || scanDims > fullDims || scanDims > MAX_SCAN_DIMS) {
      throw new RangeError(`scanDims ${scanDims} must be in 1..min(fullDims, ${MAX_SCAN_DIMS})`);
    }
    this.modelId = options.modelId;
    this.fullDims = fullDims;
    this.scanDims = scanDims;
    this.kernel = createSearchKernels(this.memory, options.kernel);
  }

  /** Whether scans run on the WebAssembly SIMD kernel (else the JS fallback). */
  get usesSimd(): boolean {
    return this.kernel.simd;
  }

  /** Rows that can be returned: all rows of all segments less deleted ones. */
  get liveRows(): number {
    return this.segments.reduce((sum, s) => sum + s.count - s.deletedCount, 0);
  }

  /** Bytes of WebAssembly memory in use for codes and scales (memory never shrinks). */
  get codeBytes(): number {
    return this.end - DATA_START;
  }

  /**
   * Adds a segment whose rows become global rows firstRow .. firstRow + count - 1. The codes
   * and scales are copied into WebAssembly memory; the float16 vectors are kept by reference.
   */
  addSegment(segment: VectorSegment, firstRow: number): SegmentId {
    const count = segment.count;
    this.checkSegment(segment, firstRow);
    // Codes in the kernel's grouped layout, then the scales padded to whole groups (padding
    // rows score 0 and are never selected).
    const groups = groupsFor(count);
    const codesBytes = groups * groupBytes(this.scanDims);
    const bytes = scanSectionBytes(count, this.scanDims);
    ensureCodeMemory(this.memory, this.end + bytes);
    const codesPtr = this.end;
    const scalesPtr = codesPtr + codesBytes;
    const buffer = this.memory.buffer;
    writeGroupedCodes(new Uint8Array(buffer, codesPtr, codesBytes), segment.codes, count, this.scanDims);
    const scales = new Float32Array(buffer, scalesPtr, groups * GROUP_ROWS);
    scales.set(segment.scales.subarray(0, count));
    scales.fill(0, count);
    return this.register(firstRow, count, rowsInMemory(segment.full, this.fullDims), codesPtr, scalesPtr, bytes);
  }

  /**
   * Adds a segment file's rows as global rows firstRow .. firstRow + count - 1: its scan section
   * is read straight into WebAssembly memory (it is stored in the kernel's layout), and its full
   * vectors stay in the file, read by row when rescoring. The searcher does not close the file.
   */
  addSegmentFile(file: StoredSegment, firstRow: number, { hold = true }: { readonly hold?: boolean } = {}): SegmentId {
    this.checkSegment(file, firstRow);
    if (!hold) {
      // For one query in a short-lived process (the CLI): holding every segment's codes would
      // add their whole size to the process's peak memory, where one segment at a time will do.
      this.streamBytes = Math.max(this.streamBytes, file.scanBytes);
      const id = this.nextId++;
      this.segments.push({
        id,
        firstRow,
        count: file.count,
        full: file,
        codesPtr: -1,
        scalesPtr: -1,
        bytes: 0,
        streamed: file,
        deleted: undefined,
        deletedCount: 0,
      });
      return id;
    }
    const bytes = file.scanBytes;
    ensureCodeMemory(this.memory, this.end + bytes);
    const codesPtr = this.end;
    file.readScanInto(new Uint8Array(this.memory.buffer, codesPtr, bytes));
    return this.register(firstRow, file.count, file, codesPtr, codesPtr + file.scalesAt, bytes);
  }

  private checkSegment(segment: { modelId: string; fullDims: number; scanDims: number; count: number }, firstRow: number): void {
    if (segment.modelId !== this.modelId || segment.fullDims !== this.fullDims || segment.scanDims !== this.scanDims) {
      throw new Error(
        `segment (${segment.modelId}, ${segment.fullDims}/${segment.scanDims} dims) does not match the searcher (${this.modelId}, ${this.fullDims}/${this.scanDims})`,
      );
    }
    if (!Number.isSafeInteger(firstRow) || firstRow < 0) throw new RangeError(`bad first row ${firstRow}`);
    for (const other of this.segments) {
      if (firstRow < other.firstRow + other.count && other.firstRow < firstRow + segment.count) {
        throw new RangeError(`rows ${firstRow}..${firstRow + segment.count - 1} overlap segment ${other.id}`);
      }
    }
  }

  private register(firstRow: number, count: number, full: FullRows, codesPtr: number, scalesPtr: number, bytes: number): SegmentId {
    const id = this.nextId++;
    this.segments.push({ id, firstRow, count, full, codesPtr, scalesPtr, bytes, deleted: undefined, deletedCount: 0 });
    this.end += bytes;
    return id;
  }

  /** Drops a segment, compacting the codes of later segments into its space. */
  removeSegment(id: SegmentId): void {
    const index = this.segments.findIndex((s) => s.id === id);
    if (index < 0) throw new RangeError(`no segment ${id}`);
    const removed = this.segments[index]!;
    if (removed.streamed) {
      this.segments.splice(index, 1);
      return;
    }
    const start = removed.codesPtr;
    const heap = new Uint8Array(this.memory.buffer);
    heap.copyWithin(start, start + removed.bytes, this.end);
    for (const later of this.segments.slice(index + 1)) {
      if (later.streamed) continue;
      later.codesPtr -= removed.bytes;
      later.scalesPtr -= removed.bytes;
    }
    this.segments.splice(index, 1);
    this.end -= removed.bytes;
  }

  /** Marks one global row deleted; returns false if it is unknown or already deleted. */
  deleteRow(row: number): boolean {
    const segment = this.segments.find((s) => row >= s.firstRow && row < s.firstRow + s.count);
    if (!segment) return false;
    segment.deleted ??= new Uint8Array(segment.count);
    const local = row - segment.firstRow;
    if (segment.deleted[local]) return false;
    segment.deleted[local] = 1;
    segment.deletedCount++;
    return true;
  }

  search(query: ArrayLike<number>, options: SearchOptions): SearchHit[] {
    const { k } = options;
    const dims = options.dims ?? Math.min(query.length, this.fullDims);
    if (!Number.isInteger(dims) || dims <= 0 || dims > query.length || dims > this.fullDims) {
      throw new RangeError(`cannot rank by ${dims} dims with a ${query.length}-dim query and ${this.fullDims}-dim vectors`);
    }
    if (!Number.isInteger(k) || k <= 0 || this.segments.length === 0) return [];
    const candidates = new TopCandidates(Math.max(k, options.candidates ?? Math.max(100, 10 * k)));
    this.scan(query, Math.min(this.scanDims, dims), [candidates], options.filter);
    return this.rescore(truncateAndNormalize(query, dims), candidates, k);
  }

  /**
   * The best k rows of each of several groups, in one scan: `groups[row]` is the row's group
   * number plus one (0, or a row past the end, leaves it out). For callers that must not let
   * one group's higher scores crowd another out, without scanning once per group.
   */
  searchGroups(
    query: ArrayLike<number>,
    options: { readonly k: number; readonly groups: Uint8Array; readonly groupCount: number; readonly candidates?: number; readonly dims?: number },
  ): SearchHit[][] {
    const { k, groupCount } = options;
    const dims = options.dims ?? Math.min(query.length, this.fullDims);
    if (!Number.isInteger(dims) || dims <= 0 || dims > query.length || dims > this.fullDims) {
      throw new RangeError(`cannot rank by ${dims} dims with a ${query.length}-dim query and ${this.fullDims}-dim vectors`);
    }
    if (!Number.isInteger(groupCount) || groupCount < 1 || groupCount > 255) throw new RangeError(`bad group count ${groupCount}`);
    if (!Number.isInteger(k) || k <= 0 || this.segments.length === 0) return Array.from({ length: groupCount }, () => []);
    const heaps = Array.from({ length: groupCount }, () => new TopCandidates(Math.max(k, options.candidates ?? Math.max(100, 10 * k))));
    // One heap still needs the grouped path, so a value above 1 is never taken as "keep".
    this.scan(query, Math.min(this.scanDims, dims), groupCount === 1 ? [...heaps, new TopCandidates(1)] : heaps, options.groups);
    const unitQuery = truncateAndNormalize(query, dims);
    return heaps.map((heap) => this.rescore(unitQuery, heap, k));
  }

  /**
   * Scores every live row on its first `scanDims` int8 codes and keeps the best. With fewer
   * dims than the codes were made from, the scan score is the prefix dot product, which is
   * only roughly the prefix cosine; the exact rescoring settles the final order.
   */
  private scan(query: ArrayLike<number>, scanDims: number, heaps: readonly TopCandidates[], filter: RowFilter | undefined): void {
    const queryCodes = new Int8Array(scanDims);
    quantizeInt8(truncateAndNormalize(query, scanDims), scanDims, queryCodes);
    const chunks = chunksFor(scanDims);
    const bias = writeGroupedQuery(new Int16Array(this.memory.buffer, QUERY_PTR, chunks * 16), queryCodes);
    const stride = groupBytes(this.scanDims);

    const mask = filter instanceof Uint8Array ? filter : undefined;
    const predicate = typeof filter === 'function' ? filter : undefined;
    // Several heaps: the mask's value v > 0 sends a row to heap v - 1 (see searchGroups).
    const grouped = heaps.length > 1;
    for (let s = 0; s < this.segments.length; s++) {
      const segment = this.segments[s]!;
      const { firstRow, deleted } = segment;
      let { codesPtr, scalesPtr } = segment;
      if (segment.streamed) {
        // Past the held codes; the rescoring's scratch space reuses it once the scan is done.
        codesPtr = align16(this.end);
        ensureCodeMemory(this.memory, codesPtr + this.streamBytes);
        segment.streamed.readScanInto(new Uint8Array(this.memory.buffer, codesPtr, segment.streamed.scanBytes));
        scalesPtr = codesPtr + segment.streamed.scalesAt;
      }
      for (let start = 0; start < segment.count; start += BLOCK_ROWS) {
        const rows = Math.min(BLOCK_ROWS, segment.count - start);
        // BLOCK_ROWS is a multiple of GROUP_ROWS, so blocks start on group boundaries.
        const codes = codesPtr + (start / GROUP_ROWS) * stride;
        this.kernel.score(codes, stride, scalesPtr + start * 4, groupsFor(rows), QUERY_PTR, chunks, bias, SCORES_PTR);
        const scores = new Float32Array(this.memory.buffer, SCORES_PTR, rows);
        let threshold = lowestThreshold(heaps);
        for (let i = 0; i < rows; i++) {
          const score = scores[i]!;
          if (score <= threshold) continue;
          const local = start + i;
          if (deleted !== undefined && deleted[local] !== 0) continue;
          let heap = heaps[0]!;
          if (mask !== undefined) {
            const value = mask[firstRow + local];
            if (!value) continue;
            if (grouped) {
              heap = heaps[value - 1]!;
              if (heap === undefined || score <= heap.threshold) continue;
            }
          }
          if (predicate !== undefined && !predicate(firstRow + local)) continue;
          heap.push(score, s, local);
          threshold = grouped ? lowestThreshold(heaps) : heap.threshold;
        }
      }
    }
  }

  /**
   * Exact cosine of the query with each of these global rows, at the query's dims (default
   * min(query length, fullDims)); rows that are unknown or deleted score NaN. Cheap for a few
   * hundred rows: what ranking calibrates against (a sample of a kind's rows, or items the
   * lexical side found that the scan did not keep).
   */
  scoreRows(query: ArrayLike<number>, rows: readonly number[], dims = Math.min(query.length, this.fullDims)): number[] {
    this.checkScoreDims(query, dims);
    const { refs, positions } = this.liveRefs(rows);
    const scores = new Array<number>(rows.length).fill(Number.NaN);
    if (refs.length === 0) return scores;
    const exact = this.exactScores(truncateAndNormalize(query, dims), refs);
    positions.forEach((position, i) => (scores[position] = exact[i]!));
    return scores;
  }

  /**
   * Reads the full vectors of these global rows once and keeps them (fullDims * 2 bytes each),
   * for scoreHeldRows; rows unknown or deleted now are left out. The vectors are checked against
   * their CRCs here, when they are read.
   */
  holdRows(rows: readonly number[]): HeldRows {
    const { refs, positions } = this.liveRefs(rows);
    const halves = new Uint16Array(refs.length * this.fullDims);
    refs.forEach(({ segment, local }, i) => this.segments[segment]!.full.readRow(local, halves, i * this.fullDims));
    return new HeldRows(this, [...rows], positions, halves);
  }

  /**
   * What scoreRows(query, held.rows, dims) returns (the same float32 operations on the same
   * values), from the held vectors instead of reading them: rows deleted or dropped since they
   * were held score NaN, like rows left out when they were held.
   */
  scoreHeldRows(query: ArrayLike<number>, held: HeldRows, dims = Math.min(query.length, this.fullDims)): number[] {
    this.checkScoreDims(query, dims);
    if (held.owner !== this) throw new Error('these rows were held by another searcher');
    const scores = new Array<number>(held.rows.length).fill(Number.NaN);
    const n = held.positions.length;
    if (n === 0) return scores;
    const fullDims = this.fullDims;
    const exact = this.scoreGathered(truncateAndNormalize(query, dims), n, (halves, rowHalves) => {
      if (rowHalves === fullDims) {
        halves.set(held.halves);
        return;
      }
      for (let i = 0; i < n; i++) {
        halves.set(held.halves.subarray(i * fullDims, i * fullDims + dims), i * rowHalves);
        if (rowHalves > dims) halves.fill(0, i * rowHalves + dims, (i + 1) * rowHalves);
      }
    });
    held.positions.forEach((position, i) => {
      if (this.liveRef(held.rows[position]!)) scores[position] = exact[i]!;
    });
    return scores;
  }

  private checkScoreDims(query: ArrayLike<number>, dims: number): void {
    if (!Number.isInteger(dims) || dims <= 0 || dims > query.length || dims > this.fullDims) {
      throw new RangeError(`cannot score ${dims} dims with a ${query.length}-dim query and ${this.fullDims}-dim vectors`);
    }
  }

  /** (segment, local row) of each of these global rows that is live, and its index in `rows`. */
  private liveRefs(rows: readonly number[]): { refs: Array<{ segment: number; local: number }>; positions: number[] } {
    const refs: Array<{ segment: number; local: number }> = [];
    const positions: number[] = [];
    rows.forEach((row, i) => {
      const ref = this.liveRef(row);
      if (!ref) return;
      refs.push(ref);
      positions.push(i);
    });
    return { refs, positions };
  }

  /** The segment (by index) and local row of a global row, or undefined when it is unknown or deleted. */
  private liveRef(row: number): { segment: number; local: number } | undefined {
    const segment = this.segments.findIndex((s) => row >= s.firstRow && row < s.firstRow + s.count);
    if (segment < 0) return undefined;
    const local = row - this.segments[segment]!.firstRow;
    return this.segments[segment]!.deleted?.[local] ? undefined : { segment, local };
  }

  /** The candidates rescored exactly, best first, the first k. */
  private rescore(unitQuery: Float32Array, candidates: TopCandidates, k: number): SearchHit[] {
    const refs: Array<{ segment: number; local: number }> = [];
    candidates.forEach((_scan, segment, local) => refs.push({ segment, local }));
    const scores = this.exactScores(unitQuery, refs);
    const hits = refs.map(({ segment, local }, i) => ({ row: this.segments[segment]!.firstRow + local, score: scores[i]! }));
    hits.sort((a, b) => b.score - a.score || a.row - b.row);
    return hits.slice(0, k);
  }

  /**
   * Exact cosine at the query's dims for each (segment, row): their float16 prefixes are
   * gathered into scratch space past the codes (zero-padded to whole 8-value chunks) and scored
   * by the rescoring kernel, which returns dot products and squared norms.
   */
  private exactScores(unitQuery: Float32Array, refs: ReadonlyArray<{ segment: number; local: number }>): number[] {
    const dims = unitQuery.length;
    // Whole rows are read (a row's CRC covers all of it); a shorter cut goes through scratch.
    const row = Math.ceil(dims / 8) * 8 >= this.fullDims ? undefined : new Uint16Array(this.fullDims);
    return this.scoreGathered(unitQuery, refs.length, (halves, rowHalves) => {
      refs.forEach(({ segment: s, local }, i) => {
        const { full } = this.segments[s]!;
        if (row) {
          full.readRow(local, row, 0);
          halves.set(row.subarray(0, dims), i * rowHalves);
        } else full.readRow(local, halves, i * rowHalves);
        if (rowHalves > dims) halves.fill(0, i * rowHalves + dims, (i + 1) * rowHalves);
      });
    });
  }

  /**
   * Runs the rescoring kernel over `n` rows that `gather` writes into scratch space past the
   * codes (row i at i * rowHalves, its first dims values, zero-padded to whole 8-value chunks).
   */
  private scoreGathered(unitQuery: Float32Array, n: number, gather: (halves: Uint16Array, rowHalves: number) => void): number[] {
    const dims = unitQuery.length;
    const chunks = Math.ceil(dims / 8);
    const rowHalves = chunks * 8;
    const halvesPtr = align16(this.end);
    const queryPtr = halvesPtr + align16(n * rowHalves * 2);
    const outPtr = queryPtr + rowHalves * 4;
    ensureCodeMemory(this.memory, outPtr + n * 8);

    const buffer = this.memory.buffer;
    gather(new Uint16Array(buffer, halvesPtr, n * rowHalves), rowHalves);
    const query = new Float32Array(buffer, queryPtr, rowHalves);
    query.fill(0);
    query.set(unitQuery);
    this.kernel.rescore(halvesPtr, n, chunks, queryPtr, outPtr);

    const out = new Float32Array(this.memory.buffer, outPtr, n * 2);
    const scores: number[] = [];
    for (let c = 0; c < n; c++) {
      const norm = out[2 * c + 1]!;
      scores.push(norm > 0 ? out[2 * c]! / Math.sqrt(norm) : 0);
    }
    return scores;
  }
}
