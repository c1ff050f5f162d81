export interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export type Direction = 'up' | 'down' | 'left' | 'right';

/**
 * Which item an arrow key moves to, from where the items are on screen: the nearest one in
 * that direction, so arrows move in two dimensions through a grid of thumbnails and in one
 * through a list of rows, and across from one to the other. Down from the bottom row of a grid
 * goes to the row below it; up from a full-width row into a grid lands on the first tile under
 * it. Undefined when there is nothing that way.
 */
export function nextInDirection(boxes: readonly Box[], from: number, direction: Direction): number | undefined {
  const current = boxes[from];
  if (!current) return undefined;
  const centreY = (current.top + current.bottom) / 2;
  let best: { index: number; cost: number } | undefined;
  boxes.forEach((box, index) => {
    if (index === from) return;
    const cost = costOf(current, box, direction, centreY);
    if (cost !== undefined && (!best || cost < best.cost)) best = { index, cost };
  });
  return best?.index;
}

const SLACK = 2;

function costOf(current: Box, box: Box, direction: Direction, centreY: number): number | undefined {
  const y = (box.top + box.bottom) / 2;
  // How far apart the two are side to side (0 when they overlap); the leftmost wins a tie.
  const apart = Math.max(0, box.left - current.right, current.left - box.right) + box.left / 1e6;
  const overlapsRow = box.top < current.bottom - SLACK && box.bottom > current.top + SLACK;
  switch (direction) {
    case 'down':
      if (box.top < current.bottom - SLACK) return undefined;
      // The nearest row first, then the nearest column in it.
      return (box.top - current.bottom) * 1000 + apart;
    case 'up':
      if (box.bottom > current.top + SLACK) return undefined;
      return (current.top - box.bottom) * 1000 + apart;
    case 'right':
      if (!overlapsRow || box.left < current.right - SLACK) return undefined;
      return box.left - current.right + Math.abs(y - centreY);
    case 'left':
      if (!overlapsRow || box.right > current.left + SLACK) return undefined;
      return current.left - box.right + Math.abs(y - centreY);
  }
}
