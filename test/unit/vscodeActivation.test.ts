import { promises as fs, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { activate } from '../../src/extension';
import { fakeExtensionContext, type FakeExtensionContext } from '../support/fakeVscode/context';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { TabInputCustom } from '../support/fakeVscode/types';
import { Uri } from '../support/fakeVscode/uri';

/**
 * activate() runs at every VS Code start-up: it must register exactly the commands package.json
 * promises, and leave sharp and the PDF engine unloaded until something needs them.
 */

const PROJECT = path.resolve(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string }>; customEditors: unknown[] };
  activationEvents: string[];
};

let workspace: string;
let storage: string;
let extension: FakeExtensionContext;

// Searching loads the core on first use; load it here so no single test pays for compiling it.
beforeAll(async () => {
  await import('../../src/vscode/lazyCore');
}, 120_000);

beforeEach(async () => {
  resetFake();
  workspace = await fs.mkdtemp(path.join(tmpdir(), 'sightline-activate-ws-'));
  storage = await fs.mkdtemp(path.join(tmpdir(), 'sightline-activate-storage-'));
  fake.workspace.setFolders([workspace]);
});
afterEach(async () => {
  for (const subscription of extension?.subscriptions.splice(0) ?? []) await subscription.dispose();
  await fs.rm(workspace, { recursive: true, force: true, maxRetries: 5 });
  await fs.rm(storage, { recursive: true, force: true, maxRetries: 5 });
});

describe('activate', () => {
  it('registers every command package.json declares, and no others', () => {
    extension = fakeExtensionContext({ extensionPath: PROJECT, storagePath: storage });
    activate(extension.context);
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    expect([...fake.commands.registered.keys()].sort()).toEqual(declared);
    expect(declared).toHaveLength(13);
    // The PDF page viewer: an option for PDFs, never the default over a PDF extension.
    expect(manifest.contributes.customEditors).toEqual([
      { viewType: 'sightline.pdfPages', displayName: 'Sightline PDF Pages', selector: [{ filenamePattern: '*.pdf' }], priority: 'option' },
    ]);
    expect([...fake.window.customEditors.keys()]).toEqual(['sightline.pdfPages']);
  });

  it('sets up the status bar, the panel serializer and the file watcher, and disposes of them all', async () => {
    extension = fakeExtensionContext({ extensionPath: PROJECT, storagePath: storage });
    activate(extension.context);
    expect(manifest.activationEvents).toContain('onWebviewPanel:sightline.searchPanel');
    expect([...fake.window.serializers.keys()]).toEqual(['sightline.searchPanel']);
    expect(fake.window.statusBarItems).toHaveLength(1);
    expect(fake.workspace.watchers).toHaveLength(1);
    expect(fake.window.outputChannels.map((c) => c.name)).toEqual(['Sightline']);
    for (const subscription of extension.subscriptions.splice(0)) await subscription.dispose();
    expect(fake.commands.registered.size).toBe(0);
    expect(fake.window.serializers.size).toBe(0);
    expect(fake.window.statusBarItems[0]!.disposed).toBe(true);
    expect(fake.workspace.watchers[0]!.disposed).toBe(true);
  });

  it('opens the search panel from its command', async () => {
    extension = fakeExtensionContext({ extensionPath: PROJECT, storagePath: storage });
    activate(extension.context);
    await fake.commands.registered.get('sightline.openSearchPanel')!();
    expect(fake.window.panels).toHaveLength(1);
    expect(fake.window.panels[0]!.webview.html).toContain(Uri.file(path.join(PROJECT, 'dist', 'webview.js')).path);
    fake.window.panels[0]!.dispose();
  });

  it('explains Find Similar Images when there is no image of the workspace to start from', async () => {
    extension = fakeExtensionContext({ extensionPath: PROJECT, storagePath: storage });
    activate(extension.context);
    const findSimilar = fake.commands.registered.get('sightline.findSimilarImages')!;
    await findSimilar(Uri.file(path.join(tmpdir(), 'outside.png')));
    fake.window.activeTabInput = undefined;
    await findSimilar();
    expect(fake.window.messages.map((m) => m.message)).toEqual([
      'Find Similar Images works on image files inside the workspace.',
      'Find Similar Images works on image files inside the workspace.',
    ]);
    expect(fake.window.panels).toEqual([]);
  });

  it('takes the image open in the image preview when Find Similar Images gets no argument', async () => {
    extension = fakeExtensionContext({ extensionPath: PROJECT, storagePath: storage });
    activate(extension.context);
    fake.window.activeTabInput = new TabInputCustom(Uri.file(path.join(workspace, 'shots', 'a.png')), 'imagePreview.previewEditor');
    await fake.commands.registered.get('sightline.findSimilarImages')!();
    expect(fake.window.panels).toHaveLength(1);
    const panel = fake.window.panels[0]!;
    // The new panel's page gets the query in the host's answer to its 'ready'.
    await panel.webview.send({ type: 'ready' });
    expect(panel.webview.posted).toEqual([
      expect.objectContaining({ type: 'init', query: { text: '', similarTo: { root: path.basename(workspace), path: 'shots/a.png' } } }),
    ]);
    panel.dispose();
  });
});

describe('activate leaves the heavy modules alone', () => {
  // Whether the native image library or the PDF engine was imported at all, from a fresh module
  // registry, so what earlier tests loaded does not count.
  const loaded = { sharp: false, pdfium: false };

  async function freshActivate(storagePath: string | undefined) {
    vi.resetModules();
    loaded.sharp = loaded.pdfium = false;
    vi.doMock('sharp', () => {
      loaded.sharp = true;
      return { default: () => ({}) };
    });
    vi.doMock('@hyzyla/pdfium', () => {
      loaded.pdfium = true;
      return { PDFiumLibrary: { init: async () => ({}) } };
    });
    const host = await import('../support/fakeVscode/fakeHost');
    const context = await import('../support/fakeVscode/context');
    const fresh = await import('../../src/extension');
    host.resetFake();
    if (storagePath) host.fake.workspace.setFolders([workspace]);
    extension = context.fakeExtensionContext({ extensionPath: PROJECT, storagePath });
    fresh.activate(extension.context);
    return host.fake;
  }

  afterEach(() => {
    vi.doUnmock('sharp');
    vi.doUnmock('@hyzyla/pdfium');
  });

  // Fails today: sightlineService.ts and uploadConsent.ts import loadCore() statically from
  // lazyCore.ts, so loading the extension evaluates the whole core, sharp and PDFium included.
  it('does not load sharp or the PDF engine by loading and activating the extension', async () => {
    await freshActivate(storage);
    expect(loaded).toEqual({ sharp: false, pdfium: false });
  });

  // Fails today for the reason above, and because refreshState() then imports the whole core
  // only to read the index manifest for the status bar.
  it('leaves both unloaded while the status bar reads the index state', async () => {
    const fresh = await freshActivate(storage);
    // The status bar renders once at activation and again when refreshState() has read the index.
    await vi.waitFor(() => expect(fresh.window.statusBarItems[0]!.showCount).toBe(2), { timeout: 15_000 });
    expect(loaded).toEqual({ sharp: false, pdfium: false });
  });
});
