import { fileKey } from '../../../common/fileKey';
import type { FileRecord, IndexedItem } from '../../catalog/catalogTypes';
import { lexicalTokens } from '../lexicalTokens';

/** The fields every item is matched on, in scoring order, and how much each counts. */
export const FIELD_COUNT = 3;
const FIELD_NAMES = ['path', 'heading', 'text'] as const;
export const FIELD_BOOSTS: readonly number[] = [2, 1.5, 1];

/** An item as the word index sees it: its words per field, counted. */
export interface AnalyzedDocument {
  /** fileKey(root, path) of the item's file. */
  readonly file: string;
  /** Index of the item in its file's items. */
  readonly item: number;
  /** Distinct words per field (what BM25 normalises by). */
  readonly lengths: readonly number[];
  /** Each word's occurrences per field. */
  readonly terms: ReadonlyMap<string, readonly number[]>;
}

/** The documents of a file's items, analysed. */
export function analyzeFile(record: FileRecord): AnalyzedDocument[] {
  const key = fileKey(record.root, record.path);
  return record.items.map((item, index) => analyze(key, index, fieldsOf(record, item)));
}

/** Path (with what an image item shows), title and headings, text: what an item is found by. */
function fieldsOf(file: FileRecord, item: IndexedItem): Record<(typeof FIELD_NAMES)[number], string> {
  return {
    path: item.target ? `${file.path} ${item.target}` : file.path,
    heading: [file.title, ...(item.headingPath ?? [])].filter(Boolean).join(' '),
    text: item.text ?? item.snippet ?? '',
  };
}

function analyze(file: string, item: number, fields: Record<(typeof FIELD_NAMES)[number], string>): AnalyzedDocument {
  const terms = new Map<string, number[]>();
  const lengths = FIELD_NAMES.map((name, field) => {
    const tokens = lexicalTokens(fields[name]);
    for (const token of tokens) {
      let counts = terms.get(token);
      if (!counts) terms.set(token, (counts = new Array<number>(FIELD_COUNT).fill(0)));
      counts[field]!++;
    }
    return new Set(tokens).size;
  });
  return { file, item, lengths, terms };
}
