import { promises as fs } from 'node:fs';
import { writeFileAtomically } from '../vectors/atomicFile';
import { CorruptIndexError } from './indexErrors';
import type { JournalPosition } from './catalogJournal';

export const MANIFEST_FILE = 'manifest.json';
const FORMAT = 'sightline-index';
const VERSION = 1;

/**
 * The one file that says what the index is. It is replaced atomically at every checkpoint,
 * and everything it names was made durable before it: whatever the manifest says is committed.
 */
export interface IndexManifest {
  readonly format: typeof FORMAT;
  readonly version: typeof VERSION;
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
  readonly updatedAt: string;
}

export function newManifest(model: string, dimensions: number | 'full', scanDims: number): IndexManifest {
  return {
    format: FORMAT,
    version: VERSION,
    model,
    dimensions,
    vectorDims: 0,
    scanDims,
    segments: [],
    journal: { file: 'journal-0.jsonl', bytes: 0, crc32: 0 },
    generation: 0,
    updatedAt: new Date().toISOString(),
  };
}

export async function readManifest(path: string): Promise<IndexManifest | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse(text) as IndexManifest;
  } catch (error) {
    throw new CorruptIndexError(`the index manifest ${path} is not valid JSON`, { cause: error });
  }
  if (manifest.format !== FORMAT) throw new CorruptIndexError(`${path} is not a Sightline index manifest`);
  const { version } = manifest as { version?: unknown };
  if (version !== VERSION) {
    throw new CorruptIndexError(`the index has format version ${JSON.stringify(version)}; this version of Sightline reads ${VERSION}`);
  }
  return manifest;
}

export function writeManifest(path: string, manifest: IndexManifest): Promise<void> {
  const text = JSON.stringify({ ...manifest, updatedAt: new Date().toISOString() }, null, 1);
  return writeFileAtomically(path, [Buffer.from(text, 'utf8')]);
}
