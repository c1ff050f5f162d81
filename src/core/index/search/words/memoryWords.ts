import type { Postings } from './postingsCodec';
import { FIELD_COUNT, type AnalyzedDocument } from './wordDocuments';

/** A postings list that grows as documents are added (always in ascending document order). */
interface GrowingPostings {
  docs: number[];
  counts: number[];
}

/**
 * Documents added since the word segment was written (or all of them, for an index built in
 * memory): an inverted index in plain maps. Documents are numbered from 0 in the order added.
 */
export class MemoryWords {
  readonly docFile: string[] = [];
  readonly docItem: number[] = [];
  readonly docLengths: number[] = [];
  private readonly postingsByTerm = new Map<string, GrowingPostings[]>();
  private sortedCache: string[] | undefined;

  get documents(): number {
    return this.docFile.length;
  }

  /** Adds documents; returns the number of the first. */
  add(documents: readonly AnalyzedDocument[]): number {
    const first = this.documents;
    for (const document of documents) {
      const doc = this.documents;
      this.docFile.push(document.file);
      this.docItem.push(document.item);
      this.docLengths.push(...document.lengths);
      for (const [term, counts] of document.terms) {
        let fields = this.postingsByTerm.get(term);
        if (!fields) {
          fields = Array.from({ length: FIELD_COUNT }, () => ({ docs: [], counts: [] }));
          this.postingsByTerm.set(term, fields);
          this.sortedCache = undefined;
        }
        for (let field = 0; field < FIELD_COUNT; field++) {
          if (!counts[field]) continue;
          fields[field]!.docs.push(doc);
          fields[field]!.counts.push(counts[field]!);
        }
      }
    }
    return first;
  }

  has(term: string): boolean {
    return this.postingsByTerm.has(term);
  }

  postings(term: string, field: number): { readonly docs: readonly number[]; readonly counts: readonly number[] } | undefined {
    return this.postingsByTerm.get(term)?.[field];
  }

  /** Every word, sorted (kept until a new word arrives). */
  get terms(): readonly string[] {
    this.sortedCache ??= [...this.postingsByTerm.keys()].sort(compareStrings);
    return this.sortedCache;
  }

  /** The postings as typed arrays, for writing. */
  frozenPostings(term: string, field: number): Postings | undefined {
    const postings = this.postings(term, field);
    return postings ? { docs: Uint32Array.from(postings.docs), counts: Uint32Array.from(postings.counts) } : undefined;
  }
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
