import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Indexer } from '../../src/core/index/indexer/indexer';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { indexerOptionsFrom, indexIdentityFrom } from '../../src/core/settings/sightlineSettings';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { createWikiVault, DAILY_NOTE, HOME_NOTE, LINKING_NOTE, type WikiVault } from '../support/fixtures/wikiVault';
import { indexOnce, testClient, testSettings } from '../support/indexHarness';

let server: FakeEmbeddingServer;
let vault: WikiVault;
let indexDir: string;

beforeAll(async () => {
  server = await startFakeEmbeddingServer({ dimensions: 64 });
});
afterAll(async () => {
  await server.close();
  await vault?.remove();
});
beforeEach(async () => {
  await vault?.remove();
  vault = await createWikiVault();
  indexDir = path.join(vault.root, '.sightline');
  server.resetStats();
});

const settings = () => testSettings(server);
const lineOf = (note: string, text: string) => note.split('\n').findIndex((line) => line.includes(text)) + 1;

async function figuresOf(relativePath: string) {
  const store = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
  try {
    return store.catalog
      .getFile('', relativePath)!
      .items.filter((item) => item.part === 'figure')
      .map((item) => ({ target: item.target, line: item.line, headingPath: item.headingPath, text: item.text }));
  } finally {
    await store.close();
  }
}

describe('a wiki vault', () => {
  it('resolves embeds by name from anywhere, with fragments, sizes and aliases, and reports no problems', async () => {
    const report = await indexOnce(vault.root, indexDir, settings());
    expect(report.failed).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(await figuresOf('Home.md')).toEqual([
      { target: 'Attachments/Backlinks.png', line: lineOf(HOME_NOTE, '![[Backlinks.png]]'), headingPath: ['Home', 'Backlinks'], text: 'Home > Backlinks' },
      { target: 'Attachments/icons/lucide-cog.svg', line: lineOf(HOME_NOTE, 'lucide-cog'), headingPath: ['Home', 'Settings'], text: 'Home > Settings' },
      { target: 'Attachments/Graph view.png', line: lineOf(HOME_NOTE, 'Graph view.png'), headingPath: ['Home', 'Settings'], text: 'Home > Settings' },
    ]);
    expect(await figuresOf('notes/Linking notes.md')).toEqual([
      {
        target: 'Attachments/Backlinks.png',
        line: lineOf(LINKING_NOTE, 'Backlinks.png|'),
        headingPath: ['Linking notes', 'Backlinks pane'],
        text: 'Backlinks pane with two linked mentions\nLinking notes > Backlinks pane',
      },
      {
        target: 'Attachments/Graph view.png',
        line: lineOf(LINKING_NOTE, '300x200'),
        headingPath: ['Linking notes', 'Resizing'],
        text: 'Linking notes > Resizing',
      },
    ]);
    // Two files are called chart.png: the one beside the note's folder is the nearer.
    expect(await figuresOf('notes/daily/2024-01-05.md')).toEqual([
      { target: 'notes/daily/assets/chart.png', line: lineOf(DAILY_NOTE, 'chart.png'), headingPath: ['2024-01-05'], text: 'Sprint burndown\n2024-01-05' },
    ]);
    // Each figure went up with its caption: the alias is the alt text, the size is not.
    const captions = server.requests
      .flatMap((r) => r.embedding?.inputs ?? [])
      .filter((i) => i.images.length)
      .map((i) => i.text);
    expect(captions).toContain('Backlinks pane with two linked mentions\nLinking notes > Backlinks pane');
    expect(captions.some((text) => /\|?\b300\b/.test(text))).toBe(false);
  });

  it('finds an attachment added later, and re-resolves to a nearer file of the same name, through the watcher', async () => {
    const home = `${HOME_NOTE}\n## Later\n\n![[Canvas.png]]\n`;
    await vault.write('Home.md', home);
    const first = await indexOnce(vault.root, indexDir, settings());
    expect(first.warnings).toEqual([expect.objectContaining({ path: 'Home.md', code: 'missing-image', line: lineOf(home, 'Canvas.png') })]);
    expect(first.warnings[0]!.message).toMatch(/!\[\[Canvas\.png\]\] names no image in the workspace folder/);

    const store = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
    const client = testClient(settings());
    const indexer = new Indexer(store, client, indexerOptionsFrom(settings(), [{ key: '', path: vault.root }]));
    try {
      await vault.write(
        'Attachments/Canvas.png',
        await fs.readFile(path.join(vault.root, 'Attachments/chart.png')).then((b) => Buffer.concat([b, Buffer.from([1])])),
      );
      const added = await indexer.update([{ root: '', path: 'Attachments/Canvas.png' }]);
      expect(added.warnings).toEqual([]);
      expect(store.catalog.getFile('', 'Home.md')!.warnings).toBeUndefined();
      expect(
        store.catalog
          .getFile('', 'Home.md')!
          .items.map((i) => i.target)
          .filter(Boolean),
      ).toContain('Attachments/Canvas.png');

      // A chart.png beside the standup note now is the nearest of that name.
      await vault.write('notes/daily/chart.png', await fs.readFile(path.join(vault.root, 'Attachments/Backlinks.png')));
      await indexer.update([{ root: '', path: 'notes/daily/chart.png' }]);
      expect(store.catalog.getFile('', 'notes/daily/2024-01-05.md')!.items.find((i) => i.part === 'figure')!.target).toBe('notes/daily/chart.png');

      // Deleted again: the embed is a warning once more, and the note's sections stay.
      await fs.rm(path.join(vault.root, 'Attachments/Canvas.png'));
      const removed = await indexer.update([{ root: '', path: 'Attachments/Canvas.png' }]);
      expect(removed.warnings.map((w) => [w.path, w.code])).toEqual([['Home.md', 'missing-image']]);
      expect(store.catalog.getFile('', 'Home.md')!.items.filter((i) => i.part === 'section').length).toBeGreaterThan(0);
    } finally {
      await store.close();
      await client.close();
    }
  });

  it('embeds nothing on a second run of an unchanged vault', async () => {
    await indexOnce(vault.root, indexDir, settings());
    server.resetStats();
    const again = await indexOnce(vault.root, indexDir, settings());
    expect(server.stats.requests).toBe(0);
    expect(again.filesUnchanged).toBe(again.filesSeen);
    expect(again.warnings).toEqual([]);
  });
});
