import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/core/index/catalog/catalogTypes';
import { LexicalIndex } from '../../src/core/index/search/lexicalIndex';
import { IndexStore } from '../../src/core/index/store/indexStore';

const identity = { model: 'test-model', dimensions: 'full' as const, scanDims: 16 };
const QUERIES = ['kafka restart', 'grafana latency', 'postgres vacuum deadlock', 'rollback canary', 'runbook', 'shard mapping', 'token refresh'];

/**
 * Every match of each query as [file item, score], by key (ties may come in any order); scores
 * rounded to 6 significant digits, as field-length averages kept up incrementally or computed
 * in one pass differ in the last bits.
 */
function matches(words: LexicalIndex): Array<Array<[string, string]>> {
  return QUERIES.map((q) =>
    words
      .query(q, 100_000)
      .map((m): [string, string] => [`${m.file.replace('\u0000', ':')} ${m.item}`, m.score.toPrecision(6)])
      .sort((a, b) => a[0].localeCompare(b[0])),
  );
}

// The writer: opens the index, then changes files and checkpoints back to back, forever, each
// checkpoint saving a lexical snapshot, so a kill at a random moment lands inside one.
const WRITER = `
  import { IndexStore } from './src/core/index/store/indexStore';
  const WORDS = 'restart kafka worker deploy rollback canary grafana latency postgres vacuum deadlock shard mapping token refresh runbook backup restore'.split(' ');
  const [dir, seed] = [process.argv[2], Number(process.argv[3])];
  const store = await IndexStore.open(dir, { model: 'test-model', dimensions: 'full', scanDims: 16 });
  // Loaded, as a window that searches has it: from then on it follows every change.
  await store.lexicalIndex();
  let n = store.catalog.fileCount + seed * 100000;
  for (let round = 0; ; round++) {
    for (let i = 0; i < 40; i++, n++) {
      const items = [];
      for (let s = 0; s < 1 + (n % 4); s++) {
        const key = 'k' + n + '-' + s;
        const vector = new Float32Array(16).map((_, d) => Math.sin(n * 0.37 + s + d));
        const row = store.addVector(key, vector);
        const text = Array.from({ length: 30 }, (_, w) => WORDS[(n * 7 + s * 3 + w * w) % WORDS.length]).join(' ');
        items.push({ kind: 'markdown', part: 'section', row, embedKey: key, snippet: text, text, headingPath: ['notes ' + n] });
      }
      store.putFile({ root: '', path: 'docs/' + (n % 900) + '.md', kind: 'markdown', size: n, mtimeMs: n, hash: 'h' + n, items });
      if (n % 5 === 0) store.deleteFile('', 'docs/' + ((n * 13) % 900) + '.md');
    }
    await store.checkpoint(true);
    if (round === 0) process.stdout.write('ready\\n');
  }
`;

let dir: string;
let script: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-lexical-'));
  script = path.join(dir, 'writer.mjs');
  await esbuild.build({
    stdin: { contents: WRITER, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: script,
    logLevel: 'error',
  });
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const record = (target: IndexStore, name: string, text: string): FileRecord => ({
  root: '',
  path: name,
  kind: 'markdown',
  size: 1,
  mtimeMs: 1,
  hash: name,
  items: [{ kind: 'markdown', part: 'section', row: target.addVector(name, new Float32Array(16).fill(0.25)), embedKey: name, snippet: text, text }],
});

describe('the saved lexical index', () => {
  it('survives kill -9 mid-checkpoint: the reopened index matches words exactly as one rebuilt from the catalog', async () => {
    const index = path.join(dir, 'index');
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, [script, index, String(round)], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 20 + round * 37));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;

      const manifest = (await IndexStore.readManifest(index))!;
      // The segment the manifest names is whole, and the reader loads it (not a rebuild).
      expect(manifest.lexical?.file).toMatch(/^lexical-\d+\.words$/);
      expect((await fs.stat(path.join(index, manifest.lexical!.file))).size).toBe(manifest.lexical!.bytes);

      const reader = await IndexStore.openReadOnly(index, identity);
      const reopened = await reader.lexicalIndex();
      expect(reopened.base?.documents).toBeGreaterThan(0);
      const rebuilt = LexicalIndex.fromFiles(() => reader.catalog.allFiles());
      expect(reopened.documentCount).toBe(rebuilt.documentCount);
      const expected = matches(rebuilt);
      expect(expected.flat().length).toBeGreaterThan(100);
      expect(matches(reopened)).toEqual(expected);
      expect(reopened.damaged).toBe(false);
      await reader.close();
    }
    // The next writer sweeps snapshots a killed checkpoint wrote but never committed.
    const writer = await IndexStore.open(index, identity);
    const named = (await IndexStore.readManifest(index))!.lexical!.file;
    expect((await fs.readdir(index)).filter((name) => name.startsWith('lexical-'))).toEqual([named]);
    await writer.close();
  }, 120_000);

  it("replaces an older-format snapshot at a writer's close even when no file changed", async () => {
    const index = path.join(dir, 'index');
    const store = await IndexStore.open(index, identity);
    store.putFile(record(store, 'a.md', 'kafka restart runbook'));
    store.putFile(record(store, 'b.md', 'grafana latency runbook'));
    await store.close();
    // What an index saved by an earlier version looks like: its manifest names a JSON snapshot.
    const manifestPath = path.join(index, 'manifest.json');
    const manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8'));
    await fs.rm(path.join(index, manifest.lexical.file));
    const old = '{"documentCount":2,"nextId":2,"index":[]}';
    manifest.lexical = { file: 'lexical-1.json', changes: manifest.lexical.changes, bytes: old.length, crc32: zlib.crc32(old) };
    await fs.writeFile(path.join(index, 'lexical-1.json'), old);
    await fs.writeFile(manifestPath, JSON.stringify(manifest));

    // A reader answers from the catalog (and does not write).
    const reader = await IndexStore.openReadOnly(index, identity);
    expect(
      (await reader.lexicalIndex())
        .query('runbook', 10)
        .map((m) => m.file.split('\u0000')[1])
        .sort(),
    ).toEqual(['a.md', 'b.md']);
    await reader.close();
    expect((await IndexStore.readManifest(index))!.lexical!.file).toBe('lexical-1.json');

    const writer = await IndexStore.open(index, identity);
    await writer.close();
    const upgraded = (await IndexStore.readManifest(index))!.lexical!;
    expect(upgraded.file).toMatch(/^lexical-\d+\.words$/);
    expect((await fs.readdir(index)).filter((name) => name.startsWith('lexical-'))).toEqual([upgraded.file]);
    const again = await IndexStore.openReadOnly(index, identity);
    const words = await again.lexicalIndex();
    expect(words.baseDocuments).toBe(2);
    expect(words.query('grafana', 10).map((m) => m.file.split('\u0000')[1])).toEqual(['b.md']);
    await again.close();
  });

  it("moves a writer's index onto the segment it committed, keeping changes made during the write", async () => {
    const index = path.join(dir, 'index');
    const store = await IndexStore.open(index, identity);
    const words = await store.lexicalIndex();
    for (let n = 0; n < 30; n++) store.putFile(record(store, `n${n}.md`, `note ${n} kafka restart`));
    expect(words.baseDocuments).toBe(0);
    const writing = store.checkpoint(true);
    // The snapshot is taken when the checkpoint starts; its files take several turns of the
    // event loop to write. Changed meanwhile (as a watcher would): must survive the swap.
    await new Promise((resolve) => setImmediate(resolve));
    store.putFile(record(store, 'late.md', 'grafana latency'));
    store.deleteFile('', 'n0.md');
    await writing;
    const moved = await store.lexicalIndex();
    expect(moved.baseDocuments).toBe(30);
    expect(moved.overlay.documents).toBe(1);
    expect(moved.documentCount).toBe(30);
    expect(moved.query('grafana', 10).map((m) => m.file.split('\u0000')[1])).toEqual(['late.md']);
    expect(moved.query('kafka', 100).map((m) => m.file.split('\u0000')[1])).not.toContain('n0.md');
    expect(moved.query('kafka', 100)).toHaveLength(29);
    // And the watcher's changes reach the next snapshot a reader loads.
    await store.close();
    const reader = await IndexStore.openReadOnly(index, identity);
    const reopened = await reader.lexicalIndex();
    expect(reopened.overlay.documents).toBe(0);
    expect(reopened.query('grafana', 10).map((m) => m.file.split('\u0000')[1])).toEqual(['late.md']);
    expect(reopened.query('kafka', 100)).toHaveLength(29);
    await reader.close();
  });

  it('follows files put and deleted after the snapshot, for a reader that loads it later', async () => {
    const index = path.join(dir, 'index');
    const store = await IndexStore.open(index, identity);
    store.putFile(record(store, 'a.md', 'kafka restart runbook'));
    store.putFile(record(store, 'b.md', 'grafana latency runbook'));
    await store.close();
    const before = (await IndexStore.readManifest(index))!.lexical;
    const writer = await IndexStore.open(index, identity);
    writer.putFile(record(writer, 'c.md', 'postgres vacuum runbook'));
    writer.deleteFile('', 'a.md');
    // Committed without a new snapshot (few changes): the reader replays them onto the old one.
    await writer.checkpoint();
    expect((await IndexStore.readManifest(index))!.lexical).toEqual(before);
    const reader = await IndexStore.openReadOnly(index, identity);
    expect(before).toBeDefined();
    const paths = (await reader.lexicalIndex()).query('runbook', 10).map((m) => m.file.split('\u0000')[1]);
    expect(paths.sort()).toEqual(['b.md', 'c.md']);
    await reader.close();
    await writer.close();
  });
});
