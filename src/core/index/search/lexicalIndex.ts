import { fileKey } from '../../common/fileKey';
import type { FileRecord } from '../catalog/catalogTypes';
import { lexicalTokens } from './lexicalTokens';
import { compareStrings, MemoryWords } from './words/memoryWords';
import type { Postings } from './words/postingsCodec';
import { scoreQuery, type WordView } from './words/scoreQuery';
import { analyzeFile, FIELD_COUNT } from './words/wordDocuments';
import { DamagedWordSegmentError, type WordSegment } from './words/wordSegment';
import { encodeWordSegment, type EncodedWordSegment } from './words/wordSegmentWriter';

export interface LexicalMatch {
  /** fileKey(root, path) of the file the item belongs to. */
  readonly file: string;
  /** Index of the item in its file's items. */
  readonly item: number;
  /** BM25 score (unbounded; compare within one query only). */
  readonly score: number;
  /** The query's terms this document matched (exactly, by prefix or fuzzily). */
  readonly matchedTerms: readonly string[];
}

/** A match as search ranks it: `id` is the item's entry in the ItemDirectory of the moment. */
export interface LexicalHit {
  readonly id: number;
  readonly score: number;
  readonly matchedTerms: readonly string[];
}

/**
 * BM25 over file paths, heading paths and text, file names weighted up (words/bm25.ts). The
 * words of the catalog as saved are a word segment on disk (words/wordSegment.ts): opening
 * reads its dictionary and document table, a query reads the postings of its words. Files
 * changed since are kept in memory (words/memoryWords.ts) and their old documents marked dead,
 * and every statistic counts live documents only, so an index that followed changes ranks
 * exactly like one built from the same catalog. `encode` writes both as one new segment.
 */
export class LexicalIndex implements WordView {
  overlay = new MemoryWords();
  dead: Uint8Array;
  liveDocuments: number;
  lengthSums: number[];
  /** Files changed since the segment: their documents in the overlay, or null once deleted. */
  private changed = new Map<string, [first: number, count: number] | null>();
  /** True once a damaged segment was replaced by an index built from the catalog. */
  damaged = false;

  private constructor(
    public base: WordSegment | undefined,
    /** The catalog's files, to rebuild from when the segment turns out damaged. */
    private readonly catalogFiles: () => Iterable<FileRecord>,
  ) {
    this.dead = new Uint8Array(base?.documents ?? 0);
    this.liveDocuments = base?.documents ?? 0;
    this.lengthSums = base ? [...base.lengthSums] : [0, 0, 0];
  }

  /** Built in memory from the catalog's files. */
  static fromFiles(files: () => Iterable<FileRecord>): LexicalIndex {
    const index = new LexicalIndex(undefined, files);
    for (const record of files()) index.putFile(record);
    return index;
  }

  /** Over a saved segment; `files` gives the catalog's files should the segment prove damaged. */
  static onSegment(segment: WordSegment, files: () => Iterable<FileRecord>): LexicalIndex {
    return new LexicalIndex(segment, files);
  }

  get baseDocuments(): number {
    return this.base?.documents ?? 0;
  }

  get documentCount(): number {
    return this.liveDocuments;
  }

  /** Replaces the documents of the file with `record`'s. */
  putFile(record: FileRecord): void {
    this.deleteFile(record.root, record.path);
    const documents = analyzeFile(record);
    const first = this.baseDocuments + this.overlay.add(documents);
    this.growDead(first + documents.length);
    for (const document of documents) for (let field = 0; field < FIELD_COUNT; field++) this.lengthSums[field]! += document.lengths[field]!;
    this.liveDocuments += documents.length;
    this.changed.set(fileKey(record.root, record.path), [first, documents.length]);
  }

  /** Removes the documents of the file, if it has any. */
  deleteFile(root: string, path: string): void {
    const key = fileKey(root, path);
    const range = this.changed.has(key) ? this.changed.get(key) : this.base?.fileRange(key);
    this.changed.set(key, null);
    if (!range) return;
    const [first, count] = range;
    for (let document = first; document < first + count; document++) {
      if (this.dead[document]) continue;
      this.dead[document] = 1;
      this.liveDocuments--;
      for (let field = 0; field < FIELD_COUNT; field++) this.lengthSums[field]! -= this.lengthOf(document, field);
    }
  }

  /** Matches, best first. */
  query(text: string, limit: number): LexicalMatch[] {
    if (!lexicalTokens(text).length) return [];
    let scored;
    try {
      scored = scoreQuery(this, text, limit);
    } catch (error) {
      if (!(error instanceof DamagedWordSegmentError)) throw error;
      this.rebuildInMemory();
      scored = scoreQuery(this, text, limit);
    }
    return scored.map(({ document, score, matchedTerms }) => {
      const [file, item] = this.identify(document);
      return { file, item, score, matchedTerms };
    });
  }

  identify(document: number): [string, number] {
    const base = this.baseDocuments;
    if (document < base) return [this.base!.fileKey(this.base!.docFile[document]!), this.base!.docItem[document]!];
    return [this.overlay.docFile[document - base]!, this.overlay.docItem[document - base]!];
  }

  /**
   * The live documents as one new segment: files in key order, documents renumbered, postings
   * merged from the segment and the overlay (nothing is tokenized again). Synchronous, so it
   * describes exactly the catalog of the moment it is called.
   */
  encode(): EncodedWordSegment {
    const base = this.base;
    const files: Array<{ key: string; from: number; to: number }> = [];
    if (base) {
      for (let file = 0; file < base.fileCount; file++) {
        const key = base.fileKey(file);
        if (this.changed.has(key)) continue;
        const [from, to] = base.fileDocuments(file);
        files.push({ key, from, to });
      }
    }
    for (const [key, range] of this.changed) if (range && range[1] > 0) files.push({ key, from: range[0], to: range[0] + range[1] });
    files.sort((a, b) => compareStrings(a.key, b.key));

    const renumbered = new Int32Array(this.baseDocuments + this.overlay.documents).fill(-1);
    const fileFirst = new Uint32Array(files.length + 1);
    const documents = files.reduce((sum, file) => sum + file.to - file.from, 0);
    const docFile = new Uint32Array(documents);
    const docItem = new Uint32Array(documents);
    const docLengths = new Uint32Array(documents * FIELD_COUNT);
    let next = 0;
    files.forEach((file, number) => {
      fileFirst[number] = next;
      for (let document = file.from; document < file.to; document++, next++) {
        renumbered[document] = next;
        docFile[next] = number;
        docItem[next] = this.identify(document)[1];
        for (let field = 0; field < FIELD_COUNT; field++) docLengths[next * FIELD_COUNT + field] = this.lengthOf(document, field);
      }
    });
    fileFirst[files.length] = next;
    return encodeWordSegment({
      fileKeys: files.map((file) => file.key),
      fileFirst,
      docFile,
      docItem,
      docLengths,
      terms: this.mergedTerms(renumbered, documents),
    });
  }

  private *mergedTerms(renumbered: Int32Array, documents: number): Generator<{ term: string; fields: Postings[] }> {
    const baseTerms = this.base?.terms ?? [];
    const overlayTerms = this.overlay.terms;
    const offset = this.baseDocuments;
    // Scratch, by new document number: an overlay list is sorted by new number, counts read back.
    const countOf = new Uint32Array(documents);
    let i = 0;
    let j = 0;
    while (i < baseTerms.length || j < overlayTerms.length) {
      const fromBase = i < baseTerms.length && (j >= overlayTerms.length || baseTerms[i]! <= overlayTerms[j]!);
      const term = fromBase ? baseTerms[i]! : overlayTerms[j]!;
      const baseIndex = fromBase ? i++ : -1;
      if (j < overlayTerms.length && overlayTerms[j] === term) j++;
      const fields: Postings[] = [];
      let any = false;
      for (let field = 0; field < FIELD_COUNT; field++) {
        // The segment's documents keep their order when renumbered (files stay in key order).
        const kept = baseIndex >= 0 ? renumberedPostings(this.base!.postings(baseIndex, field), renumbered, 0) : EMPTY_POSTINGS;
        const overlay = this.overlay.postings(term, field);
        let added = EMPTY_POSTINGS;
        if (overlay) {
          const docs = renumberedPostings({ docs: overlay.docs, counts: overlay.counts }, renumbered, offset, countOf).docs.sort();
          added = { docs, counts: docs.map((doc) => countOf[doc]!) };
        }
        const merged = mergePostings(kept, added);
        any ||= merged.docs.length > 0;
        fields.push(merged);
      }
      if (any) yield { term, fields };
    }
  }

  private lengthOf(document: number, field: number): number {
    const base = this.baseDocuments;
    return document < base ? this.base!.docLengths[document * FIELD_COUNT + field]! : this.overlay.docLengths[(document - base) * FIELD_COUNT + field]!;
  }

  private growDead(size: number): void {
    if (size <= this.dead.length) return;
    const grown = new Uint8Array(Math.max(size, this.dead.length * 2));
    grown.set(this.dead);
    this.dead = grown;
  }

  /** A damaged segment: the same documents, built in memory from the catalog instead. */
  private rebuildInMemory(): void {
    this.base = undefined;
    this.overlay = new MemoryWords();
    this.changed = new Map();
    this.dead = new Uint8Array(0);
    this.liveDocuments = 0;
    this.lengthSums = [0, 0, 0];
    this.damaged = true;
    for (const record of this.catalogFiles()) this.putFile(record);
  }
}

const EMPTY_POSTINGS: Postings = { docs: new Uint32Array(0), counts: new Uint32Array(0) };

/** The live entries of `postings` under their new numbers; with `countOf`, also notes each count there. */
function renumberedPostings(
  postings: { readonly docs: ArrayLike<number>; readonly counts: ArrayLike<number> },
  renumbered: Int32Array,
  offset: number,
  countOf?: Uint32Array,
): Postings {
  const docs = new Uint32Array(postings.docs.length);
  const counts = new Uint32Array(postings.docs.length);
  let kept = 0;
  for (let k = 0; k < postings.docs.length; k++) {
    const doc = renumbered[offset + postings.docs[k]!]!;
    if (doc < 0) continue;
    docs[kept] = doc;
    counts[kept++] = postings.counts[k]!;
    if (countOf) countOf[doc] = postings.counts[k]!;
  }
  return { docs: docs.subarray(0, kept), counts: counts.subarray(0, kept) };
}

/** Two ascending postings lists with no document in common, as one. */
function mergePostings(a: Postings, b: Postings): Postings {
  if (b.docs.length === 0) return a;
  if (a.docs.length === 0) return b;
  const docs = new Uint32Array(a.docs.length + b.docs.length);
  const counts = new Uint32Array(docs.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < docs.length; k++) {
    const takeA = j >= b.docs.length || (i < a.docs.length && a.docs[i]! < b.docs[j]!);
    docs[k] = takeA ? a.docs[i]! : b.docs[j]!;
    counts[k] = takeA ? a.counts[i++]! : b.counts[j++]!;
  }
  return { docs, counts };
}
