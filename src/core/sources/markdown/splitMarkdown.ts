import { blockTree } from './blocks';
import { chunkSection } from './chunkSection';
import { readFrontMatter } from './frontMatter';
import { collectHeadings } from './headings';
import { collectImageReferences } from './imageReferences';
import { parseMarkdown } from './markdownParser';
import type { MarkdownDocument, MarkdownSection, SplitMarkdownOptions } from './markdownTypes';
import { mergeShortSections, sectionRanges } from './sections';
import { SourceText } from './sourceText';

export const DEFAULT_SPLIT_OPTIONS: Required<SplitMarkdownOptions> = {
  maxChars: 2000,
  overlapChars: 200,
  minChars: 200,
};

/**
 * Splits a markdown file into sections to embed: one per heading, short ones merged, long ones
 * cut on block boundaries with a little overlap. Each keeps its heading path and the lines it
 * came from, so a result can open the file at the right place.
 */
export function splitMarkdown(source: string, options: SplitMarkdownOptions = {}): MarkdownDocument {
  const { maxChars, overlapChars, minChars } = { ...DEFAULT_SPLIT_OPTIONS, ...definedOnly(options) };
  if (!(maxChars >= 1)) throw new RangeError('maxChars must be at least 1');
  const text = new SourceText(source);
  const { frontMatter, lineCount } = readFrontMatter(text.lines);
  // Front matter becomes blank lines for the parser, so its line numbers stay those of the file
  // while YAML never reaches a section.
  const body = lineCount ? '\n'.repeat(lineCount) + text.text.slice(text.lineStart(lineCount)) : text.text;
  const tokens = parseMarkdown(body);
  const headings = collectHeadings(tokens);
  const title = frontMatter.title ?? headings.find((heading) => heading.level === 1)?.text;
  const preamblePath = title ? [title] : [];
  const blocks = blockTree(tokens);
  const ranges = mergeShortSections(text, sectionRanges(text, headings, lineCount, preamblePath), minChars);
  const sections: MarkdownSection[] = [];
  for (const range of ranges) {
    for (const span of chunkSection(text, blocks, range, { maxChars, overlapChars })) {
      sections.push({
        headingPath: [...range.headingPath],
        startLine: text.lineOf(span.from) + 1,
        endLine: text.lineOf(Math.max(span.from, span.to - 1)) + 1,
        text: text.text.slice(span.from, span.to),
      });
    }
  }
  return {
    title,
    frontMatter,
    sections,
    imageReferences: collectImageReferences(tokens, headings, preamblePath),
  };
}

function definedOnly(options: SplitMarkdownOptions): SplitMarkdownOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
