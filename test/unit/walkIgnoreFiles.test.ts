import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { walkWorkspace } from '../../src/core/sources/walk/walkWorkspace';
import { isPathWalkable } from '../../src/core/sources/walk/pathAdmission';
import type { WalkEvent, WalkOptions } from '../../src/core/sources/walk/walkTypes';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes files into a fresh temp folder; a value of null makes an empty folder. */
function tree(files: Record<string, string | null>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sightline-ignore-'));
  made.push(root);
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    if (content === null) {
      mkdirSync(file, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

async function walk(options: WalkOptions): Promise<{ files: string[]; ignored: string[] }> {
  const events: WalkEvent[] = [];
  for await (const event of walkWorkspace({ reportIgnored: true, ...options })) events.push(event);
  const files = events
    .filter((e) => e.type === 'file')
    .map((e) => e.relativePath)
    .sort();
  const ignored = events
    .filter((e) => e.type === 'skipped' && e.reason.code === 'ignored')
    .map((e) => e.relativePath)
    .sort();
  return { files, ignored };
}

describe('walkWorkspace ignore files', () => {
  it('honours nested .gitignore files relative to their own folder, with negation', async () => {
    const root = tree({
      '.gitignore': 'build/\n*.pdf\n/top.md\n',
      'top.md': '',
      'build/a.png': '',
      'keep.pdf': '',
      'docs/.gitignore': '!*.pdf\ndraft-*\n/local.png\n',
      'docs/top.md': '',
      'docs/spec.pdf': '',
      'docs/draft-1.md': '',
      'docs/local.png': '',
      'docs/sub/local.png': '',
      'docs/sub/draft-2.png': '',
      'docs/sub/build/b.png': '',
    });
    const { files, ignored } = await walk({ roots: [root] });
    expect(files).toEqual(['docs/spec.pdf', 'docs/sub/local.png', 'docs/top.md']);
    // Ignored folders are reported once and not opened: nothing under build/ appears.
    expect(ignored).toEqual(['build', 'docs/draft-1.md', 'docs/local.png', 'docs/sub/build', 'docs/sub/draft-2.png', 'keep.pdf', 'top.md']);
  });

  it('applies folder-only patterns to folders, not to files of the same name', async () => {
    const root = tree({
      '.gitignore': 'assets/\nshots.png/\n',
      'assets/a.png': '',
      'other/assets.png': '',
      'shots.png': '',
      'nested/shots.png/inside.md': '',
    });
    const { files, ignored } = await walk({ roots: [root] });
    expect(files).toEqual(['other/assets.png', 'shots.png']);
    expect(ignored).toEqual(['assets', 'nested/shots.png']);
  });

  it('lets a deeper .gitignore re-include a folder a shallower one excludes', async () => {
    const root = tree({
      '.gitignore': 'docs/generated\n',
      'docs/.gitignore': '!generated\n',
      'docs/generated/diagram.png': '',
      'docs/generated/deeper/chart.png': '',
    });
    const { files } = await walk({ roots: [root] });
    expect(files).toEqual(['docs/generated/deeper/chart.png', 'docs/generated/diagram.png']);
  });

  it('reads .sightlineignore with the same syntax, after .gitignore so it can re-include', async () => {
    const root = tree({
      '.gitignore': '*.png\n',
      '.sightlineignore': '!screens/*.png\narchive/\n',
      'a.png': '',
      'screens/b.png': '',
      'archive/c.md': '',
      'notes/.sightlineignore': 'private.md\n',
      'notes/private.md': '',
      'notes/public.md': '',
    });
    expect((await walk({ roots: [root] })).files).toEqual(['notes/public.md', 'screens/b.png']);
    // Without .gitignore, .sightlineignore still applies.
    expect((await walk({ roots: [root], useGitignore: false })).files).toEqual(['a.png', 'notes/public.md', 'screens/b.png']);
  });

  it('honours the .gitignore files and info/exclude of a repository around the root', async () => {
    const repository = tree({
      '.git/info/exclude': '*.bmp\n',
      '.gitignore': 'packages/app/generated/\n',
      'packages/.gitignore': 'app/tmp-*\n',
      'packages/app/a.png': '',
      'packages/app/b.bmp': '',
      'packages/app/tmp-1.png': '',
      'packages/app/generated/c.png': '',
      'packages/app/docs/generated/d.png': '',
    });
    const root = path.join(repository, 'packages', 'app');
    const { files, ignored } = await walk({ roots: [root] });
    expect(files).toEqual(['a.png', 'docs/generated/d.png']);
    expect(ignored).toEqual(['b.bmp', 'generated', 'tmp-1.png']);
    expect((await walk({ roots: [root], useGitignore: false })).files).toHaveLength(5);
  });

  it('does not apply .gitignore files above the root when the root is not in a repository', async () => {
    const outer = tree({ '.gitignore': '*.png\n', 'inner/a.png': '' });
    expect((await walk({ roots: [path.join(outer, 'inner')] })).files).toEqual(['a.png']);
  });
});

describe('isPathWalkable', () => {
  it('agrees with a full walk on every file, one path at a time', async () => {
    const root = tree({
      '.gitignore': 'build/\n*.pdf\n!keep.pdf\n/top.md\n',
      '.sightlineignore': 'drafts/\n',
      'top.md': '',
      'docs/top.md': '',
      'docs/.gitignore': '!*.pdf\nprivate/\n',
      'docs/a.pdf': '',
      'docs/private/b.png': '',
      'docs/c.png': '',
      'build/d.png': '',
      'keep.pdf': '',
      'other.pdf': '',
      'drafts/e.md': '',
      'node_modules/x/f.png': '',
      'assets/g.svg': '',
      'assets/skip/h.png': '',
      'notes.txt': '',
    });
    const options = { exclude: ['assets/skip/**'] };
    const { files } = await walk({ roots: [root], ...options });
    const candidates = [
      'top.md',
      'docs/top.md',
      'docs/a.pdf',
      'docs/private/b.png',
      'docs/c.png',
      'build/d.png',
      'keep.pdf',
      'other.pdf',
      'drafts/e.md',
      'node_modules/x/f.png',
      'assets/g.svg',
      'assets/skip/h.png',
      'notes.txt',
    ];
    const admitted: string[] = [];
    for (const candidate of candidates) if (await isPathWalkable(root, candidate, options)) admitted.push(candidate);
    expect(admitted.sort()).toEqual(files);
    expect(files).toContain('docs/a.pdf');
    expect(files).not.toContain('docs/private/b.png');
  });
});
