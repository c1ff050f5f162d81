// A postings list (ascending document numbers, each with its occurrence count) as LEB128
// pairs of (gap from the previous document, count): a few bytes per entry, decoded in one pass.

export interface Postings {
  readonly docs: Uint32Array;
  readonly counts: Uint32Array;
}

/** Appends the encoding of `length` entries to `out` from `at`; returns the end. `out` must hold 10 bytes per entry. */
export function encodePostings(docs: ArrayLike<number>, counts: ArrayLike<number>, length: number, out: Uint8Array, at: number): number {
  let previous = 0;
  for (let i = 0; i < length; i++) {
    const doc = docs[i]!;
    at = writeVarint(out, at, i === 0 ? doc : doc - previous);
    at = writeVarint(out, at, counts[i]!);
    previous = doc;
  }
  return at;
}

/**
 * Decodes `length` entries; throws RangeError when the bytes do not hold exactly that many, a
 * document is not above the one before it or not below `documentLimit`, or a count is 0.
 */
export function decodePostings(bytes: Uint8Array, length: number, documentLimit: number): Postings {
  const docs = new Uint32Array(length);
  const counts = new Uint32Array(length);
  let at = 0;
  let doc = -1;
  for (let i = 0; i < length; i++) {
    let gap = 0;
    let shift = 0;
    let byte: number;
    do {
      if (at >= bytes.length || shift > 28) throw new RangeError('a postings list ends early');
      byte = bytes[at++]!;
      gap += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    let count = 0;
    shift = 0;
    do {
      if (at >= bytes.length || shift > 28) throw new RangeError('a postings list ends early');
      byte = bytes[at++]!;
      count += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    doc = i === 0 ? gap : doc + gap;
    if ((i > 0 && gap === 0) || doc >= documentLimit || count === 0) throw new RangeError('a postings list names a document out of order or range');
    docs[i] = doc;
    counts[i] = count;
  }
  if (at !== bytes.length) throw new RangeError('a postings list has bytes past its entries');
  return { docs, counts };
}

function writeVarint(out: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  out[at++] = value;
  return at;
}
