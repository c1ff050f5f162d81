import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CacheIdentity } from '../../src/core/index/sharedCache/cacheIdentity';
import { SharedCache, type OpenSharedCacheOptions } from '../../src/core/index/sharedCache/openSharedCache';
import { SharedCacheError } from '../../src/core/index/sharedCache/sharedCacheError';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { cacheIdentityFrom, indexIdentityFrom } from '../../src/core/settings/sightlineSettings';
import { toFloat16Bits } from '../../src/core/index/vectors/float16';
import { renderSyntheticScreenshot } from '../support/fakeServer/syntheticImages';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { indexOnce, testSettings } from '../support/indexHarness';
import { copyWorkspace, exportIndex, readCacheBytes, writeWithValidChecksum } from '../support/sharedCacheFiles';
import { createWorkspaceFixture, INTL_MD, type WorkspaceFixture } from '../support/workspaceFixture';

/**
 * A team's shared cache, in process: one workspace indexed and exported, a second that differs
 * in a few files filled from it, and caches that are damaged, cut short, crafted or made for
 * another model refused before anything is indexed.
 */

const CHANGED_SECTION = 'Die Konfigurationsdatei liegt jetzt unter /etc/controlplane und wird beim Start gelesen.';

let server: FakeEmbeddingServer;
let first: WorkspaceFixture;
let scratch: string;
let firstIndex: string;
let cacheFile: string;
let itemsOfFirst: number;

const settings = () => testSettings(server);
const identity = (): CacheIdentity => cacheIdentityFrom(settings());

function openOptions(overrides: Partial<OpenSharedCacheOptions> = {}): OpenSharedCacheOptions {
  return { identity: identity(), maxBytes: 64 * 1024 * 1024, downloadsDir: path.join(scratch, 'downloads'), ...overrides };
}

/** The second workspace: the first with one section rewritten, one screenshot added and one removed. */
async function secondWorkspace(): Promise<string> {
  const root = await copyWorkspace(first.root);
  await fs.writeFile(path.join(root, 'docs/intl.md'), INTL_MD.replace(/設定ファイル.*\n/, `${CHANGED_SECTION}\n`));
  await fs.writeFile(path.join(root, 'images/new-chart.png'), await renderSyntheticScreenshot(11, { width: 640, height: 480 }));
  await fs.rm(path.join(root, 'exports/login-small.jpg'));
  return root;
}

async function withStore<T>(dir: string, use: (store: IndexStore) => T | Promise<T>): Promise<T> {
  const store = await IndexStore.openReadOnly(dir, indexIdentityFrom(settings()));
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Every item's vector by embedKey, as stored (float16, decoded). */
function vectorsByKey(store: IndexStore): Map<string, Float32Array> {
  const vectors = new Map<string, Float32Array>();
  for (const record of store.catalog.allFiles()) for (const item of record.items) vectors.set(item.embedKey, store.vectorAt(item.row));
  return vectors;
}

async function expectRefused(open: Promise<unknown>, message: RegExp): Promise<SharedCacheError> {
  const error = await open.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SharedCacheError);
  expect((error as SharedCacheError).kind).toBe('refused');
  expect((error as SharedCacheError).message).toMatch(message);
  return error as SharedCacheError;
}

beforeAll(async () => {
  server = await startFakeEmbeddingServer({ dimensions: 256 });
  first = await createWorkspaceFixture();
  scratch = await fs.mkdtemp(path.join(tmpdir(), 'sightline-shared-cache-'));
  firstIndex = path.join(scratch, 'first-index');
  const report = await indexOnce(first.root, firstIndex, settings());
  expect(report.failed).toEqual([]);
  itemsOfFirst = report.itemsEmbedded;
  cacheFile = path.join(scratch, 'first.slcache');
  const exported = await exportIndex(firstIndex, settings(), cacheFile);
  expect(exported.entries).toBe(itemsOfFirst);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await first?.remove();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});
beforeEach(() => server.resetStats());

describe('a shared cache between two workspaces', () => {
  it('fills the second workspace from the first one’s cache and embeds only the files that differ', async () => {
    const second = await secondWorkspace();
    const secondIndex = path.join(scratch, 'second-index');
    const cache = await SharedCache.open(cacheFile, openOptions());
    let report;
    try {
      expect(cache.use).toMatchObject({ source: cacheFile, entries: itemsOfFirst, skipped: 0, notes: [] });
      report = await indexOnce(second, secondIndex, settings(), { sharedCache: cache });
    } finally {
      await cache.close();
    }
    expect(report.failed).toEqual([]);

    const firstVectors = await withStore(firstIndex, vectorsByKey);
    const secondVectors = await withStore(secondIndex, vectorsByKey);
    const fresh = [...secondVectors.keys()].filter((key) => !firstVectors.has(key));
    // The rewritten section and the new screenshot, nothing else.
    expect(fresh).toHaveLength(2);
    expect(report.itemsEmbedded).toBe(2);
    expect(report.itemsFromSharedCache).toBe(secondVectors.size - 2);
    expect(report.itemsReused).toBe(report.itemsFromSharedCache);
    expect(report.sharedCache).toMatchObject({ source: cacheFile, entries: itemsOfFirst });

    // Counted at the server: one text and one image went out, and they are the ones that differ.
    expect(server.stats.inputs).toBe(2);
    const inputs = server.requests.flatMap((request) => request.embedding?.inputs ?? []);
    const texts = inputs.filter((input) => input.images.length === 0);
    const images = inputs.flatMap((input) => input.images);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.text).toContain(CHANGED_SECTION);
    expect(images).toHaveLength(1);
    expect([images[0]!.width, images[0]!.height]).toEqual([640, 480]);

    // What came from the cache is exactly what the first workspace's index holds.
    for (const [key, vector] of secondVectors) if (firstVectors.has(key)) expect(vector).toEqual(firstVectors.get(key));
    // Pictures filled from the cache have thumbnails of their own (the cache carries none).
    await withStore(secondIndex, async (store) => {
      const dashboard = store.catalog.getFile('', 'images/dashboard.png')!.items[0]!;
      await fs.access(store.thumbnailPath(dashboard.thumbnail!)!);
      const page = store.catalog.getFile('', 'reports/quarterly.pdf')!.items.find((item) => item.part === 'page-image')!;
      await fs.access(store.thumbnailPath(page.thumbnail!)!);
    });

    // And the result is the index a cold run of the second workspace builds.
    const coldIndex = path.join(scratch, 'second-cold');
    await indexOnce(second, coldIndex, settings());
    expect(await withStore(coldIndex, vectorsByKey)).toEqual(secondVectors);
    await fs.rm(second, { recursive: true, force: true });
  });

  it('skips entries whose vectors fail the checks, says so, and embeds those items instead', async () => {
    const cache = await readCacheBytes(cacheFile);
    const { vectorsOffset } = cache.layout;
    const vectorBytes = cache.header.vectorDims * 2;
    const bytes = Buffer.from(cache.bytes);
    bytes.writeUInt16LE(0x7e00, vectorsOffset + 7 * 2); // a NaN in entry 0
    for (let d = 0; d < cache.header.vectorDims; d++) bytes.writeUInt16LE(toFloat16Bits(0.5), vectorsOffset + vectorBytes + d * 2); // entry 1: length 8
    const crafted = path.join(scratch, 'bad-entries.slcache');
    await writeWithValidChecksum(crafted, { ...cache, bytes });

    const copy = await copyWorkspace(first.root);
    const opened = await SharedCache.open(crafted, openOptions());
    try {
      expect(opened.use.entries).toBe(itemsOfFirst - 2);
      expect(opened.use.skipped).toBe(2);
      expect(opened.use.notes).toEqual([expect.stringMatching(/^2 entries of the shared cache failed the checks .* were skipped$/)]);
      const report = await indexOnce(copy, path.join(scratch, 'bad-entries-index'), settings(), { sharedCache: opened });
      expect(report.itemsEmbedded).toBe(2);
      expect(report.itemsFromSharedCache).toBe(itemsOfFirst - 2);
      expect(server.stats.inputs).toBe(2);
      expect(report.sharedCache?.notes).toHaveLength(1);
    } finally {
      await opened.close();
      await fs.rm(copy, { recursive: true, force: true });
    }
  });

  it('reads every cache of a folder that fits the index and passes over those for another model', async () => {
    const folder = path.join(scratch, 'folder');
    await fs.mkdir(folder);
    await fs.copyFile(cacheFile, path.join(folder, 'docs.slcache'));
    const foreign = await readCacheBytes(cacheFile);
    await writeWithValidChecksum(path.join(folder, 'other-model.slcache'), foreign, { ...foreign.header, model: 'acme/other-embedder' });
    await fs.writeFile(path.join(folder, 'README.txt'), 'not a cache');
    const opened = await SharedCache.open(folder, openOptions());
    try {
      expect(opened.use.entries).toBe(itemsOfFirst);
      expect(opened.use.notes).toEqual([expect.stringContaining('other-model.slcache cannot be used here: it was made for the model "acme/other-embedder"')]);
    } finally {
      await opened.close();
    }
    await fs.rm(path.join(folder, 'docs.slcache'));
    await expectRefused(SharedCache.open(folder, openOptions()), /^no shared cache in .*folder fits this index: .*acme\/other-embedder/);
  });
});

describe('a cache that cannot be trusted is refused before anything is indexed', () => {
  it('refuses a damaged file: the checksum does not match', async () => {
    const bytes = await fs.readFile(cacheFile);
    const { layout } = await readCacheBytes(cacheFile);
    bytes[layout.vectorsOffset + 1001]! ^= 0x10;
    const damaged = path.join(scratch, 'damaged.slcache');
    await fs.writeFile(damaged, bytes);
    await expectRefused(SharedCache.open(damaged, openOptions()), /^the shared cache .*damaged\.slcache is damaged: its checksum does not match its contents$/);
  });

  it('refuses a truncated file, wherever it was cut', async () => {
    const bytes = await fs.readFile(cacheFile);
    const cut = path.join(scratch, 'cut.slcache');
    await fs.writeFile(cut, bytes.subarray(0, bytes.length - 1000));
    await expectRefused(
      SharedCache.open(cut, openOptions()),
      new RegExp(`is truncated: it has only ${bytes.length - 1000} bytes of the ${bytes.length} its header announces$`),
    );
    await fs.writeFile(cut, bytes.subarray(0, 40));
    await expectRefused(SharedCache.open(cut, openOptions()), /is truncated: it has only 40 bytes$/);
    await fs.writeFile(cut, Buffer.concat([bytes, Buffer.from('trailing')]));
    await expectRefused(SharedCache.open(cut, openOptions()), /is damaged: 8 bytes follow its end$/);
  });

  it('refuses what is not a cache at all, and a folder or path with none', async () => {
    const png = path.join(first.root, 'images/dashboard.png');
    await expectRefused(SharedCache.open(png, openOptions()), /dashboard\.png is not a Sightline cache file/);
    const error = (await SharedCache.open(path.join(scratch, 'nothing-here.slcache'), openOptions()).catch((e: unknown) => e)) as SharedCacheError;
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/^there is no shared cache at .*nothing-here\.slcache \(ENOENT\)$/);
    await expectRefused(SharedCache.open(path.join(first.root, 'docs'), openOptions()), /the folder .*docs holds no shared cache \(no \*\.slcache file\)/);
  });

  it('refuses a cache for another model, vector size or request shape, naming the difference', async () => {
    const base = identity();
    await expectRefused(
      SharedCache.open(cacheFile, openOptions({ identity: { ...base, model: 'acme/other-embedder' } })),
      /cannot be used here: it was made for the model "Qwen\/Qwen3-VL-Embedding-8B" \(this index uses "acme\/other-embedder"\)$/,
    );
    await expectRefused(
      SharedCache.open(cacheFile, openOptions({ identity: { ...base, dimensions: 128 } })),
      /it was made for full-size vectors \(this index uses 128-dimension vectors\)$/,
    );
    const refused = await expectRefused(
      SharedCache.open(cacheFile, openOptions({ identity: { ...base, shape: { ...base.shape, textFormat: 'plain', addSpecialTokens: false } } })),
      /it was made for another request shape: textFormat templated \(here plain\), addSpecialTokens true \(here false\)$/,
    );
    expect(refused.foreign).toBe(true);
    await expectRefused(SharedCache.open(cacheFile, openOptions({ vectorDims: 1024 })), /holds 256-value vectors; this index stores 1024$/);
  });

  it('refuses a newer format, and a file over the size limit unread', async () => {
    const cache = await readCacheBytes(cacheFile);
    const newer = path.join(scratch, 'newer.slcache');
    await writeWithValidChecksum(newer, cache, { ...cache.header, version: 2 });
    await expectRefused(SharedCache.open(newer, openOptions()), /has cache format version 2; this version of Sightline reads version 1/);
    await expectRefused(SharedCache.open(cacheFile, openOptions({ maxBytes: 1000 })), /is 0\.\d MiB, over the limit of 0\.0 MiB$/);
  });

  it('hands out nothing from a cache whose header was edited to claim this index’s request shape', async () => {
    // Keys hash the identity too: entries made for plain texts stay theirs whatever the header says.
    const plain = { ...settings(), shape: { ...settings().shape, textFormat: 'plain' as const } };
    const exported = path.join(scratch, 'plain.slcache');
    await exportIndex(firstIndex, plain, exported);
    const cache = await readCacheBytes(exported);
    const relabelled = path.join(scratch, 'relabelled.slcache');
    await writeWithValidChecksum(relabelled, cache, { ...cache.header, shape: identity().shape });

    const copy = await copyWorkspace(first.root);
    const opened = await SharedCache.open(relabelled, openOptions());
    try {
      expect(opened.use.entries).toBe(itemsOfFirst);
      const report = await indexOnce(copy, path.join(scratch, 'relabelled-index'), settings(), { sharedCache: opened });
      expect(report.itemsFromSharedCache).toBe(0);
      expect(report.itemsEmbedded).toBe(itemsOfFirst);
    } finally {
      await opened.close();
      await fs.rm(copy, { recursive: true, force: true });
    }
  });

  it('ships no file paths or text unless asked to', async () => {
    const plainBytes = await fs.readFile(cacheFile);
    for (const secret of ['guide.md', 'Operator Guide', 'login-screen', 'systemd', 'quarterly']) expect(plainBytes.includes(secret)).toBe(false);
    const withText = path.join(scratch, 'with-text.slcache');
    await exportIndex(firstIndex, settings(), withText, { withText: true });
    const bytes = await fs.readFile(withText);
    for (const text of ['docs/guide.md', 'Operator Guide', 'images/login-screen.png', 'systemd']) expect(bytes.includes(text)).toBe(true);
    // And it still opens as a cache like any other.
    const opened = await SharedCache.open(withText, openOptions());
    expect(opened.use.entries).toBe(itemsOfFirst);
    await opened.close();
  });
});
