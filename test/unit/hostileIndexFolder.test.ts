import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { snapshotTree, treeChanges } from '../support/hostile/treeSnapshot';
import { bundleCli, type CliBundle } from '../support/process/cliBundle';
import { type CliResult, runCli } from '../support/process/cliProcess';
import { createWorkspaceFixture, type WorkspaceFixture } from '../support/workspaceFixture';
import { solidPng } from '../support/fixtures/imageFixtures';

/**
 * Repositories that ship a hostile index folder (the CLI's default index is `<root>/.sightline`,
 * so a clone brings whatever the repository put there), and index folders named by mistake.
 * Every case runs the built CLI and then checks that no file outside the index folder changed:
 * a sandbox holds the workspace and the files an attack aims at, hashed before and after.
 */

let server: FakeEmbeddingServer;
let bundle: CliBundle;
let fixture: WorkspaceFixture;
let sandbox: string;
let ws: string;
let indexDir: string;

beforeAll(async () => {
  [server, bundle, fixture] = await Promise.all([startFakeEmbeddingServer({ dimensions: 64 }), bundleCli(), createWorkspaceFixture()]);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await bundle?.remove();
  await fixture?.remove();
});

beforeEach(async () => {
  sandbox = await fs.mkdtemp(path.join(tmpdir(), 'sightline-hostile-'));
  ws = path.join(sandbox, 'ws');
  indexDir = path.join(ws, '.sightline');
  await fs.cp(fixture.root, ws, { recursive: true });
  await fs.writeFile(path.join(sandbox, 'victim.txt'), 'a file the attack aims at\n');
  await fs.mkdir(path.join(sandbox, 'thesis', 'thumbs'), { recursive: true });
  await fs.writeFile(path.join(sandbox, 'thesis', 'chapter-1.md'), '# Chapter 1\n\nYears of work.\n');
  await fs.writeFile(path.join(sandbox, 'thesis', 'thumbs', 'figure-1.png'), 'not a Sightline thumbnail');
});
afterEach(async () => {
  await fs.rm(sandbox, { recursive: true, force: true });
});

function sightline(args: readonly string[]): Promise<CliResult> {
  return runCli(bundle, [...args, '--endpoint', server.baseUrl], { cwd: ws, apiKey: 'test-key' });
}

async function cleanIndex(): Promise<void> {
  const result = await sightline(['index']);
  expect(result.code, result.stderr).toBe(0);
}

async function indexInto(dir: string): Promise<void> {
  const result = await sightline(['index', '--index-dir', dir]);
  expect(result.code, result.stderr).toBe(0);
}

function expectRefused(result: CliResult, pattern: RegExp): void {
  expect(result.signal).toBeNull();
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^sightline: /);
  expect(lines[0]).toMatch(pattern);
}

// A crafted manifest is arbitrary JSON: the edits write whatever an attacker would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function editManifest(edit: (manifest: any) => void): Promise<void> {
  const file = path.join(indexDir, 'manifest.json');
  const manifest = JSON.parse(await fs.readFile(file, 'utf8'));
  edit(manifest);
  await fs.writeFile(file, JSON.stringify(manifest));
}

/** Runs the read-only commands and `index` against the hostile folder: all refused with exit 2. */
async function expectEveryCommandRefused(pattern: RegExp): Promise<void> {
  expectRefused(await sightline(['status']), pattern);
  expectRefused(await sightline(['search', 'login screen']), pattern);
  expectRefused(await sightline(['similar', 'images/login-screen.png']), pattern);
  expectRefused(await sightline(['duplicates']), pattern);
  expectRefused(await sightline(['index']), pattern);
}

async function expectIndexOpens(): Promise<void> {
  const status = await sightline(['status', '--json']);
  expect(status.code, status.stderr).toBe(0);
  expect(JSON.parse(status.stdout).files).toEqual({ image: 4, markdown: 2, pdf: 1, notebook: 0 });
}

describe('a hostile index folder', { timeout: 120_000 }, () => {
  it('with a manifest that names a journal outside the folder: refused, and --rebuild touches only the index', async () => {
    await cleanIndex();
    await editManifest((m) => (m.journal.file = '../../victim.txt'));
    const before = await snapshotTree(sandbox, [indexDir]);

    await expectEveryCommandRefused(/names "\.\.\/\.\.\/victim\.txt" as a journal file/);
    expect(treeChanges(before, await snapshotTree(sandbox, [indexDir]))).toEqual([]);

    const rebuilt = await sightline(['index', '--rebuild']);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(treeChanges(before, await snapshotTree(sandbox, [indexDir]))).toEqual([]);
    await expectIndexOpens();
  });

  it('with a manifest that names an absolute segment path: refused, and --rebuild touches only the index', async () => {
    await cleanIndex();
    const target = path.join(sandbox, 'victim.txt');
    await editManifest((m) => (m.segments[0].file = target));
    const before = await snapshotTree(sandbox, [indexDir]);

    await expectEveryCommandRefused(/as a segment file, but Sightline only writes plain names/);
    const rebuilt = await sightline(['index', '--rebuild']);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(treeChanges(before, await snapshotTree(sandbox, [indexDir]))).toEqual([]);
    await expectIndexOpens();
  });

  it('with the journal a symbolic link to a file outside: nothing reads, truncates or writes through it', async () => {
    await cleanIndex();
    const manifest = JSON.parse(await fs.readFile(path.join(indexDir, 'manifest.json'), 'utf8'));
    await fs.rm(path.join(indexDir, manifest.journal.file));
    await fs.symlink('../../victim.txt', path.join(indexDir, manifest.journal.file));
    const before = await snapshotTree(sandbox, [indexDir]);

    await expectEveryCommandRefused(/is a symbolic link/);
    expect(treeChanges(before, await snapshotTree(sandbox, [indexDir]))).toEqual([]);

    // The rebuild removes the link itself (an index file name), never its target.
    const rebuilt = await sightline(['index', '--rebuild']);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(treeChanges(before, await snapshotTree(sandbox, [indexDir]))).toEqual([]);
    expect((await fs.lstat(path.join(indexDir, manifest.journal.file))).isSymbolicLink()).toBe(false);
    await expectIndexOpens();
  });

  it('with a fresh clone’s empty journal a link and no manifest: index creates nothing through it', async () => {
    await fs.mkdir(indexDir);
    await fs.symlink('../../victim.txt', path.join(indexDir, 'journal-0.jsonl'));
    const before = await snapshotTree(sandbox, [indexDir]);
    expectRefused(await sightline(['index']), /journal-0\.jsonl is a symbolic link/);
    expect(treeChanges(before, await snapshotTree(sandbox, [indexDir]))).toEqual([]);
  });

  it('with the manifest a symbolic link to another index: refused', async () => {
    const elsewhere = path.join(sandbox, 'elsewhere');
    await indexInto(elsewhere);
    await fs.mkdir(indexDir);
    await fs.symlink('../../elsewhere/manifest.json', path.join(indexDir, 'manifest.json'));
    const before = await snapshotTree(sandbox, [indexDir]);
    await expectEveryCommandRefused(/manifest\.json is a symbolic link/);
    expect(treeChanges(before, await snapshotTree(sandbox, [indexDir]))).toEqual([]);
  });

  it('that is itself a symbolic link: every command, --rebuild too, refuses it and changes nothing anywhere', async () => {
    const elsewhere = path.join(sandbox, 'elsewhere');
    await indexInto(elsewhere);
    await fs.symlink('../elsewhere', indexDir);
    const before = await snapshotTree(sandbox);

    await expectEveryCommandRefused(/the index folder .*\.sightline is a symbolic link/);
    expectRefused(await sightline(['index', '--rebuild']), /is a symbolic link/);
    expect(treeChanges(before, await snapshotTree(sandbox))).toEqual([]);
  });

  it('whose thumbnail folder is a symbolic link to a folder outside: refused', async () => {
    await cleanIndex();
    await fs.rm(path.join(indexDir, 'thumbs'), { recursive: true });
    await fs.mkdir(path.join(sandbox, 'outside'));
    await fs.writeFile(path.join(sandbox, 'outside', 'keep.webp'), 'someone else’s file');
    await fs.symlink('../../outside', path.join(indexDir, 'thumbs'));
    const before = await snapshotTree(sandbox, [indexDir]);
    await expectEveryCommandRefused(/thumbs is a symbolic link/);
    expectRefused(await sightline(['index', '--rebuild']), /thumbs is a symbolic link/);
    expect(treeChanges(before, await snapshotTree(sandbox, [indexDir]))).toEqual([]);
  });
});

describe('an index folder named by mistake', { timeout: 120_000 }, () => {
  it('refuses the workspace itself, or a folder around it, as the index folder (--rebuild once deleted it all)', async () => {
    const before = await snapshotTree(sandbox);
    expectRefused(await sightline(['index', '--index-dir', ws, '--rebuild']), /is the workspace folder itself/);
    expectRefused(await sightline(['index', '--index-dir', sandbox, '--rebuild']), /contains the workspace/);
    expectRefused(await sightline(['index', ws, '--index-dir', '.']), /is the workspace folder itself/);
    expect(treeChanges(before, await snapshotTree(sandbox))).toEqual([]);
  });

  it('refuses to rebuild, or to start an index in, a folder of someone’s files', async () => {
    const thesis = path.join(sandbox, 'thesis');
    const before = await snapshotTree(sandbox);
    expectRefused(
      await sightline(['index', '--index-dir', thesis, '--rebuild']),
      /is not a Sightline index \(it has ".+" and no Sightline manifest\); Sightline deletes nothing there/,
    );
    expectRefused(await sightline(['index', '--index-dir', thesis]), /is not empty and holds no Sightline index/);
    // A manifest.json of some other program does not make it an index either.
    await fs.writeFile(path.join(thesis, 'manifest.json'), '{"name": "my web app", "icons": []}');
    const withManifest = await snapshotTree(sandbox);
    expectRefused(await sightline(['index', '--index-dir', thesis, '--rebuild']), /Sightline deletes nothing there/);
    expect(treeChanges(withManifest, await snapshotTree(sandbox))).toEqual([]);
    expect(treeChanges(before, withManifest)).toEqual(['added thesis/manifest.json']);
  });

  it('rebuilds an index where it stands on a size change or --rebuild, keeping what someone put beside it', async () => {
    await cleanIndex();
    await fs.writeFile(path.join(indexDir, 'my-notes.txt'), 'kept beside the index\n');
    await fs.mkdir(path.join(indexDir, 'drafts'));
    await fs.writeFile(path.join(indexDir, 'drafts', 'plan.md'), '# Plan\n');
    const beside = (tree: Map<string, string>) => [...tree].filter(([name]) => name === 'my-notes.txt' || name.startsWith('drafts'));
    const before = await snapshotTree(sandbox, [indexDir]);
    const besideBefore = beside(await snapshotTree(indexDir));

    // The old vectors cannot serve the new size: the index is rebuilt, not refused half-deleted.
    const resized = await sightline(['index', '--dimensions', '32']);
    expect(resized.code, resized.stderr).toBe(0);
    expect(resized.stderr).toMatch(/must be rebuilt/);
    const status = await sightline(['status', '--json', '--dimensions', '32']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ dimensions: 32, files: { image: 4, markdown: 2, pdf: 1, notebook: 0 } });

    const rebuilt = await sightline(['index', '--dimensions', '32', '--rebuild']);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(beside(await snapshotTree(indexDir))).toEqual(besideBefore);
    expect(treeChanges(before, await snapshotTree(sandbox, [indexDir]))).toEqual([]);
  });

  it('never walks an index folder inside the root, whatever its name', async () => {
    const inside = path.join(ws, 'search-data');
    const first = await sightline(['index', '--index-dir', inside, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).filesSeen).toBe(7);
    // The thumbnails it wrote are images inside the root: a second run must still not see them.
    expect((await fs.readdir(path.join(inside, 'thumbs'))).length).toBeGreaterThan(0);
    const second = await sightline(['index', '--index-dir', inside, '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ filesSeen: 7, filesUnchanged: 7, itemsEmbedded: 0 });
  });
});

describe('a README that points at images no walk admits', { timeout: 120_000 }, () => {
  it('sends none of them, warns for each with the reason, and changes nothing outside the index folder', async () => {
    // Each image has its own size, so an upload of any of them would show in the server's log.
    const hidden: Array<[string, number, number]> = [
      ['private/x.png', 301, 211],
      ['node_modules/pkg/shot.png', 302, 212],
      ['secret/plan.png', 303, 213],
    ];
    for (const [file, width, height] of hidden) {
      await fs.mkdir(path.dirname(path.join(ws, file)), { recursive: true });
      await fs.writeFile(path.join(ws, file), await solidPng(width, height));
    }
    await fs.writeFile(path.join(sandbox, 'outside.png'), await solidPng(304, 214));
    await fs.mkdir(path.join(ws, '.git'), { recursive: true });
    await fs.writeFile(path.join(ws, '.gitignore'), 'private/\n');
    await fs.writeFile(path.join(ws, '.sightlineignore'), 'secret/\n');
    await fs.writeFile(
      path.join(ws, 'docs/release.md'),
      `# Release\n\n${[...hidden.map(([file]) => `![](../${file})`), '![](../../outside.png)'].join('\n')}\n`,
    );
    const before = await snapshotTree(sandbox, [indexDir]);
    server.resetStats();

    const result = await sightline(['index', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const sizes = server.requests.flatMap((r) => r.embedding?.inputs ?? []).flatMap((i) => i.images.map((image) => `${image.width}x${image.height}`));
    expect(sizes.length, 'the walked images are sent').toBeGreaterThan(0);
    for (const size of ['301x211', '302x212', '303x213', '304x214']) expect(sizes).not.toContain(size);
    expect(JSON.parse(result.stdout).warnings.map((w: { path: string; message: string }) => w.message)).toEqual([
      expect.stringMatching(/private\/x\.png is not sent: it is ignored/),
      expect.stringMatching(/node_modules\/pkg\/shot\.png is not sent: it is excluded by default/),
      expect.stringMatching(/secret\/plan\.png is not sent: it is ignored/),
      expect.stringMatching(/outside\.png is not sent: it points outside the workspace folder/),
    ]);
    expect(treeChanges(before, await snapshotTree(sandbox, [indexDir]))).toEqual([]);
  });
});

describe('read-only commands', { timeout: 120_000 }, () => {
  it('create, change and delete nothing, in the index folder or anywhere else', async () => {
    await cleanIndex();
    const before = await snapshotTree(sandbox);
    for (const args of [
      ['status'],
      ['status', '--json'],
      ['search', 'login screen'],
      ['search', 'x', '--image', 'images/dashboard.png'],
      ['similar', 'images/login-screen.png'],
      ['duplicates'],
    ]) {
      const result = await sightline(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    expect(treeChanges(before, await snapshotTree(sandbox))).toEqual([]);
  });
});
