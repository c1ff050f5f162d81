import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/core/index/catalog/catalogTypes';
import { SearchEngine } from '../../src/core/index/search/searchEngine';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { toFloat16Bits, fromFloat16Bits } from '../../src/core/index/vectors/float16';
import { writeLegacyIndex } from '../support/legacyIndex';

const MODEL = 'test-model';
const DIMS = 48;
const SCAN_DIMS = 32;
const ROWS = 300;
const identity = { model: MODEL, dimensions: 'full' as const, scanDims: SCAN_DIMS };

/** Unit vectors around 6 directions, so neighbours are meaningful and ties rare. */
function vectors(count: number): Float32Array {
  const out = new Float32Array(count * DIMS);
  for (let r = 0; r < count; r++) {
    let norm = 0;
    for (let i = 0; i < DIMS; i++) norm += (out[r * DIMS + i] = Math.sin((r % 6) * 1.7 + i * 0.45) + 0.35 * Math.sin(r * 3.1 + i * 0.7)) ** 2;
    for (let i = 0; i < DIMS; i++) out[r * DIMS + i]! /= Math.sqrt(norm);
  }
  return out;
}

const WORDS = ['kafka', 'worker', 'restart', 'deploy', 'grafana', 'latency', 'backup', 'postgres', 'queue', 'alert'];

function file(name: string, kind: FileRecord['kind'], rows: number[], extra: Partial<FileRecord> = {}): FileRecord {
  const part = kind === 'image' ? 'image' : kind === 'pdf' ? 'page-text' : 'section';
  const items = rows.map((row) => ({ kind, part, row, embedKey: `k${row}`, snippet: `${WORDS[row % 10]} ${WORDS[(row * 7) % 10]} runbook ${row}` }));
  return { root: '', path: name, kind, size: 1, mtimeMs: 1, hash: name, items, ...extra } as FileRecord;
}

function legacyFiles(): FileRecord[] {
  const files: FileRecord[] = [];
  for (let i = 0; i < 100; i++) files.push(file(`shots/${i}.png`, 'image', [i]));
  for (let i = 0; i < 50; i++) files.push(file(`notes/${i}.md`, 'markdown', [100 + 2 * i, 101 + 2 * i]));
  for (let i = 0; i < 50; i++) files.push(file(`papers/${i}.pdf`, 'pdf', [200 + 2 * i, 201 + 2 * i]));
  files[100] = { ...files[100]!, warnings: [{ code: 'missing-image', message: 'x.png is missing', line: 3 }] };
  files.push(file('broken.png', 'image', [], { failures: [{ code: 'corrupt', message: 'not an image' }] }));
  return files;
}

async function snapshot(folder: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(folder, full)] = createHash('sha256')
      .update(await fs.readFile(full))
      .digest('hex');
  }
  return out;
}

/** What a user would compare: hybrid results of words, and neighbours of indexed images. */
async function answers(store: IndexStore): Promise<unknown[]> {
  const engine = new SearchEngine(store, undefined);
  const out: unknown[] = [];
  for (const text of ['kafka worker', 'postgres backup', 'grafana latency alert']) {
    out.push((await engine.search({ text }, { top: 10, mode: 'lexical' })).results.map((r) => [r.path, r.score]));
  }
  for (const shot of ['shots/3.png', 'shots/40.png', 'shots/77.png']) {
    out.push((await engine.search({ similarTo: { root: '', path: shot } }, { top: 10 })).results.map((r) => [r.path, r.score]));
  }
  const searcher = engine.index.vectors!;
  const query = vectors(ROWS + 5).subarray(ROWS * DIMS, (ROWS + 1) * DIMS);
  out.push(searcher.search(query, { k: 10 }).map((hit) => [hit.row, hit.score]));
  return out;
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-upgrade-'));
  await writeLegacyIndex(dir, {
    model: MODEL,
    fullDims: DIMS,
    scanDims: SCAN_DIMS,
    vectors: vectors(ROWS),
    embedKeys: Array.from({ length: ROWS }, (_, row) => `k${row}`),
    files: legacyFiles(),
  });
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('an index of format 1', () => {
  it('is read by a reader as it is, without a byte of the folder changing', async () => {
    const before = await snapshot(dir);
    const reader = await IndexStore.openReadOnly(dir, identity);
    expect(reader.rowCount).toBe(ROWS);
    expect(reader.summary).toEqual({
      files: { image: 101, markdown: 50, pdf: 50, notebook: 0 },
      items: { image: 100, markdown: 100, pdf: 100, notebook: 0 },
      failures: 1,
      warnings: 1,
    });
    const found = await answers(reader);
    expect((found[0] as unknown[]).length).toBeGreaterThan(0);
    expect((found[3] as unknown[]).length).toBeGreaterThan(0);
    await reader.close();
    expect(await snapshot(dir)).toEqual(before);
    expect((await IndexStore.readManifest(dir))!.version).toBe(1);
  });

  it('is upgraded by its writer losslessly: same vectors, catalog and answers; counts and problems in the manifest', async () => {
    const reader = await IndexStore.openReadOnly(dir, identity);
    const before = await answers(reader);
    await reader.close();

    const expected = vectors(ROWS);
    const store = await IndexStore.open(dir, identity);
    expect(store.rowCount).toBe(ROWS);
    for (let row = 0; row < ROWS; row++) {
      const stored = store.vectorAt(row);
      for (let i = 0; i < DIMS; i++) expect(stored[i]).toBe(fromFloat16Bits(toFloat16Bits(expected[row * DIMS + i]!)));
    }
    expect(store.catalog.getFile('', 'notes/0.md')?.items.map((item) => item.row)).toEqual([100, 101]);
    expect(await answers(store)).toEqual(before);
    await store.close();

    const manifest = (await IndexStore.readManifest(dir))!;
    expect(manifest.version).toBe(2);
    expect(manifest.segments).toEqual([{ file: 'seg-1-0.slv', count: ROWS }]);
    expect(manifest.summary).toEqual({
      files: { image: 101, markdown: 50, pdf: 50, notebook: 0 },
      items: { image: 100, markdown: 100, pdf: 100, notebook: 0 },
      failures: 1,
      warnings: 1,
    });
    const problems = await IndexStore.readProblems(dir, manifest);
    expect(problems.failures).toEqual([{ root: '', path: 'broken.png', code: 'corrupt', message: 'not an image' }]);
    expect(problems.warnings).toEqual([{ root: '', path: 'notes/0.md', code: 'missing-image', message: 'x.png is missing', line: 3 }]);
    const names = (await fs.readdir(dir)).sort();
    expect(names).toEqual(['journal-0.jsonl', manifest.lexical!.file, 'manifest.json', manifest.problems!, 'seg-1-0.slv', 'thumbs'].sort());

    const upgraded = await IndexStore.openReadOnly(dir, identity);
    expect(await answers(upgraded)).toEqual(before);
    await upgraded.close();
  });

  it('keeps the old index whole when the upgrade is cut short', async () => {
    // The upgrade writes the new segments first: a crash before the manifest leaves format 1
    // intact (a half-written file under the new name is replaced), so the next open upgrades again.
    const reader = await IndexStore.openReadOnly(dir, identity);
    const before = await answers(reader);
    await reader.close();
    await fs.writeFile(path.join(dir, 'seg-1-0.slv'), 'half a segment');
    expect((await IndexStore.readManifest(dir))!.version).toBe(1);
    const store = await IndexStore.open(dir, identity);
    expect(store.rowCount).toBe(ROWS);
    expect(await answers(store)).toEqual(before);
    await store.close();
    expect((await IndexStore.readManifest(dir))!.version).toBe(2);
  });
});
