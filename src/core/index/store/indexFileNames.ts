// The names of everything Sightline keeps in an index folder. A manifest can come from
// anywhere (a repository may ship one), so every name it holds is checked against these
// patterns before it is opened: a plain name, no separators, no '..', nothing but what
// Sightline itself writes. Deleting an index deletes only names that match, never the folder.

export const MANIFEST_FILE = 'manifest.json';
export const THUMBNAIL_FOLDER = 'thumbs';

const SEGMENT = /^seg-\d{1,9}-\d{1,9}\.slv$/;
const JOURNAL = /^journal-\d{1,9}\.jsonl$/;
const PROBLEMS = /^problems-\d{1,9}\.json$/;
// `.json`: the MiniSearch snapshots of earlier versions (never loaded now, only cleaned up);
// `.words`: word segments (search/words/wordSegmentLayout.ts).
const LEXICAL = /^lexical-\d{1,9}\.(json|words)$/;
const WORD_SEGMENT = /^lexical-\d{1,9}\.words$/;
const THUMBNAIL = /^[0-9a-f]{32}\.(webp|png|jpg|jpeg)$/;
/** Temp files beside a target (atomicFile.ts): `<target>.tmp-<pid>-<8 hex>`. */
const TEMP_SUFFIX = /\.tmp-\d+-[0-9a-f]{8}$/;

export function isSegmentFileName(name: string): boolean {
  return SEGMENT.test(name);
}

export function isJournalFileName(name: string): boolean {
  return JOURNAL.test(name);
}

export function isProblemsFileName(name: string): boolean {
  return PROBLEMS.test(name);
}

export function isLexicalFileName(name: string): boolean {
  return LEXICAL.test(name);
}

/** A saved lexical index in the current format (earlier ones are rebuilt from the catalog). */
export function isWordSegmentFileName(name: string): boolean {
  return WORD_SEGMENT.test(name);
}

export function lexicalFileName(checkpoint: number): string {
  return `lexical-${checkpoint}.words`;
}

export function problemsFileName(checkpoint: number): string {
  return `problems-${checkpoint}.json`;
}

export function isThumbnailFileName(name: string): boolean {
  return THUMBNAIL.test(name);
}

export function segmentFileName(generation: number, index: number): string {
  return `seg-${generation}-${index}.slv`;
}

export function journalFileName(generation: number): string {
  return `journal-${generation}.jsonl`;
}

/** A file in the index folder itself that Sightline writes (or a temp file of one). */
export function isOwnedTopLevelName(name: string): boolean {
  const base = name.replace(TEMP_SUFFIX, '');
  return base === MANIFEST_FILE || isSegmentFileName(base) || isJournalFileName(base) || isProblemsFileName(base) || isLexicalFileName(base);
}

/** A file in the thumbnail folder that Sightline writes (or a temp file of one). */
export function isOwnedThumbnailName(name: string): boolean {
  return isThumbnailFileName(name.replace(TEMP_SUFFIX, ''));
}

/** Throws with a readable reason when `name` is not one of the names of `kind`. */
const NAMES = {
  segment: { test: isSegmentFileName, pattern: 'seg-<n>-<n>.slv' },
  journal: { test: isJournalFileName, pattern: 'journal-<n>.jsonl' },
  problems: { test: isProblemsFileName, pattern: 'problems-<n>.json' },
  lexical: { test: isLexicalFileName, pattern: 'lexical-<n>.words' },
} as const;

export function checkIndexFileName(name: unknown, kind: keyof typeof NAMES): string {
  const valid = typeof name === 'string' && NAMES[kind].test(name);
  if (!valid) {
    const pattern = NAMES[kind].pattern;
    throw new TypeError(`it names ${JSON.stringify(name)} as a ${kind} file, but Sightline only writes plain names like ${pattern}`);
  }
  return name;
}
