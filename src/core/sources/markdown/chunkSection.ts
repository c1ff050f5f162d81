import type { Block } from './blocks';
import { chunkUnits, type Span } from './chunkUnits';
import type { SectionRange } from './sections';
import type { SourceText } from './sourceText';
import { overlapStart } from './textBoundaries';

export interface ChunkLimits {
  readonly maxChars: number;
  readonly overlapChars: number;
}

/**
 * Cuts a section into spans of at most `maxChars`, packing whole units greedily. Each span
 * after the first starts with the tail (up to `overlapChars`, from a word or line start) of the
 * one before, so a sentence cut at a boundary keeps its context on both sides.
 */
export function chunkSection(source: SourceText, blocks: readonly Block[], section: SectionRange, limits: ChunkLimits): Span[] {
  const whole = { from: source.lineStart(section.startLine), to: source.lineEnd(section.endLine) };
  if (whole.to - whole.from <= limits.maxChars) return [whole];
  // Pieces of a cut line leave room for the overlap, which would not fit beside a full-size one.
  const lineChars = Math.max(Math.ceil(limits.maxChars / 2), limits.maxChars - limits.overlapChars);
  const units = chunkUnits(source, blocks, section.startLine, section.endLine, limits.maxChars, lineChars);
  const chunks: Span[] = [];
  let carried: number | undefined;
  for (let index = 0; index < units.length;) {
    const first = units[index]!;
    // Overlap is a bonus: dropped when it would push the next unit past the limit.
    const from = carried !== undefined && first.to - carried <= limits.maxChars ? carried : first.from;
    let last = index;
    while (last + 1 < units.length && units[last + 1]!.to - from <= limits.maxChars) last++;
    const to = units[last]!.to;
    chunks.push({ from, to });
    index = last + 1;
    carried = limits.overlapChars > 0 ? overlapStart(source.text, first.from, to, limits.overlapChars) : undefined;
  }
  return chunks;
}
