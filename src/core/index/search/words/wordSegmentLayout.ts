// The on-disk layout of a word segment (a saved lexical index), little-endian throughout:
//
//   header (72 bytes)  magic "SLWD", version, documents, files, terms, head bytes,
//                      postings bytes (f64), distinct-word sums per field (3 x f64), head crc32,
//                      bytes of the file keys, bytes of the words
//   documents          file number u32[D], item u32[D], distinct words per field u32[3D]
//   files              first document u32[F+1], key offsets u32[F+1], keys (UTF-8), sorted
//   terms              offsets u32[T+1], words (UTF-8), sorted; per term and field: postings
//                      offset u32[3T+1], documents u32[3T], crc32 u32[3T]
//   postings           per term and field: (document delta, occurrences) as LEB128 pairs
//
// Everything before the postings (the "head") is read and checked at open; a query reads only
// the postings blocks of its words, each checked against its own crc32. Files and terms are
// sorted (JavaScript string order), so both are found by binary search, and documents are
// numbered in file order, so the same catalog always gives the same numbers.

export const WORD_SEGMENT_MAGIC = 0x44574c53; // "SLWD"
export const WORD_SEGMENT_VERSION = 1;
export const HEADER_BYTES = 72;

export const HEADER = {
  magic: 0,
  version: 4,
  documents: 8,
  files: 12,
  terms: 16,
  headBytes: 20,
  postingsBytes: 24,
  lengthSums: 32,
  headCrc: 56,
  fileKeyBytes: 60,
  termBytes: 64,
} as const;

/** Byte offsets of the head's sections, from its counts (each section 4-byte aligned). */
export interface HeadSections {
  readonly docFile: number;
  readonly docItem: number;
  readonly docLengths: number;
  readonly fileFirst: number;
  readonly fileKeyOffsets: number;
  readonly fileKeys: number;
  readonly termOffsets: number;
  readonly termText: number;
  readonly postingsOffsets: number;
  readonly postingsCounts: number;
  readonly postingsCrcs: number;
  readonly end: number;
}

export function headSections(documents: number, files: number, terms: number, fileKeyBytes: number, termBytes: number): HeadSections {
  let at = HEADER_BYTES;
  const take = (bytes: number): number => {
    const start = at;
    at += align(bytes);
    return start;
  };
  const docFile = take(4 * documents);
  const docItem = take(4 * documents);
  const docLengths = take(12 * documents);
  const fileFirst = take(4 * (files + 1));
  const fileKeyOffsets = take(4 * (files + 1));
  const fileKeys = take(fileKeyBytes);
  const termOffsets = take(4 * (terms + 1));
  const termText = take(termBytes);
  const postingsOffsets = take(4 * (3 * terms + 1));
  const postingsCounts = take(12 * terms);
  const postingsCrcs = take(12 * terms);
  return { docFile, docItem, docLengths, fileFirst, fileKeyOffsets, fileKeys, termOffsets, termText, postingsOffsets, postingsCounts, postingsCrcs, end: at };
}

export function align(bytes: number): number {
  return (bytes + 3) & ~3;
}
