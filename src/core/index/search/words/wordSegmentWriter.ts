import { crc32 } from '../../vectors/crc32';
import type { Postings } from './postingsCodec';
import { encodePostings } from './postingsCodec';
import { FIELD_COUNT } from './wordDocuments';
import { HEADER, headSections, WORD_SEGMENT_MAGIC, WORD_SEGMENT_VERSION } from './wordSegmentLayout';

/** What a word segment is written from: documents numbered in file order, terms in sorted order. */
export interface WordSegmentContent {
  /** fileKey of each file, sorted, and the number of its first document (one more entry: the document count). */
  readonly fileKeys: readonly string[];
  readonly fileFirst: Uint32Array;
  /** Per document: its file's number, its item index, and distinct words per field (3 per document). */
  readonly docFile: Uint32Array;
  readonly docItem: Uint32Array;
  readonly docLengths: Uint32Array;
  /** Every word with its postings per field (empty lists allowed), in ascending string order. */
  readonly terms: Iterable<{ readonly term: string; readonly fields: readonly Postings[] }>;
}

export interface EncodedWordSegment {
  readonly chunks: Uint8Array[];
  readonly bytes: number;
  /** crc32 of the head (the header with its crc field zeroed, and every section before the postings). */
  readonly headCrc: number;
}

const POSTINGS_CHUNK = 1 << 20;

/** Encodes a word segment in memory (the postings are a few bytes per word occurrence). */
export function encodeWordSegment(content: WordSegmentContent): EncodedWordSegment {
  const documents = content.docFile.length;
  const termList: string[] = [];
  const offsets: number[] = [0];
  const counts: number[] = [];
  const crcs: number[] = [];
  const postingsChunks: Uint8Array[] = [];
  let chunk = new Uint8Array(POSTINGS_CHUNK);
  let used = 0;
  let total = 0;
  let previousTerm: string | undefined;
  for (const { term, fields } of content.terms) {
    if (previousTerm !== undefined && !(previousTerm < term)) throw new Error(`word segment terms out of order: ${previousTerm} then ${term}`);
    previousTerm = term;
    termList.push(term);
    for (let field = 0; field < FIELD_COUNT; field++) {
      const postings = fields[field]!;
      const length = postings.docs.length;
      if (used + length * 10 > chunk.length) {
        postingsChunks.push(chunk.subarray(0, used));
        chunk = new Uint8Array(Math.max(POSTINGS_CHUNK, length * 10));
        used = 0;
      }
      const end = encodePostings(postings.docs, postings.counts, length, chunk, used);
      crcs.push(crc32(chunk.subarray(used, end)));
      total += end - used;
      used = end;
      offsets.push(total);
      counts.push(length);
    }
  }
  postingsChunks.push(chunk.subarray(0, used));
  if (total > 0xffffffff) throw new RangeError('the word index is too large for one segment');

  const fileKeyBytes = content.fileKeys.map((key) => Buffer.from(key, 'utf8'));
  const termBytes = termList.map((term) => Buffer.from(term, 'utf8'));
  const fileKeyLength = fileKeyBytes.reduce((sum, b) => sum + b.length, 0);
  const termLength = termBytes.reduce((sum, b) => sum + b.length, 0);
  const sections = headSections(documents, content.fileKeys.length, termList.length, fileKeyLength, termLength);
  const head = Buffer.alloc(sections.end);
  const u32 = (at: number, values: ArrayLike<number>): void => {
    for (let i = 0; i < values.length; i++) head.writeUInt32LE(values[i]!, at + 4 * i);
  };
  const blob = (offsetsAt: number, textAt: number, parts: readonly Buffer[]): void => {
    let at = 0;
    parts.forEach((part, i) => {
      head.writeUInt32LE(at, offsetsAt + 4 * i);
      part.copy(head, textAt + at);
      at += part.length;
    });
    head.writeUInt32LE(at, offsetsAt + 4 * parts.length);
  };
  u32(sections.docFile, content.docFile);
  u32(sections.docItem, content.docItem);
  u32(sections.docLengths, content.docLengths);
  u32(sections.fileFirst, content.fileFirst);
  blob(sections.fileKeyOffsets, sections.fileKeys, fileKeyBytes);
  blob(sections.termOffsets, sections.termText, termBytes);
  u32(sections.postingsOffsets, offsets);
  u32(sections.postingsCounts, counts);
  u32(sections.postingsCrcs, crcs);

  const sums = [0, 0, 0];
  for (let i = 0; i < content.docLengths.length; i++) sums[i % FIELD_COUNT]! += content.docLengths[i]!;
  head.writeUInt32LE(WORD_SEGMENT_MAGIC, HEADER.magic);
  head.writeUInt32LE(WORD_SEGMENT_VERSION, HEADER.version);
  head.writeUInt32LE(documents, HEADER.documents);
  head.writeUInt32LE(content.fileKeys.length, HEADER.files);
  head.writeUInt32LE(termList.length, HEADER.terms);
  head.writeUInt32LE(sections.end, HEADER.headBytes);
  head.writeDoubleLE(total, HEADER.postingsBytes);
  sums.forEach((sum, field) => head.writeDoubleLE(sum, HEADER.lengthSums + 8 * field));
  head.writeUInt32LE(fileKeyLength, HEADER.fileKeyBytes);
  head.writeUInt32LE(termLength, HEADER.termBytes);
  const headCrc = crc32(head);
  head.writeUInt32LE(headCrc, HEADER.headCrc);
  return { chunks: [head, ...postingsChunks], bytes: head.length + total, headCrc };
}
