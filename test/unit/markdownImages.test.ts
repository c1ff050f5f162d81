import { describe, expect, it } from 'vitest';
import { resolveImageReference, type WorkspaceFileIndex } from '../../src/core/sources/markdown/resolveImageReference';
import { splitMarkdown } from '../../src/core/sources/markdown/splitMarkdown';

describe('splitMarkdown image references', () => {
  const source = [
    '---', // 1
    'title: Screens', // 2
    '---', // 3
    'Logo ![Project *logo*](logo.png "The logo").', // 4
    '', // 5
    '# Gallery', // 6
    'Two lines of text,', // 7
    'then ![dark mode](<shots/dark mode.png>) and ![escaped](a\\_b.png).', // 8
    '', // 9
    '## References', // 10
    'Full ![Full ref][full], collapsed ![coll][] and shortcut ![short].', // 11
    '', // 12
    '[full]: img/full.png', // 13
    '[coll]: <img/collapsed one.png> "Title"', // 14
    '[short]: img/short%20cut.png', // 15
    '', // 16
    '## HTML', // 17
    '<p align="center">', // 18
    '  <img width="200"', // 19
    '       src="html/block.png" alt="Block &amp; more">', // 20
    '</p>', // 21
    '', // 22
    "Inline <img src='html/inline.svg' alt=inline> here.", // 23
    '', // 24
    '### Wiki', // 25
    '![[diagram.png]] and ![[folder/chart.webp|Quarterly chart]]', // 26
    '![[wide.png|640]] ![[Some other note]] ![[Note#Section]]', // 27
    '', // 28
    '| Screen | Shot |', // 29
    '|---|---|', // 30
    '| Login | ![login](table/login.png) |', // 31
    '', // 32
    '- item with [![badge](badge.svg)](https://ci.example)', // 33
    '', // 34
    '```md', // 35
    '![not an image](code.png) ![[code.png]] <img src="code.png">', // 36
    '```', // 37
    'Code span `![nope](span.png)` is code too.', // 38
  ].join('\n');
  const { imageReferences } = splitMarkdown(source);

  it('finds every form with its target as written, alt text, line and syntax', () => {
    expect(imageReferences.map((r) => [r.target, r.alt, r.line, r.syntax])).toEqual([
      ['logo.png', 'Project logo', 4, 'markdown'],
      ['shots/dark mode.png', 'dark mode', 8, 'markdown'],
      ['a_b.png', 'escaped', 8, 'markdown'],
      ['img/full.png', 'Full ref', 11, 'markdown'],
      ['img/collapsed one.png', 'coll', 11, 'markdown'],
      ['img/short%20cut.png', 'short', 11, 'markdown'],
      ['html/block.png', 'Block & more', 19, 'html'],
      ['html/inline.svg', 'inline', 23, 'html'],
      ['diagram.png', '', 26, 'wiki'],
      ['folder/chart.webp', 'Quarterly chart', 26, 'wiki'],
      ['wide.png', '', 27, 'wiki'],
      ['table/login.png', 'login', 31, 'markdown'],
      ['badge.svg', 'badge', 33, 'markdown'],
    ]);
  });

  it('gives each reference the heading path in force on its line', () => {
    const pathOf = (target: string) => imageReferences.find((r) => r.target === target)!.headingPath;
    expect(pathOf('logo.png')).toEqual(['Screens']);
    expect(pathOf('shots/dark mode.png')).toEqual(['Gallery']);
    expect(pathOf('img/full.png')).toEqual(['Gallery', 'References']);
    expect(pathOf('html/block.png')).toEqual(['Gallery', 'HTML']);
    expect(pathOf('diagram.png')).toEqual(['Gallery', 'HTML', 'Wiki']);
    expect(pathOf('badge.svg')).toEqual(['Gallery', 'HTML', 'Wiki']);
  });

  it('finds an image inside a heading and one in a quoted paragraph', () => {
    const doc = splitMarkdown('# ![icon](icon.png) Product\n\n> Quote line\n> ![q](quoted.png)\n');
    expect(doc.title).toBe('Product');
    expect(doc.imageReferences.map((r) => [r.target, r.line, r.headingPath])).toEqual([
      ['icon.png', 1, ['Product']],
      ['quoted.png', 4, ['Product']],
    ]);
  });
});

describe('resolveImageReference', () => {
  it('resolves relative, root-relative and encoded paths to workspace-relative posix paths', () => {
    expect(resolveImageReference('docs/guide.md', 'img/a.png')).toBe('docs/img/a.png');
    expect(resolveImageReference('docs/guide.md', './img/../img/a.png')).toBe('docs/img/a.png');
    expect(resolveImageReference('docs/guide.md', '../assets/b.png')).toBe('assets/b.png');
    expect(resolveImageReference('docs/guide.md', '/assets/c.png')).toBe('assets/c.png');
    expect(resolveImageReference('README.md', 'shots/dark%20mode.png')).toBe('shots/dark mode.png');
    expect(resolveImageReference('README.md', 'shots/%E5%9B%BE.png')).toBe('shots/图.png');
    expect(resolveImageReference('README.md', 'a.png?raw=true#frag')).toBe('a.png');
    expect(resolveImageReference('docs\\win.md', 'img\\w.png')).toBe('docs/img/w.png');
    expect(resolveImageReference('README.md', '100%.png')).toBe('100%.png');
  });

  it('returns undefined for URLs, other hosts, paths leaving the root and empty targets', () => {
    for (const target of [
      'https://example.com/a.png',
      'http://example.com/a.png',
      'HTTPS://EXAMPLE.COM/A.PNG',
      '//cdn.example.com/a.png',
      'data:image/png;base64,AAAA',
      'file:///etc/a.png',
      'C:\\Users\\me\\a.png',
      '../../outside.png',
      '../',
      '',
      '   ',
    ]) {
      expect(resolveImageReference('docs/guide.md', target), target).toBeUndefined();
    }
  });

  it('with a lookup, returns only files that exist, trying the name as written after the decoded one', () => {
    const files = new Set(['docs/100%20literal.png', 'docs/real.png']);
    const exists = (path: string) => files.has(path);
    expect(resolveImageReference('docs/a.md', 'real.png', exists)).toBe('docs/real.png');
    expect(resolveImageReference('docs/a.md', 'missing.png', exists)).toBeUndefined();
    expect(resolveImageReference('docs/a.md', '100%20literal.png', exists)).toBe('docs/100%20literal.png');
  });

  it('resolves wiki embeds beside the note, from the root, then by name nearest the note', () => {
    const files = ['notes/here.png', 'top.png', 'notes/deep/x/far.png', 'notes/sub/far.png', 'other/far.png', 'a/chart.png', 'b/chart.png'];
    const index: WorkspaceFileIndex = {
      has: (path) => files.includes(path),
      filesNamed: (name) => files.filter((file) => file.split('/').pop() === name),
    };
    const wiki = (target: string) => ({ target, syntax: 'wiki' as const });
    expect(resolveImageReference('notes/n.md', wiki('here.png'), index)).toBe('notes/here.png');
    expect(resolveImageReference('notes/n.md', wiki('top.png'), index)).toBe('top.png');
    expect(resolveImageReference('notes/n.md', wiki('far.png'), index)).toBe('notes/sub/far.png');
    expect(resolveImageReference('notes/n.md', wiki('b/chart.png'), index)).toBe('b/chart.png');
    expect(resolveImageReference('notes/n.md', wiki('none.png'), index)).toBeUndefined();
    // A plain predicate cannot search by name: beside the note and the root are all it can check.
    expect(resolveImageReference('notes/n.md', wiki('far.png'), index.has)).toBeUndefined();
    // Without any lookup a wiki embed is taken to sit beside the note.
    expect(resolveImageReference('notes/n.md', wiki('pic.png'))).toBe('notes/pic.png');
  });
});
