import type { Token } from 'markdown-it';

/** A block of the document as a 0-based line range (end exclusive), with the blocks inside it. */
export interface Block {
  readonly start: number;
  readonly end: number;
  readonly children: Block[];
}

/**
 * The block tree from markdown-it's tokens: paragraphs, headings, fences, lists with their
 * items, quotes, tables with their rows. Long sections split between top-level blocks; a
 * block too long for one piece splits between its children.
 */
export function blockTree(tokens: readonly Token[]): Block[] {
  const top: Block[] = [];
  // One entry per open token, so every close token pops its own open; opens without a line
  // range (table cells) hold `undefined` and add their content to the nearest ranged parent.
  const open: Array<Block | undefined> = [];
  const parentList = () => {
    for (let at = open.length - 1; at >= 0; at--) {
      const block = open[at];
      if (block) return block.children;
    }
    return top;
  };
  for (const token of tokens) {
    if (token.nesting === -1) {
      open.pop();
      continue;
    }
    const block = token.map && token.type !== 'inline' ? { start: token.map[0], end: token.map[1], children: [] } : undefined;
    if (block) parentList().push(block);
    if (token.nesting === 1) open.push(block);
  }
  return top;
}
