import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/core/index/catalog/catalogTypes';
import { OutdatedIndexError } from '../../src/core/index/store/indexErrors';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { toFloat16Bits, fromFloat16Bits } from '../../src/core/index/vectors/float16';
import { writeLegacyIndex } from '../support/legacyIndex';

const MODEL = 'test-model';
const DIMS = 24;
const identity = { model: MODEL, dimensions: 'full' as const, scanDims: 16 };

function vectors(count: number): Float32Array {
  const out = new Float32Array(count * DIMS);
  for (let r = 0; r < count; r++) {
    let norm = 0;
    for (let i = 0; i < DIMS; i++) norm += (out[r * DIMS + i] = Math.sin(r * 3.1 + i * 0.7)) ** 2;
    for (let i = 0; i < DIMS; i++) out[r * DIMS + i]! /= Math.sqrt(norm);
  }
  return out;
}

function file(name: string, kind: FileRecord['kind'], rows: number[], extra: Partial<FileRecord> = {}): FileRecord {
  const part = kind === 'image' ? 'image' : kind === 'pdf' ? 'page-text' : 'section';
  return { root: '', path: name, kind, size: 1, mtimeMs: 1, hash: name, items: rows.map((row) => ({ kind, part, row, embedKey: `k${row}` })), ...extra };
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-upgrade-'));
  await writeLegacyIndex(dir, {
    model: MODEL,
    fullDims: DIMS,
    scanDims: 16,
    vectors: vectors(5),
    embedKeys: ['k0', 'k1', 'k2', 'k3', 'k4'],
    files: [
      file('a.png', 'image', [0]),
      file('notes.md', 'markdown', [1, 2], { warnings: [{ code: 'missing-image', message: 'x.png is missing', line: 3 }] }),
      file('paper.pdf', 'pdf', [3, 4]),
      file('broken.png', 'image', [], { failures: [{ code: 'corrupt', message: 'not an image' }] }),
    ],
  });
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('an index of format 1', () => {
  it('is refused by a reader with a message that says how to upgrade it', async () => {
    const error = await IndexStore.openReadOnly(dir, identity).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutdatedIndexError);
    expect((error as Error).message).toMatch(/older version of Sightline \(format 1\).*sightline index.*nothing is re-embedded/);
  });

  it('is upgraded in place by its writer: same vectors, same catalog, counts and problems in the manifest', async () => {
    const expected = vectors(5);
    const store = await IndexStore.open(dir, identity);
    expect(store.rowCount).toBe(5);
    for (let row = 0; row < 5; row++) {
      const stored = store.vectorAt(row);
      for (let i = 0; i < DIMS; i++) expect(stored[i]).toBe(fromFloat16Bits(toFloat16Bits(expected[row * DIMS + i]!)));
    }
    expect(store.catalog.getFile('', 'notes.md')?.items.map((item) => item.row)).toEqual([1, 2]);
    await store.close();

    const manifest = (await IndexStore.readManifest(dir))!;
    expect(manifest.version).toBe(2);
    expect(manifest.segments).toEqual([{ file: 'seg-1-0.slv', count: 5 }]);
    expect(manifest.summary).toEqual({ files: { image: 2, markdown: 1, pdf: 1 }, items: { image: 1, markdown: 2, pdf: 2 }, failures: 1, warnings: 1 });
    const problems = await IndexStore.readProblems(dir, manifest);
    expect(problems.failures).toEqual([{ root: '', path: 'broken.png', code: 'corrupt', message: 'not an image' }]);
    expect(problems.warnings).toEqual([{ root: '', path: 'notes.md', code: 'missing-image', message: 'x.png is missing', line: 3 }]);
    const names = (await fs.readdir(dir)).sort();
    expect(names).toEqual(['journal-0.jsonl', 'manifest.json', manifest.problems!, 'seg-1-0.slv', 'thumbs'].sort());

    const reader = await IndexStore.openReadOnly(dir, identity);
    expect(reader.vectorAt(4)[0]).toBe(fromFloat16Bits(toFloat16Bits(expected[4 * DIMS]!)));
    await reader.close();
  });

  it('keeps the old index whole when the upgrade is cut short', async () => {
    // The upgrade writes the new segments first: a crash before the manifest leaves format 1
    // intact (the extra file is swept by the next writer), so the next open upgrades again.
    await fs.writeFile(path.join(dir, 'seg-1-0.slv'), 'half a segment');
    const store = await IndexStore.open(dir, identity);
    expect(store.rowCount).toBe(5);
    await store.close();
    expect((await IndexStore.readManifest(dir))!.version).toBe(2);
  });
});
