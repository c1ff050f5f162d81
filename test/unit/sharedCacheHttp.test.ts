import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SharedCache, type OpenSharedCacheOptions } from '../../src/core/index/sharedCache/openSharedCache';
import { SharedCacheError } from '../../src/core/index/sharedCache/sharedCacheError';
import { cacheIdentityFrom } from '../../src/core/settings/sightlineSettings';
import { type CacheHttpServer, startCacheHttpServer } from '../support/cacheHttpServer';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { indexOnce, testSettings } from '../support/indexHarness';
import { exportIndex } from '../support/sharedCacheFiles';
import { createWorkspaceFixture, type WorkspaceFixture } from '../support/workspaceFixture';

/**
 * A cache published over HTTP(S), served on loopback like a release asset: fetched once and
 * then only revalidated (ETag), with a bearer token that stays with its origin, a size limit,
 * and the last good copy kept when a download is damaged or the server is away.
 */

const TOKEN = 'cache-token-7f3a9c';

let embeddings: FakeEmbeddingServer;
let workspace: WorkspaceFixture;
let scratch: string;
let cacheBytes: Buffer;
let entries: number;
let host: CacheHttpServer;
let downloadsDir: string;

const settings = () => testSettings(embeddings);

function options(overrides: Partial<OpenSharedCacheOptions> = {}): OpenSharedCacheOptions {
  return { identity: cacheIdentityFrom(settings()), maxBytes: 64 * 1024 * 1024, downloadsDir, token: TOKEN, ...overrides };
}

async function opened(url: string, overrides: Partial<OpenSharedCacheOptions> = {}) {
  const cache = await SharedCache.open(url, options(overrides));
  const use = cache.use;
  await cache.close();
  return use;
}

async function failure(url: string, overrides: Partial<OpenSharedCacheOptions> = {}): Promise<SharedCacheError> {
  const error = await SharedCache.open(url, options(overrides)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SharedCacheError);
  return error as SharedCacheError;
}

const statuses = () => host.requests.map((request) => request.status);

beforeAll(async () => {
  embeddings = await startFakeEmbeddingServer({ dimensions: 128 });
  workspace = await createWorkspaceFixture();
  scratch = await fs.mkdtemp(path.join(tmpdir(), 'sightline-cache-http-'));
  const indexDir = path.join(scratch, 'index');
  entries = (await indexOnce(workspace.root, indexDir, settings())).itemsEmbedded;
  const file = path.join(scratch, 'docs.slcache');
  await exportIndex(indexDir, settings(), file);
  cacheBytes = await fs.readFile(file);
}, 60_000);
afterAll(async () => {
  await embeddings?.close();
  await workspace?.remove();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});
beforeEach(async () => {
  await host?.close();
  host = await startCacheHttpServer({ token: TOKEN });
  host.serve(cacheBytes);
  downloadsDir = await fs.mkdtemp(path.join(scratch, 'downloads-'));
});

describe('a shared cache over HTTP', () => {
  it('is downloaded once: the next run asks with its ETag and the server answers 304', async () => {
    expect(await opened(host.url)).toMatchObject({ source: host.url, entries, notes: [] });
    expect(await opened(host.url)).toMatchObject({ entries, notes: [] });
    expect(statuses()).toEqual([200, 304]);
    const [firstRequest, secondRequest] = host.requests;
    expect(firstRequest!.headers['if-none-match']).toBeUndefined();
    expect(secondRequest!.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(secondRequest!.headers.authorization).toBe(`Bearer ${TOKEN}`);

    // A new cache on the server (a new ETag) is downloaded again, once.
    const small = await createWorkspaceFixture();
    const smallIndex = path.join(scratch, 'small-index');
    const smaller = path.join(scratch, 'smaller.slcache');
    await fs.rm(path.join(small.root, 'images'), { recursive: true });
    await indexOnce(small.root, smallIndex, settings());
    await exportIndex(smallIndex, settings(), smaller);
    await small.remove();
    host.serve(await fs.readFile(smaller));
    const renewed = await opened(host.url);
    expect(renewed.entries).toBeGreaterThan(0);
    expect(renewed.entries).toBeLessThan(entries);
    expect(await opened(host.url)).toEqual(renewed);
    expect(statuses()).toEqual([200, 304, 200, 304]);
  });

  it('sends the token only to its own origin: a redirect elsewhere goes without it', async () => {
    const storage = await startCacheHttpServer();
    try {
      storage.serve(cacheBytes);
      host.redirectTo(storage.url);
      expect(await opened(host.url)).toMatchObject({ entries });
      expect(host.requests.map((r) => [r.status, r.headers.authorization])).toEqual([[302, `Bearer ${TOKEN}`]]);
      expect(storage.requests.map((r) => [r.status, r.headers.authorization])).toEqual([[200, undefined]]);
    } finally {
      await storage.close();
    }
  });

  it('says when the token is missing or refused, and never repeats it', async () => {
    const missing = await failure(host.url, { token: undefined });
    expect(missing.kind).toBe('refused');
    expect(missing.message).toBe(`the shared cache ${host.url} could not be fetched: HTTP 401: the server wants a token`);
    const wrong = await failure(host.url, { token: 'not-the-token' });
    expect(wrong.message).toBe(`the shared cache ${host.url} could not be fetched: HTTP 403: the server refused the token`);
    expect(wrong.message).not.toContain('not-the-token');
    const clear = await failure('http://cache.example.invalid/docs.slcache');
    expect(clear.message).toBe('a token for the shared cache would travel unencrypted to cache.example.invalid: use an https URL');
    expect(host.requests).toHaveLength(2);
  });

  it('refuses a cache over the size limit, announced or not, and keeps no part of it', async () => {
    const limit = Math.floor(cacheBytes.length / 2);
    const announced = await failure(host.url, { maxBytes: limit });
    expect(announced.message).toMatch(/^the shared cache .* is 0\.\d MiB, over the limit of 0\.\d MiB$/);
    host.chunked(true);
    const streamed = await failure(host.url, { maxBytes: limit });
    expect(streamed.message).toMatch(/^the shared cache .* is larger than the limit of 0\.\d MiB$/);
    expect(await fs.readdir(downloadsDir)).toEqual([]);
  });

  it('keeps the last good copy: a damaged download is refused, and an unreachable server falls back to it', async () => {
    await opened(host.url);
    const damaged = Buffer.from(cacheBytes);
    damaged[damaged.length - 100]! ^= 0xff;
    host.serve(damaged);
    expect((await failure(host.url)).message).toMatch(/is damaged: its checksum does not match its contents$/);

    host.failWith(503);
    const during503 = await opened(host.url);
    expect(during503.entries).toBe(entries);
    expect(during503.notes).toEqual([expect.stringMatching(/could not be fetched \(HTTP 503\); using the copy downloaded at \d{4}-\d\d-\d\dT/)]);

    await host.close();
    const offline = await opened(host.url);
    expect(offline.entries).toBe(entries);
    expect(offline.notes).toEqual([expect.stringMatching(/could not be fetched \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); using the copy downloaded at /)]);
    host = await startCacheHttpServer({ token: TOKEN });
  });

  it('fetches the cache whole again when the local copy was damaged on disk', async () => {
    await opened(host.url);
    const [copy] = (await fs.readdir(downloadsDir)).filter((name) => name.endsWith('.slcache'));
    const bytes = await fs.readFile(path.join(downloadsDir, copy!));
    bytes[bytes.length - 50]! ^= 0x01;
    await fs.writeFile(path.join(downloadsDir, copy!), bytes);
    expect(await opened(host.url)).toMatchObject({ entries, notes: [] });
    expect(statuses()).toEqual([200, 304, 200]);
    expect(host.requests[2]!.headers['if-none-match']).toBeUndefined();
  });

  it('fails clearly when there is nothing there, or no server and no copy', async () => {
    const notFound = await failure(`${host.origin}/nothing.slcache`);
    expect(notFound.message).toMatch(/could not be fetched: HTTP 404: there is nothing at that address$/);
    await host.close();
    const down = await failure(host.url);
    expect(down.kind).toBe('unreachable');
    expect(down.message).toMatch(/could not be fetched: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    host = await startCacheHttpServer({ token: TOKEN });
  });
});
