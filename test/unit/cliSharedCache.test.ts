import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CacheHttpServer, startCacheHttpServer } from '../support/cacheHttpServer';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { renderSyntheticScreenshot } from '../support/fakeServer/syntheticImages';
import { bundleCli, type CliBundle } from '../support/process/cliBundle';
import { type CliResult, runCli } from '../support/process/cliProcess';
import { copyWorkspace, readCacheBytes, writeWithValidChecksum } from '../support/sharedCacheFiles';
import { createWorkspaceFixture, type WorkspaceFixture } from '../support/workspaceFixture';

/**
 * `sightline cache export` and `sightline index --cache` as a CI job and a teammate run them:
 * the bundled CLI in its own process, headless, against the fake embeddings server, with the
 * cache as a file and served over HTTP on loopback.
 */

const KEY = 'test-key';
const CACHE_TOKEN = 'ci-cache-token-91c2';

let server: FakeEmbeddingServer;
let bundle: CliBundle;
let first: WorkspaceFixture;
let scratch: string;
let cacheFile: string;
let firstItems: number;

function sightline(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(bundle, [...args, '--endpoint', server.baseUrl], { cwd, apiKey: KEY, env: { XDG_CACHE_HOME: path.join(scratch, 'xdg-cache'), ...env } });
}

function expectOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

/** Every file of an index folder with its bytes' hash: equal snapshots mean nothing was touched. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = createHash('sha256')
      .update(await fs.readFile(file))
      .digest('hex');
  }
  return out;
}

/** A second workspace: the first plus two screenshots and a note. */
async function secondWorkspace(): Promise<string> {
  const root = await copyWorkspace(first.root);
  await fs.writeFile(path.join(root, 'images/onboarding.png'), await renderSyntheticScreenshot(21, { width: 800, height: 600 }));
  await fs.writeFile(path.join(root, 'images/billing.png'), await renderSyntheticScreenshot(22, { width: 800, height: 600 }));
  await fs.writeFile(path.join(root, 'docs/billing.md'), '# Abrechnung\n\nRechnungen werden am Monatsende als PDF verschickt.\n');
  return root;
}

beforeAll(async () => {
  [server, bundle, first] = await Promise.all([startFakeEmbeddingServer({ dimensions: 256 }), bundleCli(), createWorkspaceFixture()]);
  scratch = await fs.mkdtemp(path.join(tmpdir(), 'sightline-cli-cache-'));
  const indexed = await sightline(['index', '--json'], first.root);
  expect(indexed.code, indexed.stderr).toBe(0);
  firstItems = (JSON.parse(indexed.stdout) as { itemsEmbedded: number }).itemsEmbedded;
  cacheFile = path.join(scratch, 'docs.slcache');
}, 90_000);
afterAll(async () => {
  await server?.close();
  await bundle?.remove();
  await first?.remove();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});
beforeEach(() => server.resetStats());

describe('sightline cache export', () => {
  it('writes every vector of the index as one checksummed file, with no paths or text', async () => {
    const result = await sightline(['cache', 'export', cacheFile], first.root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^Exported ${firstItems} entries \\(256-value float16 vectors of Qwen/Qwen3-VL-Embedding-8B\\) to .*docs\\.slcache: .* MiB, \\d+ bytes per entry, no file paths or text\\.\\n$`,
      ),
    );
    const bytes = await fs.readFile(cacheFile);
    for (const secret of ['guide.md', 'Operator Guide', 'login-screen', 'quarterly', first.root]) expect(bytes.includes(secret)).toBe(false);
    expect(server.stats.requests).toBe(0);

    const info = await sightline(['cache', 'info', cacheFile], first.root);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toContain(`${firstItems} entries`);
    expect(info.stdout).toContain('Request shape: text templated, system message on, assistant turn on, continue_final_message on, add_special_tokens on');
    expect(info.stdout).toContain('Text: none');
    expect(info.stdout).toContain(`Fits this index: ${firstItems} entries usable`);
  });

  it('adds paths and text only with --with-text', async () => {
    const file = path.join(scratch, 'with-text.slcache');
    const result = await sightline(['cache', 'export', file, '--with-text', '--json'], first.root);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ entries: firstItems, vectorDims: 256, withText: true });
    const bytes = await fs.readFile(file);
    for (const text of ['docs/guide.md', 'Operator Guide', 'images/login-screen.png']) expect(bytes.includes(text)).toBe(true);
  });

  it('refuses to write into the index folder, and says when there is no index', async () => {
    expectOneLineError(await sightline(['cache', 'export', path.join(first.root, '.sightline', 'x.slcache')], first.root), 2, /is inside the index folder/);
    const empty = await fs.mkdtemp(path.join(scratch, 'empty-'));
    expectOneLineError(
      await sightline(['cache', 'export', path.join(scratch, 'none.slcache')], empty),
      2,
      /there is no index in .*: run "sightline index" first/,
    );
    expectOneLineError(await sightline(['cache', 'import', cacheFile], first.root), 2, /use "sightline cache export FILE" or "sightline cache info FILE"/);
  });
});

describe('sightline index --cache', () => {
  it('fills a second workspace from the cache and embeds only the files that differ', async () => {
    const second = await secondWorkspace();
    const result = await sightline(['index', '--cache', cacheFile], second);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Items: 3 embedded, 0 reused, ${firstItems} reused from the shared cache \\(`));
    expect(result.stdout).toContain(`Shared cache: ${cacheFile} (${firstItems} entries).`);
    // Two screenshots and one new note: three inputs in three requests, counted at the server.
    expect(server.stats.inputs).toBe(3);
    expect(server.stats.embeddingRequests).toBe(3);

    // The next run has everything in its own index: no request, no cache needed.
    server.resetStats();
    const again = await sightline(['index', '--cache', cacheFile], second);
    expect(again.stdout).toMatch(/Items: 0 embedded, 0 reused, 0 reused from the shared cache/);
    expect(server.stats.requests).toBe(0);
    await fs.rm(second, { recursive: true, force: true });
  });

  it('refuses a damaged, truncated or foreign cache with one clear line, and loses nothing', async () => {
    const second = await secondWorkspace();
    const prepared = await sightline(['index'], second);
    expect(prepared.code, prepared.stderr).toBe(0);
    await fs.writeFile(path.join(second, 'docs/new.md'), '# New\n\nA page written after the last run.\n');
    const indexDir = path.join(second, '.sightline');
    const before = await snapshot(indexDir);
    server.resetStats();

    const bytes = await fs.readFile(cacheFile);
    const damaged = path.join(scratch, 'damaged.slcache');
    const damagedBytes = Buffer.from(bytes);
    damagedBytes[Math.floor(bytes.length / 2)]! ^= 0x40;
    await fs.writeFile(damaged, damagedBytes);
    const truncated = path.join(scratch, 'truncated.slcache');
    await fs.writeFile(truncated, bytes.subarray(0, bytes.length - 4096));
    const foreign = path.join(scratch, 'foreign.slcache');
    const cache = await readCacheBytes(cacheFile);
    await writeWithValidChecksum(foreign, cache, { ...cache.header, model: 'acme/other-embedder', shape: { ...cache.header.shape, textFormat: 'plain' } });

    const tail = 'Nothing was indexed; the index is as it was\\.$';
    expectOneLineError(
      await sightline(['index', '--cache', damaged], second),
      2,
      new RegExp(`^sightline: the shared cache .*damaged\\.slcache is damaged: its checksum does not match its contents\\. ${tail}`),
    );
    expectOneLineError(
      await sightline(['index', '--cache', truncated], second),
      2,
      new RegExp(
        `^sightline: the shared cache .*truncated\\.slcache is truncated: it has only ${bytes.length - 4096} bytes of the ${bytes.length} its header announces\\. ${tail}`,
      ),
    );
    expectOneLineError(
      await sightline(['index', '--cache', foreign], second),
      2,
      new RegExp(
        `^sightline: the shared cache .*foreign\\.slcache cannot be used here: it was made for the model "acme/other-embedder" \\(this index uses "Qwen/Qwen3-VL-Embedding-8B"\\) and another request shape: textFormat plain \\(here templated\\)\\. ${tail}`,
      ),
    );
    expectOneLineError(
      await sightline(['index', '--cache', path.join(scratch, 'missing.slcache')], second),
      1,
      /there is no shared cache at .*missing\.slcache/,
    );
    expect(server.stats.requests).toBe(0);
    expect(await snapshot(indexDir)).toEqual(before);

    // Everything indexed before is still there: the next run embeds only the new page.
    const next = await sightline(['index', '--json'], second);
    expect(JSON.parse(next.stdout)).toMatchObject({ itemsEmbedded: 1, filesUnchanged: 10 });
    await fs.rm(second, { recursive: true, force: true });
  });

  describe('from an HTTP server', () => {
    let host: CacheHttpServer;
    beforeAll(async () => {
      host = await startCacheHttpServer({ token: CACHE_TOKEN });
      host.serve(await fs.readFile(cacheFile));
    });
    afterAll(() => host?.close());

    it('downloads the cache once, then revalidates it: the second run gets 304', async () => {
      const env = { SIGHTLINE_CACHE_TOKEN: CACHE_TOKEN };
      const [one, two] = [await secondWorkspace(), await secondWorkspace()];
      const firstRun = await sightline(['index', '--cache', host.url], one, env);
      expect(firstRun.code, firstRun.stderr).toBe(0);
      expect(firstRun.stdout).toContain(`${firstItems} reused from the shared cache`);
      const secondRun = await sightline(['index', '--cache', host.url], two, env);
      expect(secondRun.code, secondRun.stderr).toBe(0);
      expect(secondRun.stdout).toContain(`${firstItems} reused from the shared cache`);
      expect(host.requests.map((request) => request.status)).toEqual([200, 304]);
      expect(host.requests.every((request) => request.headers.authorization === `Bearer ${CACHE_TOKEN}`)).toBe(true);
      // The copy lives in the user's cache folder, never in the index or the workspace.
      expect((await fs.readdir(path.join(scratch, 'xdg-cache', 'sightline', 'shared-cache'))).filter((n) => n.endsWith('.slcache'))).toHaveLength(1);
      expect(server.stats.inputs).toBe(6);

      const refused = await sightline(['index', '--cache', host.url], one, { SIGHTLINE_CACHE_TOKEN: 'wrong-token-123' });
      expectOneLineError(refused, 2, /could not be fetched: HTTP 403: the server refused the token\. Nothing was indexed/);
      expect(refused.stderr).not.toContain('wrong-token-123');
      await Promise.all([one, two].map((root) => fs.rm(root, { recursive: true, force: true })));
    });
  });
});
