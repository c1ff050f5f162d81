import type { Block } from './blocks';
import type { SourceText } from './sourceText';
import { splitLongLine } from './textBoundaries';

/** A character range of the source, end exclusive. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/**
 * The pieces a long section may be cut between, in order: whole blocks where they fit in
 * `maxChars`; a longer block gives its child blocks (list items, quoted paragraphs, table
 * rows), and a block without children (a paragraph, a code fence) gives its lines, a line
 * longer than `lineChars` in pieces. Lines no block claims (link reference definitions) are
 * pieces too, so nothing is lost.
 */
export function chunkUnits(source: SourceText, blocks: readonly Block[], startLine: number, endLine: number, maxChars: number, lineChars: number): Span[] {
  const units: Span[] = [];
  for (const block of coverLines(source, blocks, startLine, endLine + 1)) {
    let last = block.end - 1;
    while (last > block.start && source.isBlank(last)) last--;
    const span = { from: source.lineStart(block.start), to: source.lineEnd(last) };
    if (span.to - span.from <= maxChars) units.push(span);
    else if (block.children.length) units.push(...chunkUnits(source, block.children, block.start, last, maxChars, lineChars));
    else units.push(...lineUnits(source, block.start, last, lineChars));
  }
  return units;
}

/** The blocks within [start, end), clipped to it, plus a block for each run of lines between them. */
function coverLines(source: SourceText, blocks: readonly Block[], start: number, end: number): Block[] {
  const covered: Block[] = [];
  let line = start;
  const addGap = (until: number) => {
    for (let at = line; at < until; at++) {
      if (source.isBlank(at)) continue;
      let stop = at;
      while (stop + 1 < until && !source.isBlank(stop + 1)) stop++;
      covered.push({ start: at, end: stop + 1, children: [] });
      at = stop;
    }
  };
  for (const block of blocks) {
    if (block.end <= line || block.start >= end) continue;
    addGap(block.start);
    const clipped = { start: Math.max(block.start, line), end: Math.min(block.end, end) };
    covered.push({ ...clipped, children: block.children });
    line = clipped.end;
  }
  addGap(end);
  return covered;
}

function lineUnits(source: SourceText, start: number, last: number, maxChars: number): Span[] {
  const units: Span[] = [];
  for (let line = start; line <= last; line++) {
    if (source.isBlank(line)) continue;
    const from = source.lineStart(line);
    const to = source.lineEnd(line);
    for (const [pieceFrom, pieceTo] of splitLongLine(source.text, from, to, maxChars)) {
      units.push({ from: pieceFrom, to: pieceTo });
    }
  }
  return units;
}
