import { promises as fsp, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileKindOf } from '../../src/core/sources/walk/fileKind';
import { walkWorkspace } from '../../src/core/sources/walk/walkWorkspace';
import type { WalkEvent, WalkFileEvent, WalkOptions, WalkSkippedEvent } from '../../src/core/sources/walk/walkTypes';

const made: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes files (path -> content or byte count) into a fresh temp folder. */
function tree(files: Record<string, string | number>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sightline-walk-'));
  made.push(root);
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'number' ? Buffer.alloc(content) : content);
  }
  return root;
}

async function collect(options: WalkOptions): Promise<WalkEvent[]> {
  const events: WalkEvent[] = [];
  for await (const event of walkWorkspace(options)) events.push(event);
  return events;
}

const filesOf = (events: WalkEvent[]) =>
  events
    .filter((e): e is WalkFileEvent => e.type === 'file')
    .map((e) => e.relativePath)
    .sort();
const skipsOf = (events: WalkEvent[]) => events.filter((e): e is WalkSkippedEvent => e.type === 'skipped');

describe('fileKindOf', () => {
  it('knows images, markdown and PDFs by extension in any case, and nothing else', () => {
    for (const name of ['a.png', 'b.JPG', 'c.jpeg', 'd.webp', 'e.gif', 'f.bmp', 'g.TIFF', 'h.tif', 'i.svg']) {
      expect(fileKindOf(name)).toBe('image');
    }
    for (const name of ['a.md', 'docs/B.Markdown', 'c.mdx']) expect(fileKindOf(name)).toBe('markdown');
    expect(fileKindOf('C:\\papers\\x.PDF')).toBe('pdf');
    for (const name of ['a.txt', 'png', '.png', 'dir.png/readme', 'a.png.bak', 'Makefile']) {
      expect(fileKindOf(name)).toBeUndefined();
    }
  });
});

describe('walkWorkspace', () => {
  it('yields each image, markdown file and PDF with posix paths, size and mtime', async () => {
    const root = tree({
      'shot.png': 10,
      'docs/guide/Intro.MD': '# Intro\n',
      'docs/paper.pdf': 30,
      'src/main.ts': 'x',
      'notes.txt': 'x',
      'node_modules/pkg/logo.png': 5,
      '.git/objects/readme.md': 'x',
      '.venv/lib/site.md': 'x',
    });
    const events = await collect({ roots: [root] });
    expect(filesOf(events)).toEqual(['docs/guide/Intro.MD', 'docs/paper.pdf', 'shot.png']);
    const pdf = events.find((e): e is WalkFileEvent => e.type === 'file' && e.kind === 'pdf')!;
    expect(pdf).toMatchObject({ root, absolutePath: path.join(root, 'docs', 'paper.pdf'), size: 30 });
    expect(pdf.mtimeMs).toBe(statSync(path.join(root, 'docs/paper.pdf')).mtimeMs);
    expect(skipsOf(events)).toEqual([]);
  });

  it('gives the same events in the same order on every walk', async () => {
    const files: Record<string, number> = {};
    for (let i = 0; i < 30; i++) files[`d${i % 4}/e${i % 3}/f${i}.png`] = i;
    const root = tree(files);
    const first = (await collect({ roots: [root] })).map((e) => e.relativePath);
    const second = (await collect({ roots: [root] })).map((e) => e.relativePath);
    expect(first).toHaveLength(30);
    expect(second).toEqual(first);
  });

  it('applies include and exclude globs relative to the root, dot files included', async () => {
    const root = tree({
      'a/one.png': 1,
      'a/two.md': 'x',
      'b/three.png': 1,
      'b/drafts/four.png': 1,
      '.assets/five.png': 1,
    });
    const events = await collect({ roots: [root], include: ['**/*.png'], exclude: ['**/drafts'] });
    expect(filesOf(events)).toEqual(['.assets/five.png', 'a/one.png', 'b/three.png']);
    const reported = await collect({ roots: [root], exclude: ['b/**'], reportIgnored: true });
    expect(filesOf(reported)).toEqual(['.assets/five.png', 'a/one.png', 'a/two.md']);
    // The excluded folder is reported once and never opened, so nothing inside it shows up.
    expect(skipsOf(reported).map((e) => [e.relativePath, e.reason.code])).toEqual([['b', 'ignored']]);
  });

  it('walks a folder with thousands of files completely', async () => {
    const files: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) files[`many/shot-${String(i).padStart(4, '0')}.png`] = 0;
    const root = tree(files);
    const events = await collect({ roots: [root] });
    expect(filesOf(events)).toEqual(Object.keys(files).sort());
  });

  it('lets the caller replace the default excludes', async () => {
    const root = tree({ 'node_modules/a.png': 1, 'vendor/b.png': 1 });
    const events = await collect({ roots: [root], defaultExcludes: ['vendor'] });
    expect(filesOf(events)).toEqual(['node_modules/a.png']);
  });

  it('skips files over the cap for their kind as too-large', async () => {
    const root = tree({ 'big.png': 2000, 'small.png': 100, 'big.md': 2000 });
    const events = await collect({ roots: [root], caps: { maxFileBytes: { image: 1000 } } });
    expect(filesOf(events)).toEqual(['big.md', 'small.png']);
    const [skip] = skipsOf(events);
    expect(skip).toMatchObject({ relativePath: 'big.png', reason: { code: 'too-large', path: 'big.png' } });
  });

  it('stops at maxFiles over all roots and reports once how many were left out', async () => {
    const first = tree({ 'a.png': 1, 'b.png': 1, 'c.png': 1 });
    const second = tree({ 'd.png': 1, 'e.md': 'x', 'f.pdf': 1 });
    const events = await collect({ roots: [first, second], caps: { maxFiles: 4 } });
    expect(events.filter((e) => e.type === 'file')).toHaveLength(4);
    const skips = skipsOf(events);
    expect(skips).toHaveLength(1);
    expect(skips[0]!.root).toBe(second);
    expect(skips[0]!.reason.message).toMatch(/^file limit of 4 reached: 2 more files left out/);
    expect(skips[0]!.reason.code).toBe('too-many-files');
    expect(skips[0]!.relativePath).toBe('');
  });

  it('reports a root that does not exist and still walks the others', async () => {
    const root = tree({ 'a.png': 1 });
    const missing = path.join(root, 'missing');
    const events = await collect({ roots: [missing, root] });
    expect(filesOf(events)).toEqual(['a.png']);
    expect(skipsOf(events)).toMatchObject([{ root: missing, relativePath: '', reason: { code: 'unreadable' } }]);
  });

  it('reports a folder it may not list as unreadable and carries on', async () => {
    const root = tree({ 'open/a.png': 1, 'locked/b.png': 1 });
    const readdir = fsp.readdir.bind(fsp);
    vi.spyOn(fsp, 'readdir').mockImplementation(((dir: string, options: never) => {
      if (dir.endsWith(`${path.sep}locked`)) {
        return Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
      }
      return readdir(dir, options);
    }) as typeof fsp.readdir);
    const events = await collect({ roots: [root] });
    expect(filesOf(events)).toEqual(['open/a.png']);
    expect(skipsOf(events)).toMatchObject([{ relativePath: 'locked', reason: { code: 'unreadable', message: 'cannot list folder: permission denied' } }]);
  });

  it.skipIf(process.getuid?.() === 0 || process.platform === 'win32')('reports a folder without read permission as unreadable (real permissions)', async () => {
    const root = tree({ 'open/a.png': 1, 'locked/b.png': 1 });
    await fsp.chmod(path.join(root, 'locked'), 0o000);
    try {
      const events = await collect({ roots: [root] });
      expect(filesOf(events)).toEqual(['open/a.png']);
      expect(skipsOf(events)).toMatchObject([{ relativePath: 'locked', reason: { code: 'unreadable' } }]);
    } finally {
      await fsp.chmod(path.join(root, 'locked'), 0o755);
    }
  });

  it('throws the signal reason when aborted before or during a walk', async () => {
    const files: Record<string, number> = {};
    for (let i = 0; i < 200; i++) files[`d${i % 20}/f${i}.png`] = 1;
    const root = tree(files);
    const before = new AbortController();
    before.abort(new Error('stop now'));
    await expect(collect({ roots: [root], signal: before.signal })).rejects.toThrow('stop now');

    const during = new AbortController();
    let seen = 0;
    const walking = (async () => {
      for await (const event of walkWorkspace({ roots: [root], signal: during.signal })) {
        if (event.type === 'file' && ++seen === 5) during.abort(new Error('cancelled'));
      }
    })();
    await expect(walking).rejects.toThrow('cancelled');
    expect(seen).toBeLessThan(200);
  });
});
