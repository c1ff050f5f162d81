import { execFileSync, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { bundleCli, type CliBundle } from '../support/process/cliBundle';
import { type CliResult, runCli } from '../support/process/cliProcess';
import { createWorkspaceFixture, type WorkspaceFixture } from '../support/workspaceFixture';

/**
 * Faults end in an exit code, one clear line and an index that still opens: usage mistakes,
 * a full disk, a read-only index, a closed stdout, a server that sends vectors with no
 * direction, rejects a file, or echoes the API key, and file names that try to drive the terminal.
 */

const KEY = 'sk-test-0123456789abcdef';

let server: FakeEmbeddingServer;
let bundle: CliBundle;
let fixture: WorkspaceFixture;
let sandbox: string;
let ws: string;
let indexDir: string;
const mounts: string[] = [];

beforeAll(async () => {
  [server, bundle, fixture] = await Promise.all([startFakeEmbeddingServer({ dimensions: 64, apiKey: KEY }), bundleCli(), createWorkspaceFixture()]);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await bundle?.remove();
  await fixture?.remove();
});
beforeEach(async () => {
  sandbox = await fs.mkdtemp(path.join(tmpdir(), 'sightline-faults-'));
  ws = path.join(sandbox, 'ws');
  indexDir = path.join(sandbox, 'index');
  await fs.cp(fixture.root, ws, { recursive: true });
  server.resetStats();
  server.setFaultPredicate(undefined);
});
afterEach(async () => {
  for (const mount of mounts.splice(0).reverse()) execFileSync('umount', [mount]);
  await fs.rm(sandbox, { recursive: true, force: true });
});

function sightline(args: readonly string[], options: { dir?: string; env?: Record<string, string>; endpoint?: string } = {}): Promise<CliResult> {
  return runCli(bundle, [...args, '--endpoint', options.endpoint ?? server.baseUrl, '--index-dir', options.dir ?? indexDir], {
    cwd: ws,
    apiKey: KEY,
    env: options.env,
  });
}

function expectOneLine(result: CliResult, code: number, pattern: RegExp): void {
  expect(result.signal).toBeNull();
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(code);
  // Progress lines (a plain line every few seconds when stderr is not a terminal) are not messages.
  const lines = result.stderr
    .trimEnd()
    .split('\n')
    .filter((line) => !line.includes(' · '));
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^sightline: /);
  expect(lines[0]).toMatch(pattern);
}

interface StatusJson {
  readonly files: Record<string, number>;
  readonly vectors: number;
  readonly failures: unknown[];
}

async function expectIndexOpens(dir = indexDir): Promise<StatusJson> {
  const status = await sightline(['status', '--json'], { dir });
  expect(status.code, status.stderr).toBe(0);
  return JSON.parse(status.stdout) as StatusJson;
}

/** Mounts that need root are tried; where the machine refuses, the test says so and skips. */
function tryMount(args: readonly string[], target: string): string | undefined {
  try {
    execFileSync('mount', [...args, target], { stdio: 'pipe' });
    if (!args.some((arg) => arg.includes('remount'))) mounts.push(target);
    return undefined;
  } catch (error) {
    return `mount ${args.join(' ')} is not allowed here (${(error as Error).message.split('\n')[0]})`;
  }
}

describe('usage errors exit 2 at once, naming the flag or file', { timeout: 60_000 }, () => {
  it.each([
    [['search', 'x', '--top', '1e9'], /--top takes a whole number from 1 to 1000, not "1e9"/],
    [['search', 'x', '--top', '0'], /--top takes a whole number from 1 to 1000/],
    [['index', '--dimensions', '7'], /--dimensions takes a whole number from 32 to 4096, not "7"/],
    [['index', '--dimensions', '1'], /--dimensions takes a whole number from 32 to 4096/],
    [['index', '--dimensions', '8192'], /--dimensions takes a whole number from 32 to 4096/],
    [['search', 'x', '--top', '-3'], /Option '--top' argument is ambiguous\. Did you forget to specify the option argument for '--top'\?/],
  ])('%j', async (args, pattern) => {
    expectOneLine(await sightline(args), 2, pattern);
    expect(server.stats.requests).toBe(0);
  });

  it('refuses an endpoint that is not a URL before trying it (it used to be retried for 14 s)', async () => {
    const started = performance.now();
    expectOneLine(
      await sightline(['index'], { endpoint: 'not-a-url' }),
      2,
      /--endpoint takes the endpoint's base URL, such as https:\/\/host\/v1; "not-a-url" is not a URL/,
    );
    expectOneLine(await sightline(['index'], { endpoint: 'ftp://files.example.com/v1' }), 2, /uses ftp, not http or https/);
    const viaEnvironment = await runCli(bundle, ['index', '--index-dir', indexDir], { cwd: ws, apiKey: KEY, env: { SIGHTLINE_ENDPOINT: 'localhost:8000' } });
    expectOneLine(viaEnvironment, 2, /SIGHTLINE_ENDPOINT takes the endpoint's base URL/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('names a query image that is not an image', async () => {
    expect((await sightline(['index'])).code).toBe(0);
    await fs.writeFile(path.join(ws, 'notes.txt'), 'just words\n');
    server.resetStats();
    expectOneLine(await sightline(['search', 'login', '--image', 'notes.txt']), 2, /notes\.txt is not an image/);
    expectOneLine(await sightline(['similar', 'notes.txt']), 2, /notes\.txt is not an image/);
    expectOneLine(await sightline(['search', '--image', 'missing.png']), 2, /cannot read missing\.png/);
    expect(server.stats.requests).toBe(0);
  });
});

describe('a full disk', { timeout: 120_000 }, () => {
  it('ends with one line saying what to free, and the index opens and finishes once there is room', async (context) => {
    const disk = path.join(sandbox, 'disk');
    await fs.mkdir(disk);
    const refused = tryMount(['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs'], disk);
    if (refused) return context.skip(refused);
    // Leave room for the empty index and a few checkpoints, not for the whole run.
    const ballast = path.join(disk, 'ballast');
    const { bavail, bsize } = await fs.statfs(disk);
    await fs.writeFile(ballast, Buffer.alloc(bavail * bsize - 48 * 1024));
    const dir = path.join(disk, 'index');

    // Full-size vectors from a server of 4096 dimensions make the segments big enough to fill it.
    const big = await startFakeEmbeddingServer({ dimensions: 4096, apiKey: KEY });
    try {
      const full = await sightline(['index'], { dir, endpoint: big.baseUrl });
      expectOneLine(
        full,
        1,
        /The disk that holds the index \(.*\) is full \(\d+\.\d MB free\): the index could not be saved\. Free at least 100 MB on that disk and index again/,
      );
      expect(full.stdout).toMatch(/^Stopped in /);
      const partial = await expectIndexOpens(dir);

      await fs.rm(ballast);
      const resumed = await sightline(['index', '--json'], { dir, endpoint: big.baseUrl });
      expect(resumed.code, resumed.stderr).toBe(0);
      const status = await expectIndexOpens(dir);
      expect(status.files).toEqual({ image: 4, markdown: 2, pdf: 1, notebook: 0 });
      expect(status.vectors).toBeGreaterThanOrEqual(partial.vectors);
    } finally {
      await big.close();
    }
  });
});

describe('a read-only index', { timeout: 120_000 }, () => {
  it('is searched as usual, and index says in one line that it cannot write', async (context) => {
    expect((await sightline(['index'])).code).toBe(0);
    const readOnly = path.join(sandbox, 'read-only-index');
    await fs.mkdir(readOnly);
    const refused = tryMount(['--bind', indexDir], readOnly) ?? tryMount(['-o', 'remount,ro,bind'], readOnly);
    if (refused) return context.skip(refused);
    await expect(fs.writeFile(path.join(readOnly, 'probe'), 'x')).rejects.toMatchObject({ code: 'EROFS' });

    for (const args of [['status'], ['search', 'login screen'], ['similar', 'images/login-screen.png'], ['duplicates']]) {
      const result = await sightline(args, { dir: readOnly });
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      expect(result.stdout.length).toBeGreaterThan(0);
    }
    await fs.writeFile(path.join(ws, 'docs/new.md'), '# New\n\nSomething to add.\n');
    expectOneLine(
      await sightline(['index'], { dir: readOnly }),
      2,
      /cannot write the index in .* \(EROFS: the folder is read-only or not yours\); "sightline status" and "sightline search" still read it/,
    );
    expect((await expectIndexOpens(readOnly)).files).toEqual({ image: 4, markdown: 2, pdf: 1, notebook: 0 });
  });
});

describe('a closed stdout', { timeout: 60_000 }, () => {
  it('ends search, status and duplicates quietly (as `| head -1` does), and the index still opens', async () => {
    expect((await sightline(['index'])).code).toBe(0);
    for (const args of [['search', 'login screen', '--top', '50'], ['status'], ['duplicates'], ['search', 'x', '--json']]) {
      const child = spawn(process.execPath, [bundle.file, ...args, '--endpoint', server.baseUrl, '--index-dir', indexDir], {
        cwd: ws,
        env: { ...process.env, NODE_PATH: bundle.nodePath, SIGHTLINE_API_KEY: KEY },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // The reader goes away before the first line: every write meets a closed pipe.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      expect(stderr, args.join(' ')).toBe('');
      expect(code, args.join(' ')).toBe(0);
    }
    await expectIndexOpens();
  });
});

describe('a misbehaving server', { timeout: 120_000 }, () => {
  it('that sends all-zero vectors is stopped as a bad response, and nothing of them is stored', async () => {
    server.setFaultPredicate(() => ({ kind: 'bad-payload', variant: 'zero-vector' }));
    const result = await sightline(['index']);
    expectOneLine(result, 1, /not a valid embeddings response .*: embedding has no direction \(all zeros\)/);
    const status = await expectIndexOpens();
    expect(status.vectors).toBe(0);
  });

  it('that rejects one file: tried again on the next run, then not until asked (or the file changes)', async () => {
    let rejected = 0;
    server.setFaultPredicate(({ texts }) =>
      texts.some((t) => t.includes('systemctl')) ? (rejected++, { kind: 'status', status: 400, message: 'input rejected' }) : undefined,
    );
    const first = await sightline(['index']);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/failed docs\/guide\.md: line \d+: .*input rejected/);
    const afterFirst = rejected;
    expect(afterFirst).toBeGreaterThan(0);

    const second = await sightline(['index']);
    expect(second.code).toBe(1);
    expect(rejected, 'the next run tries the failed file again').toBeGreaterThan(afterFirst);
    const afterSecond = rejected;

    server.resetStats();
    const third = await sightline(['index']);
    expect(third.code, third.stdout).toBe(0);
    expect(rejected, 'then it is left alone while unchanged').toBe(afterSecond);
    expect(server.stats.embeddingRequests).toBe(0);
    expect((await expectIndexOpens()).failures).toHaveLength(1);

    const retried = await sightline(['index', '--retry-failed']);
    expect(retried.code).toBe(1);
    expect(rejected).toBeGreaterThan(afterSecond);

    // Fixed on the server side: the explicit retry succeeds and the failure is gone.
    server.setFaultPredicate(undefined);
    expect((await sightline(['index', '--retry-failed'])).code).toBe(0);
    expect((await expectIndexOpens()).failures).toEqual([]);
  });

  it('that echoes the Authorization header: the key is on no screen and in no index file', async () => {
    server.setFaultPredicate(({ headers }) => ({
      kind: 'status',
      status: 400,
      message: `bad request, you sent Authorization: ${String(headers.authorization)}`,
    }));
    const indexed = await sightline(['index']);
    expect(indexed.code).toBe(1);
    expect(indexed.stdout).toContain('Authorization: Bearer [redacted]');
    const status = await sightline(['status']);
    server.setFaultPredicate(({ headers }) => ({ kind: 'status', status: 401, message: `key ${String(headers.authorization).slice(7)} is not valid` }));
    const refusedKey = await sightline(['index', '--retry-failed']);
    expectOneLine(refusedKey, 2, /key \[redacted\] is not valid/);
    for (const result of [indexed, status, refusedKey]) expect(`${result.stdout}${result.stderr}`).not.toContain(KEY);
    for (const name of await fs.readdir(indexDir)) {
      if (name.endsWith('.jsonl')) expect(await fs.readFile(path.join(indexDir, name), 'utf8')).not.toContain(KEY);
    }
  });

  it('behind an endpoint URL with a password: the password is never shown', async () => {
    const url = new URL(server.baseUrl);
    url.username = 'alice';
    url.password = 'hunter2-secret';
    await server.close().catch(() => undefined);
    const result = await sightline(['models'], { endpoint: url.toString() });
    expect(result.code).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toContain('hunter2-secret');
    server = await startFakeEmbeddingServer({ dimensions: 64, apiKey: KEY });
  });
});

describe('file names that try to drive the terminal', { timeout: 60_000 }, () => {
  it('are printed escaped by index, search and status; JSON keeps them exact', async () => {
    const evil = 'images/evil\u001b]0;pwned\u0007\u001b[2J\nnext.png';
    await fs.copyFile(path.join(ws, 'images/settings.png'), path.join(ws, evil));
    await fs.writeFile(path.join(ws, 'images/broken\u001b[31m.png'), 'not an image');
    const indexed = await sightline(['index']);
    const search = await sightline(['search', 'settings screen', '--kind', 'image', '--top', '20']);
    const status = await sightline(['status']);
    for (const result of [indexed, search, status]) {
      // eslint-disable-next-line no-control-regex -- no raw control character may reach the terminal
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    }
    expect(search.stdout).toContain('images/evil\\e]0;pwned\\u{7}\\e[2J\\nnext.png');
    expect(indexed.stdout).toContain('failed images/broken\\e[31m.png');
    const json = JSON.parse((await sightline(['search', 'settings screen', '--kind', 'image', '--top', '20', '--json'])).stdout);
    expect(json.results.map((r: { path: string }) => r.path)).toContain(evil);
  });
});
