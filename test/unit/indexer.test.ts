import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IndexMismatchError } from '../../src/core/index/store/indexErrors';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { indexIdentityFrom } from '../../src/core/settings/sightlineSettings';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { indexOnce, testSettings } from '../support/indexHarness';
import { createWorkspaceFixture, GUIDE_MD, type WorkspaceFixture } from '../support/workspaceFixture';

let server: FakeEmbeddingServer;
let workspace: WorkspaceFixture;
let indexDir: string;

beforeAll(async () => {
  server = await startFakeEmbeddingServer({ dimensions: 256 });
});
afterAll(async () => {
  await server.close();
  await workspace?.remove();
});
beforeEach(async () => {
  await workspace?.remove();
  workspace = await createWorkspaceFixture();
  indexDir = path.join(workspace.root, '.sightline');
  server.resetStats();
  server.clearFaults();
  server.setFaultPredicate(undefined);
});

const settings = () => testSettings(server);

async function inputsDuring(run: () => Promise<unknown>): Promise<number> {
  server.resetStats();
  await run();
  return server.stats.inputs;
}

describe('Indexer', () => {
  it('indexes images, markdown sections, figures and PDF pages, and leaves ignored folders alone', async () => {
    const report = await indexOnce(workspace.root, indexDir, settings());
    expect(report.fatal).toBeUndefined();
    expect(report.failed).toEqual([]);
    expect(report.filesSeen).toBe(7); // 4 images, 2 markdown, 1 pdf; node_modules and build/ ignored
    const store = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
    const guide = store.catalog.getFile('', 'docs/guide.md')!;
    expect(guide.title).toBe('Operator Guide');
    const linux = guide.items.find((i) => i.headingPath?.join('/') === 'Operator Guide/Installation/Linux')!;
    expect(GUIDE_MD.split('\n')[linux.line! - 1]).toBe('### Linux');
    const figure = guide.items.find((i) => i.part === 'figure')!;
    expect(figure.target).toBe('images/login-screen.png');
    expect(figure.thumbnail).toBeDefined();
    const pdf = store.catalog.getFile('', 'reports/quarterly.pdf')!;
    expect(pdf.items.filter((i) => i.part === 'page-image').map((i) => i.page)).toEqual([1, 2, 3]);
    expect(pdf.items.filter((i) => i.part === 'page-text')).toHaveLength(3);
    expect(store.catalog.getFile('', 'node_modules/pkg/logo.png')).toBeUndefined();
    expect(store.catalog.getFile('', 'build/out.png')).toBeUndefined();
    expect(store.rowCount).toBe(report.itemsEmbedded);
    await fs.access(store.thumbnailPath(store.catalog.getFile('', 'images/dashboard.png')!.items[0]!.thumbnail!)!);
    await store.close();
  });

  it('embeds nothing again when nothing changed, or when a file was only touched', async () => {
    await indexOnce(workspace.root, indexDir, settings());
    expect(await inputsDuring(() => indexOnce(workspace.root, indexDir, settings()))).toBe(0);
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(path.join(workspace.root, 'images/dashboard.png'), later, later);
    server.resetStats();
    const report = await indexOnce(workspace.root, indexDir, settings());
    expect(server.stats.embeddingRequests).toBe(0);
    expect(report.filesReused).toBe(1);
  });

  it('re-embeds only the markdown section whose text changed', async () => {
    await indexOnce(workspace.root, indexDir, settings());
    await workspace.write('docs/guide.md', GUIDE_MD.replace('Single sign-on is offered too.', 'Passkeys are offered too.'));
    server.resetStats();
    const report = await indexOnce(workspace.root, indexDir, settings());
    expect(server.stats.inputs).toBe(1);
    expect(
      server.requests
        .flatMap((r) => r.embedding?.inputs ?? [])
        .map((i) => i.text)
        .join(),
    ).toContain('Passkeys');
    expect(report.itemsEmbedded).toBe(1);
    expect(report.itemsReused).toBeGreaterThan(3);
  });

  it('reuses vectors for a renamed or copied file and forgets deleted ones, with no API call', async () => {
    await indexOnce(workspace.root, indexDir, settings());
    await fs.rename(path.join(workspace.root, 'images/settings.png'), path.join(workspace.root, 'images/preferences.png'));
    await fs.copyFile(path.join(workspace.root, 'reports/quarterly.pdf'), path.join(workspace.root, 'reports/copy.pdf'));
    await fs.rm(path.join(workspace.root, 'images/dashboard.png'));
    server.resetStats();
    const report = await indexOnce(workspace.root, indexDir, settings());
    expect(server.stats.requests).toBe(0);
    expect(report.filesReused).toBe(2);
    expect(report.filesRemoved).toBe(2); // settings.png (renamed away) and dashboard.png
    const store = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
    expect(store.catalog.getFile('', 'images/preferences.png')?.items).toHaveLength(1);
    expect(store.catalog.getFile('', 'images/settings.png')).toBeUndefined();
    expect(store.catalog.getFile('', 'reports/copy.pdf')?.items).toHaveLength(6);
    await store.close();
  });

  it('reports a corrupt image and goes on, tries it once more on the next run, then not while it is unchanged', async () => {
    await workspace.write('images/broken.png', workspace.loginPng.subarray(0, 200));
    const report = await indexOnce(workspace.root, indexDir, settings());
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatchObject({ path: 'images/broken.png', code: 'corrupt' });
    expect(report.filesIndexed).toBe(7);
    const retried = await indexOnce(workspace.root, indexDir, settings());
    expect(retried.failed).toMatchObject([{ path: 'images/broken.png', code: 'corrupt' }]);
    expect(retried.filesUnchanged).toBe(7);
    const again = await indexOnce(workspace.root, indexDir, settings());
    expect(again.failed).toEqual([]);
    expect(again.filesUnchanged).toBe(8);
  });

  it('reports an input the service rejects and keeps the rest of the file', async () => {
    server.setFaultPredicate(({ texts }) =>
      texts.some((t) => t.includes('systemctl')) ? { kind: 'status', status: 400, message: 'rejected input' } : undefined,
    );
    const report = await indexOnce(workspace.root, indexDir, settings());
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]!.path).toBe('docs/guide.md');
    expect(report.failed[0]!.message).toMatch(/line \d+: .*rejected input/);
    const store = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
    expect(store.catalog.getFile('', 'docs/guide.md')!.items.length).toBeGreaterThan(3);
    await store.close();
  });

  it('stops on a wrong key with a clear error and loses nothing already indexed', async () => {
    await indexOnce(workspace.root, indexDir, settings());
    await workspace.write(
      'images/new.png',
      await fs.readFile(path.join(workspace.root, 'images/dashboard.png')).then((b) => Buffer.concat([b, Buffer.from([0])])),
    );
    await workspace.write('docs/new.md', '# New page\n\nFresh words about something else entirely.\n');
    const report = await indexOnce(workspace.root, indexDir, settings(), { apiKey: 'wrong-key' });
    expect(report.fatal?.kind).toBe('auth');
    expect(report.fatal?.message).toContain('HTTP 401');
    const store = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
    expect(store.catalog.fileCount).toBe(7);
    expect(store.catalog.getFile('', 'docs/new.md')).toBeUndefined();
    await store.close();
  });

  it('keeps what finished when cancelled, and the next run embeds only the rest', async () => {
    const controller = new AbortController();
    server.setFaultPredicate(() => {
      if (server.stats.inputs >= 6) controller.abort();
      return undefined;
    });
    const first = await indexOnce(workspace.root, indexDir, settings(), { signal: controller.signal, checkpointEvery: 1 });
    expect(first.cancelled).toBe(true);
    server.setFaultPredicate(undefined);
    const committed = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
    const committedRows = committed.rowCount;
    await committed.close();
    expect(committedRows).toBeGreaterThan(0);

    server.resetStats();
    const second = await indexOnce(workspace.root, indexDir, settings());
    const fresh = await fs.mkdtemp(path.join(workspace.root, '..', 'sightline-fresh-'));
    const full = await indexOnce(workspace.root, fresh, settings());
    await fs.rm(fresh, { recursive: true });
    expect(second.itemsEmbedded).toBe(full.itemsEmbedded - committedRows);
  });

  it('refuses to mix vectors when the model or dimensions change', async () => {
    await indexOnce(workspace.root, indexDir, settings());
    await expect(indexOnce(workspace.root, indexDir, testSettings(server, { dimensions: 128 }))).rejects.toThrow(IndexMismatchError);
  });

  it('updates single files for a watcher: changed, created and deleted', async () => {
    const { Indexer } = await import('../../src/core/index/indexer/indexer');
    const { testClient } = await import('../support/indexHarness');
    const { indexerOptionsFrom } = await import('../../src/core/settings/sightlineSettings');
    await indexOnce(workspace.root, indexDir, settings());
    await workspace.write('docs/extra.md', '# Extra\n\nA page about caching layers.\n');
    await fs.rm(path.join(workspace.root, 'docs/intl.md'));
    const store = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
    const client = testClient(settings());
    server.resetStats();
    const report = await new Indexer(store, client, indexerOptionsFrom(settings(), [{ key: '', path: workspace.root }])).update([
      { root: '', path: 'docs/extra.md' },
      { root: '', path: 'docs/intl.md' },
      { root: '', path: 'images/dashboard.png' },
    ]);
    expect(report.filesIndexed).toBe(1);
    expect(report.filesRemoved).toBe(1);
    expect(report.filesUnchanged).toBe(1);
    expect(server.stats.inputs).toBe(1);
    expect(store.catalog.getFile('', 'docs/extra.md')).toBeDefined();
    expect(store.catalog.getFile('', 'docs/intl.md')).toBeUndefined();
    await store.close();
    await client.close();
  });
});

describe('Indexer.update with folders', () => {
  it('forgets a deleted folder and indexes a renamed one without API calls', async () => {
    const { Indexer } = await import('../../src/core/index/indexer/indexer');
    const { testClient } = await import('../support/indexHarness');
    const { indexerOptionsFrom } = await import('../../src/core/settings/sightlineSettings');
    await indexOnce(workspace.root, indexDir, settings());
    await fs.rename(path.join(workspace.root, 'images'), path.join(workspace.root, 'screens'));
    await fs.rm(path.join(workspace.root, 'reports'), { recursive: true });
    const store = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
    const client = testClient(settings());
    server.resetStats();
    // What a watcher reports for folder operations: the folders, not their files.
    const report = await new Indexer(store, client, indexerOptionsFrom(settings(), [{ key: '', path: workspace.root }])).update([
      { root: '', path: 'images' },
      { root: '', path: 'screens' },
      { root: '', path: 'reports' },
    ]);
    expect(server.stats.requests).toBe(0);
    expect(report.filesRemoved).toBe(4); // three images and the PDF
    expect(report.filesReused).toBe(3);
    const paths = [...store.catalog.allFiles()].map((f) => f.path).sort();
    expect(paths.filter((p) => p.startsWith('screens/'))).toEqual(['screens/dashboard.png', 'screens/login-screen.png', 'screens/settings.png']);
    expect(paths.some((p) => p.startsWith('images/') || p.startsWith('reports/'))).toBe(false);
    await store.close();
    await client.close();
  });
});

describe('markdown snippets', () => {
  it('read as plain text, without the heading the result shows beside them', async () => {
    const { markdownPlainText } = await import('../../src/core/sources/markdown/markdownPlainText');
    expect(markdownPlainText('## Login\n\n![Login screen](a.png) Use **bold** `code` and [docs](x.md).\n- item')).toBe(
      'Login screen Use bold code and docs. item',
    );
  });

  it('drop wiki embeds, wiki-link brackets and table pipes', async () => {
    const { markdownPlainText } = await import('../../src/core/sources/markdown/markdownPlainText');
    const source = [
      '# Backlinks',
      '',
      'The pane lists [[Linked mentions]] and [[Graph view#Local|the local graph]].',
      '',
      '![[Backlinks.png|300]] ![[pane.png|The backlinks pane]]',
      '',
      '| Setting | Default |',
      '| --- | --- |',
      '| Show count | on |',
    ].join('\n');
    expect(markdownPlainText(source)).toBe('The pane lists Linked mentions and the local graph. The backlinks pane Setting Default Show count on');
  });
});
