import type { Heading } from './headings';
import type { SourceText } from './sourceText';

/** A section before splitting: lines from its heading to the line before the next heading. */
export interface SectionRange {
  readonly headingPath: string[];
  /** Its heading's level; 0 for the text before the first heading. */
  readonly level: number;
  /** 0-based, inclusive, trimmed of blank lines at either end. */
  readonly startLine: number;
  readonly endLine: number;
}

export function sectionRanges(source: SourceText, headings: readonly Heading[], firstBodyLine: number, preamblePath: string[]): SectionRange[] {
  const ranges: SectionRange[] = [];
  const add = (start: number, end: number, headingPath: string[], level: number) => {
    while (start <= end && source.isBlank(start)) start++;
    while (end >= start && source.isBlank(end)) end--;
    if (start <= end) ranges.push({ headingPath, level, startLine: start, endLine: end });
  };
  add(firstBodyLine, (headings[0]?.line ?? source.lines.length) - 1, preamblePath, 0);
  headings.forEach((heading, index) => {
    const next = headings[index + 1]?.line ?? source.lines.length;
    add(heading.line, next - 1, heading.path, heading.level);
  });
  return ranges;
}

function sectionLength(source: SourceText, range: SectionRange): number {
  return source.lineEnd(range.endLine) - source.lineStart(range.startLine);
}

/**
 * Folds sections shorter than `minChars` (a heading with one line under it embeds poorly) into
 * the next section when that one sits at the same or a deeper level, which keeps the merged
 * text under one heading path. A short section followed by a shallower one, or ending the
 * document, joins the one before it instead (a long one then ends with it when split). The
 * merged section keeps the first one's heading path.
 */
export function mergeShortSections(source: SourceText, ranges: readonly SectionRange[], minChars: number): SectionRange[] {
  const merged: SectionRange[] = [];
  for (let index = 0; index < ranges.length; index++) {
    let current = ranges[index]!;
    while (sectionLength(source, current) < minChars) {
      const next = ranges[index + 1];
      if (!next || next.level < current.level) break;
      current = { ...current, endLine: next.endLine };
      index++;
    }
    const previous = merged[merged.length - 1];
    if (previous && sectionLength(source, current) < minChars) {
      merged[merged.length - 1] = { ...previous, endLine: current.endLine };
      continue;
    }
    merged.push(current);
  }
  return merged;
}
