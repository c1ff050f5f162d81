import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTempFiles } from '../../src/core/index/vectors/atomicFile';
import { CorruptVectorFileError } from '../../src/core/index/vectors/corruptVectorFileError';
import { readVectorSegment } from '../../src/core/index/vectors/segmentReader';
import { groupBytes, groupsFor, writeGroupedCodes } from '../../src/core/index/vectors/codeGroups';
import { SegmentFile } from '../../src/core/index/vectors/segmentFile';
import { maxSegmentCount, MAX_SEGMENT_FILE_BYTES, scanSectionBytes, SEGMENT_HEADER_BYTES, segmentLayout } from '../../src/core/index/vectors/segmentLayout';
import { writeVectorSegment } from '../../src/core/index/vectors/segmentWriter';
import { encodeVectorSegment, segmentFromFloat16, type VectorSegment } from '../../src/core/index/vectors/vectorSegment';
import { VectorSearcher } from '../../src/core/index/vectors/vectorSearcher';

const MODEL = 'Qwen/Qwen3-VL-Embedding-8B';

function randomVectors(count: number, dims: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(count * dims);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  for (let r = 0; r < count; r++) {
    const row = out.subarray(r * dims, (r + 1) * dims);
    const norm = Math.hypot(...row);
    for (let i = 0; i < dims; i++) row[i] = row[i]! / norm;
  }
  return out;
}

function sample(count: number, seed = 1, fullDims = 96, scanDims = 40): VectorSegment {
  return encodeVectorSegment({ modelId: MODEL, fullDims, scanDims }, randomVectors(count, fullDims, seed));
}

async function expectCorrupt(file: string, reason: string): Promise<CorruptVectorFileError> {
  const error = await readVectorSegment(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CorruptVectorFileError);
  expect((error as CorruptVectorFileError).reason).toBe(reason);
  expect((error as CorruptVectorFileError).path).toBe(file);
  return error as CorruptVectorFileError;
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sightline-segment-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('segment layout', () => {
  it('aligns every section to 16 bytes and fits the file-size limit', () => {
    for (const [count, full, scan] of [
      [1, 3, 1],
      [7, 1024, 1024],
      [1000, 4096, 1024],
    ] as const) {
      const layout = segmentLayout(count, full, scan);
      // Codes (in whole groups of 8 rows), scales, row checksums, then the full vectors last.
      expect(layout.codesOffset).toBe(SEGMENT_HEADER_BYTES);
      for (const offset of [layout.scalesOffset, layout.rowCrcsOffset, layout.fullOffset]) expect(offset % 16).toBe(0);
      expect(layout.scalesOffset).toBe(layout.codesOffset + groupsFor(count) * groupBytes(scan));
      expect(layout.rowCrcsOffset - layout.codesOffset).toBe(scanSectionBytes(count, scan));
      expect(layout.fullOffset).toBeGreaterThanOrEqual(layout.rowCrcsOffset + count * 4);
      expect(layout.fileBytes).toBe(layout.fullOffset + count * full * 2);
    }
    for (const [full, scan] of [
      [1024, 1024],
      [4096, 1024],
      [4096, 4096],
    ] as const) {
      const max = maxSegmentCount(full, scan);
      expect(segmentLayout(max, full, scan).fileBytes).toBeLessThanOrEqual(MAX_SEGMENT_FILE_BYTES);
      expect(segmentLayout(max + 1, full, scan).fileBytes).toBeGreaterThan(MAX_SEGMENT_FILE_BYTES);
    }
    expect(maxSegmentCount(1024, 1024)).toBe(697232);
    expect(maxSegmentCount(4096, 1024)).toBe(232814);
  });
});

describe('segment files', () => {
  it('round-trips a segment through a file', async () => {
    const segment = sample(33);
    const file = path.join(dir, 'a.slv');
    await writeVectorSegment(file, segment);
    const read = await readVectorSegment(file);
    expect(read.modelId).toBe(MODEL);
    expect([read.count, read.fullDims, read.scanDims]).toEqual([33, 96, 40]);
    expect(Array.from(read.full)).toEqual(Array.from(segment.full));
    expect(Array.from(read.scales)).toEqual(Array.from(segment.scales));
    expect(Array.from(read.codes)).toEqual(Array.from(segment.codes));
    expect((await fs.stat(file)).size).toBe(segmentLayout(33, 96, 40).fileBytes);
  });

  it('stores the scan section in the kernel layout and reads full vectors one row at a time', async () => {
    const segment = sample(33);
    const file = path.join(dir, 'a.slv');
    await writeVectorSegment(file, segment);
    const opened = await SegmentFile.open(await fs.open(file, 'r'), file);
    try {
      const scan = new Uint8Array(opened.scanBytes);
      opened.readScanInto(scan);
      const expected = new Uint8Array(scanSectionBytes(33, 40));
      writeGroupedCodes(expected, segment.codes, 33, 40);
      new Float32Array(expected.buffer, opened.scalesAt, 33).set(segment.scales);
      expect(Array.from(scan)).toEqual(Array.from(expected));
      const row = new Uint16Array(96 + 4);
      opened.readRow(17, row, 4);
      expect(Array.from(row.subarray(4))).toEqual(Array.from(segment.full.subarray(17 * 96, 18 * 96)));
      expect(() => opened.readRow(33, row)).toThrow(RangeError);
    } finally {
      await opened.close();
    }
  });

  it('finds a damaged full vector when that row is read, and only then', async () => {
    const file = path.join(dir, 'a.slv');
    await writeVectorSegment(file, sample(33));
    const layout = segmentLayout(33, 96, 40);
    const bytes = await fs.readFile(file);
    bytes[layout.fullOffset + 5 * 96 * 2 + 7]! ^= 0x04;
    await fs.writeFile(file, bytes);
    const opened = await SegmentFile.open(await fs.open(file, 'r'), file);
    try {
      opened.readScanInto(new Uint8Array(opened.scanBytes));
      const row = new Uint16Array(96);
      opened.readRow(4, row);
      opened.readRow(6, row);
      expect(() => opened.readRow(5, row)).toThrow(/row 5 does not match/);
    } finally {
      await opened.close();
    }
  });

  it('derives the same scan codes from the stored halves', async () => {
    const segment = sample(10);
    const again = segmentFromFloat16(segment, segment.full);
    expect(Array.from(again.codes)).toEqual(Array.from(segment.codes));
    expect(Array.from(again.scales)).toEqual(Array.from(segment.scales));
  });

  it('writes and reads an empty segment', async () => {
    const file = path.join(dir, 'empty.slv');
    await writeVectorSegment(file, sample(0));
    const read = await readVectorSegment(file);
    expect(read.count).toBe(0);
    expect(read.full.length).toBe(0);
  });

  it('refuses segments over the size limit and over-long model ids', async () => {
    const big = { ...sample(1), count: maxSegmentCount(4096, 1024) + 1, fullDims: 4096, scanDims: 1024 };
    await expect(writeVectorSegment(path.join(dir, 'big.slv'), big)).rejects.toThrow(RangeError);
    await expect(writeVectorSegment(path.join(dir, 'id.slv'), { ...sample(1), modelId: 'x'.repeat(200) })).rejects.toThrow(/model id/);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  describe('corruption', () => {
    let file: string;
    let bytes: Buffer;
    beforeEach(async () => {
      file = path.join(dir, 'c.slv');
      await writeVectorSegment(file, sample(20));
      bytes = await fs.readFile(file);
    });

    it('detects a wrong magic', async () => {
      bytes[0] = 0x58;
      await fs.writeFile(file, bytes);
      await expectCorrupt(file, 'magic');
    });

    it('detects an unknown format version', async () => {
      bytes.writeUInt16LE(99, 8);
      await fs.writeFile(file, bytes);
      await expectCorrupt(file, 'version');
    });

    it('detects a damaged header field', async () => {
      bytes.writeUInt32LE(bytes.readUInt32LE(24) ^ 1, 24); // count
      await fs.writeFile(file, bytes);
      const error = await expectCorrupt(file, 'header-crc');
      expect(error.message).toMatch(/header CRC/);
    });

    it('detects a flipped byte in the float16 vectors, the scales, the codes and the row checksums', async () => {
      const layout = segmentLayout(20, 96, 40);
      for (const offset of [layout.fullOffset + 5, layout.scalesOffset + 2, layout.codesOffset + 3, layout.rowCrcsOffset + 1, layout.fileBytes - 1]) {
        const damaged = Buffer.from(bytes);
        damaged.writeUInt8(damaged.readUInt8(offset) ^ 0x10, offset);
        await fs.writeFile(file, damaged);
        await expectCorrupt(file, 'body-crc');
      }
    });

    it('detects truncation anywhere', async () => {
      for (const length of [0, 100, SEGMENT_HEADER_BYTES, bytes.length - 1]) {
        await fs.writeFile(file, bytes.subarray(0, length));
        await expectCorrupt(file, 'truncated');
      }
    });

    it('detects trailing bytes', async () => {
      await fs.writeFile(file, Buffer.concat([bytes, Buffer.from([0])]));
      await expectCorrupt(file, 'size');
    });
  });
});

describe('searching segment files without holding their codes', () => {
  it('answers exactly as with held codes, holding none of them, across segments, filters, groups and removal', async () => {
    const sizes = [300, 45, 1200];
    const opened: SegmentFile[] = [];
    for (const [i, count] of sizes.entries()) {
      const file = path.join(dir, `s${i}.slv`);
      await writeVectorSegment(file, sample(count, 11 + i));
      opened.push(await SegmentFile.open(await fs.open(file, 'r'), file));
    }
    try {
      const held = new VectorSearcher({ modelId: MODEL, fullDims: 96, scanDims: 40 });
      const streamed = new VectorSearcher({ modelId: MODEL, fullDims: 96, scanDims: 40 });
      const ids: number[][] = [[], []];
      let first = 0;
      for (const segment of opened) {
        ids[0]!.push(held.addSegmentFile(segment, first));
        ids[1]!.push(streamed.addSegmentFile(segment, first, { hold: false }));
        first += segment.count;
      }
      expect(held.codeBytes).toBeGreaterThan(0);
      expect(streamed.codeBytes).toBe(0);
      expect(streamed.liveRows).toBe(first);
      const groups = Uint8Array.from({ length: first }, (_, row) => 1 + (row % 3));
      for (let q = 0; q < 8; q++) {
        const query = randomVectors(1, 96, 900 + q);
        expect(streamed.search(query, { k: 10 })).toEqual(held.search(query, { k: 10 }));
        expect(streamed.search(query, { k: 5, filter: (row) => row % 2 === 0 })).toEqual(held.search(query, { k: 5, filter: (row) => row % 2 === 0 }));
        expect(streamed.searchGroups(query, { k: 4, groups, groupCount: 3 })).toEqual(held.searchGroups(query, { k: 4, groups, groupCount: 3 }));
      }
      held.removeSegment(ids[0]![1]!);
      streamed.removeSegment(ids[1]![1]!);
      const query = randomVectors(1, 96, 77);
      const after = streamed.search(query, { k: 20 });
      expect(after).toEqual(held.search(query, { k: 20 }));
      expect(after.every((hit) => hit.row < 300 || hit.row >= 345)).toBe(true);
    } finally {
      for (const segment of opened) await segment.close();
    }
  });

  it('finds damaged scan codes when a query scans them', async () => {
    const file = path.join(dir, 'a.slv');
    await writeVectorSegment(file, sample(64));
    const layout = segmentLayout(64, 96, 40);
    const opened = await SegmentFile.open(await fs.open(file, 'r'), file);
    try {
      const searcher = new VectorSearcher({ modelId: MODEL, fullDims: 96, scanDims: 40 });
      searcher.addSegmentFile(opened, 0, { hold: false });
      expect(searcher.search(randomVectors(1, 96, 5), { k: 3 })).toHaveLength(3);
      // Damaged after it was added: caught by the scan section's checksum, not scanned as it is.
      const bytes = await fs.readFile(file);
      bytes[layout.codesOffset + 3]! ^= 0x10;
      await fs.writeFile(file, bytes);
      expect(() => searcher.search(randomVectors(1, 96, 5), { k: 3 })).toThrow(CorruptVectorFileError);
    } finally {
      await opened.close();
    }
  });
});

describe('atomic replacement', () => {
  it('ignores and cleans a temp file left by a crashed writer', async () => {
    const file = path.join(dir, 's.slv');
    await writeVectorSegment(file, sample(5, 1));
    // A writer that died mid-write leaves a half temp file named after its (dead) pid.
    const deadPid = 2 ** 22 + 12345;
    const stale = `${file}.tmp-${deadPid}-0badf00d`;
    await fs.writeFile(stale, (await fs.readFile(file)).subarray(0, 300));
    const live = `${file}.tmp-${process.pid}-0123abcd`;
    await fs.writeFile(live, 'in progress');

    expect((await readVectorSegment(file)).count).toBe(5);
    expect(await removeStaleTempFiles(dir)).toEqual([stale]);
    expect((await fs.readdir(dir)).sort()).toEqual([path.basename(file), path.basename(live)].sort());
    expect((await readVectorSegment(file)).count).toBe(5);
  });

  it('replaces a file and leaves no temp file behind', async () => {
    const file = path.join(dir, 's.slv');
    await writeVectorSegment(file, sample(5, 1));
    await writeVectorSegment(file, sample(8, 2));
    expect((await readVectorSegment(file)).count).toBe(8);
    expect(await fs.readdir(dir)).toEqual(['s.slv']);
  });

  it('leaves the old or the new file after kill -9 mid-write', async () => {
    const script = path.join(dir, 'writer.mjs');
    await esbuild.build({
      stdin: {
        contents: `
          import { writeVectorSegment } from './src/core/index/vectors/segmentWriter';
          import { encodeVectorSegment } from './src/core/index/vectors/vectorSegment';
          const [file, dims] = [process.argv[2], 512];
          const versions = [1000, 3000].map((count) =>
            encodeVectorSegment({ modelId: 'm', fullDims: dims, scanDims: dims }, new Float32Array(count * dims).fill(0.01)));
          for (let i = 0; ; i++) {
            await writeVectorSegment(file, versions[i % 2]);
            if (i === 0) process.stdout.write('ready\\n');
          }`,
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      logLevel: 'error',
    });
    const file = path.join(dir, 'k.slv');
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 5 + round * 13));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const read = await readVectorSegment(file);
      expect([1000, 3000]).toContain(read.count);
      await removeStaleTempFiles(dir);
      expect((await fs.readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
    }
  });
});
