import type { MarkdownFrontMatter } from './frontMatter';
import type { Heading } from './headings';

export type { MarkdownFrontMatter } from './frontMatter';

export interface SplitMarkdownOptions {
  /** Longest section text; longer sections are split on block boundaries. Default 2000. */
  readonly maxChars?: number;
  /** At most this much of a chunk's tail is repeated at the start of the next. Default 200. */
  readonly overlapChars?: number;
  /** Sections shorter than this merge with a neighbour. Default 200. */
  readonly minChars?: number;
  /** Read the source as MDX: ESM, JSX and expressions are not prose; JSX images are image references. */
  readonly mdx?: boolean;
}

/** One embeddable piece of a markdown file. */
export interface MarkdownSection {
  /** Headings from the top down to this section's own, e.g. ['Guide', 'Install', 'Linux']. */
  readonly headingPath: string[];
  /** 1-based, inclusive, counted in the original file (front matter lines included). */
  readonly startLine: number;
  readonly endLine: number;
  /** The source as written (line endings as \n), headings included, front matter never. */
  readonly text: string;
}

export type ImageReferenceSyntax = 'markdown' | 'html' | 'wiki';

export interface MarkdownImageReference {
  /** As written, with markdown escapes and HTML entities decoded; %-escapes are left in. */
  readonly target: string;
  readonly alt: string;
  /** 1-based line of the original file. */
  readonly line: number;
  readonly headingPath: string[];
  /** Wiki embeds resolve by file name, the others by path (see resolveImageReference). */
  readonly syntax: ImageReferenceSyntax;
}

export interface MarkdownDocument {
  /** Front matter title, else the first level-1 heading. */
  readonly title: string | undefined;
  readonly frontMatter: MarkdownFrontMatter;
  readonly sections: MarkdownSection[];
  readonly imageReferences: MarkdownImageReference[];
  /** Every top-level heading, with its 0-based line. */
  readonly headings: Heading[];
}
