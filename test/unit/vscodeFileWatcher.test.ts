import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { tmpdir } from 'node:os';
import type * as vscode from 'vscode';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchWorkspace } from '../../src/vscode/fileWatcher';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { fakeExtensionServices, fakeIndexService } from '../support/fakeVscode/fakeServices';
import { FakeLogOutputChannel } from '../support/fakeVscode/outputs';
import { FakeMemento } from '../support/fakeVscode/storage';
import type { FakeFileSystemWatcher } from '../support/fakeVscode/workspace';

/**
 * Saving a screenshot often fires create and several change events: the watcher gathers them
 * and updates the index once the workspace has been quiet for 1.5 s, and only when the user
 * has indexed before, allowed uploads to the configured host, and left autoUpdate on.
 */

const QUIET_MS = 1500;
const APP = path.join(tmpdir(), 'sightline-watch', 'app');
const DOCS = path.join(tmpdir(), 'sightline-watch', 'docs');

type Files = Array<{ root: string; path: string }>;

let state: FakeMemento;
let service: { isIndexing: boolean };
let log: FakeLogOutputChannel;
let updates: Files[];
let update: (files: Files) => Promise<unknown>;
let watcher: FakeFileSystemWatcher;
let disposable: vscode.Disposable;

beforeEach(async () => {
  vi.useFakeTimers();
  resetFake();
  fake.workspace.setFolders([APP, DOCS]);
  state = new FakeMemento();
  await state.update('sightline.indexedOnce', true);
  // Consent for the default endpoint's host, as Index Workspace leaves it.
  await state.update('sightline.uploadConsent', 'openai.inference.de-txl.ionos.com');
  service = { isIndexing: false };
  log = new FakeLogOutputChannel('Sightline');
  updates = [];
  update = async (files) => void updates.push(files);
  const services = fakeExtensionServices({ service: fakeIndexService(service), log, workspaceState: state });
  disposable = watchWorkspace(services, (files) => update(files));
  watcher = fake.workspace.watchers[0]!;
});
afterEach(() => {
  disposable.dispose();
  vi.useRealTimers();
});

describe('watchWorkspace', () => {
  it('passes on folder deletions and existing folders, but not changes to other files', async () => {
    expect(fake.workspace.watchers).toHaveLength(1);
    const folder = path.join(APP, 'screens');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(APP, 'main.ts'), '');
    watcher.fire('delete', path.join(APP, 'old-folder'));
    watcher.fire('create', folder);
    watcher.fire('change', path.join(APP, 'main.ts'));
    watcher.fire('create', path.join(APP, 'Shot.PNG'));
    // Telling a folder from a file takes a real stat, so let time and I/O run until settled.
    await vi.waitFor(
      () =>
        expect(
          updates
            .flat()
            .map((f) => f.path)
            .sort(),
        ).toEqual(['Shot.PNG', 'old-folder', 'screens']),
      { timeout: 5000, interval: 100 },
    );
  });

  it('gathers create, change and delete events into one update after a quiet spell', async () => {
    watcher.fire('create', path.join(APP, 'images', 'new.png'));
    watcher.fire('change', path.join(APP, 'images', 'new.png'));
    watcher.fire('change', path.join(DOCS, 'guide.md'));
    watcher.fire('delete', path.join(APP, 'old.pdf'));
    await vi.advanceTimersByTimeAsync(QUIET_MS - 1);
    expect(updates).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(updates).toEqual([
      [
        { root: 'app', path: 'images/new.png' },
        { root: 'docs', path: 'guide.md' },
        { root: 'app', path: 'old.pdf' },
      ],
    ]);
  });

  it('waits until events stop coming', async () => {
    for (let i = 0; i < 5; i++) {
      watcher.fire('change', path.join(APP, `shot-${i}.png`));
      await vi.advanceTimersByTimeAsync(QUIET_MS - 100);
    }
    expect(updates).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toHaveLength(5);
    // The batch was handed over: nothing is sent twice.
    await vi.advanceTimersByTimeAsync(10 * QUIET_MS);
    expect(updates).toHaveLength(1);
  });

  it('ignores events before the first Index Workspace', async () => {
    await state.update('sightline.indexedOnce', undefined);
    watcher.fire('create', path.join(APP, 'a.png'));
    await vi.advanceTimersByTimeAsync(5 * QUIET_MS);
    expect(updates).toEqual([]);
  });

  it('ignores events without upload consent for the configured host', async () => {
    await state.update('sightline.uploadConsent', undefined);
    watcher.fire('create', path.join(APP, 'a.png'));
    await vi.advanceTimersByTimeAsync(5 * QUIET_MS);
    expect(updates).toEqual([]);

    // Consent was given for the old endpoint; the user has since pointed Sightline elsewhere.
    await state.update('sightline.uploadConsent', 'openai.inference.de-txl.ionos.com');
    fake.settings.setUser('sightline.endpoint', 'https://embed.example.com/v1');
    watcher.fire('create', path.join(APP, 'b.png'));
    await vi.advanceTimersByTimeAsync(5 * QUIET_MS);
    expect(updates).toEqual([]);
  });

  it('ignores events with autoUpdate off, and in an untrusted workspace', async () => {
    fake.settings.setUser('sightline.autoUpdate', false);
    watcher.fire('create', path.join(APP, 'a.png'));
    await vi.advanceTimersByTimeAsync(5 * QUIET_MS);
    fake.settings.setUser('sightline.autoUpdate', true);
    fake.workspace.isTrusted = false;
    watcher.fire('create', path.join(APP, 'b.png'));
    await vi.advanceTimersByTimeAsync(5 * QUIET_MS);
    expect(updates).toEqual([]);
  });

  it('ignores files outside the folders and under node_modules or .git', async () => {
    watcher.fire('create', path.join(tmpdir(), 'elsewhere.png'));
    watcher.fire('create', path.join(APP, 'node_modules', 'pkg', 'logo.png'));
    watcher.fire('create', path.join(APP, '.git', 'x.md'));
    watcher.fire('create', path.join(APP, 'src', 'node_modules', 'y.md'));
    await vi.advanceTimersByTimeAsync(5 * QUIET_MS);
    expect(updates).toEqual([]);
  });

  it('holds the batch back while an indexing run is going', async () => {
    service.isIndexing = true;
    watcher.fire('change', path.join(APP, 'a.png'));
    await vi.advanceTimersByTimeAsync(10 * QUIET_MS);
    expect(updates).toEqual([]);
    watcher.fire('change', path.join(APP, 'b.png'));
    service.isIndexing = false;
    await vi.advanceTimersByTimeAsync(QUIET_MS);
    expect(updates).toEqual([
      [
        { root: 'app', path: 'a.png' },
        { root: 'app', path: 'b.png' },
      ],
    ]);
  });

  it('logs a failed update instead of throwing', async () => {
    update = async () => {
      throw new Error('endpoint down');
    };
    watcher.fire('change', path.join(APP, 'a.png'));
    await vi.advanceTimersByTimeAsync(QUIET_MS);
    expect(log.lines).toEqual([{ level: 'error', message: 'Updating the index failed: Error: endpoint down' }]);
  });

  it('stops on dispose: the watcher closes and a pending batch is dropped', async () => {
    watcher.fire('change', path.join(APP, 'a.png'));
    disposable.dispose();
    expect(watcher.disposed).toBe(true);
    await vi.advanceTimersByTimeAsync(5 * QUIET_MS);
    expect(updates).toEqual([]);
  });
});
