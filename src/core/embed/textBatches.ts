import type { BatchOptions } from './clientOptions';

/**
 * Groups indices of text-only inputs into requests bounded by count and by characters.
 * A text longer than the character budget still goes, alone: the server decides if it fits.
 */
export function planTextBatches(lengths: ReadonlyArray<{ index: number; chars: number }>, options: BatchOptions): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let chars = 0;
  for (const { index, chars: size } of lengths) {
    if (current.length > 0 && (current.length >= options.maxTexts || chars + size > options.maxChars)) {
      batches.push(current);
      current = [];
      chars = 0;
    }
    current.push(index);
    chars += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
