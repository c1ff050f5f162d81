import { describe, expect, it } from 'vitest';
import { chunksFor, groupBytes, groupsFor, writeGroupedCodes, writeGroupedQuery } from '../../src/core/index/vectors/codeGroups';
import { createCodeMemory, ensureCodeMemory } from '../../src/core/index/vectors/codeMemory';
import { float32ToFloat16, fromFloat16Bits, toFloat16Bits } from '../../src/core/index/vectors/float16';
import { normalizeInPlace, truncateAndNormalize } from '../../src/core/common/matryoshka';
import { createSearchKernels, isWasmSimdAvailable } from '../../src/core/index/vectors/searchKernels';
import { scanSectionBytes } from '../../src/core/index/vectors/segmentLayout';
import type { StoredSegment } from '../../src/core/index/vectors/storedSegment';
import { encodeVectorSegment, type VectorSegment } from '../../src/core/index/vectors/vectorSegment';
import { VectorSearcher, type SearchHit, type SearchOptions } from '../../src/core/index/vectors/vectorSearcher';
import { seededRandom } from '../support/fakeServer/seededRandom';

const MODEL = 'test-model';

const random = seededRandom;

/** Unit vectors around `clusters` random centres, noise as large as the centre: cosine ~0.5 within a cluster. */
function clustered(count: number, dims: number, clusters: number, seed: number): { data: Float32Array; draw: (n: number) => Float32Array } {
  const rand = random(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = new Float32Array(clusters * dims).map(() => gauss() / Math.sqrt(dims));
  const draw = (n: number): Float32Array => {
    const out = new Float32Array(n * dims);
    for (let i = 0; i < n; i++) {
      const c = Math.floor(rand() * clusters);
      const row = out.subarray(i * dims, (i + 1) * dims);
      for (let j = 0; j < dims; j++) row[j] = centres[c * dims + j]! + gauss() / Math.sqrt(dims);
      normalizeInPlace(row);
    }
    return out;
  };
  return { data: draw(count), draw };
}

/** Exact top-k by cosine at `dims` over float32 data, optionally over allowed rows only. */
function exactTopK(data: Float32Array, fullDims: number, query: Float32Array, k: number, dims = fullDims, allow?: (row: number) => boolean): number[] {
  const q = truncateAndNormalize(query, dims);
  const count = data.length / fullDims;
  const scored: { row: number; score: number }[] = [];
  for (let r = 0; r < count; r++) {
    if (allow && !allow(r)) continue;
    let dot = 0;
    let norm = 0;
    for (let j = 0; j < dims; j++) {
      const x = data[r * fullDims + j]!;
      dot += x * q[j]!;
      norm += x * x;
    }
    scored.push({ row: r, score: dot / Math.sqrt(norm) });
  }
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, k).map((s) => s.row);
}

function recall(hits: SearchHit[], truth: number[]): number {
  const found = new Set(hits.map((h) => h.row));
  return truth.filter((row) => found.has(row)).length / truth.length;
}

function searcherWith(segments: [VectorSegment, number][], kernel: 'simd' | 'js', fullDims: number, scanDims: number): VectorSearcher {
  const searcher = new VectorSearcher({ modelId: MODEL, fullDims, scanDims, kernel });
  for (const [segment, firstRow] of segments) searcher.addSegment(segment, firstRow);
  return searcher;
}

function slice(segment: VectorSegment, from: number, to: number): VectorSegment {
  return {
    ...segment,
    count: to - from,
    full: segment.full.subarray(from * segment.fullDims, to * segment.fullDims),
    scales: segment.scales.subarray(from, to),
    codes: segment.codes.subarray(from * segment.scanDims, to * segment.scanDims),
  };
}

const DIMS = 1024;
const COUNT = 5000;
const QUERIES = 25;
const corpus = clustered(COUNT, DIMS, 50, 1);
const queries = corpus.draw(QUERIES);
const segment = encodeVectorSegment({ modelId: MODEL, fullDims: DIMS, scanDims: DIMS }, corpus.data);
const query = (i: number): Float32Array => queries.subarray(i * DIMS, (i + 1) * DIMS);

describe('search kernels', () => {
  it('has WebAssembly SIMD in this runtime', () => {
    expect(isWasmSimdAvailable()).toBe(true);
  });

  it('computes exact int8 dot products in the grouped layout on both paths', () => {
    const r = random(3);
    const code = (): number => Math.round((r() - 0.5) * 254);
    for (const [dims, queryDims] of [
      [16, 16],
      [100, 100],
      [100, 40],
      [1024, 1024],
    ] as const) {
      const rows = 37;
      const codes = Int8Array.from({ length: rows * dims }, code);
      const scales = Float32Array.from({ length: rows }, () => r());
      const query = Int8Array.from({ length: queryDims }, code);
      const expected = Array.from({ length: rows }, (_, row) => {
        let dot = 0;
        for (let j = 0; j < queryDims; j++) dot += codes[row * dims + j]! * query[j]!;
        return Math.fround(Math.fround(dot) * scales[row]!);
      });
      for (const mode of ['simd', 'js'] as const) {
        const memory = createCodeMemory();
        ensureCodeMemory(memory, 1 << 20);
        const kernels = createSearchKernels(memory, mode);
        const heap = memory.buffer;
        const groups = groupsFor(rows);
        writeGroupedCodes(new Uint8Array(heap, 65536, groups * groupBytes(dims)), codes, rows, dims);
        new Float32Array(heap, 4096, rows).set(scales);
        const bias = writeGroupedQuery(new Int16Array(heap, 0, chunksFor(queryDims) * 16), query);
        kernels.score(65536, groupBytes(dims), 4096, groups, 0, chunksFor(queryDims), bias, 8192);
        expect(kernels.simd).toBe(mode === 'simd');
        expect(Array.from(new Float32Array(heap, 8192, rows))).toEqual(expected);
      }
    }
  });

  it('lays out codes with odd dims and unaligned sources like aligned ones', () => {
    const r = random(4);
    for (const dims of [30, 64]) {
      const rows = 11;
      const backing = new Int8Array(rows * dims + 1);
      backing.forEach((_, i) => (backing[i] = Math.round((r() - 0.5) * 254)));
      const unaligned = backing.subarray(1);
      const aligned = Int8Array.from(unaligned);
      const bytes = groupsFor(rows) * groupBytes(dims);
      const a = new Uint8Array(bytes);
      const b = new Uint8Array(bytes);
      writeGroupedCodes(a, aligned, rows, dims);
      writeGroupedCodes(b, unaligned, rows, dims);
      expect(Array.from(a)).toEqual(Array.from(b));
      // Row 9, dim 17 sits in group 1, chunk 1, slot 1, byte 1 (odd: stored as is).
      expect((a[groupBytes(dims) + 128 + 16 + 1]! << 24) >> 24).toBe(aligned[9 * dims + 17]);
      // Dim 16 is even: stored + 128.
      expect(a[groupBytes(dims) + 128 + 16]! - 128).toBe(aligned[9 * dims + 16]);
    }
  });

  it('computes identical float16 rescoring outputs on the SIMD and JS paths', () => {
    for (const dims of [16, 100, 1024]) {
      const rows = 37;
      const outputs = (['simd', 'js'] as const).map((mode) => {
        const memory = createCodeMemory();
        ensureCodeMemory(memory, 1 << 20);
        const kernels = createSearchKernels(memory, mode);
        const r = random(dims);
        const heap = memory.buffer;
        const chunks8 = Math.ceil(dims / 8);
        const halves = new Uint16Array(heap, 262144, rows * chunks8 * 8);
        // Finite halves of both signs, subnormals included (exponent field 0..30).
        halves.forEach((_, i) => (halves[i] = (Math.floor(r() * 31) << 10) | Math.floor(r() * 1024) | (r() < 0.5 ? 0x8000 : 0)));
        new Float32Array(heap, 196608, chunks8 * 8).forEach((_, i, a) => (a[i] = (r() - 0.5) * 2));
        kernels.rescore(262144, rows, chunks8, 196608, 524288);
        return Array.from(new Float32Array(heap, 524288, rows * 2));
      });
      expect(outputs[0]).toEqual(outputs[1]);
      expect(outputs[0]!.some((x) => x !== 0)).toBe(true);
    }
  });

  it('rescoring widens float16 exactly', () => {
    const memory = createCodeMemory();
    const kernels = createSearchKernels(memory, 'simd');
    const heap = memory.buffer;
    const values = [1, -2, 0.5, 2 ** -24, -(2 ** -20), 65504, 0.1, -0.3];
    new Uint16Array(heap, 0, 8).set(float32ToFloat16(values));
    const unit = new Float32Array(heap, 16, 8);
    unit.set([1, 0, 0, 0, 0, 0, 0, 0]);
    kernels.rescore(0, 1, 1, 16, 64);
    expect(new Float32Array(heap, 64, 1)[0]).toBe(1);
    for (let i = 0; i < 8; i++) {
      unit.fill(0);
      unit[i] = 1;
      kernels.rescore(0, 1, 1, 16, 64);
      expect(new Float32Array(heap, 64, 1)[0]).toBe(Math.fround(fromFloat16Bits(toFloat16Bits(values[i]!))));
    }
  });
});

describe('VectorSearcher', () => {
  const simd = searcherWith([[segment, 0]], 'simd', DIMS, DIMS);
  const js = searcherWith([[segment, 0]], 'js', DIMS, DIMS);

  it(`finds the exact top 10 (recall@10 >= 0.99) on ${COUNT} clustered ${DIMS}-dim vectors, on both paths`, () => {
    expect(simd.usesSimd).toBe(true);
    expect(js.usesSimd).toBe(false);
    let simdRecall = 0;
    for (let i = 0; i < QUERIES; i++) {
      const truth = exactTopK(corpus.data, DIMS, query(i), 10);
      const hits = simd.search(query(i), { k: 10 });
      expect(hits).toHaveLength(10);
      simdRecall += recall(hits, truth) / QUERIES;
      // Identical rows and scores, not just similar ones.
      expect(js.search(query(i), { k: 10 })).toEqual(hits);
    }
    expect(simdRecall).toBeGreaterThanOrEqual(0.99);
  });

  it('keeps the true top 10 within the int8 top 20 (the quantisation alone, little rescoring slack)', () => {
    // A cluster holds ~100 rows, so the default 100 candidates could hide a poor scan.
    let r = 0;
    for (let i = 0; i < QUERIES; i++) {
      r += recall(simd.search(query(i), { k: 10, candidates: 20 }), exactTopK(corpus.data, DIMS, query(i), 10)) / QUERIES;
    }
    expect(r).toBeGreaterThanOrEqual(0.99);
  });

  it('returns cosine scores in descending order', () => {
    const hits = simd.search(query(0), { k: 20 });
    const q = query(0);
    for (let i = 0; i < hits.length; i++) {
      if (i > 0) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
      const row = corpus.data.subarray(hits[i]!.row * DIMS, (hits[i]!.row + 1) * DIMS);
      const exact = row.reduce((sum, x, j) => sum + x * q[j]!, 0);
      expect(hits[i]!.score).toBeCloseTo(exact, 3);
    }
    // A stored vector finds itself first with cosine ~1.
    const self = simd.search(corpus.data.subarray(42 * DIMS, 43 * DIMS), { k: 1 });
    expect(self[0]!.row).toBe(42);
    expect(self[0]!.score).toBeCloseTo(1, 3);
  });

  it('ranks by a Matryoshka cut given by dims or by a shorter query', () => {
    let r = 0;
    for (let i = 0; i < 10; i++) {
      const truth = exactTopK(corpus.data, DIMS, query(i), 10, 256);
      const byOption = simd.search(query(i), { k: 10, dims: 256 });
      const byShortQuery = simd.search(query(i).subarray(0, 256), { k: 10 });
      expect(byShortQuery).toEqual(byOption);
      expect(js.search(query(i), { k: 10, dims: 256 })).toEqual(byOption);
      r += recall(byOption, truth) / 10;
    }
    expect(r).toBeGreaterThanOrEqual(0.97);
    expect(() => simd.search(query(0).subarray(0, 100), { k: 5, dims: 200 })).toThrow(RangeError);
  });

  it('applies a mask or a predicate while selecting candidates', () => {
    const mask = new Uint8Array(COUNT).map((_, row) => (row % 7 === 3 ? 1 : 0));
    const allow = (row: number): boolean => row % 7 === 3;
    let r = 0;
    for (let i = 0; i < 10; i++) {
      const byMask = simd.search(query(i), { k: 10, filter: mask });
      expect(byMask).toHaveLength(10);
      expect(byMask.every((h) => allow(h.row))).toBe(true);
      expect(simd.search(query(i), { k: 10, filter: allow })).toEqual(byMask);
      expect(js.search(query(i), { k: 10, filter: mask })).toEqual(byMask);
      r += recall(byMask, exactTopK(corpus.data, DIMS, query(i), 10, DIMS, allow)) / 10;
    }
    expect(r).toBeGreaterThanOrEqual(0.99);
    // Rows past the end of a mask are excluded; a filter that keeps nothing finds nothing.
    expect(
      simd
        .search(query(0), { k: 10, filter: new Uint8Array(3).fill(1) })
        .map((h) => h.row)
        .sort(),
    ).toEqual([0, 1, 2]);
    expect(simd.search(query(0), { k: 10, filter: () => false })).toEqual([]);
  });

  it('searches several segments as one, with their global rows', () => {
    const parts: [VectorSegment, number][] = [
      [slice(segment, 0, 1234), 0],
      [slice(segment, 1234, 3001), 10_000],
      [slice(segment, 3001, COUNT), 20_000],
    ];
    const toGlobal = (row: number): number => (row < 1234 ? row : row < 3001 ? row - 1234 + 10_000 : row - 3001 + 20_000);
    const multi = searcherWith(parts, 'simd', DIMS, DIMS);
    expect(multi.liveRows).toBe(COUNT);
    for (let i = 0; i < 10; i++) {
      const whole = simd.search(query(i), { k: 10 });
      expect(multi.search(query(i), { k: 10 })).toEqual(whole.map((h) => ({ row: toGlobal(h.row), score: h.score })));
    }
    expect(() => multi.addSegment(slice(segment, 0, 10), 10_005)).toThrow(/overlap/);
  });

  it('forgets a removed segment and keeps the others intact', () => {
    const a = slice(segment, 0, 1500);
    const b = slice(segment, 1500, 3500);
    const c = slice(segment, 3500, COUNT);
    const searcher = new VectorSearcher({ modelId: MODEL, fullDims: DIMS, scanDims: DIMS });
    searcher.addSegment(a, 0);
    const idB = searcher.addSegment(b, 1500);
    searcher.addSegment(c, 3500);
    const bytesBefore = searcher.codeBytes;
    searcher.removeSegment(idB);
    expect(searcher.codeBytes).toBeLessThan(bytesBefore);
    expect(searcher.liveRows).toBe(COUNT - 2000);
    const reference = searcherWith(
      [
        [a, 0],
        [c, 3500],
      ],
      'simd',
      DIMS,
      DIMS,
    );
    for (let i = 0; i < 10; i++) {
      const hits = searcher.search(query(i), { k: 10 });
      expect(hits.every((h) => h.row < 1500 || h.row >= 3500)).toBe(true);
      expect(hits).toEqual(reference.search(query(i), { k: 10 }));
    }
    // The freed space is reused and the re-added rows are found again.
    searcher.addSegment(b, 1500);
    expect(searcher.codeBytes).toBe(bytesBefore);
    expect(searcher.search(query(0), { k: 10 })).toEqual(simd.search(query(0), { k: 10 }));
    expect(() => searcher.removeSegment(idB)).toThrow(RangeError);
  });

  it('never returns a deleted row', () => {
    const searcher = searcherWith([[segment, 0]], 'simd', DIMS, DIMS);
    const before = searcher.search(query(1), { k: 10 });
    const gone = before.slice(0, 3).map((h) => h.row);
    for (const row of gone) expect(searcher.deleteRow(row)).toBe(true);
    expect(searcher.deleteRow(gone[0]!)).toBe(false);
    expect(searcher.deleteRow(COUNT + 5)).toBe(false);
    expect(searcher.liveRows).toBe(COUNT - 3);
    const after = searcher.search(query(1), { k: 10 });
    expect(after.some((h) => gone.includes(h.row))).toBe(false);
    expect(after.slice(0, 7)).toEqual(before.slice(3));
  });

  it('scans fewer dims than it stores and handles dims that are not a multiple of 16 or 4', () => {
    for (const [fullDims, scanDims] of [
      [200, 200],
      [200, 72],
      [30, 30],
    ] as const) {
      const small = clustered(800, fullDims, 10, 9);
      const q = small.draw(8);
      const seg = encodeVectorSegment({ modelId: MODEL, fullDims, scanDims }, small.data);
      const [a, b] = (['simd', 'js'] as const).map((mode) => searcherWith([[seg, 0]], mode, fullDims, scanDims));
      let r = 0;
      for (let i = 0; i < 8; i++) {
        const qi = q.subarray(i * fullDims, (i + 1) * fullDims);
        const hits = a!.search(qi, { k: 10 });
        expect(b!.search(qi, { k: 10 })).toEqual(hits);
        r += recall(hits, exactTopK(small.data, fullDims, qi, 10)) / 8;
      }
      expect(r).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('handles the small cases', () => {
    const empty = new VectorSearcher({ modelId: MODEL, fullDims: DIMS, scanDims: DIMS });
    expect(empty.search(query(0), { k: 5 })).toEqual([]);
    const tiny = searcherWith([[slice(segment, 0, 3), 0]], 'simd', DIMS, DIMS);
    expect(
      tiny
        .search(query(0), { k: 10 })
        .map((h) => h.row)
        .sort(),
    ).toEqual([0, 1, 2]);
    expect(simd.search(query(0), { k: 0 })).toEqual([]);
    const options: SearchOptions = { k: 3, candidates: 1 };
    expect(simd.search(query(0), options)).toHaveLength(3);
  });

  it('refuses segments of another model or shape', () => {
    const searcher = new VectorSearcher({ modelId: MODEL, fullDims: DIMS, scanDims: 512 });
    expect(() => searcher.addSegment(segment, 0)).toThrow(/does not match/);
    expect(() => searcher.addSegment({ ...segment, scanDims: 512, modelId: 'other' }, 0)).toThrow(/does not match/);
    expect(() => new VectorSearcher({ modelId: MODEL, fullDims: 64, scanDims: 128 })).toThrow(RangeError);
  });
});

describe('vector searcher: exact scores of given rows', () => {
  it('scores any rows exactly, in the order asked, at the query or a Matryoshka cut, NaN for deleted or unknown rows', () => {
    for (const kernel of ['simd', 'js'] as const) {
      const searcher = searcherWith([[segment, 0]], kernel, DIMS, DIMS);
      const rows = [4999, 0, 1234, 77];
      const exact = (row: number, dims: number) => {
        const q = truncateAndNormalize(query(3), dims);
        const v = truncateAndNormalize(corpus.data.subarray(row * DIMS, (row + 1) * DIMS), dims);
        return q.reduce((sum, value, i) => sum + value * v[i]!, 0);
      };
      searcher.scoreRows(query(3), rows).forEach((score, i) => expect(score).toBeCloseTo(exact(rows[i]!, DIMS), 2));
      searcher.scoreRows(query(3), rows, 256).forEach((score, i) => expect(score).toBeCloseTo(exact(rows[i]!, 256), 2));
      searcher.deleteRow(1234);
      const scores = searcher.scoreRows(query(3), [...rows, 99_999]);
      expect(Number.isNaN(scores[2]!)).toBe(true);
      expect(Number.isNaN(scores[4]!)).toBe(true);
      expect(searcher.scoreRows(query(3), [])).toEqual([]);
    }
  });
});

/** A segment served like a file (StoredSegment), calling `onRead` for every full vector it reads. */
function countingSegment(source: VectorSegment, onRead: () => void): StoredSegment {
  const { count, scanDims, fullDims } = source;
  const scalesAt = groupsFor(count) * groupBytes(scanDims);
  return {
    path: 'counted.slv',
    modelId: source.modelId,
    fullDims,
    scanDims,
    count,
    scanBytes: scanSectionBytes(count, scanDims),
    scalesAt,
    readScanInto: (target) => {
      writeGroupedCodes(target.subarray(0, scalesAt), source.codes, count, scanDims);
      new Float32Array(target.buffer, target.byteOffset + scalesAt, count).set(source.scales);
    },
    readRow: (local, target, offset = 0) => {
      onRead();
      target.set(source.full.subarray(local * fullDims, (local + 1) * fullDims), offset);
    },
    close: async () => undefined,
  };
}

describe('vector searcher: held rows', () => {
  it('scores held rows exactly as scoreRows does, without reading them again, NaN once deleted', () => {
    for (const kernel of ['simd', 'js'] as const) {
      // Full vectors come from a segment that counts its row reads, as a segment file would read them.
      let reads = 0;
      const counted = searcherWith([], kernel, DIMS, DIMS);
      const inMemory = searcherWith([[segment, 0]], kernel, DIMS, DIMS);
      counted.addSegmentFile(
        countingSegment(segment, () => reads++),
        0,
      );
      const rows = [4999, 0, 1234, 77, 99_999];
      const held = counted.holdRows(rows);
      expect(reads).toBe(4);
      expect(held.bytes).toBe(4 * DIMS * 2);
      for (let i = 0; i < 3; i++) {
        expect(counted.scoreHeldRows(query(i), held)).toEqual(inMemory.scoreRows(query(i), rows));
        expect(counted.scoreHeldRows(query(i), held, 200)).toEqual(inMemory.scoreRows(query(i), rows, 200));
      }
      expect(reads).toBe(4);
      expect(Number.isNaN(counted.scoreHeldRows(query(0), held)[4]!)).toBe(true);
      counted.deleteRow(1234);
      inMemory.deleteRow(1234);
      const afterDelete = counted.scoreHeldRows(query(1), held);
      expect(Number.isNaN(afterDelete[2]!)).toBe(true);
      expect(afterDelete).toEqual(inMemory.scoreRows(query(1), rows));
      expect(() => inMemory.scoreHeldRows(query(0), held)).toThrow(/another searcher/);
    }
  });
});

describe('vector searcher: the best rows of each group in one scan', () => {
  it('returns what one masked search per group returns, on both kernels, leaving out rows of group 0', () => {
    for (const kernel of ['simd', 'js'] as const) {
      const searcher = searcherWith([[segment, 0]], kernel, DIMS, DIMS);
      // Uneven groups: the small one must still get its best rows although the others score higher.
      const groups = new Uint8Array(COUNT).map((_, row) => (row % 50 === 0 ? 3 : row % 7 === 0 ? 0 : (row % 2) + 1));
      for (let i = 0; i < 5; i++) {
        const perGroup = searcher.searchGroups(query(i), { k: 10, groups, groupCount: 3 });
        expect(perGroup).toHaveLength(3);
        perGroup.forEach((hits, g) => {
          const mask = groups.map((value) => (value === g + 1 ? 1 : 0));
          expect(hits).toEqual(searcher.search(query(i), { k: 10, filter: mask }));
          for (const hit of hits) expect(groups[hit.row]).toBe(g + 1);
        });
      }
      const single = searcher.searchGroups(query(0), { k: 5, groups: new Uint8Array(COUNT).fill(1), groupCount: 1 });
      expect(single).toEqual([searcher.search(query(0), { k: 5 })]);
    }
  });
});
