// Full stops and commas of Chinese and Japanese text, which has no spaces to break at.
const CJK_BREAK_AFTER = /[。．！？；，、]/;
const CJK_SENTENCE_END = /[。．！？]/;
const SENTENCE_END = /[.!?。．！？]/;

const isSpace = (char: string | undefined) => char === ' ' || char === '\t' || char === '\n';

/** Whether a piece of text may start at `at`: at a word's start, or after CJK punctuation. */
function isBreak(text: string, at: number): boolean {
  const before = text[at - 1];
  const after = text[at];
  if (before === undefined || after === undefined || isSpace(after)) return false;
  return isSpace(before) || CJK_BREAK_AFTER.test(before);
}

/**
 * Where the overlap carried into the next chunk starts: the earliest sentence or line start in
 * the last `overlapChars` of [from, to), else the earliest word start there, so the overlap is
 * as long as allowed and reads from a clean start; undefined when there is no break at all.
 */
export function overlapStart(text: string, from: number, to: number, overlapChars: number): number | undefined {
  const earliest = Math.max(from + 1, to - overlapChars);
  let wordStart: number | undefined;
  for (let at = earliest; at < to; at++) {
    if (!isBreak(text, at)) continue;
    if (isSentenceStart(text, at)) return at;
    wordStart ??= at;
  }
  return wordStart;
}

/** Called only where `isBreak` holds: after a newline, after `. ` and the like, or after `。`. */
function isSentenceStart(text: string, at: number): boolean {
  const before = text[at - 1]!;
  if (before === '\n' || CJK_SENTENCE_END.test(before)) return true;
  return isSpace(before) && SENTENCE_END.test(text[at - 2] ?? '');
}

/**
 * Cuts one line longer than `maxChars` into pieces of about equal length: after the last
 * sentence end near each piece's share of the line, else after the last space, else (CJK
 * without punctuation, a long URL, a row of emoji) between two characters as a reader sees them.
 */
export function splitLongLine(text: string, from: number, to: number, maxChars: number): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  let start = from;
  while (to - start > maxChars) {
    const remaining = to - start;
    const share = Math.ceil(remaining / Math.ceil(remaining / maxChars));
    const earliest = start + Math.floor(share / 2);
    const limit = start + Math.min(maxChars, share + Math.floor(share / 10));
    const cut =
      lastBreak(text, earliest, limit, (at) => isSentenceStart(text, at)) ??
      lastBreak(text, earliest, limit, () => true) ??
      graphemeBoundary(text, earliest, start + share);
    pieces.push([start, cut]);
    start = cut;
  }
  pieces.push([start, to]);
  return pieces;
}

function lastBreak(text: string, earliest: number, limit: number, accept: (at: number) => boolean): number | undefined {
  for (let at = limit; at > earliest; at--) {
    if (isBreak(text, at) && accept(at)) return at;
  }
  return undefined;
}

let graphemes: Intl.Segmenter | undefined;

/** The last place at or before `limit` (and after `earliest`) that splits no grapheme: no emoji, flag or accent is cut. */
function graphemeBoundary(text: string, earliest: number, limit: number): number {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const windowStart = Math.max(earliest, limit - 64);
  let boundary: number | undefined;
  for (const { index } of graphemes.segment(text.slice(windowStart, limit + 1))) {
    if (index === 0 || windowStart + index > limit) continue;
    boundary = windowStart + index;
  }
  if (boundary !== undefined) return boundary;
  const code = text.charCodeAt(limit);
  return code >= 0xdc00 && code <= 0xdfff ? limit - 1 : limit;
}
