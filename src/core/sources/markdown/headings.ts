import type { Token } from 'markdown-it';
import { plainText } from './inlineText';

export interface Heading {
  /** 1 for `#`, 6 for `######`; setext `===` is 1 and `---` is 2. */
  readonly level: number;
  /** 0-based first line of the heading. */
  readonly line: number;
  readonly text: string;
  /** The headings above it and itself. */
  readonly path: string[];
}

/**
 * The document's headings in order. Only top-level ones count: a `#` line inside a code fence
 * is no heading to markdown-it, and headings nested in lists or quotes do not start sections.
 */
export function collectHeadings(tokens: readonly Token[]): Heading[] {
  const headings: Heading[] = [];
  const open: Heading[] = [];
  tokens.forEach((token, index) => {
    if (token.type !== 'heading_open' || token.level !== 0 || !token.map) return;
    const level = Number(token.tag.slice(1));
    const text = plainText(tokens[index + 1]?.children ?? null);
    while (open.length && open[open.length - 1]!.level >= level) open.pop();
    const heading: Heading = { level, line: token.map[0], text, path: [...open.map((h) => h.text), text] };
    open.push(heading);
    headings.push(heading);
  });
  return headings;
}

/** The heading path in force at a 0-based line: that of the last heading at or above it. */
export function headingPathAt(headings: readonly Heading[], line: number, beforeFirst: string[]): string[] {
  let low = 0;
  let high = headings.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (headings[middle]!.line <= line) low = middle + 1;
    else high = middle;
  }
  return [...(low > 0 ? headings[low - 1]!.path : beforeFirst)];
}
