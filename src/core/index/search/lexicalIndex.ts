import MiniSearch from 'minisearch';
import { lexicalTokens } from './lexicalTokens';

export interface LexicalDocument {
  readonly id: number;
  readonly path: string;
  readonly heading: string;
  readonly text: string;
}

export interface LexicalHit {
  readonly id: number;
  /** BM25 score (unbounded; compare within one query only). */
  readonly score: number;
  /** The query's terms this document matched (exactly, by prefix or fuzzily). */
  readonly matchedTerms: readonly string[];
}

/** BM25 over file paths, heading paths and text (MiniSearch's BM25+), file names weighted up. */
export class LexicalIndex {
  private readonly search: MiniSearch<LexicalDocument>;

  constructor(documents: Iterable<LexicalDocument>) {
    this.search = new MiniSearch<LexicalDocument>({
      fields: ['path', 'heading', 'text'],
      tokenize: lexicalTokens,
      processTerm: (term) => term,
    });
    this.search.addAll([...documents]);
  }

  /** Matches, best first. */
  query(text: string, limit: number): LexicalHit[] {
    if (!lexicalTokens(text).length) return [];
    return this.search
      .search(text, {
        boost: { path: 2, heading: 1.5 },
        prefix: (term) => term.length >= 4,
        fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
        combineWith: 'OR',
      })
      .slice(0, limit)
      .map((hit) => ({ id: hit.id as number, score: hit.score, matchedTerms: hit.queryTerms }));
  }
}
