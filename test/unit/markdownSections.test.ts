import { describe, expect, it } from 'vitest';
import { splitMarkdown } from '../../src/core/sources/markdown/splitMarkdown';
import type { MarkdownSection } from '../../src/core/sources/markdown/markdownTypes';

const NO_MERGE = { minChars: 0 };

/** The original lines a section claims, joined as the section's text is. */
function linesOf(source: string, section: MarkdownSection): string {
  return source
    .split(/\r?\n/)
    .slice(section.startLine - 1, section.endLine)
    .join('\n');
}

const words = (count: number, word = 'lorem') => Array.from({ length: count }, (_, i) => `${word}${i}`).join(' ');

describe('splitMarkdown sections', () => {
  it('gives each heading a section with its heading path and exact line range', () => {
    const source = [
      '# Guide', // 1
      'Welcome.', // 2
      '', // 3
      '## Install', // 4
      'Run the installer.', // 5
      '### Linux', // 6
      'Use the package.', // 7
      '', // 8
      '### macOS', // 9
      'Use the app.', // 10
      '## Use', // 11
      'Open it.', // 12
      '# Appendix', // 13
      'More.', // 14
      '', // 15
    ].join('\n');
    const { sections, title } = splitMarkdown(source, NO_MERGE);
    expect(title).toBe('Guide');
    expect(sections.map((s) => [s.headingPath, s.startLine, s.endLine])).toEqual([
      [['Guide'], 1, 2],
      [['Guide', 'Install'], 4, 5],
      [['Guide', 'Install', 'Linux'], 6, 7],
      [['Guide', 'Install', 'macOS'], 9, 10],
      [['Guide', 'Use'], 11, 12],
      [['Appendix'], 13, 14],
    ]);
    for (const section of sections) expect(section.text).toBe(linesOf(source, section));
  });

  it('reads setext headings, and keeps # lines in code fences and indented code as code', () => {
    const source = [
      'Manual', // 1
      '======', // 2
      '', // 3
      '```sh', // 4
      '# not a heading', // 5
      '## nor this', // 6
      '```', // 7
      '', // 8
      '    # indented code', // 9
      '', // 10
      'Setup', // 11
      '-----', // 12
      '~~~', // 13
      '# still code', // 14
      '~~~', // 15
    ].join('\n');
    const { sections, title } = splitMarkdown(source, NO_MERGE);
    expect(title).toBe('Manual');
    expect(sections.map((s) => [s.headingPath, s.startLine, s.endLine])).toEqual([
      [['Manual'], 1, 9],
      [['Manual', 'Setup'], 11, 15],
    ]);
    expect(sections[0]!.text).toContain('# not a heading\n## nor this');
  });

  it('takes front matter as context: title, tags and description, never section text', () => {
    const source = [
      '---', // 1
      'title: Release notes', // 2
      'tags: [ui, "dark mode"]', // 3
      'description: What changed', // 4
      '---', // 5
      'Before any heading.', // 6
      '', // 7
      '# Version 2', // 8
      'Dark mode.', // 9
    ].join('\n');
    const document = splitMarkdown(source, NO_MERGE);
    expect(document.title).toBe('Release notes');
    expect(document.frontMatter).toEqual({ title: 'Release notes', tags: ['ui', 'dark mode'], description: 'What changed' });
    expect(document.sections.map((s) => [s.headingPath, s.startLine, s.endLine, s.text])).toEqual([
      [['Release notes'], 6, 6, 'Before any heading.'],
      [['Version 2'], 8, 9, '# Version 2\nDark mode.'],
    ]);
    for (const section of document.sections) expect(section.text).not.toContain('tags');
  });

  it('accepts tags as one string, ignores YAML that does not parse, and needs --- on line 1', () => {
    expect(splitMarkdown('---\ntags: ui, search\n---\nx').frontMatter).toEqual({ tags: ['ui', 'search'] });
    const broken = splitMarkdown('---\ntitle: [unclosed\n---\n# Real title\nbody', NO_MERGE);
    expect(broken.frontMatter).toEqual({});
    expect(broken.title).toBe('Real title');
    expect(broken.sections.map((s) => s.startLine)).toEqual([4]);
    // A --- later in the file is a thematic break, and what follows it is body text.
    const late = splitMarkdown('Intro\n\n---\ntitle: no\n\n---\n', NO_MERGE);
    expect(late.frontMatter).toEqual({});
    expect(late.title).toBeUndefined();
    expect(late.sections.map((s) => [s.headingPath, s.text])).toEqual([[[], 'Intro\n\n---\ntitle: no\n\n---']]);
  });

  it('keeps CJK, Cyrillic, Arabic and emoji text and headings intact', () => {
    const source = [
      '# 使用说明',
      '这是一个用于搜索截图的工具。',
      '## Установка',
      'Запустите установщик и следуйте инструкциям.',
      '## التثبيت',
      'قم بتشغيل المثبت واتبع التعليمات.',
      '## Emoji 🚀 launch',
      'Ship it 👩🏽‍💻 🎉 with 🇩🇪 flags.',
    ].join('\n');
    const { sections, title } = splitMarkdown(source, NO_MERGE);
    expect(title).toBe('使用说明');
    expect(sections.map((s) => s.headingPath)).toEqual([['使用说明'], ['使用说明', 'Установка'], ['使用说明', 'التثبيت'], ['使用说明', 'Emoji 🚀 launch']]);
    for (const section of sections) expect(section.text).toBe(linesOf(source, section));
  });

  it('merges a short section into the following one of the same or a deeper level', () => {
    const source = ['# A', 'short', '## B', 'also short', '## C', words(60), '# D', words(60)].join('\n');
    const { sections } = splitMarkdown(source, { minChars: 100 });
    expect(sections.map((s) => [s.headingPath, s.startLine, s.endLine])).toEqual([
      [['A'], 1, 6],
      [['D'], 7, 8],
    ]);
    expect(sections[0]!.text).toBe(linesOf(source, sections[0]!));
  });

  it('merges a short last section, or one before a shallower heading, into the one before', () => {
    const source = ['# A', words(40), '## A.1', 'tiny', '# B', words(40), '## B.1', 'tiny too'].join('\n');
    const { sections } = splitMarkdown(source, { minChars: 100 });
    expect(sections.map((s) => [s.headingPath, s.startLine, s.endLine])).toEqual([
      [['A'], 1, 4],
      [['B'], 5, 8],
    ]);
  });

  it('merges short text before the first heading into the first section', () => {
    const source = ['[![build](badge.svg)](ci)', '', '# Project', words(40)].join('\n');
    const { sections } = splitMarkdown(source);
    expect(sections).toHaveLength(1);
    expect(sections[0]).toMatchObject({ headingPath: ['Project'], startLine: 1, endLine: 4 });
  });

  it('returns no sections for an empty document or one with only front matter', () => {
    expect(splitMarkdown('').sections).toEqual([]);
    expect(splitMarkdown('\n\n  \n').sections).toEqual([]);
    expect(splitMarkdown('---\ntitle: Only\n---\n')).toMatchObject({ title: 'Only', sections: [] });
  });

  it('counts lines of CRLF files and strips a byte order mark', () => {
    const source = '\uFEFF# One\r\nfirst\r\n\r\n# Two\r\nsecond\r\n';
    const { sections } = splitMarkdown(source, NO_MERGE);
    expect(sections.map((s) => [s.startLine, s.endLine, s.text])).toEqual([
      [1, 2, '# One\nfirst'],
      [4, 5, '# Two\nsecond'],
    ]);
  });
});
