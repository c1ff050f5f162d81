import { readAtSync } from '../../../common/positionedRead';
import { crc32 } from '../../vectors/crc32';
import { decodePostings, type Postings } from './postingsCodec';
import { FIELD_COUNT } from './wordDocuments';
import { HEADER, HEADER_BYTES, headSections, WORD_SEGMENT_MAGIC, WORD_SEGMENT_VERSION } from './wordSegmentLayout';

/** The file is not a word segment, or not an intact one. */
export class DamagedWordSegmentError extends Error {
  override readonly name = 'DamagedWordSegmentError';
}

const EMPTY: Postings = { docs: new Uint32Array(0), counts: new Uint32Array(0) };

/**
 * A saved lexical index (see wordSegmentLayout.ts), open for reading: its head in memory, its
 * postings read block by block, on demand, with synchronous positioned reads (queries are
 * answered without an await, so that they see one revision of the catalog).
 */
export class WordSegment {
  readonly documents: number;
  readonly docFile: Uint32Array;
  readonly docItem: Uint32Array;
  readonly docLengths: Uint32Array;
  /** Distinct words per field, summed over every document. */
  readonly lengthSums: readonly number[];
  private readonly fileFirst: Uint32Array;
  private readonly fileKeyOffsets: Uint32Array;
  private readonly fileKeyText: Buffer;
  private readonly termOffsets: Uint32Array;
  private readonly termText: Buffer;
  private readonly postingsOffsets: Uint32Array;
  private readonly postingsCounts: Uint32Array;
  private readonly postingsCrcs: Uint32Array;
  private readonly headBytes: number;
  private termCache: string[] | undefined;
  private fileKeyCache: string[] | undefined;

  private constructor(
    private readonly fd: number,
    head: Buffer,
    postingsBytes: number,
  ) {
    const count = (at: number) => head.readUInt32LE(at);
    this.documents = count(HEADER.documents);
    const files = count(HEADER.files);
    const terms = count(HEADER.terms);
    this.headBytes = head.length;
    this.lengthSums = [0, 1, 2].map((field) => head.readDoubleLE(HEADER.lengthSums + 8 * field));
    const s = headSections(this.documents, files, terms, count(HEADER.fileKeyBytes), count(HEADER.termBytes));
    const words = (at: number, length: number) => new Uint32Array(head.buffer, head.byteOffset + at, length);
    this.docFile = words(s.docFile, this.documents);
    this.docItem = words(s.docItem, this.documents);
    this.docLengths = words(s.docLengths, FIELD_COUNT * this.documents);
    this.fileFirst = words(s.fileFirst, files + 1);
    this.fileKeyOffsets = words(s.fileKeyOffsets, files + 1);
    this.fileKeyText = head.subarray(s.fileKeys, s.fileKeys + count(HEADER.fileKeyBytes));
    this.termOffsets = words(s.termOffsets, terms + 1);
    this.termText = head.subarray(s.termText, s.termText + count(HEADER.termBytes));
    this.postingsOffsets = words(s.postingsOffsets, FIELD_COUNT * terms + 1);
    this.postingsCounts = words(s.postingsCounts, FIELD_COUNT * terms);
    this.postingsCrcs = words(s.postingsCrcs, FIELD_COUNT * terms);
    this.checkStructure(files, postingsBytes);
  }

  /**
   * Reads and checks the head of the segment open as `fd`, which it reads postings from later
   * (the caller owns it and closes it). `expected` is what the manifest recorded of the file.
   */
  static open(fd: number, expected: { readonly bytes: number; readonly crc32: number }): WordSegment {
    const header = readExactly(fd, 0, HEADER_BYTES);
    if (header.readUInt32LE(HEADER.magic) !== WORD_SEGMENT_MAGIC) throw new DamagedWordSegmentError('not a word segment');
    if (header.readUInt32LE(HEADER.version) !== WORD_SEGMENT_VERSION)
      throw new DamagedWordSegmentError(`word segment version ${header.readUInt32LE(HEADER.version)}`);
    const headBytes = header.readUInt32LE(HEADER.headBytes);
    const postingsBytes = header.readDoubleLE(HEADER.postingsBytes);
    if (headBytes < HEADER_BYTES || headBytes + postingsBytes !== expected.bytes) throw new DamagedWordSegmentError('its size is not the one recorded');
    // Its own memory (offset 0, 4-aligned), so the sections can be viewed as 32-bit words.
    const head = Buffer.from(new ArrayBuffer(headBytes));
    header.copy(head);
    readInto(fd, head.subarray(HEADER_BYTES), HEADER_BYTES);
    const recorded = head.readUInt32LE(HEADER.headCrc);
    head.writeUInt32LE(0, HEADER.headCrc);
    const actual = crc32(head);
    head.writeUInt32LE(recorded, HEADER.headCrc);
    if (actual !== recorded || recorded !== expected.crc32) throw new DamagedWordSegmentError('its head fails its checksum');
    return new WordSegment(fd, head, postingsBytes);
  }

  /** The segment's words, sorted (decoded once, on first use). */
  get terms(): readonly string[] {
    if (!this.termCache) {
      const terms = new Array<string>(this.termOffsets.length - 1);
      for (let i = 0; i < terms.length; i++) terms[i] = this.termText.toString('utf8', this.termOffsets[i], this.termOffsets[i + 1]);
      this.termCache = terms;
    }
    return this.termCache;
  }

  /** Index of `term` in `terms`, or -1. */
  findTerm(term: string): number {
    const index = lowerBound(this.terms, term);
    return this.terms[index] === term ? index : -1;
  }

  /** Indexes [from, to) of the words that start with `prefix`. */
  prefixRange(prefix: string): [number, number] {
    const terms = this.terms;
    const from = lowerBound(terms, prefix);
    let to = from;
    while (to < terms.length && terms[to]!.startsWith(prefix)) to++;
    return [from, to];
  }

  /** The postings of word `term` (an index of `terms`) in `field`, read from disk and checked. */
  postings(term: number, field: number): Postings {
    const slot = term * FIELD_COUNT + field;
    const length = this.postingsCounts[slot]!;
    if (length === 0) return EMPTY;
    const start = this.postingsOffsets[slot]!;
    const bytes = readExactly(this.fd, this.headBytes + start, this.postingsOffsets[slot + 1]! - start);
    if (crc32(bytes) !== this.postingsCrcs[slot]) throw new DamagedWordSegmentError(`the postings of "${this.terms[term]}" fail their checksum`);
    try {
      return decodePostings(bytes, length, this.documents);
    } catch (error) {
      throw new DamagedWordSegmentError(`the postings of "${this.terms[term]}" are malformed`, { cause: error });
    }
  }

  get fileCount(): number {
    return this.fileFirst.length - 1;
  }

  fileKey(file: number): string {
    this.fileKeyCache ??= new Array<string>(this.fileCount);
    return (this.fileKeyCache[file] ??= this.fileKeyText.toString('utf8', this.fileKeyOffsets[file], this.fileKeyOffsets[file + 1]));
  }

  /** The documents [first, first + count) of the file with this key, or undefined. */
  fileRange(key: string): [number, number] | undefined {
    let low = 0;
    let high = this.fileCount;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.fileKey(middle) < key) low = middle + 1;
      else high = middle;
    }
    if (low >= this.fileCount || this.fileKey(low) !== key) return undefined;
    return [this.fileFirst[low]!, this.fileFirst[low + 1]! - this.fileFirst[low]!];
  }

  /** The first document of file `file`, and one past its last. */
  fileDocuments(file: number): [number, number] {
    return [this.fileFirst[file]!, this.fileFirst[file + 1]!];
  }

  /** A crafted head could point reads anywhere: every offset is checked once, here. */
  private checkStructure(files: number, postingsBytes: number): void {
    const ascending = (values: Uint32Array, limit: number, what: string) => {
      if (values[0] !== 0 || values[values.length - 1] !== limit) throw new DamagedWordSegmentError(`its ${what} do not span it`);
      for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) throw new DamagedWordSegmentError(`its ${what} are out of order`);
    };
    ascending(this.fileFirst, this.documents, 'files');
    ascending(this.fileKeyOffsets, this.fileKeyText.length, 'file names');
    ascending(this.termOffsets, this.termText.length, 'words');
    ascending(this.postingsOffsets, postingsBytes, 'postings');
    for (let i = 0; i < this.documents; i++) if (this.docFile[i]! >= files) throw new DamagedWordSegmentError('a document names no file');
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function readExactly(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  readInto(fd, bytes, position);
  return bytes;
}

function readInto(fd: number, target: Buffer, position: number): void {
  if (readAtSync(fd, target, position) < target.length) throw new DamagedWordSegmentError('it ends early');
}
