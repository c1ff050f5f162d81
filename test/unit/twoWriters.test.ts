import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { type SightlineService } from '../../src/vscode/sightlineService';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { seededRandom } from '../support/fakeServer/seededRandom';
import { fake } from '../support/fakeVscode/fakeHost';
import { bundleCli, type CliBundle } from '../support/process/cliBundle';
import { type CliResult, runCli, spawnCli } from '../support/process/cliProcess';
import { createWorkspaceFixture, type WorkspaceFixture } from '../support/workspaceFixture';
import { serviceWithKey, windowOnEndpoint } from '../support/fakeVscode/serviceWindow';

/**
 * Two writers on one index: two `sightline index` processes, and two extension services over
 * one storage folder (two VS Code windows on the same folder), started together on a seeded
 * schedule. Every round ends with an index that opens, holds every item once, and matches a
 * clean run; nothing is embedded twice.
 */

const SEED = Number(process.env.SIGHTLINE_TEST_SEED ?? 20261129);
const ROUNDS = 6;

let server: FakeEmbeddingServer;
let bundle: CliBundle;
let fixture: WorkspaceFixture;
let scratch: string;

interface Contents {
  readonly files: string[];
  readonly items: number;
  readonly rows: number;
}

/** What an index holds, in a form two indexes can be compared by (rows: every vector once). */
async function contentsOf(dir: string): Promise<Contents> {
  const store = await IndexStore.openReadOnly(dir);
  try {
    const files = [...store.catalog.allFiles()].map((f) => `${f.path} ${f.hash} ${f.items.length}`).sort();
    const items = [...store.catalog.allFiles()].reduce((n, f) => n + f.items.length, 0);
    const keys = new Set([...store.catalog.knownRows()].map(([key]) => key));
    expect(keys.size, 'one row per embedded content').toBe(store.rowCount);
    return { files, items, rows: store.rowCount };
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  [server, bundle, fixture] = await Promise.all([startFakeEmbeddingServer({ dimensions: 64, latencyMs: 5 }), bundleCli(), createWorkspaceFixture()]);
  scratch = await fs.mkdtemp(path.join(tmpdir(), 'sightline-two-writers-'));
}, 60_000);
afterAll(async () => {
  await server?.close();
  await bundle?.remove();
  await fixture?.remove();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});

describe('two CLI writers on one index', { timeout: 300_000 }, () => {
  let clean: Contents;
  let cleanInputs: number;

  const index = (dir: string, extra: readonly string[] = []) =>
    spawnCli(bundle, ['index', fixture.root, '--index-dir', dir, '--endpoint', server.baseUrl, ...extra], { cwd: scratch, apiKey: 'test-key' });

  beforeAll(async () => {
    server.resetStats();
    const dir = path.join(scratch, 'clean-cli');
    const result = await index(dir).done;
    expect(result.code, result.stderr).toBe(0);
    clean = await contentsOf(dir);
    cleanInputs = server.stats.inputs;
  });

  it('started together many times: the second waits, naming the first, and the end matches a clean run', async () => {
    const random = seededRandom(SEED);
    const log: string[] = [`seed ${SEED}`];
    let waited = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const dir = path.join(scratch, `cli-round-${round}`);
      server.resetStats();
      const gap = Math.floor(random() * 400);
      const first = index(dir);
      await new Promise((resolve) => setTimeout(resolve, gap));
      const second = index(dir);
      const results: CliResult[] = await Promise.all([first.done, second.done]);
      for (const result of results) expect(result.code, `round ${round}: ${result.stderr}`).toBe(0);
      const waiting = results.map((r) =>
        /another Sightline process \(pid (\d+), sightline index\) is indexing this index; waiting for it to finish…/.exec(r.stderr),
      );
      if (waiting[1]) {
        waited++;
        expect(Number(waiting[1][1])).toBe(first.child.pid);
      }
      log.push(`round ${round}: gap ${gap} ms, second waited: ${Boolean(waiting[1])}, inputs ${server.stats.inputs}`);
      // Whoever came second found everything done: nothing was embedded twice.
      expect(server.stats.inputs, log.join('\n')).toBe(cleanInputs);
      expect(await contentsOf(dir), log.join('\n')).toEqual(clean);
    }
    // The schedule overlaps most rounds; a run shows that waiting really happened.
    expect(waited, log.join('\n')).toBeGreaterThan(0);
  });

  it('a writer killed with SIGKILL never blocks the next one, which finishes the index', async () => {
    const random = seededRandom(SEED + 1);
    for (let round = 0; round < 3; round++) {
      const dir = path.join(scratch, `cli-killed-${round}`);
      const first = index(dir);
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(random() * 500)));
      await first.kill();
      const started = performance.now();
      const second = await index(dir).done;
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).not.toMatch(/waiting/);
      expect(performance.now() - started).toBeLessThan(30_000);
      expect(await contentsOf(dir)).toEqual(clean);
    }
  });

  it('reads never wait for a writer: status and search answer while an index runs', async () => {
    const root = path.join(scratch, 'readers-ws');
    const dir = path.join(scratch, 'cli-readers');
    await fs.cp(fixture.root, root, { recursive: true });
    const run = (extra: readonly string[] = []) =>
      spawnCli(bundle, ['index', root, '--index-dir', dir, '--endpoint', server.baseUrl, ...extra], { cwd: scratch, apiKey: 'test-key' });
    expect((await run().done).code).toBe(0);

    // A new note whose embedding the server holds: the writer sits on the lock until it is let go.
    await fs.writeFile(path.join(root, 'docs', 'held.md'), '# Held\n\nThe quartz oscillator drifts.\n');
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    server.resetStats();
    server.setFaultPredicate(({ texts }) => (texts.some((t) => t.includes('quartz')) ? { kind: 'hold', until: released } : undefined));
    try {
      const writer = run();
      await server.waitForRequests(1);
      const status = await runCli(bundle, ['status', root, '--index-dir', dir, '--json'], { cwd: scratch });
      const search = await runCli(bundle, ['search', 'login screen', '--root', root, '--index-dir', dir, '--endpoint', server.baseUrl], {
        cwd: scratch,
        apiKey: 'test-key',
      });
      expect(writer.exited, 'the writer still holds the index').toBe(false);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout).files).toMatchObject({ markdown: 2 });
      expect(search.code, search.stderr).toBe(0);
      expect(search.stdout).toMatch(/login-screen\.png/);
      release();
      expect((await writer.done).code).toBe(0);
    } finally {
      release();
      server.setFaultPredicate(undefined);
    }
  });
});

describe('two extension services over one storage folder (two windows on one folder)', { timeout: 300_000 }, () => {
  let workspace: string;
  let clean: Contents;
  const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } as unknown as vscode.CancellationToken;

  async function service(indexDir: string): Promise<SightlineService> {
    return (await serviceWithKey(indexDir, server.baseUrl, 'test-key')).service;
  }

  beforeAll(async () => {
    // Markdown only: images and PDFs go through worker threads whose bundle the unit tests do not build.
    workspace = await fs.mkdtemp(path.join(tmpdir(), 'sightline-two-windows-'));
    for (let i = 0; i < 12; i++) {
      await fs.writeFile(
        path.join(workspace, `note-${i}.md`),
        `# Note ${i}\n\nThe relay ${i} needs a restart after the firmware update.\n\n## Details\n\nCheck fuse ${i * 7}.\n`,
      );
    }
  });
  afterAll(async () => {
    await fs.rm(workspace, { recursive: true, force: true });
  });
  beforeEach(() => windowOnEndpoint(server.baseUrl, [workspace]));

  it('indexes cleanly alone (the reference)', async () => {
    const dir = path.join(scratch, 'clean-service');
    const only = await service(dir);
    const report = await only.index(() => undefined, token);
    expect(report.failed).toEqual([]);
    await only.dispose();
    clean = await contentsOf(dir);
    expect(clean.files).toHaveLength(12);
  });

  it('one writes, the other follows read-only and sees its commits; after the writer closes, the other takes over', async () => {
    const random = seededRandom(SEED + 2);
    for (let round = 0; round < ROUNDS; round++) {
      const dir = path.join(scratch, `service-round-${round}`);
      const [a, b] = [await service(dir), await service(dir)];
      try {
        server.resetStats();
        const gap = Math.floor(random() * 50);
        const runA = a
          .index(() => undefined, token)
          .then(
            (report) => ({ report }),
            (error: unknown) => ({ error }),
          );
        await new Promise((resolve) => setTimeout(resolve, gap));
        const runB = b
          .index(() => undefined, token)
          .then(
            (report) => ({ report }),
            (error: unknown) => ({ error }),
          );
        const outcomes = await Promise.all([runA, runB]);
        const written = outcomes.filter((o) => 'report' in o);
        const refused = outcomes.filter((o) => 'error' in o);
        expect(written, `round ${round}`).toHaveLength(1);
        expect(refused).toHaveLength(1);
        const error = (refused[0] as { error: Error }).error;
        expect(error.name).toBe('IndexBusyError');
        expect(error.message).toMatch(/another Sightline process \(pid \d+, a VS Code window\) is writing the index/);
        const [writer, follower] = 'report' in outcomes[0] ? [a, b] : [b, a];
        expect(follower.isFollowing).toBe(true);
        expect(writer.isFollowing).toBe(false);
        expect(server.stats.inputs).toBe(clean.items);

        // The follower reloads when the writer commits (it polls the manifest every 2 s).
        await expect.poll(() => follower.state, { timeout: 10_000, interval: 200 }).toMatchObject({ kind: 'ready', files: 12, items: clean.items });
        const found = await follower.search({ text: 'relay restart firmware' }, { top: 5 });
        expect(found.results.length).toBeGreaterThan(0);

        // The writer's window closes: the follower becomes the writer, with nothing left to embed.
        await writer.dispose();
        server.resetStats();
        const takeover = await follower.index(() => undefined, token);
        expect(takeover.itemsEmbedded).toBe(0);
        expect(follower.isFollowing).toBe(false);
        expect(server.stats.inputs).toBe(0);
      } finally {
        await a.dispose();
        await b.dispose();
      }
      expect(await contentsOf(dir)).toEqual(clean);
    }
  });

  it('a commit the writer makes while the follower reads the index is still picked up', async () => {
    const dir = path.join(scratch, 'service-commit-during-open');
    const [writer, follower] = [await service(dir), await service(dir)];
    const openReadOnly = IndexStore.openReadOnly.bind(IndexStore);
    const spy = vi.spyOn(IndexStore, 'openReadOnly').mockImplementationOnce(async (...args) => {
      const store = await openReadOnly(...args);
      // The whole run commits after the follower read the (empty) manifest, before it is in hand.
      await writer.index(() => undefined, token);
      return store;
    });
    try {
      await writer.openStore(true);
      await expect(follower.index(() => undefined, token)).rejects.toThrow(/another Sightline process/);
      expect(follower.isFollowing).toBe(true);
      await expect.poll(() => follower.state, { timeout: 15_000, interval: 200 }).toMatchObject({ kind: 'ready', files: 12, items: clean.items });
    } finally {
      spy.mockRestore();
      await writer.dispose();
      await follower.dispose();
    }
  });

  it('a window that starts following a writer that is done shows what it committed at once', async () => {
    const dir = path.join(scratch, 'service-follow-finished-writer');
    const [writer, follower] = [await service(dir), await service(dir)];
    try {
      // The writer has finished and commits nothing more, but keeps the index (and its lock) open.
      expect((await writer.index(() => undefined, token)).failed).toEqual([]);
      await expect(follower.index(() => undefined, token)).rejects.toThrow(/another Sightline process/);
      expect(follower.isFollowing).toBe(true);
      expect(follower.state).toEqual({ kind: 'ready', files: 12, items: clean.items });
    } finally {
      await writer.dispose();
      await follower.dispose();
    }
  });

  it('a settings change while the run is still opening the index: the search gets no store of the old size', async () => {
    const dir = path.join(scratch, 'service-settings-change-at-open');
    const { IndexMismatchError } = await import('../../src/vscode/lazyCore');
    const only = await service(dir);
    try {
      // No pause: the run's open is still under way when the search asks for the index.
      const run = only.index(() => undefined, token);
      fake.settings.setUser('sightline.dimensions', 32);
      const reopened = only.search({ text: 'relay' }, { top: 3 }).catch((e: unknown) => e);
      const report = await run;
      expect(report.cancelled || report.itemsEmbedded === clean.items).toBe(true);
      expect(await reopened).toBeInstanceOf(IndexMismatchError);
    } finally {
      await only.dispose();
    }
  });

  it('a settings change during a run cancels the run instead of closing the store under it', async () => {
    const dir = path.join(scratch, 'service-settings-change');
    const only = await service(dir);
    try {
      const run = only.index(() => undefined, token);
      await new Promise((resolve) => setTimeout(resolve, 30));
      fake.settings.setUser('sightline.dimensions', 32);
      // A search with the new settings reopens the index for the new size; the run is cancelled first.
      const reopened = only.search({ text: 'relay' }, { top: 3 }).catch((e: unknown) => e);
      const report = await run;
      expect(report.cancelled || report.itemsEmbedded === clean.items).toBe(true);
      const error = await reopened;
      expect((error as Error).name).toBe('IndexMismatchError');
    } finally {
      await only.dispose();
    }
    // Whatever the run finished is a consistent index of the old size.
    const after = await contentsOf(dir);
    expect(after.rows).toBeLessThanOrEqual(clean.rows);
  });
});
