import { describe, expect, it } from 'vitest';
import { splitMarkdown } from '../../src/core/sources/markdown/splitMarkdown';
import type { MarkdownSection } from '../../src/core/sources/markdown/markdownTypes';

const sentences = (count: number, topic: string) => Array.from({ length: count }, (_, i) => `Sentence ${i} explains how ${topic} works.`).join(' ');

/**
 * A chunk's text must be what its lines say: it lies within the lines startLine..endLine, starts
 * on the first of them (possibly mid-line, where an overlap or a cut begins) and ends on the
 * last.
 */
function expectTrueLines(source: string, chunk: MarkdownSection): void {
  const lines = source.split('\n');
  const slice = lines.slice(chunk.startLine - 1, chunk.endLine).join('\n');
  expect(slice).toContain(chunk.text);
  const chunkLines = chunk.text.split('\n');
  if (chunkLines.length === 1) {
    // One piece of a line cut in several: somewhere within that line.
    expect(chunk.startLine).toBe(chunk.endLine);
    return;
  }
  expect(lines[chunk.startLine - 1]!.endsWith(chunkLines[0]!)).toBe(true);
  expect(lines[chunk.endLine - 1]!.startsWith(chunkLines[chunkLines.length - 1]!)).toBe(true);
}

/** The longest tail of `previous` that `next` starts with. */
function sharedLength(previous: string, next: string): number {
  for (let length = Math.min(previous.length, next.length); length > 0; length--) {
    if (next.startsWith(previous.slice(previous.length - length))) return length;
  }
  return 0;
}

const hasLoneSurrogate = (text: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('splitMarkdown long sections', () => {
  const paragraphs = Array.from({ length: 12 }, (_, i) => sentences(6, `part ${i}`));
  const source = ['# Title', '', '## Long section', '', ...paragraphs.flatMap((p) => [p, '']), '## Next', sentences(3, 'the end')].join('\n');

  it('cuts on paragraph boundaries within maxChars, each chunk with its own true lines', () => {
    const { sections } = splitMarkdown(source, { maxChars: 700, overlapChars: 150, minChars: 0 });
    const long = sections.filter((s) => s.headingPath.join('/') === 'Title/Long section');
    expect(long.length).toBeGreaterThan(3);
    for (const chunk of long) {
      expect(chunk.text.length).toBeLessThanOrEqual(700);
      expectTrueLines(source, chunk);
    }
    // Together the chunks hold every paragraph whole, in order.
    for (const paragraph of paragraphs) expect(long.some((c) => c.text.includes(paragraph))).toBe(true);
    expect(long[0]!.startLine).toBe(3);
    // The last paragraph is two lines above `## Next`, with a blank line between.
    expect(long[long.length - 1]!.endLine).toBe(source.split('\n').indexOf('## Next') - 1);
  });

  it('starts each later chunk with up to overlapChars of the previous chunk, from a sentence start', () => {
    const { sections } = splitMarkdown(source, { maxChars: 700, overlapChars: 150, minChars: 0 });
    const long = sections.filter((s) => s.headingPath.join('/') === 'Title/Long section');
    for (let i = 1; i < long.length; i++) {
      const shared = sharedLength(long[i - 1]!.text, long[i]!.text);
      expect(shared).toBeGreaterThan(0);
      expect(shared).toBeLessThanOrEqual(150);
      expect(long[i]!.text).toMatch(/^Sentence \d+ /);
      expect(long[i]!.startLine).toBeLessThanOrEqual(long[i - 1]!.endLine);
    }
    const without = splitMarkdown(source, { maxChars: 700, overlapChars: 0, minChars: 0 }).sections;
    const plain = without.filter((s) => s.headingPath.join('/') === 'Title/Long section');
    for (let i = 1; i < plain.length; i++) expect(plain[i]!.startLine).toBeGreaterThan(plain[i - 1]!.endLine);
  });

  it('keeps a code block whole when it fits, and splits a larger one by lines', () => {
    const fence = ['```ts', ...Array.from({ length: 30 }, (_, i) => `const value${i} = compute(${i}); // step ${i}`), '```'];
    const huge = ['```ts', ...Array.from({ length: 200 }, (_, i) => `const big${i} = compute(${i}); // step ${i}`), '```'];
    const code = ['# Code', sentences(8, 'setup'), '', ...fence, '', sentences(8, 'usage'), '', ...huge, ''].join('\n');
    const { sections } = splitMarkdown(code, { maxChars: 1500, overlapChars: 100 });
    expect(sections.filter((s) => s.text.includes(fence.join('\n')))).toHaveLength(1);
    const hugeChunks = sections.filter((s) => s.text.includes('const big'));
    expect(hugeChunks.length).toBeGreaterThan(3);
    for (const chunk of sections) {
      expect(chunk.text.length).toBeLessThanOrEqual(1500);
      expectTrueLines(code, chunk);
    }
    for (let i = 0; i < 200; i++) expect(hugeChunks.some((c) => c.text.includes(`const big${i} =`))).toBe(true);
  });

  it('cuts a single overlong line between sentences, and CJK or emoji text without breaking a character', () => {
    const cjk = '这是一个很长的段落，用来测试没有空格的文本如何被切分。'.repeat(60);
    const emoji = '🚀🎉👩🏽‍💻🇩🇪'.repeat(200);
    const long = ['# Long lines', sentences(80, 'a single line'), '', cjk, '', emoji].join('\n');
    const { sections } = splitMarkdown(long, { maxChars: 500, overlapChars: 80 });
    for (const chunk of sections) {
      expect(chunk.text.length).toBeLessThanOrEqual(500);
      expect(hasLoneSurrogate(chunk.text)).toBe(false);
      expectTrueLines(long, chunk);
    }
    const englishPieces = sections.filter((s) => s.startLine === 2 && s.endLine === 2);
    expect(englishPieces.length).toBeGreaterThan(5);
    for (const piece of englishPieces) expect(piece.text.trimEnd()).toMatch(/\.$/);
    const cjkPieces = sections.filter((s) => s.startLine === 4 && s.endLine === 4);
    expect(sections.filter((s) => s.startLine <= 4 && s.endLine >= 4).length).toBeGreaterThan(3);
    for (const piece of cjkPieces) expect(piece.text).toMatch(/[。，]$/);
    // Emoji made of several code points (skin tone, ZWJ sequence, flag) stay whole.
    const clusters = new Set(['🚀', '🎉', '👩🏽‍💻', '🇩🇪']);
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const emojiPieces = sections.filter((s) => s.startLine === 6);
    expect(emojiPieces.length).toBeGreaterThan(3);
    for (const piece of emojiPieces) {
      for (const { segment } of segmenter.segment(piece.text)) expect(clusters.has(segment)).toBe(true);
    }
  });

  it('splits a long list between items', () => {
    const items = Array.from({ length: 40 }, (_, i) => `- Item ${i}: ${sentences(1, `item ${i}`)}`);
    const list = ['# List', '', ...items].join('\n');
    const { sections } = splitMarkdown(list, { maxChars: 400, overlapChars: 0 });
    expect(sections.length).toBeGreaterThan(3);
    for (const chunk of sections) {
      expectTrueLines(list, chunk);
      const items = chunk.text.split('\n').filter((line) => line && !line.startsWith('#'));
      for (const line of items) expect(line).toMatch(/^- Item \d+: .*\.$/);
    }
  });
});
