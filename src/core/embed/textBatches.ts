import type { BatchOptions } from './clientOptions';

/**
 * How many of the texts at the head of a queue go in the next request: as many as fit the
 * count and the character budget. A text longer than the budget still goes, alone: the server
 * decides if it fits.
 */
export function leadingBatchSize(chars: ReadonlyArray<number>, options: Pick<BatchOptions, 'maxTexts' | 'maxChars'>): number {
  let taken = 0;
  let total = 0;
  for (const size of chars) {
    if (taken > 0 && (taken >= options.maxTexts || total + size > options.maxChars)) break;
    taken++;
    total += size;
  }
  return taken;
}
