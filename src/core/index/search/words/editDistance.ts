/**
 * Levenshtein distance between `a` and `b` (UTF-16 units, as query words are compared), or
 * Infinity when it exceeds `max`. Only the band of width 2 * max + 1 around the diagonal is
 * computed and a row that is entirely over `max` ends the work, so scanning a whole vocabulary
 * for the few words within one or two edits stays cheap.
 */
export function boundedEditDistance(a: string, b: string, max: number, scratch: Uint16Array[] = [new Uint16Array(0), new Uint16Array(0)]): number {
  if (Math.abs(a.length - b.length) > max) return Infinity;
  const width = b.length + 1;
  if (scratch[0]!.length < width) {
    scratch[0] = new Uint16Array(width * 2);
    scratch[1] = new Uint16Array(width * 2);
  }
  let previous = scratch[0]!;
  let current = scratch[1]!;
  const over = max + 1;
  for (let j = 0; j < width; j++) previous[j] = Math.min(j, over);
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    current[0] = Math.min(i, over);
    if (from > 1) current[from - 1] = over;
    let best = from === 1 ? current[0] : over;
    const char = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const substitute = previous[j - 1]! + (char === b.charCodeAt(j - 1) ? 0 : 1);
      const remove = j <= i - 1 + max ? previous[j]! + 1 : over;
      const insert = current[j - 1]! + 1;
      const value = Math.min(substitute, remove, insert, over);
      current[j] = value;
      if (value < best) best = value;
    }
    if (to < b.length) current[to + 1] = over;
    if (best > max) return Infinity;
    [previous, current] = [current, previous];
  }
  const distance = previous[b.length]!;
  return distance <= max ? distance : Infinity;
}
