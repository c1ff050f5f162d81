/**
 * A markdown source with line endings made `\n` (as markdown-it sees them, so its line
 * numbers and ours agree) and the offsets where lines start, for turning character ranges
 * into line ranges.
 */
export class SourceText {
  readonly text: string;
  readonly lines: readonly string[];
  private readonly lineStarts: readonly number[];

  constructor(source: string) {
    this.text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    this.lines = this.text.split('\n');
    const starts: number[] = [];
    let offset = 0;
    for (const line of this.lines) {
      starts.push(offset);
      offset += line.length + 1;
    }
    this.lineStarts = starts;
  }

  lineStart(line: number): number {
    return this.lineStarts[line] ?? this.text.length;
  }

  /** Offset just past the last character of `line` (before its newline). */
  lineEnd(line: number): number {
    return this.lineStart(line) + (this.lines[line]?.length ?? 0);
  }

  /** The 0-based line holding `offset`. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  isBlank(line: number): boolean {
    return !/\S/.test(this.lines[line] ?? '');
  }
}
