import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/core/index/catalog/catalogTypes';
import { CorruptIndexError, IndexMismatchError } from '../../src/core/index/store/indexErrors';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { SearchIndex } from '../../src/core/index/search/searchIndex';
import { SEGMENT_HEADER_BYTES } from '../../src/core/index/vectors/segmentLayout';

const identity = { model: 'test-model', dimensions: 'full' as const, scanDims: 8 };

function unitVector(dims: number, seed: number): Float32Array {
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) v[i] = Math.sin(seed * 7.3 + i * 1.7);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function record(pathName: string, rows: Array<[string, number]>): FileRecord {
  return {
    root: '',
    path: pathName,
    kind: 'image',
    size: 10,
    mtimeMs: 1,
    hash: `hash-${pathName}`,
    items: rows.map(([embedKey, row]) => ({ row, embedKey, kind: 'image', part: 'image' })),
  };
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-store-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('IndexStore', () => {
  it('keeps what was checkpointed and drops what was not', async () => {
    const store = await IndexStore.open(dir, identity);
    const a = store.addVector('a', unitVector(16, 1));
    store.putFile(record('a.png', [['a', a]]));
    await store.checkpoint();
    const b = store.addVector('b', unitVector(16, 2));
    store.putFile(record('b.png', [['b', b]]));
    // No checkpoint for b: simulate a crash by abandoning the store without closing it.
    await store.abandon();

    const reopened = await IndexStore.open(dir, identity);
    expect(reopened.catalog.getFile('', 'a.png')?.items[0]?.row).toBe(0);
    expect(reopened.catalog.getFile('', 'b.png')).toBeUndefined();
    expect(reopened.catalog.rowFor('b')).toBeUndefined();
    const stored = reopened.vectorAt(0);
    const original = unitVector(16, 1);
    for (let i = 0; i < 16; i++) expect(stored[i]).toBeCloseTo(original[i]!, 3);
    await reopened.close();
  });

  it('keeps vectors registered before their file completed, so a resumed run reuses them', async () => {
    const store = await IndexStore.open(dir, identity);
    store.addVector('page-1', unitVector(16, 3));
    await store.checkpoint();
    await store.abandon();
    const reopened = await IndexStore.open(dir, identity);
    expect(reopened.catalog.rowFor('page-1')).toBe(0);
    expect(reopened.catalog.fileCount).toBe(0);
    await reopened.close();
  });

  it('ignores a journal tail written after the last manifest', async () => {
    const store = await IndexStore.open(dir, identity);
    store.putFile(record('a.png', [['a', store.addVector('a', unitVector(16, 1))]]));
    await store.close();
    const manifest = (await IndexStore.readManifest(dir))!;
    await fs.appendFile(path.join(dir, manifest.journal.file), '{"t":"d","root":"","path":"a.png"}\n{"t":"f","r":');
    const reopened = await IndexStore.open(dir, identity);
    expect(reopened.catalog.getFile('', 'a.png')).toBeDefined();
    // ...and the torn tail is cut off before anything new is appended.
    reopened.deleteFile('', 'a.png');
    await reopened.close();
    const again = await IndexStore.open(dir, identity);
    expect(again.catalog.getFile('', 'a.png')).toBeUndefined();
    await again.close();
  });

  it('detects a damaged journal or vector file', async () => {
    const store = await IndexStore.open(dir, identity);
    store.putFile(record('a.png', [['a', store.addVector('a', unitVector(16, 1))]]));
    await store.close();
    const manifest = (await IndexStore.readManifest(dir))!;
    const journalPath = path.join(dir, manifest.journal.file);
    const journal = await fs.readFile(journalPath, 'utf8');
    await fs.writeFile(journalPath, journal.replace('a.png', 'x.png'));
    await expect(IndexStore.open(dir, identity)).rejects.toThrow(CorruptIndexError);
    await fs.writeFile(journalPath, journal);

    // Vector files are read when they are needed: the header on open, the scan codes when a
    // search first needs them, a full vector when it is rescored or asked for.
    const segmentPath = path.join(dir, manifest.segments[0]!.file);
    const bytes = await fs.readFile(segmentPath);
    const damaged = Buffer.from(bytes);
    damaged[40]! ^= 0xff;
    await fs.writeFile(segmentPath, damaged);
    await expect(IndexStore.open(dir, identity)).rejects.toThrow(/vector file .* is damaged/);

    damaged.set(bytes);
    damaged[SEGMENT_HEADER_BYTES + 3]! ^= 0xff;
    await fs.writeFile(segmentPath, damaged);
    const reader = await IndexStore.openReadOnly(dir, identity);
    expect(() => new SearchIndex(reader).vectors).toThrow(/vector file .* is damaged/);
    await reader.close();

    damaged.set(bytes);
    damaged[bytes.length - 1]! ^= 0xff;
    await fs.writeFile(segmentPath, damaged);
    const again = await IndexStore.openReadOnly(dir, identity);
    expect(() => again.vectorAt(0)).toThrow(/row 0 does not match/);
    await again.close();
  });

  it('refuses to mix models or vector sizes', async () => {
    const store = await IndexStore.open(dir, identity);
    await store.close();
    await expect(IndexStore.open(dir, { ...identity, model: 'other' })).rejects.toThrow(IndexMismatchError);
    await expect(IndexStore.open(dir, { ...identity, dimensions: 1024 })).rejects.toThrow(/1024-dimension vectors/);
  });

  it('compacts away rows no file uses, renumbering the rest', async () => {
    const store = await IndexStore.open(dir, identity);
    for (let i = 0; i < 1200; i++) store.putFile(record(`f${i}.png`, [[`k${i}`, store.addVector(`k${i}`, unitVector(16, i))]]));
    await store.checkpoint();
    for (let i = 0; i < 1100; i++) store.deleteFile('', `f${i}.png`);
    expect(await store.compactIfWasteful()).toBe(true);
    expect(store.rowCount).toBe(100);
    const row = store.catalog.getFile('', 'f1150.png')!.items[0]!.row;
    expect(store.vectorAt(row)[0]).toBeCloseTo(unitVector(16, 1150)[0]!, 3);
    await store.close();

    const reopened = await IndexStore.open(dir, identity);
    expect(reopened.catalog.fileCount).toBe(100);
    expect(reopened.vectorAt(reopened.catalog.getFile('', 'f1199.png')!.items[0]!.row)[3]).toBeCloseTo(unitVector(16, 1199)[3]!, 3);
    const files = await fs.readdir(dir);
    expect(files.filter((f) => f.endsWith('.slv'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.jsonl'))).toHaveLength(1);
    await reopened.close();
  });
});
