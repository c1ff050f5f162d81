import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/core/index/catalog/catalogTypes';
import { normalizeInPlace } from '../../src/core/common/matryoshka';
import { rowGroups } from '../../src/core/index/search/ranking/rowGroups';
import { SearchEngine } from '../../src/core/index/search/searchEngine';
import type { SearchOptions } from '../../src/core/index/search/searchTypes';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { seededRandom } from '../support/fakeServer/seededRandom';

// The vector side keeps tables derived from the catalog (each row's score group under a filter,
// the background sample's vectors) from one query to the next. These tests change the filter and
// the catalog between queries and check that every answer describes the index as it is then.

const DIMS = 64;
const MODEL = 'test-model';
const random = seededRandom(7);
const gauss = (): number => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());

function randomUnit(): Float32Array {
  return normalizeInPlace(Float32Array.from({ length: DIMS }, gauss));
}

/** `base` plus a little noise: close to it, closer the smaller `noise`. */
function near(base: Float32Array, noise: number): Float32Array {
  return normalizeInPlace(base.map((x) => x + (noise * gauss()) / Math.sqrt(DIMS)));
}

const query = randomUnit();
let dir: string;
let store: IndexStore;
let engine: SearchEngine;

function imageFile(name: string, row: number, embedKey: string): FileRecord {
  return {
    root: '',
    path: `assets/${name}.png`,
    kind: 'image',
    size: 100,
    mtimeMs: 1,
    hash: `hash-${name}`,
    items: [{ kind: 'image', part: 'image', row, embedKey }],
  };
}

function noteFile(name: string, row: number, embedKey: string): FileRecord {
  return {
    root: '',
    path: `docs/${name}.md`,
    kind: 'markdown',
    size: 100,
    mtimeMs: 1,
    hash: `hash-${name}`,
    items: [{ kind: 'markdown', part: 'section', line: 1, endLine: 3, headingPath: [name], snippet: name, text: name, row, embedKey }],
  };
}

/** Adds a file of one item with this vector. */
function add(make: typeof imageFile, name: string, vector: Float32Array): number {
  const row = store.addVector(`key-${name}`, vector);
  store.putFile(make(name, row, `key-${name}`));
  return row;
}

const options = (extra: SearchOptions): SearchOptions => ({ top: 5, mode: 'vector', minScore: 0, groupByFile: false, ...extra });
/** Queries by an indexed image's stored vector ("more like this"): no embedding service involved. */
const paths = async (extra: SearchOptions) =>
  (await engine.search({ similarTo: { root: '', path: 'assets/query.png' } }, options(extra))).results.map((r) => r.path);

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-tables-'));
  store = await IndexStore.open(dir, { model: MODEL, dimensions: 'full', scanDims: 32 });
  for (let i = 0; i < 30; i++) add(imageFile, `img-${i}`, randomUnit());
  for (let i = 0; i < 30; i++) add(noteFile, `note-${i}`, randomUnit());
  add(imageFile, 'best-image', near(query, 0.3));
  add(noteFile, 'best-note', near(query, 0.5));
  add(imageFile, 'query', query);
  await store.checkpoint();
  engine = new SearchEngine(store, undefined);
});
afterEach(async () => {
  await store.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('tables kept between queries', () => {
  it('gives each filter its own table: alternating filters each find only what they allow', async () => {
    for (let round = 0; round < 2; round++) {
      const images = await paths({ filters: { kinds: ['image'] } });
      expect(images[0]).toBe('assets/best-image.png');
      expect(images.every((p) => p.startsWith('assets/'))).toBe(true);
      const notes = await paths({ filters: { kinds: ['markdown'] } });
      expect(notes[0]).toBe('docs/best-note.md');
      expect(notes.every((p) => p.startsWith('docs/'))).toBe(true);
      const byPath = await paths({ filters: { pathGlob: 'docs/**' } });
      expect(byPath).toEqual(notes);
      const all = await paths({});
      expect(all.slice(0, 2).sort()).toEqual(['assets/best-image.png', 'docs/best-note.md']);
    }
  });

  it('builds a table once per directory and filter: equal filters share it, other filters do not', () => {
    const directory = engine.index.directory;
    expect(engine.index.vectors).toBeDefined(); // loads the segments, so rowCount counts them
    const rows = engine.index.rowCount;
    expect(rows).toBe(63);
    const images = directory.entryFilter({ kinds: ['image'] });
    expect(directory.entryFilter({ kinds: ['image'] })).toBe(images);
    const imageTable = rowGroups(directory, rows, images);
    expect(rowGroups(directory, rows, directory.entryFilter({ kinds: ['image', 'image'] }))).toBe(imageTable);
    const notesTable = rowGroups(directory, rows, directory.entryFilter({ kinds: ['markdown'] }));
    expect(notesTable).not.toBe(imageTable);
    // Rows of images are in the image group (2) under the image filter and left out (0) under the markdown one.
    const imageRow = store.catalog.getFile('', 'assets/best-image.png')!.items[0]!.row;
    const noteRow = store.catalog.getFile('', 'docs/best-note.md')!.items[0]!.row;
    expect([imageTable[imageRow], imageTable[noteRow]]).toEqual([2, 0]);
    expect([notesTable[imageRow], notesTable[noteRow]]).toEqual([0, 1]);
    expect(rowGroups(directory, rows, undefined)[noteRow]).toBe(1);
  });

  it('follows the catalog: deleted files leave, new rows are scanned, a row taken over by another kind moves group', async () => {
    expect((await paths({ filters: { kinds: ['image'] } }))[0]).toBe('assets/best-image.png');
    expect((await paths({ filters: { kinds: ['markdown'] } }))[0]).toBe('docs/best-note.md');

    // The best note goes; its vector's row is taken over by an image (as a copy shares its twin's row).
    const noteRow = store.catalog.getFile('', 'docs/best-note.md')!.items[0]!.row;
    const rows = engine.index.rowCount;
    expect(rowGroups(engine.index.directory, rows, undefined)[noteRow]).toBe(1);
    store.deleteFile('', 'docs/best-note.md');
    store.putFile(imageFile('was-a-note', noteRow, 'key-best-note'));
    await store.checkpoint();
    // Same rows, new catalog: the unfiltered table has the row in the image group now.
    expect(engine.index.rowCount).toBe(rows);
    expect(rowGroups(engine.index.directory, rows, undefined)[noteRow]).toBe(2);
    const notes = await paths({ filters: { kinds: ['markdown'] } });
    expect(notes).not.toContain('docs/best-note.md');
    expect(notes.every((p) => p.startsWith('docs/'))).toBe(true);
    const images = await paths({ filters: { kinds: ['image'] } });
    expect(images.slice(0, 2).sort()).toEqual(['assets/best-image.png', 'assets/was-a-note.png']);

    // A new row past the end of every table built so far.
    add(noteFile, 'newest-note', query);
    await store.checkpoint();
    expect((await paths({ filters: { kinds: ['markdown'] } }))[0]).toBe('docs/newest-note.md');
    expect((await paths({}))[0]).toBe('docs/newest-note.md');
  });
});
