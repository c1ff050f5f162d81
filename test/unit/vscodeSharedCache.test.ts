import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SharedCacheError } from '../../src/core/index/sharedCache/sharedCacheError';
import { ApiKeyStore } from '../../src/vscode/apiKeyStore';
import { CacheTokenStore, secretKeyForCache } from '../../src/vscode/cacheTokenStore';
import { setSharedCacheToken } from '../../src/vscode/commands/sharedCacheCommands';
import { indexWorkspace } from '../../src/vscode/commands/indexWorkspaceCommand';
import { SightlineService } from '../../src/vscode/sightlineService';
import { workspaceRoots } from '../../src/vscode/workspaceRoots';
import { type CacheHttpServer, startCacheHttpServer } from '../support/cacheHttpServer';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { fakeExtensionServices } from '../support/fakeVscode/fakeServices';
import { FakeLogOutputChannel } from '../support/fakeVscode/outputs';
import { FakeSecretStorage } from '../support/fakeVscode/storage';
import { indexOnce, testSettings } from '../support/indexHarness';
import { copyWorkspace, exportIndex } from '../support/sharedCacheFiles';

/**
 * `sightline.sharedCache` in the extension: the service opens the cache the user's settings
 * name (never a workspace's), fills the index from it before any request, and fetches an
 * https cache with the token from the secret storage, which no log or message ever shows.
 */

const TOKEN = 'cache-token-3f9a1c77e2';
const NOTES = 12;
const CHANGED_NOTE = 'note-3.md';

let server: FakeEmbeddingServer;
let scratch: string;
let ciWorkspace: string;
let cacheFile: string;
let cachedItems: number;

const never = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } as unknown as vscode.CancellationToken;

function note(i: number): string {
  return `# Relay ${i}\n\nThe relay ${i} needs a restart after the firmware update.\n\n## Fuses\n\nCheck fuse ${i * 7} before closing the cabinet.\n`;
}

/** The teammate's checkout: the CI workspace with one note rewritten (one section changed). */
async function teammateWorkspace(): Promise<string> {
  const root = await copyWorkspace(ciWorkspace);
  await fs.writeFile(path.join(root, CHANGED_NOTE), note(3).replace('Check fuse 21', 'Check breaker 21 and fuse 22'));
  return root;
}

interface ServiceParts {
  readonly service: SightlineService;
  readonly keys: ApiKeyStore;
  readonly log: FakeLogOutputChannel;
  readonly tokens: CacheTokenStore;
  readonly secrets: FakeSecretStorage;
}

/** The service as extension.ts builds it: the API key and the cache token in one secret storage. */
async function serviceFor(indexDir: string): Promise<ServiceParts> {
  const secrets = new FakeSecretStorage();
  const keys = new ApiKeyStore(secrets as unknown as vscode.SecretStorage, {});
  await keys.set(server.baseUrl, 'test-key');
  const tokens = new CacheTokenStore(secrets as unknown as vscode.SecretStorage);
  const log = new FakeLogOutputChannel('Sightline');
  const service = new SightlineService(indexDir, keys, log as unknown as vscode.LogOutputChannel, {
    downloadsDir: path.join(scratch, 'downloads'),
    token: (url) => tokens.get(url),
  });
  return { service, keys, log, tokens, secrets };
}

/** Every text the fake server was asked to embed since the last reset. */
function textsSent(): string[] {
  return server.requests.flatMap((request) => request.embedding?.inputs ?? []).map((input) => input.text ?? '');
}

beforeAll(async () => {
  server = await startFakeEmbeddingServer({ dimensions: 64, latencyMs: 2 });
  scratch = await fs.mkdtemp(path.join(tmpdir(), 'sightline-vscode-cache-'));
  // Markdown only: images and PDFs go through worker threads whose bundle the unit tests do not build.
  ciWorkspace = path.join(scratch, 'ci');
  await fs.mkdir(ciWorkspace);
  for (let i = 0; i < NOTES; i++) await fs.writeFile(path.join(ciWorkspace, `note-${i}.md`), note(i));
  const settings = testSettings(server);
  const report = await indexOnce(ciWorkspace, path.join(scratch, 'ci-index'), settings);
  expect(report.failed).toEqual([]);
  cacheFile = path.join(scratch, 'team.slcache');
  cachedItems = (await exportIndex(path.join(scratch, 'ci-index'), settings, cacheFile)).entries;
  expect(cachedItems).toBe(report.itemsEmbedded);
  // A short note is one item: the changed note is the one item the cache cannot know.
  expect(cachedItems).toBe(NOTES);
}, 60_000);
afterAll(async () => {
  await server?.close();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});

let workspaces: string[] = [];
beforeEach(() => {
  resetFake();
  fake.settings.setUser('sightline.endpoint', server.baseUrl);
  fake.settings.setUser('sightline.requestsPerSecond', 500);
  fake.settings.setUser('sightline.burst', 500);
  server.resetStats();
});
afterAll(async () => {
  await Promise.all(workspaces.map((root) => fs.rm(root, { recursive: true, force: true })));
  workspaces = [];
});

async function openTeammate(): Promise<{ root: string; indexDir: string }> {
  const root = await teammateWorkspace();
  workspaces.push(root);
  fake.workspace.setFolders([root]);
  return { root, indexDir: path.join(root, '.sightline-test-index') };
}

describe('Index Workspace with sightline.sharedCache', { timeout: 60_000 }, () => {
  it('fills the index from the cache in user settings and embeds only the changed section', async () => {
    const { indexDir } = await openTeammate();
    fake.settings.setUser('sightline.sharedCache', cacheFile);
    const { service } = await serviceFor(indexDir);
    try {
      const report = await service.index(() => undefined, never);
      expect(report.failed).toEqual([]);
      expect(report.itemsFromSharedCache).toBe(cachedItems - 1);
      expect(report.itemsEmbedded).toBe(1);
      expect(report.sharedCache).toMatchObject({ source: cacheFile, entries: cachedItems, skipped: 0, notes: [] });
      const sent = textsSent();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain('Check breaker 21 and fuse 22');
    } finally {
      await service.dispose();
    }
  });

  it('ignores a cache named in the workspace settings: everything is embedded from the files', async () => {
    const { indexDir } = await openTeammate();
    fake.settings.setWorkspace('sightline.sharedCache', cacheFile);
    const { service } = await serviceFor(indexDir);
    try {
      const report = await service.index(() => undefined, never);
      expect(report.itemsFromSharedCache).toBe(0);
      expect(report.sharedCache).toBeUndefined();
      expect(report.itemsEmbedded).toBe(cachedItems);
      expect(server.stats.inputs).toBe(cachedItems);
    } finally {
      await service.dispose();
    }
  });

  it('says in the summary how many items came from the shared cache', async () => {
    const { indexDir } = await openTeammate();
    fake.settings.setUser('sightline.sharedCache', cacheFile);
    const { service, keys } = await serviceFor(indexDir);
    try {
      const consent = { ensure: () => Promise.resolve(true), revoke: () => Promise.resolve(), granted: () => true };
      await indexWorkspace(fakeExtensionServices({ service, keys, consent }));
      expect(fake.window.messages.at(-1)).toMatchObject({
        level: 'info',
        message: `Sightline: Indexing finished: 1 items embedded, 0 reused, ${cachedItems - 1} reused from the shared cache, 0 files removed.`,
      });
    } finally {
      await service.dispose();
    }
  });

  it('refuses a damaged cache before any request and leaves the index as it was', async () => {
    const { indexDir } = await openTeammate();
    const damaged = path.join(scratch, 'damaged.slcache');
    const bytes = await fs.readFile(cacheFile);
    bytes[bytes.length - 40]! ^= 0xff;
    await fs.writeFile(damaged, bytes);
    fake.settings.setUser('sightline.sharedCache', damaged);
    const { service } = await serviceFor(indexDir);
    try {
      await expect(service.index(() => undefined, never)).rejects.toThrow(SharedCacheError);
      expect(server.stats.requests).toBe(0);
      const again = await service.index(() => undefined, never, undefined, { withoutSharedCache: true });
      expect(again.itemsEmbedded).toBe(cachedItems);
      expect(again.itemsFromSharedCache).toBe(0);
    } finally {
      await service.dispose();
    }
  });
});

describe('updates from the file watcher', { timeout: 60_000 }, () => {
  it('reuse the cache of the last Index Workspace, and go on without one that can no longer be used', async () => {
    const { root, indexDir } = await openTeammate();
    // Two notes the cache knows are not in the checkout yet: they arrive later, as a pull would bring them.
    const arriving = ['note-7.md', 'note-8.md'];
    for (const name of arriving) await fs.rename(path.join(root, name), path.join(scratch, `held-${name}`));
    fake.settings.setUser('sightline.sharedCache', cacheFile);
    const { service, log } = await serviceFor(indexDir);
    try {
      expect((await service.index(() => undefined, never)).itemsFromSharedCache).toBe(cachedItems - 3);
      const key = workspaceRoots()[0]!.key;

      server.resetStats();
      await fs.rename(path.join(scratch, 'held-note-7.md'), path.join(root, 'note-7.md'));
      const update = await service.index(() => undefined, never, [{ root: key, path: 'note-7.md' }]);
      expect(update).toMatchObject({ itemsFromSharedCache: 1, itemsEmbedded: 0 });
      expect(server.stats.requests).toBe(0);

      // The setting now names a cache that is not there: the update embeds, with a warning in the log.
      fake.settings.setUser('sightline.sharedCache', path.join(scratch, 'gone.slcache'));
      await fs.rename(path.join(scratch, 'held-note-8.md'), path.join(root, 'note-8.md'));
      const without = await service.index(() => undefined, never, [{ root: key, path: 'note-8.md' }]);
      expect(without).toMatchObject({ itemsFromSharedCache: 0, itemsEmbedded: 1 });
      expect(textsSent()).toEqual([expect.stringContaining('The relay 8 needs a restart')]);
      expect(log.lines).toContainEqual({ level: 'warn', message: expect.stringMatching(/^The shared cache was not used for this update: .*gone\.slcache/) });
    } finally {
      await service.dispose();
    }
  });
});

describe('an https shared cache with a token from the secret storage', { timeout: 60_000 }, () => {
  let http: CacheHttpServer;
  beforeAll(async () => {
    http = await startCacheHttpServer({ token: TOKEN });
    http.serve(await fs.readFile(cacheFile));
  });
  afterAll(async () => {
    await http?.close();
  });

  it('sends the stored token to the cache origin only, and never shows it in a log or message', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((name) => vi.spyOn(console, name));
    try {
      const { indexDir } = await openTeammate();
      fake.settings.setUser('sightline.sharedCache', http.url);
      const { service, tokens, log } = await serviceFor(indexDir);
      try {
        // Without the token the server says no, and the run stops before any embedding.
        const refused = await service.index(() => undefined, never).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(SharedCacheError);
        expect((refused as Error).message).toMatch(/HTTP 401: the server wants a token/);
        expect(server.stats.requests).toBe(0);

        fake.window.answerInputBox = () => `  ${TOKEN}  `;
        await setSharedCacheToken(tokens);
        const report = await service.index(() => undefined, never);
        expect(report.itemsFromSharedCache).toBe(cachedItems - 1);
        expect(http.requests.at(-1)).toMatchObject({ status: 200, headers: { authorization: `Bearer ${TOKEN}` } });

        const everything = JSON.stringify([log.lines, fake.window.messages, fake.window.inputBoxes, ...spies.map((spy) => spy.mock.calls)]);
        expect(everything).not.toContain(TOKEN);
      } finally {
        await service.dispose();
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('Set Shared Cache Token', () => {
  beforeEach(resetFake);

  function tokenStore() {
    const secrets = new FakeSecretStorage();
    return { secrets, tokens: new CacheTokenStore(secrets as unknown as vscode.SecretStorage) };
  }

  it('files the token under the URL origin of the cache in user settings, from a password box', async () => {
    fake.settings.setUser('sightline.sharedCache', 'https://cache.example.com/releases/docs.slcache');
    fake.window.answerInputBox = () => 'typed-token';
    const { secrets, tokens } = tokenStore();
    await setSharedCacheToken(tokens);
    expect(fake.window.inputBoxes[0]).toMatchObject({ password: true, title: expect.stringContaining('cache.example.com') });
    expect([...secrets.secrets.entries()]).toEqual([['sightline.sharedCacheToken:https://cache.example.com', 'typed-token']]);
    expect(fake.window.messages.map((m) => m.message)).toEqual(['Sightline: shared cache token for cache.example.com saved.']);
    // Another host, port or scheme never gets it.
    expect(await tokens.get('https://cache.example.com/other.slcache')).toBe('typed-token');
    expect(await tokens.get('https://cache.example.com.attacker.example/docs.slcache')).toBeUndefined();
    expect(await tokens.get('http://cache.example.com/docs.slcache')).toBeUndefined();
    expect(await tokens.get('/home/me/docs.slcache')).toBeUndefined();
  });

  it('removes the token when the box is left empty, and does nothing when dismissed', async () => {
    fake.settings.setUser('sightline.sharedCache', 'https://cache.example.com/docs.slcache');
    const { secrets, tokens } = tokenStore();
    await tokens.set('https://cache.example.com/docs.slcache', 'old');
    fake.window.answerInputBox = () => undefined;
    await setSharedCacheToken(tokens);
    expect(secrets.secrets.size).toBe(1);
    fake.window.answerInputBox = () => '  ';
    await setSharedCacheToken(tokens);
    expect(secrets.secrets.size).toBe(0);
  });

  it('asks for no token for a file cache, nor for a URL that only the workspace settings name', async () => {
    const { secrets, tokens } = tokenStore();
    fake.settings.setUser('sightline.sharedCache', '/home/me/caches/docs.slcache');
    await setSharedCacheToken(tokens);
    fake.settings.setUser('sightline.sharedCache', '');
    fake.settings.setWorkspace('sightline.sharedCache', 'https://attacker.example.net/docs.slcache');
    await setSharedCacheToken(tokens);
    expect(fake.window.inputBoxes).toEqual([]);
    expect(secrets.secrets.size).toBe(0);
    expect(fake.window.messages.map((m) => m.message)).toEqual([
      expect.stringMatching(/only needed for a shared cache fetched over https/),
      expect.stringMatching(/only needed for a shared cache fetched over https/),
    ]);
  });

  it('keys tokens by origin only', () => {
    expect(secretKeyForCache('https://user:pw@cache.example.com:8443/a/b.slcache?x=1')).toBe('sightline.sharedCacheToken:https://cache.example.com:8443');
    expect(secretKeyForCache('ftp://cache.example.com/b.slcache')).toBeUndefined();
    expect(secretKeyForCache('not a url')).toBeUndefined();
  });
});
