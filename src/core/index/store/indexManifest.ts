import * as path from 'node:path';
import type { ItemKind } from '../../sources/itemTypes';
import { writeFileAtomically } from '../vectors/atomicFile';
import type { JournalPosition } from './catalogJournal';
import { readIndexFile } from './indexFileAccess';
import { checkIndexFileName, journalFileName, MANIFEST_FILE } from './indexFileNames';
import { CorruptIndexError } from './indexErrors';

const FORMAT = 'sightline-index';
/**
 * 2: segment files of format 2 (full vectors read by row, see segmentLayout.ts) and a summary
 * of counts, so a status report needs nothing but this file. A writer upgrades format 1.
 */
export const MANIFEST_VERSION = 2;
/** The oldest format this build can upgrade. */
export const OLDEST_MANIFEST_VERSION = 1;

/** Counts a status report shows, kept up to date at every checkpoint. */
export interface IndexSummary {
  readonly files: Readonly<Record<ItemKind, number>>;
  readonly items: Readonly<Record<ItemKind, number>>;
  readonly failures: number;
  readonly warnings: number;
}

/** A saved lexical index (store/savedWordIndex.ts): its file, and the journal's file changes it includes. */
export interface SavedLexical {
  readonly file: string;
  readonly changes: number;
  readonly bytes: number;
  readonly crc32: number;
}

export const EMPTY_SUMMARY: IndexSummary = {
  files: { image: 0, markdown: 0, pdf: 0, notebook: 0 },
  items: { image: 0, markdown: 0, pdf: 0, notebook: 0 },
  failures: 0,
  warnings: 0,
};

/**
 * The one file that says what the index is. It is replaced atomically at every checkpoint,
 * and everything it names was made durable before it: whatever the manifest says is committed.
 */
export interface IndexManifest {
  readonly format: typeof FORMAT;
  /** MANIFEST_VERSION, or an older version a writer is about to upgrade. */
  readonly version: number;
  readonly model: string;
  /** The `dimensions` setting the vectors were requested with. */
  readonly dimensions: number | 'full';
  /** Length of each stored vector; 0 until the first vector arrives. */
  readonly vectorDims: number;
  readonly scanDims: number;
  readonly segments: ReadonlyArray<{ readonly file: string; readonly count: number }>;
  readonly journal: { readonly file: string } & JournalPosition;
  /** Increments with every compaction so new file names never collide with old ones. */
  readonly generation: number;
  /** Absent in format 1. */
  readonly summary?: IndexSummary;
  /** The file listing every failure and warning, when there are any. */
  readonly problems?: string;
  /** The lexical index as of `lexical.changes` file changes of the journal, when one was saved. */
  readonly lexical?: SavedLexical;
  /** Increments with every checkpoint, so the files a checkpoint writes get new names. */
  readonly checkpoints: number;
  readonly updatedAt: string;
}

export function newManifest(model: string, dimensions: number | 'full', scanDims: number): IndexManifest {
  return {
    format: FORMAT,
    version: MANIFEST_VERSION,
    model,
    dimensions,
    vectorDims: 0,
    scanDims,
    segments: [],
    journal: { file: journalFileName(0), bytes: 0, crc32: 0 },
    generation: 0,
    summary: EMPTY_SUMMARY,
    checkpoints: 0,
    updatedAt: new Date().toISOString(),
  };
}

/**
 * Reads and checks the manifest in `dir`; undefined when there is none. A manifest is input
 * like any other file: it may have been crafted, so every field is checked before use.
 */
export async function readManifest(dir: string): Promise<IndexManifest | undefined> {
  const file = path.join(dir, MANIFEST_FILE);
  const raw = await readManifestJson(dir);
  if (raw === undefined) return undefined;
  if (!isRecord(raw) || raw.format !== FORMAT) throw new CorruptIndexError(`${file} is not a Sightline index manifest`);
  if (typeof raw.version !== 'number' || !Number.isInteger(raw.version) || raw.version < OLDEST_MANIFEST_VERSION || raw.version > MANIFEST_VERSION) {
    const newer = typeof raw.version === 'number' && raw.version > MANIFEST_VERSION;
    throw new CorruptIndexError(
      `the index has format version ${String(raw.version)}; this version of Sightline reads ${OLDEST_MANIFEST_VERSION} to ${MANIFEST_VERSION}${newer ? ' (it was written by a newer Sightline)' : ''}`,
    );
  }
  try {
    return checkManifest(raw);
  } catch (error) {
    throw new CorruptIndexError(`the index manifest ${file} is damaged: ${(error as Error).message}`, { cause: error });
  }
}

/** True when `dir` holds a manifest that says it is a Sightline index (whatever its state). */
export async function holdsSightlineManifest(dir: string): Promise<boolean> {
  try {
    const raw = await readManifestJson(dir);
    return isRecord(raw) && raw.format === FORMAT;
  } catch (error) {
    if (error instanceof CorruptIndexError) return false;
    throw error;
  }
}

export function writeManifest(dir: string, manifest: IndexManifest): Promise<void> {
  const text = JSON.stringify({ ...manifest, updatedAt: new Date().toISOString() }, null, 1);
  return writeFileAtomically(path.join(dir, MANIFEST_FILE), [Buffer.from(text, 'utf8')]);
}

async function readManifestJson(dir: string): Promise<unknown> {
  let text: string;
  try {
    text = (await readIndexFile(dir, MANIFEST_FILE)).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CorruptIndexError(`the index manifest ${path.join(dir, MANIFEST_FILE)} is not valid JSON`, { cause: error });
  }
}

function checkManifest(raw: Record<string, unknown>): IndexManifest {
  const journal = isRecord(raw.journal) ? raw.journal : {};
  const segments = Array.isArray(raw.segments) ? raw.segments : undefined;
  if (!segments) throw new TypeError('"segments" is not a list');
  const dimensions = raw.dimensions === 'full' ? 'full' : count(raw.dimensions, 'dimensions');
  return {
    format: FORMAT,
    version: raw.version as number,
    model: text(raw.model, 'model'),
    dimensions,
    vectorDims: count(raw.vectorDims, 'vectorDims'),
    scanDims: count(raw.scanDims, 'scanDims'),
    segments: segments.map((segment: unknown) => {
      const entry = isRecord(segment) ? segment : {};
      return { file: checkIndexFileName(entry.file, 'segment'), count: count(entry.count, 'segment count') };
    }),
    journal: { file: checkIndexFileName(journal.file, 'journal'), bytes: count(journal.bytes, 'journal bytes'), crc32: count(journal.crc32, 'journal crc32') },
    generation: count(raw.generation, 'generation'),
    ...(raw.version === 1 ? {} : { summary: checkSummary(raw.summary) }),
    ...(raw.problems === undefined ? {} : { problems: checkIndexFileName(raw.problems, 'problems') }),
    ...(raw.lexical === undefined ? {} : { lexical: checkSavedLexical(raw.lexical) }),
    checkpoints: raw.checkpoints === undefined && raw.version === 1 ? 0 : count(raw.checkpoints, 'checkpoints'),
    updatedAt: typeof raw.updatedAt === 'string' ? raw.updatedAt : '',
  };
}

function checkSavedLexical(raw: unknown): SavedLexical {
  const lexical = isRecord(raw) ? raw : {};
  return {
    file: checkIndexFileName(lexical.file, 'lexical'),
    changes: count(lexical.changes, 'lexical changes'),
    bytes: count(lexical.bytes, 'lexical bytes'),
    crc32: count(lexical.crc32, 'lexical crc32'),
  };
}

function checkSummary(raw: unknown): IndexSummary {
  const summary = isRecord(raw) ? raw : {};
  // A kind the writer did not know yet counts 0, so adding a kind does not outdate a manifest.
  const byKind = (value: unknown, what: string): Record<ItemKind, number> => {
    const counts = isRecord(value) ? value : {};
    const of = (kind: ItemKind) => (counts[kind] === undefined ? 0 : count(counts[kind], `${what}.${kind}`));
    return { image: of('image'), markdown: of('markdown'), pdf: of('pdf'), notebook: of('notebook') };
  };
  return {
    files: byKind(summary.files, 'summary.files'),
    items: byKind(summary.items, 'summary.items'),
    failures: count(summary.failures, 'summary.failures'),
    warnings: count(summary.warnings, 'summary.warnings'),
  };
}

function count(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new TypeError(`"${what}" is not a whole number`);
  return value;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || !value) throw new TypeError(`"${what}" is not a name`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
