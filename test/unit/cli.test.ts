import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { bundleCli, type CliBundle } from '../support/process/cliBundle';
import { renderSyntheticScreenshot } from '../support/fakeServer/syntheticImages';
import { type CliResult, runCli } from '../support/process/cliProcess';
import { createWorkspaceFixture, GUIDE_MD, type WorkspaceFixture } from '../support/workspaceFixture';

/**
 * The `sightline` command as users run it: the bundled CLI in its own process, against the
 * fixture workspace and the fake embeddings server, checking exit codes, stdout and stderr.
 */

const KEY = 'test-key';
const MODEL = 'Qwen/Qwen3-VL-Embedding-8B';

let server: FakeEmbeddingServer;
let bundle: CliBundle;
let workspace: WorkspaceFixture;
let scratch: string;
let indexDir: string;

beforeAll(async () => {
  [server, bundle, workspace] = await Promise.all([startFakeEmbeddingServer({ dimensions: 256, latencyMs: 5 }), bundleCli(), createWorkspaceFixture()]);
  scratch = await fs.mkdtemp(path.join(tmpdir(), 'sightline-cli-test-'));
  indexDir = path.join(scratch, 'index');
}, 60_000);
afterAll(async () => {
  await server?.close();
  await bundle?.remove();
  await workspace?.remove();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});

/** Runs `sightline <args> --endpoint <fake> --index-dir <dir>` in the workspace folder. */
function sightline(args: readonly string[], options: { apiKey?: string | null; dir?: string; cwd?: string } = {}): Promise<CliResult> {
  const apiKey = options.apiKey === null ? undefined : (options.apiKey ?? KEY);
  return runCli(bundle, [...args, '--endpoint', server.baseUrl, '--index-dir', options.dir ?? indexDir], { cwd: options.cwd ?? workspace.root, apiKey });
}

// The CLI's JSON is checked by the assertions that read it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parseJson<T = any>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch (error) {
    throw new Error(`stdout is not one JSON document (${(error as Error).message}):\n${result.stdout}\nstderr:\n${result.stderr}`, { cause: error });
  }
}

function expectOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  expect(result.signal).toBeNull();
  expect(result.code, result.stderr).toBe(code);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^sightline: /);
  expect(lines[0]).toMatch(pattern);
}

interface JsonResult {
  path: string;
  kind: string;
  score: number;
  line?: number;
  endLine?: number;
  page?: number;
  snippet?: string;
  headingPath?: string[];
}

/** The documented `--json` shape of search and similar. */
function expectResultShape(results: JsonResult[]): void {
  for (const result of results) {
    expect(typeof result.path).toBe('string');
    expect(['image', 'markdown', 'pdf']).toContain(result.kind);
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.score).toBeLessThanOrEqual(1);
    if (result.line !== undefined) {
      expect(Number.isInteger(result.line) && Number.isInteger(result.endLine)).toBe(true);
      expect(result.endLine!).toBeGreaterThanOrEqual(result.line);
    }
    if (result.page !== undefined) expect(Number.isInteger(result.page) && result.page >= 1).toBe(true);
    if (result.snippet !== undefined) expect(typeof result.snippet).toBe('string');
  }
}

// Generous limits: every test starts processes, and the machine's cores are shared.
describe('sightline CLI', { timeout: 60_000 }, () => {
  // These never reach the service (asserted in one of them), so they run side by side.
  describe.concurrent('before any index exists', () => {
    beforeAll(() => server.resetStats());

    it('exits 2 for an unknown command, with one line on stderr', async () => {
      expectOneLineError(await sightline(['frobnicate']), 2, /unknown command "frobnicate"/);
    });

    it('exits 2 for a bad flag value', async () => {
      expectOneLineError(await sightline(['search', 'login', '--top', 'zero']), 2, /--top takes a whole number from 1 to 1000, not "zero"/);
    });

    it('exits 2 when index has no API key, without calling the service', async () => {
      expectOneLineError(await sightline(['index'], { apiKey: null }), 2, /SIGHTLINE_API_KEY/);
      expect(server.stats.requests).toBe(0);
    });

    it('exits 2 when searching before anything was indexed', async () => {
      expectOneLineError(await sightline(['search', 'systemd', 'journal']), 2, /no index/);
    });
  });

  describe('index', () => {
    it('indexes the workspace, exits 0 and prints a summary', async () => {
      server.resetStats();
      const result = await sightline(['index']);
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      // 4 images, 2 markdown files, 1 PDF; node_modules and the .gitignore'd build/ are left alone.
      expect(lines[0]).toMatch(/^Indexed in \d+s: 7 files seen, 0 unchanged, 7 indexed, 0 reused, 0 removed\.$/);
      const items = /^Items: (\d+) embedded, 0 reused \(images 4, markdown (\d+), pdf 6\)\.$/.exec(lines[1]!);
      expect(items, lines[1]).not.toBeNull();
      expect(Number(items![1])).toBe(server.stats.inputs);
      // Requests by what they carried: every text in one batch, one request per picture.
      const api = /^API: (\d+) requests: 1 text batch \((\d+) texts\), 4 images, 1 image in documents, 3 PDF pages; 0 retries, (\d+) tokens\.$/.exec(lines[2]!);
      expect(api, lines[2]).not.toBeNull();
      expect(Number(api![1])).toBe(server.stats.embeddingRequests);
      expect(Number(api![1])).toBe(1 + 4 + 1 + 3);
      expect(Number(api![2])).toBe(server.stats.inputs - 4 - 1 - 3);
      expect(Number(api![3])).toBe(server.stats.promptTokens);
      // Not a terminal: progress comes as plain lines, the first at once, with items by kind and the request budget.
      expect(result.stderr).toMatch(/^\[[#-]{20}\] \d+% · .*requests at \d+\.\d\/s/m);
      expect(result.stderr).not.toContain(KEY);
    });

    it('embeds nothing on a second run (root given as an argument, from another folder), and --json prints the counts', async () => {
      server.resetStats();
      const result = await sightline(['index', workspace.root, '--json'], { cwd: scratch });
      expect(result.code, result.stderr).toBe(0);
      const report = parseJson(result);
      expect(report).toMatchObject({ filesSeen: 7, filesUnchanged: 7, filesIndexed: 0, filesReused: 0, filesRemoved: 0, itemsEmbedded: 0, failed: [] });
      expect(report.itemsByKind).toEqual({ image: 0, markdown: 0, pdf: 0, notebook: 0 });
      expect(server.stats.embeddingRequests).toBe(0);
    });
  });

  describe.concurrent('search', () => {
    it('prints the markdown section a query describes first, as JSON', async () => {
      const result = await sightline(['search', 'systemd journal logs', '--json']);
      expect(result.code, result.stderr).toBe(0);
      const { results, mode } = parseJson<{ results: JsonResult[]; mode: string }>(result);
      expect(mode).toBe('hybrid');
      expect(results.length).toBeGreaterThan(2);
      expectResultShape(results);
      const best = results[0]!;
      expect(best).toMatchObject({ path: 'docs/guide.md', kind: 'markdown', headingPath: ['Operator Guide', 'Installation', 'Linux'] });
      expect(GUIDE_MD.split('\n')[best.line! - 1]).toBe('### Linux');
      expect(best.snippet).toMatch(/systemd/);
      // Grouped per file: one result per path.
      expect(new Set(results.map((r) => r.path)).size).toBe(results.length);
    });

    it('keeps to one kind with --kind pdf, with page numbers', async () => {
      const result = await sightline(['search', 'quarterly throughput report chart', '--kind', 'pdf', '--json']);
      expect(result.code, result.stderr).toBe(0);
      const { results } = parseJson<{ results: JsonResult[] }>(result);
      expectResultShape(results);
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) {
        expect(r.kind).toBe('pdf');
        expect(r.page).toBeGreaterThanOrEqual(1);
      }
      expect(results[0]!.path).toBe('reports/quarterly.pdf');
    });

    it('returns at most --top results', async () => {
      const result = await sightline(['search', 'systemd journal logs', '--top', '2', '--json']);
      expect(result.code, result.stderr).toBe(0);
      const { results } = parseJson<{ results: JsonResult[] }>(result);
      expect(results).toHaveLength(2);
      expect(results[0]!.path).toBe('docs/guide.md');
    });
  });

  // Sequential, so that nothing else talks to the server meanwhile: neither may call it.
  describe('search without the service', () => {
    beforeEach(() => server.resetStats());

    it('finds the resized copy of an image with `similar`, from the stored vector, with no API call', async () => {
      const result = await sightline(['similar', 'images/login-screen.png', '--json']);
      expect(result.code, result.stderr).toBe(0);
      const { results } = parseJson<{ results: JsonResult[] }>(result);
      expectResultShape(results);
      expect(results[0]).toMatchObject({ path: 'exports/login-small.jpg', kind: 'image' });
      expect(results.map((r) => r.path)).not.toContain('images/login-screen.png');
      expect(results.every((r) => r.kind === 'image')).toBe(true);
      expect(server.stats.requests).toBe(0);
    });

    it('still answers without an API key, from the text side, and says so on stderr', async () => {
      const result = await sightline(['search', 'parseConfigFile', '--json'], { apiKey: null });
      expect(result.code, result.stderr).toBe(0);
      const { results, mode } = parseJson<{ results: JsonResult[]; mode: string }>(result);
      expect(mode).toBe('lexical');
      expect(results[0]).toMatchObject({ path: 'docs/guide.md', headingPath: ['Operator Guide', 'Troubleshooting'] });
      expect(result.stderr).toMatch(/text matches only.*no API key/i);
      expect(server.stats.requests).toBe(0);
    });
  });

  describe('duplicates and status', () => {
    it('groups identical and resized copies with `duplicates --json`', async () => {
      await fs.copyFile(path.join(workspace.root, 'images/dashboard.png'), path.join(workspace.root, 'images/dashboard-copy.png'));
      server.resetStats();
      const indexed = await sightline(['index', '--json']);
      expect(indexed.code, indexed.stderr).toBe(0);
      expect(parseJson(indexed)).toMatchObject({ filesSeen: 8, filesUnchanged: 7, filesReused: 1, itemsEmbedded: 0 });
      expect(server.stats.embeddingRequests).toBe(0);

      const result = await sightline(['duplicates', '--json']);
      expect(result.code, result.stderr).toBe(0);
      const { groups } = parseJson<{ groups: Array<{ kind: string; similarity: number; files: Array<{ path: string }> }> }>(result);
      const sets = groups.map((g) => ({ kind: g.kind, paths: g.files.map((f) => f.path).sort() }));
      expect(sets).toContainEqual({ kind: 'exact', paths: ['images/dashboard-copy.png', 'images/dashboard.png'] });
      expect(sets).toContainEqual({ kind: 'near', paths: ['exports/login-small.jpg', 'images/login-screen.png'] });
      expect(sets.flatMap((s) => s.paths)).not.toContain('images/settings.png');
    });

    it('reports counts by kind, model, dimensions and failures with `status --json`', async () => {
      const result = await sightline(['status', '--json']);
      expect(result.code, result.stderr).toBe(0);
      const status = parseJson(result);
      expect(status).toMatchObject({
        indexDir,
        model: MODEL,
        dimensions: 256,
        files: { image: 5, markdown: 2, pdf: 1 },
        failures: [],
      });
      // Images: 5 files plus the figure the guide shows.
      expect(status.items.image).toBe(6);
      expect(status.items.pdf).toBe(6);
      expect(status.items.markdown).toBeGreaterThanOrEqual(5);
      // The copy shares its vector with the original.
      expect(status.vectors).toBe(status.items.image - 1 + status.items.markdown + status.items.pdf);
      expect(status.indexBytes).toBeGreaterThan(0);
    });

    it('answers `status` from the manifest alone: vectors and catalog journal are not read', async () => {
      const before = parseJson(await sightline(['status', '--json']));
      const copy = path.join(scratch, 'status-only-manifest');
      await fs.cp(indexDir, copy, { recursive: true });
      // Every vector and journal byte scrambled (same sizes): an open would refuse this index.
      for (const name of await fs.readdir(copy)) {
        if (!/\.(slv|jsonl)$/.test(name)) continue;
        const file = path.join(copy, name);
        await fs.writeFile(file, Buffer.alloc((await fs.stat(file)).size, 0x5a));
      }
      const result = await sightline(['status', '--json'], { dir: copy });
      expect(result.code, result.stderr).toBe(0);
      expect(parseJson(result)).toEqual({ ...before, indexDir: copy });
      const search = await sightline(['search', 'login screen', '--json'], { dir: copy });
      expect(search.code).not.toBe(0);
      expect(search.stderr).toMatch(/journal fails/);
    });
  });

  describe('pacing for servers with other limits', () => {
    // Stricter than IONOS (3/s, bursts of 3), so the defaults (5/s, bursts of 10) draw 429s.
    // A fresh server per test: its bucket starts full, as a provider's does after a pause.
    // A folder of 16 small screenshots: more requests waiting than the server takes at once.
    let strict: FakeEmbeddingServer;
    let shots: string;
    beforeAll(async () => {
      shots = path.join(scratch, 'shots-ws');
      await fs.mkdir(shots, { recursive: true });
      for (let i = 0; i < 16; i++) await fs.writeFile(path.join(shots, `shot-${i}.png`), await renderSyntheticScreenshot(200 + i, { width: 96, height: 64 }));
    });
    beforeEach(async () => {
      strict = await startFakeEmbeddingServer({ dimensions: 256, rateLimit: { requestsPerSecond: 3, burst: 3 } });
    });
    afterEach(() => strict?.close());
    const index = (name: string, flags: readonly string[], env: Record<string, string> = {}) =>
      runCli(bundle, ['index', ...flags, '--endpoint', strict.baseUrl, '--index-dir', path.join(scratch, name)], { cwd: shots, apiKey: KEY, env });

    it('draws 429s from that server with the defaults', async () => {
      const result = await index('paced-defaults', []);
      expect(result.code, result.stderr).toBe(0);
      // Requests leave as fast as the images are ready (bursts of up to nine) into a bucket of three.
      expect(strict.stats.rateLimited).toBeGreaterThan(0);
    });

    it('paces to --rate, --burst and --concurrency, so the server refuses nothing', async () => {
      const result = await index('paced-flags', ['--rate', '2', '--burst', '3', '--concurrency', '2']);
      expect(result.code, result.stderr).toBe(0);
      expect(strict.stats.embeddingRequests).toBe(16);
      expect(strict.stats.rateLimited).toBe(0);
    });

    it('takes SIGHTLINE_RATE, SIGHTLINE_BURST and SIGHTLINE_CONCURRENCY from the environment, flags first', async () => {
      const result = await index('paced-env', ['--rate', '2'], { SIGHTLINE_RATE: '50', SIGHTLINE_BURST: '3', SIGHTLINE_CONCURRENCY: '2' });
      expect(result.code, result.stderr).toBe(0);
      expect(strict.stats.rateLimited).toBe(0);
    });

    it('exits 2 for a rate, burst or concurrency that is not a positive number, naming it', async () => {
      expectOneLineError(await index('paced-bad', ['--rate', '0']), 2, /--rate takes a positive number of requests per second, not "0"/);
      expectOneLineError(await index('paced-bad', ['--burst', '2.5']), 2, /--burst takes a positive whole number, not "2.5"/);
      expectOneLineError(await index('paced-bad', [], { SIGHTLINE_CONCURRENCY: 'many' }), 2, /SIGHTLINE_CONCURRENCY takes a positive whole number, not "many"/);
    });
  });

  describe.concurrent('failures', () => {
    it('exits 1 when some items failed, and reports them', async () => {
      const copy = path.join(scratch, 'broken-ws');
      await fs.cp(workspace.root, copy, { recursive: true });
      await fs.writeFile(path.join(copy, 'images/broken.png'), workspace.loginPng.subarray(0, 200));
      const dir = path.join(scratch, 'broken-index');
      const result = await sightline(['index', '--json'], { cwd: copy, dir });
      expect(result.code, result.stderr).toBe(1);
      const report = parseJson(result);
      expect(report.failed).toEqual([expect.objectContaining({ path: 'images/broken.png', code: 'corrupt' })]);
      expect(report.filesIndexed).toBeGreaterThanOrEqual(7);

      const status = parseJson(await sightline(['status', '--json'], { cwd: copy, dir }));
      expect(status.failures).toEqual([expect.objectContaining({ path: 'images/broken.png', code: 'corrupt' })]);
    });

    it('exits 0 when an image link is dead (a warning, listed by status), and 1 with --strict', async () => {
      const copy = path.join(scratch, 'dead-link-ws');
      await fs.cp(workspace.root, copy, { recursive: true });
      await fs.writeFile(path.join(copy, 'docs/release.md'), '# Release\n\nThe new banner:\n\n![New banner](../images/banner-2025.png)\n');
      const dir = path.join(scratch, 'dead-link-index');
      const result = await sightline(['index'], { cwd: copy, dir });
      expect(result.code, result.stderr).toBe(0);
      // Every file is indexed (the dead link's markdown too): a warning, not a failure.
      const counts = /^Indexed in \d+s: (\d+) files seen, 0 unchanged, (\d+) indexed, (\d+) reused, 0 removed; 0 failures, 1 warning\.$/m.exec(result.stdout);
      expect(counts, result.stdout).not.toBeNull();
      expect(Number(counts![2]) + Number(counts![3])).toBe(Number(counts![1]));
      expect(result.stdout).toContain('warning docs/release.md: line 5: ../images/banner-2025.png is not a file in the workspace folder');

      const status = parseJson(await sightline(['status', '--json'], { cwd: copy, dir }));
      expect(status.failures).toEqual([]);
      expect(status.warnings).toEqual([
        { path: 'docs/release.md', code: 'missing-image', line: 5, message: 'line 5: ../images/banner-2025.png is not a file in the workspace folder' },
      ]);
      const text = await sightline(['status'], { cwd: copy, dir });
      expect(text.stdout).toContain('Failures: 0\nWarnings: 1\n  docs/release.md: line 5: ../images/banner-2025.png is not a file in the workspace folder\n');

      // Unchanged files keep their warning, and --strict counts it.
      const strict = await sightline(['index', '--strict', '--json'], { cwd: copy, dir });
      expect(strict.code, strict.stderr).toBe(1);
      expect(parseJson(strict)).toMatchObject({ filesIndexed: 0, failed: [], warnings: [] });
      expect(strict.stderr.trimEnd().split('\n').at(-1)).toBe('sightline: 1 warning in the index (--strict); "sightline status" lists them');
    });

    it('stops on a wrong key with the HTTP status, and never prints the key', async () => {
      const wrongKey = 'sk-wrong-0123456789abcdef';
      const dir = path.join(scratch, 'wrong-key-index');
      const result = await sightline(['index'], { apiKey: wrongKey, dir });
      expect(result.signal).toBeNull();
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('HTTP 401');
      expect(result.stdout + result.stderr).not.toContain(wrongKey);
      expect(result.stdout + result.stderr).not.toContain('0123456789abcdef');
      // Told apart by key, since the other failure test talks to the server at the same time.
      const sent = server.requests.filter((r) => r.headers.authorization === `Bearer ${wrongKey}`);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.map((r) => r.status)).toEqual(sent.map(() => 401));
    });
  });
});
