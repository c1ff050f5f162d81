import type { Notebook, NotebookCell } from './notebookTypes';

/**
 * A notebook's cells as one markdown document, so it is split into sections exactly like a
 * markdown file: markdown cells as written, code cells as fenced code in the kernel's
 * language, raw cells left out, a blank line between cells. `cellAt` maps a line back to its
 * cell, which is where a result opens.
 */
export interface NotebookText {
  readonly text: string;
  /** 0-based index of the cell holding this 0-based line of `text`. */
  cellAt(line: number): number;
  /** The 0-based line of `text` where a cell starts; undefined for cells with no text (empty, raw, left out). */
  startOf(cell: number): number | undefined;
  /** Cells left out because the text reached `maxChars` (0 when none). */
  readonly cellsLeftOut: number;
  /** The first cell left out, 0-based. */
  readonly firstLeftOut?: number;
}

export function notebookText(notebook: Notebook, maxChars: number): NotebookText {
  const parts: string[] = [];
  const starts: Array<{ line: number; cell: number }> = [];
  let line = 0;
  let chars = 0;
  let cellsLeftOut = 0;
  let firstLeftOut: number | undefined;
  for (const cell of notebook.cells) {
    const lines = cellLines(cell, notebook.language);
    if (!lines.length) continue;
    const size = lines.reduce((sum, text) => sum + text.length + 1, 0);
    if (chars + size > maxChars || firstLeftOut !== undefined) {
      firstLeftOut ??= cell.index;
      cellsLeftOut++;
      continue;
    }
    starts.push({ line, cell: cell.index });
    parts.push(...lines, '');
    line += lines.length + 1;
    chars += size + 1;
  }
  const lineByCell = new Map(starts.map((start) => [start.cell, start.line]));
  return {
    text: parts.join('\n'),
    cellsLeftOut,
    ...(firstLeftOut !== undefined ? { firstLeftOut } : {}),
    startOf(cell: number) {
      return lineByCell.get(cell);
    },
    cellAt(target: number) {
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (starts[middle]!.line <= target) low = middle;
        else high = middle - 1;
      }
      return starts[low]?.cell ?? 0;
    },
  };
}

function cellLines(cell: NotebookCell, language: string): string[] {
  const source = cell.source.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  if (!source.trim() || cell.type === 'raw') return [];
  if (cell.type === 'markdown') return source.split('\n');
  // A fence longer than any run of backticks inside, so code holding ``` stays one block.
  const longest = Math.max(0, ...[...source.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, ...source.split('\n'), fence];
}
