import { watch } from 'node:fs';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/core/index/catalog/catalogTypes';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { indexIdentityFrom } from '../../src/core/settings/sightlineSettings';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { seededRandom } from '../support/fakeServer/seededRandom';
import { renderSyntheticScreenshot } from '../support/fakeServer/syntheticImages';
import { cosineSimilarity } from '../support/fakeServer/vectorMath';
import { indexOnce, testSettings } from '../support/indexHarness';
import { bundleCli, type CliBundle } from '../support/process/cliBundle';
import { type CliResult, type RunningCli, spawnCli } from '../support/process/cliProcess';
import { vectorsOfRecordedInputs } from '../support/process/embeddedInputs';
import { createWorkspaceFixture, type WorkspaceFixture } from '../support/workspaceFixture';

/**
 * `sightline index` killed with SIGKILL at points picked by a seeded generator (very early, after
 * k requests, in the middle of writing a checkpoint, once everything was embedded), each time
 * resumed on the same index folder. After every kill the index must open, keep everything an
 * earlier kill left committed, and hold only correct vectors; no run may ask the service again
 * for an item that was already committed; and the final index must equal a clean run's.
 *
 * Items are told apart by their vectors: the fake server is deterministic, so the vector it
 * computes for a request's input names that input, and a clean run's index maps every vector
 * to its embedKey.
 */

/** Picks the kill points; set CRASH_RESUME_SEED to explore others (failure messages print it). */
const SEED = Number(process.env.CRASH_RESUME_SEED ?? 0x5eed_c0de);
const SCREENSHOTS = 36;
/** Stored vectors are float16: an input matches the item whose stored vector is this close (cosine). */
const SAME_VECTOR = 0.9995;

let server: FakeEmbeddingServer;
let bundle: CliBundle;
let workspace: WorkspaceFixture;
let scratch: string;
const settings = () => testSettings(server);

interface Snapshot {
  /** embedKey -> stored vector, for every committed row. */
  readonly vectors: Map<string, Float32Array>;
  readonly files: Map<string, FileRecord>;
  readonly rowCount: number;
}

/** The clean run: every item the workspace yields, with the vector the server gives it. */
let clean: Snapshot;
let cleanInputs: number;

beforeAll(async () => {
  [server, bundle, workspace] = await Promise.all([startFakeEmbeddingServer({ dimensions: 256, latencyMs: 25 }), bundleCli(), createWorkspaceFixture()]);
  scratch = await fs.mkdtemp(path.join(tmpdir(), 'sightline-crash-'));
  // Enough work for several checkpoints at the CLI's default pace (5 requests/s, one image per request).
  await Promise.all(
    Array.from({ length: SCREENSHOTS }, async (_, i) =>
      workspace.write(`shots/shot-${String(i).padStart(2, '0')}.png`, await renderSyntheticScreenshot(100 + i, { width: 320 + 16 * (i % 7), height: 200 })),
    ),
  );
  for (let n = 1; n <= 3; n++) {
    const sections = ['alpha', 'bravo', 'charlie', 'delta'].map(
      (word, j) =>
        `## ${word} ${n}\n\nNote ${n}.${j} about the ${word} subsystem: queue depth ${n * 10 + j}, retention ${j + n} days, owner team ${word}-${n}.\n`,
    );
    await workspace.write(`notes/note-${n}.md`, `# Notes ${n}\n\n${sections.join('\n')}`);
  }

  server.resetStats();
  const cleanDir = path.join(scratch, 'clean');
  const report = await indexOnce(workspace.root, cleanDir, settings());
  expect(report.fatal).toBeUndefined();
  expect(report.failed).toEqual([]);
  cleanInputs = server.stats.inputs;
  clean = await snapshotOf(cleanDir);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await bundle?.remove();
  await workspace?.remove();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});

/** Opens the index the way the CLI does and reads what it committed. */
async function snapshotOf(dir: string): Promise<Snapshot> {
  const store = await IndexStore.open(dir, indexIdentityFrom(settings()));
  try {
    const vectors = new Map<string, Float32Array>();
    for (const [key, row] of store.catalog.knownRows()) {
      expect(row, `row of ${key}`).toBeLessThan(store.rowCount);
      vectors.set(key, store.vectorAt(row));
    }
    const files = new Map([...store.catalog.allFiles()].map((record) => [record.path, record]));
    for (const record of files.values()) {
      for (const item of record.items) {
        expect(store.catalog.rowFor(item.embedKey), `${record.path}: row of ${item.embedKey}`).toBe(item.row);
        if (item.thumbnail) await fs.access(store.thumbnailPath(item.thumbnail)!);
      }
    }
    return { vectors, files, rowCount: store.rowCount };
  } finally {
    await store.close();
  }
}

/** A crashed index, read through a copy so the next run meets the crash exactly as it was left. */
async function snapshotAfterCrash(indexDir: string, name: string): Promise<Snapshot> {
  const copy = path.join(scratch, `after-${name}`);
  await fs.cp(indexDir, copy, { recursive: true });
  return snapshotOf(copy);
}

/** The clean item a vector belongs to. */
function itemOf(vector: Float32Array): string {
  let best = '';
  let bestSimilarity = -1;
  for (const [key, stored] of clean.vectors) {
    const similarity = cosineSimilarity(vector, stored);
    if (similarity > bestSimilarity) [best, bestSimilarity] = [key, similarity];
  }
  expect(bestSimilarity, 'an input a clean run never embeds').toBeGreaterThan(SAME_VECTOR);
  return best;
}

/** embedKeys of every input the server received since the last reset, one per input. */
async function itemsRequested(): Promise<string[]> {
  return (await vectorsOfRecordedInputs(server, server.requests)).map(itemOf);
}

/** Resolves when `condition` holds (true) or the process exits first (false). */
async function until(running: RunningCli, condition: () => boolean | Promise<boolean>): Promise<boolean> {
  while (!running.exited) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return false;
}

/** Resolves when a file named like `pattern` appears in `dir` (true) or the process exits first (false). */
function whenFileAppears(running: RunningCli, dir: string, pattern: RegExp): Promise<boolean> {
  return new Promise((resolve) => {
    const watcher = watch(dir, (_event, name) => {
      if (name && pattern.test(name)) finish(true);
    });
    const finish = (seen: boolean) => {
      watcher.close();
      resolve(seen);
    };
    void running.done.then(() => finish(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('index killed with SIGKILL and resumed', () => {
  it('has a workspace whose items the fake server tells apart', () => {
    expect(cleanInputs).toBe(clean.vectors.size);
    expect(clean.rowCount).toBe(clean.vectors.size);
    expect(clean.files.size).toBe(SCREENSHOTS + 10); // + the fixture's 7 files + 3 notes
    // Identifying inputs by vector needs every pair of items to be farther apart than SAME_VECTOR.
    const all = [...clean.vectors.values()];
    let closest = -1;
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) closest = Math.max(closest, cosineSimilarity(all[i]!, all[j]!));
    expect(closest).toBeLessThan(SAME_VECTOR);
  });

  it('never corrupts the index, keeps what was committed, never re-embeds it, and ends like a clean run', async () => {
    const random = seededRandom(SEED);
    const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    const indexDir = path.join(scratch, 'index');
    const args = ['index', workspace.root, '--endpoint', server.baseUrl, '--index-dir', indexDir];

    // Where each run is killed. Each gets the committed state the previous kill left.
    const kills: Array<{ name: string; trigger: (running: RunningCli, committed: Snapshot) => Promise<boolean> }> = [
      {
        name: 'very early',
        trigger: (running) => {
          const k = between(1, 3);
          return until(running, () => server.stats.requests >= k);
        },
      },
      {
        name: 'after k requests',
        trigger: (running) => {
          const k = between(26, 34);
          return until(running, () => server.stats.requests >= k);
        },
      },
      {
        // A checkpoint's widest crash window: the new vector segment is in place and the journal
        // lines are appended, but the manifest that commits them is still being written.
        name: 'mid-checkpoint',
        trigger: (running) => whenFileAppears(running, indexDir, /^manifest\.json\.tmp-/),
      },
      {
        name: 'final phase',
        trigger: async (running, committed) => {
          const remaining = clean.vectors.size - committed.vectors.size;
          const delay = between(0, 25);
          const reached = await until(running, () => server.stats.inputs >= remaining);
          await sleep(delay);
          return reached;
        },
      },
    ];

    let committed: Snapshot = { vectors: new Map(), files: new Map(), rowCount: 0 };
    const log: string[] = [`seed ${SEED}`];
    let mostCommitted = 0;
    let killedMidRun = 0;

    for (const kill of kills) {
      const where = `${kill.name} (seed ${SEED})`;
      server.resetStats();
      const running = spawnCli(bundle, args, { cwd: scratch, apiKey: 'test-key' });
      const triggered = await kill.trigger(running, committed);
      const result: CliResult = await running.kill();
      const requested = await itemsRequested();

      // Killed runs must have been killed (only the last one may race the process's own exit).
      if (kill.name !== 'final phase') expect(result.signal, `${where}: ${result.stderr}`).toBe('SIGKILL');
      else if (result.signal === null) expect(result.code, result.stderr).toBe(0);
      if (result.signal === 'SIGKILL') killedMidRun++;

      const manifest = await IndexStore.readManifest(indexDir);
      const after = manifest ? await snapshotAfterCrash(indexDir, kill.name.replace(/\W+/g, '-')) : committed;
      const tail = manifest
        ? (await fs.stat(path.join(indexDir, manifest.journal.file)).then(
            (s) => s.size,
            () => 0,
          )) - manifest.journal.bytes
        : 0;
      log.push(
        `${kill.name}: triggered=${triggered} signal=${result.signal} requested=${requested.length} ` +
          `committed ${committed.vectors.size} -> ${after.vectors.size}, uncommitted journal bytes ${tail}`,
      );

      // Nothing already committed was asked for again.
      const again = requested.filter((key) => committed.vectors.has(key));
      expect(again, `${where}: re-embedded committed items`).toEqual([]);
      expect(requested.length, where).toBeLessThanOrEqual(clean.vectors.size - committed.vectors.size);

      expectConsistent(after, where);
      // Everything committed before is still there, unchanged.
      for (const [key, vector] of committed.vectors)
        expect(cosineSimilarity(after.vectors.get(key) ?? new Float32Array(256), vector), `${where}: lost ${key}`).toBeGreaterThan(0.99999);
      for (const [file, record] of committed.files) {
        const now = after.files.get(file)?.items.map((i) => i.embedKey);
        // A document committed with its text only may have its pictures by now, after that text.
        expect(record.incomplete ? now?.slice(0, record.items.length) : now, `${where}: lost ${file}`).toEqual(record.items.map((i) => i.embedKey));
      }

      committed = after;
      mostCommitted = Math.max(mostCommitted, committed.vectors.size);
    }

    // The resume that finishes.
    server.resetStats();
    const final = await spawnCli(bundle, [...args, '--json'], { cwd: scratch, apiKey: 'test-key' }).done;
    expect(final.code, `${final.stderr}\n${log.join('\n')}`).toBe(0);
    const requested = await itemsRequested();
    log.push(`resume: requested=${requested.length} committed before ${committed.vectors.size}`);

    expect(
      requested.filter((key) => committed.vectors.has(key)),
      `resume re-embedded committed items\n${log.join('\n')}`,
    ).toEqual([]);
    // Exactly the items a clean run embeds that were not committed yet, each once.
    const missing = [...clean.vectors.keys()].filter((key) => !committed.vectors.has(key));
    expect([...requested].sort()).toEqual(missing.sort());
    expect(server.stats.inputs).toBe(cleanInputs - committed.vectors.size);
    const report = JSON.parse(final.stdout);
    expect(report.itemsEmbedded).toBe(missing.length);
    expect(report.failed).toEqual([]);

    const result = await snapshotOf(indexDir);
    expectConsistent(result, 'final');
    expect([...result.files.keys()].sort()).toEqual([...clean.files.keys()].sort());
    for (const [file, record] of clean.files) {
      expect(result.files.get(file)!.items.length, file).toBe(record.items.length);
      expect(
        result.files.get(file)!.items.map((i) => i.embedKey),
        file,
      ).toEqual(record.items.map((i) => i.embedKey));
    }
    expect([...result.vectors.keys()].sort()).toEqual([...clean.vectors.keys()].sort());
    // No vector was stored twice.
    expect(result.rowCount).toBe(clean.rowCount);
    await expectNoLeftovers(indexDir);

    // The test exercised a resume: some kill left committed work that later runs reused.
    expect(mostCommitted, log.join('\n')).toBeGreaterThan(0);
    expect(killedMidRun, log.join('\n')).toBeGreaterThanOrEqual(3);
  }, 150_000);

  // A kill during a thumbnail write leaves `<hash>.webp.tmp-<pid>-<rand>` in thumbs/; the next
  // open must sweep it there too, not only in the index folder itself.
  it('leaves no temp file behind after a kill in the middle of writing a thumbnail', async (context) => {
    const small = await createWorkspaceFixture();
    try {
      const indexDir = path.join(scratch, 'thumb-kill');
      const thumbs = path.join(indexDir, 'thumbs');
      await fs.mkdir(thumbs, { recursive: true });
      const args = ['index', small.root, '--endpoint', server.baseUrl, '--index-dir', indexDir];
      const running = spawnCli(bundle, args, { cwd: scratch, apiKey: 'test-key' });
      const seen = await whenFileAppears(running, thumbs, /\.tmp-/);
      const killed = await running.kill();
      const temps = async () => (await fs.readdir(thumbs)).filter((name) => name.includes('.tmp-'));
      // The kill raced the write's rename; when the rename won there is nothing to check.
      if (!seen || killed.signal !== 'SIGKILL' || !(await temps()).length) context.skip();

      const resumed = await spawnCli(bundle, args, { cwd: scratch, apiKey: 'test-key' }).done;
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(await temps()).toEqual([]);
      await expectNoLeftovers(indexDir);
    } finally {
      await small.remove();
    }
  }, 60_000);
});

/**
 * After a finished run: no vector file the manifest does not name, no journal tail past what it
 * committed, no temp file of a dead writer in the index folder.
 */
async function expectNoLeftovers(indexDir: string): Promise<void> {
  const manifest = (await IndexStore.readManifest(indexDir))!;
  const names = await fs.readdir(indexDir);
  expect(names.filter((name) => /^seg-.*\.slv$/.test(name)).sort()).toEqual(manifest.segments.map((s) => s.file).sort());
  expect((await fs.stat(path.join(indexDir, manifest.journal.file))).size).toBe(manifest.journal.bytes);
  expect(names.filter((name) => name.includes('.tmp-'))).toEqual([]);
}

/** An index after a crash: only correct vectors, and every committed file complete. */
function expectConsistent(snapshot: Snapshot, when: string): void {
  for (const [key, vector] of snapshot.vectors) {
    const expected = clean.vectors.get(key);
    expect(expected, `${when}: unknown item ${key}`).toBeDefined();
    expect(cosineSimilarity(vector, expected!), `${when}: wrong vector for ${key}`).toBeGreaterThan(0.99999);
  }
  expect(snapshot.rowCount, `${when}: every row belongs to one item`).toBe(snapshot.vectors.size);
  for (const [file, record] of snapshot.files) {
    const expected = clean.files.get(file);
    expect(expected, `${when}: unknown file ${file}`).toBeDefined();
    expect(record.hash).toBe(expected!.hash);
    // Text goes first: a document whose pictures were not embedded yet says so and holds its text.
    const wanted = record.incomplete ? expected!.items.filter((i) => i.part === 'section' || i.part === 'page-text') : expected!.items;
    expect(
      record.items.map((i) => i.embedKey),
      `${when}: ${file} incomplete`,
    ).toEqual(wanted.map((i) => i.embedKey));
    expect(expected!.incomplete, `${when}: the clean run left ${file} unfinished`).toBeUndefined();
    for (const item of record.items) expect(snapshot.vectors.has(item.embedKey), `${when}: ${file} points at a missing vector`).toBe(true);
  }
}
