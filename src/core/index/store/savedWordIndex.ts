// Keeps the lexical index (search/lexicalIndex.ts) in step with the catalog and saved with the
// index, so opening an index does not tokenize every item again. The saved file is a snapshot
// at a position in the catalog journal (its count of file changes); whoever loads it replays
// the file changes after that position. It is written like every other file of a checkpoint
// (atomically, before the manifest that names it), so a crash leaves the last checkpoint's
// snapshot or the new one. It is derived data: a missing or damaged snapshot is rebuilt from
// the catalog, never a reason to refuse the index.
import * as path from 'node:path';
import type { Catalog } from '../catalog/catalog';
import type { FileRecord } from '../catalog/catalogTypes';
import { LexicalIndex } from '../search/lexicalIndex';
import { writeFileAtomically } from '../vectors/atomicFile';
import { crc32 } from '../vectors/crc32';
import { readIndexFile } from './indexFileAccess';
import { lexicalFileName } from './indexFileNames';
import type { SavedLexical } from './indexManifest';
import type { JournalEntry } from './journalEntry';

/** A file put ('f') or deleted ('d'), with the record it replaced, as the catalog had it. */
interface FileChange {
  readonly entry: Extract<JournalEntry, { t: 'f' | 'd' }>;
  readonly previous: FileRecord | undefined;
}

/** Saved again once this share of the files changed since the last snapshot (or at close). */
const RESAVE_SHARE = 0.25;
const RESAVE_MIN_CHANGES = 500;

export class SavedWordIndex {
  private words: LexicalIndex | undefined;
  private loading: Promise<LexicalIndex> | undefined;
  /** File changes made since the snapshot, for a snapshot not loaded yet. */
  private tail: FileChange[] = [];
  /** File changes in the current journal, committed or not. */
  private changes = 0;

  constructor(
    private readonly dir: string,
    private readonly catalog: Catalog,
    /** The snapshot the manifest names, if any. */
    private saved: SavedLexical | undefined,
  ) {}

  /** Called for every file change, replayed from the journal or new, with the record it replaced. */
  noteChange(entry: FileChange['entry'], previous: FileRecord | undefined): void {
    const change = { entry, previous };
    this.changes++;
    if (this.words) apply(this.words, change);
    else if (this.saved && this.changes > this.saved.changes) this.tail.push(change);
  }

  /** The lexical index of the catalog as it is now: loaded from the snapshot, or built. */
  get(): Promise<LexicalIndex> {
    if (this.words) return Promise.resolve(this.words);
    this.loading ??= this.load();
    return this.loading;
  }

  /** Loaded (or built) already: queries can use it without waiting. */
  get ready(): LexicalIndex | undefined {
    return this.words;
  }

  /**
   * For a checkpoint, at the moment its journal entries were taken (so the index describes
   * exactly the catalog the checkpoint commits): a new snapshot when one is due, else none.
   */
  snapshotIfDue(final: boolean): { json: string; changes: number } | undefined {
    if (!this.words) return undefined;
    const since = this.saved ? this.changes - this.saved.changes : Infinity;
    if (since === 0) return undefined;
    const due = final || since === Infinity || since >= Math.max(RESAVE_MIN_CHANGES, this.catalog.fileCount * RESAVE_SHARE);
    return due ? { json: this.words.toJSON(), changes: this.changes } : undefined;
  }

  /** True when a writer closing now should load the index to save a fresh snapshot. */
  get staleAtClose(): boolean {
    return !this.saved || this.changes > this.saved.changes;
  }

  async write(snapshot: { json: string; changes: number }, checkpoint: number): Promise<SavedLexical> {
    const bytes = Buffer.from(snapshot.json, 'utf8');
    const file = lexicalFileName(checkpoint);
    await writeFileAtomically(path.join(this.dir, file), [bytes]);
    return { file, changes: snapshot.changes, bytes: bytes.length, crc32: crc32(bytes) };
  }

  /** After the manifest naming `saved` (or none) was written. */
  committed(saved: SavedLexical | undefined): void {
    this.saved = saved;
  }

  /** A compaction started a journal of `changes` file entries and dropped the snapshot. */
  restarted(changes: number): void {
    this.changes = changes;
    this.saved = undefined;
    this.tail = [];
  }

  private async load(): Promise<LexicalIndex> {
    const saved = this.saved;
    let words: LexicalIndex | undefined;
    if (saved) {
      try {
        const bytes = await readIndexFile(this.dir, saved.file);
        if (bytes.length === saved.bytes && crc32(bytes) === saved.crc32) words = LexicalIndex.fromJSON(bytes.toString('utf8'));
      } catch {
        // Replaced by a writer since this store opened, or damaged: built from the catalog below.
      }
    }
    // No await from here on: changes noted while the file was read are in the tail.
    if (words && this.saved === saved) for (const change of this.tail) apply(words, change);
    else words = LexicalIndex.fromFiles(this.catalog.allFiles());
    this.tail = [];
    this.words = words;
    this.loading = undefined;
    return words;
  }
}

function apply(words: LexicalIndex, { entry, previous }: FileChange): void {
  if (entry.t === 'f') words.putFile(entry.r, previous);
  else if (previous) words.deleteFile(previous);
}
