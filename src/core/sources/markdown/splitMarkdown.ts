import { blockTree } from './blocks';
import { chunkSection } from './chunkSection';
import { readFrontMatter } from './frontMatter';
import { collectHeadings, type Heading, headingPathAt } from './headings';
import { collectImageReferences } from './imageReferences';
import { parseMarkdown } from './markdownParser';
import type { MarkdownDocument, MarkdownImageReference, MarkdownSection, SplitMarkdownOptions } from './markdownTypes';
import { type JsxImage, mdxProse } from './mdxProse';
import { mergeShortSections, sectionRanges } from './sections';
import { SourceText } from './sourceText';

export const DEFAULT_SPLIT_OPTIONS: Required<SplitMarkdownOptions> = {
  maxChars: 2000,
  overlapChars: 200,
  minChars: 200,
  mdx: false,
};

/**
 * Splits a markdown file into sections to embed: one per heading, short ones merged, long ones
 * cut on block boundaries with a little overlap. Each keeps its heading path and the lines it
 * came from, so a result can open the file at the right place.
 */
export function splitMarkdown(source: string, options: SplitMarkdownOptions = {}): MarkdownDocument {
  const { maxChars, overlapChars, minChars } = { ...DEFAULT_SPLIT_OPTIONS, ...definedOnly(options) };
  if (!(maxChars >= 1)) throw new RangeError('maxChars must be at least 1');
  const original = new SourceText(source);
  const { frontMatter, lineCount } = readFrontMatter(original.lines);
  // MDX is read as the prose it renders to; its lines stay where they are in the file.
  const prose = options.mdx ? mdxProse(original.text) : undefined;
  const text = prose ? new SourceText(prose.text) : original;
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
    imageReferences: prose
      ? withJsxImages(collectImageReferences(tokens, headings, preamblePath), prose.images, headings, preamblePath)
      : collectImageReferences(tokens, headings, preamblePath),
    headings,
  };
}

/** Images shown through JSX, among the markdown ones in line order, each with the heading path on its line. */
function withJsxImages(
  references: MarkdownImageReference[],
  images: readonly JsxImage[],
  headings: readonly Heading[],
  preamblePath: string[],
): MarkdownImageReference[] {
  const jsx = images.map((image) => ({
    target: image.src,
    alt: image.alt,
    line: image.line + 1,
    headingPath: headingPathAt(headings, image.line, preamblePath),
    syntax: 'html' as const,
  }));
  return [...references, ...jsx].sort((a, b) => a.line - b.line);
}

function definedOnly(options: SplitMarkdownOptions): SplitMarkdownOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
