import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { walkWorkspace } from '../../src/core/sources/walk/walkWorkspace';
import type { WalkEvent, WalkFileEvent, WalkOptions } from '../../src/core/sources/walk/walkTypes';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sightline-links-'));
  made.push(folder);
  return folder;
}

function write(root: string, files: Record<string, string>): void {
  for (const [relative, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), content);
  }
}

/** Makes `link` (relative to root) point at `target`, written as given (relative or absolute). */
function link(root: string, relative: string, target: string, type: 'file' | 'dir'): void {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  symlinkSync(target, path.join(root, relative), type);
}

async function walk(options: WalkOptions) {
  const events: WalkEvent[] = [];
  for await (const event of walkWorkspace(options)) events.push(event);
  return {
    files: events.filter((e): e is WalkFileEvent => e.type === 'file'),
    skips: events.flatMap((e) => (e.type === 'skipped' ? [[e.relativePath, e.reason.code, e.reason.message]] : [])),
  };
}

describe.skipIf(process.platform === 'win32')('walkWorkspace symbolic links', () => {
  it('follows links to files and folders inside the root, under the link path', async () => {
    const root = tempFolder();
    write(root, { 'assets/logo.png': 'abc', 'node_modules/pkg/docs/api.md': '# API' });
    link(root, 'readme-logo.png', 'assets/logo.png', 'file');
    link(root, 'vendor-docs', 'node_modules/pkg/docs', 'dir');
    const { files, skips } = await walk({ roots: [root] });
    expect(files.map((f) => f.relativePath).sort()).toEqual(['assets/logo.png', 'readme-logo.png', 'vendor-docs/api.md']);
    const viaLink = files.find((f) => f.relativePath === 'readme-logo.png')!;
    expect(viaLink).toMatchObject({ absolutePath: path.join(root, 'readme-logo.png'), size: 3, kind: 'image' });
    expect(skips).toEqual([]);
  });

  it('reports broken links as unreadable and links leaving the root as outside-root', async () => {
    const outside = tempFolder();
    write(outside, { 'secret.png': 'x', 'album/photo.jpg': 'x' });
    const root = tempFolder();
    write(root, { 'a.png': 'x' });
    link(root, 'gone.png', 'missing.png', 'file');
    link(root, 'escape.png', path.join(outside, 'secret.png'), 'file');
    link(root, 'album', path.join(outside, 'album'), 'dir');
    link(root, 'up', '..', 'dir');
    link(root, 'unrelated', 'nowhere', 'file');
    const { files, skips } = await walk({ roots: [root] });
    expect(files.map((f) => f.relativePath)).toEqual(['a.png']);
    expect(skips).toEqual([
      ['album', 'outside-root', expect.any(String)],
      ['escape.png', 'outside-root', expect.any(String)],
      ['gone.png', 'unreadable', 'broken symbolic link'],
      ['up', 'outside-root', expect.any(String)],
    ]);
  });

  it('walks a folder once when links loop back to it, and reports the loop', async () => {
    const root = tempFolder();
    write(root, { 'docs/a.md': '# A', 'docs/deep/b.png': 'x' });
    link(root, 'docs/deep/back-to-docs', '../../docs', 'dir');
    link(root, 'docs/self', '.', 'dir');
    link(root, 'self-loop.png', 'self-loop.png', 'file');
    const { files, skips } = await walk({ roots: [root] });
    expect(files.map((f) => f.relativePath).sort()).toEqual(['docs/a.md', 'docs/deep/b.png']);
    expect(skips.map(([where, code]) => [where, code])).toEqual([
      ['self-loop.png', 'unreadable'],
      ['docs/self', 'unreadable'],
      ['docs/deep/back-to-docs', 'unreadable'],
    ]);
    expect(skips[1]![2]).toMatch(/loop/);
  });

  it('does not walk a folder twice when a second link points into it', async () => {
    const root = tempFolder();
    write(root, { 'shared/pic.png': 'x' });
    link(root, 'a-alias', 'shared', 'dir');
    const quiet = await walk({ roots: [root] });
    expect(quiet.files.map((f) => f.relativePath)).toEqual(['shared/pic.png']);
    expect(quiet.skips).toEqual([]);
    const reported = await walk({ roots: [root], reportIgnored: true });
    expect(reported.skips).toEqual([['a-alias', 'ignored', expect.stringMatching(/already walked/)]]);
  });

  it('applies ignore rules and globs to links by their own path', async () => {
    const root = tempFolder();
    write(root, { '.gitignore': 'hidden-link.png\nlinked-dir/\n', 'real/a.png': 'x', 'node_modules/x/b.png': 'x' });
    link(root, 'hidden-link.png', 'real/a.png', 'file');
    link(root, 'linked-dir', 'node_modules/x', 'dir');
    link(root, 'excluded.png', 'real/a.png', 'file');
    const { files } = await walk({ roots: [root], exclude: ['excluded.png'] });
    expect(files.map((f) => f.relativePath)).toEqual(['real/a.png']);
  });

  it('walks a root given through a symbolic link', async () => {
    const holder = tempFolder();
    write(holder, { 'real/x.md': '# x' });
    link(holder, 'alias', 'real', 'dir');
    const { files } = await walk({ roots: [path.join(holder, 'alias')] });
    expect(files).toMatchObject([{ relativePath: 'x.md', absolutePath: path.join(holder, 'alias', 'x.md') }]);
  });
});
