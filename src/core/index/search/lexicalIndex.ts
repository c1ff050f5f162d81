import MiniSearch, { type Options } from 'minisearch';
import { fileKey } from '../../common/fileKey';
import type { FileRecord, IndexedItem } from '../catalog/catalogTypes';
import { lexicalTokens } from './lexicalTokens';

interface LexicalDocument {
  /** `${fileKey}\u0000${item index}`: stable across catalog revisions and compactions (rows are not). */
  readonly id: string;
  readonly path: string;
  readonly heading: string;
  readonly text: string;
}

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

/** Saved with the index; bumped when the documents or the tokenizer change what is indexed. */
const SAVED_VERSION = 1;

const OPTIONS: Options<LexicalDocument> = {
  fields: ['path', 'heading', 'text'],
  tokenize: lexicalTokens,
  processTerm: (term) => term,
};

/**
 * BM25 over file paths, heading paths and text (MiniSearch's BM25+), file names weighted up.
 * Documents are keyed by file, so the index follows the catalog file by file and can be saved
 * and loaded (toJSON / fromJSON) instead of rebuilt on every open. A changed file's old
 * documents are removed with the record they came from, never discarded: MiniSearch scores
 * discarded ("dirty") documents into term frequencies until it vacuums, so an index that
 * followed changes would rank differently from one built from the same catalog.
 */
export class LexicalIndex {
  private constructor(private readonly search: MiniSearch<LexicalDocument>) {}

  static fromFiles(files: Iterable<FileRecord>): LexicalIndex {
    const documents: LexicalDocument[] = [];
    for (const record of files) documents.push(...documentsOf(record));
    const index = new LexicalIndex(new MiniSearch(OPTIONS));
    index.search.addAll(documents);
    return index;
  }

  /** Loads what toJSON saved; throws on anything else (the caller rebuilds from the catalog). */
  static fromJSON(json: string): LexicalIndex {
    const saved = JSON.parse(json) as { version?: unknown; index?: unknown };
    if (saved.version !== SAVED_VERSION || typeof saved.index !== 'object' || saved.index === null) {
      throw new TypeError('not a saved word index of this version');
    }
    return new LexicalIndex(MiniSearch.loadJS(saved.index as Parameters<typeof MiniSearch.loadJS>[0], OPTIONS));
  }

  toJSON(): string {
    return JSON.stringify({ version: SAVED_VERSION, index: this.search.toJSON() });
  }

  get documentCount(): number {
    return this.search.documentCount;
  }

  /** Replaces the documents of `previous` (the file's record as this index has it) with `record`'s. */
  putFile(record: FileRecord, previous: FileRecord | undefined): void {
    if (previous) this.deleteFile(previous);
    this.search.addAll(documentsOf(record));
  }

  /** Removes the documents of `previous`, the file's record as this index has it. */
  deleteFile(previous: FileRecord): void {
    for (const document of documentsOf(previous)) if (this.search.has(document.id)) this.search.remove(document);
  }

  /** Matches, best first. */
  query(text: string, limit: number): LexicalMatch[] {
    if (!lexicalTokens(text).length) return [];
    return this.search
      .search(text, {
        boost: { path: 2, heading: 1.5 },
        prefix: (term) => term.length >= 4,
        fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
        combineWith: 'OR',
      })
      .slice(0, limit)
      .map((hit) => {
        const id = hit.id as string;
        const cut = id.lastIndexOf('\u0000');
        return { file: id.slice(0, cut), item: Number(id.slice(cut + 1)), score: hit.score, matchedTerms: hit.queryTerms };
      });
  }
}

function documentsOf(file: FileRecord): LexicalDocument[] {
  const key = fileKey(file.root, file.path);
  return file.items.map((item, index) => documentOf(key, index, file, item));
}

function documentOf(key: string, index: number, file: FileRecord, item: IndexedItem): LexicalDocument {
  return {
    id: `${key}\u0000${index}`,
    path: item.target ? `${file.path} ${item.target}` : file.path,
    heading: [file.title, ...(item.headingPath ?? [])].filter(Boolean).join(' '),
    text: item.text ?? item.snippet ?? '',
  };
}
