// Keeps the lexical index (search/lexicalIndex.ts) in step with the catalog and saved with the
// index, so opening an index does not tokenize every item again. The saved file is a word
// segment (search/words/) at a position in the catalog journal (its count of file changes);
// whoever loads it replays the file changes after that position. It is written like every
// other file of a checkpoint (atomically, before the manifest that names it), so a crash leaves
// the last checkpoint's segment or the new one. It is derived data: a missing, damaged or
// older-format one is rebuilt from the catalog, never a reason to refuse the index.
import type { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Catalog } from '../catalog/catalog';
import { LexicalIndex } from '../search/lexicalIndex';
import { WordSegment } from '../search/words/wordSegment';
import type { EncodedWordSegment } from '../search/words/wordSegmentWriter';
import { writeFileAtomically } from '../vectors/atomicFile';
import { openIndexFile } from './indexFileAccess';
import { isWordSegmentFileName, lexicalFileName } from './indexFileNames';
import type { SavedLexical } from './indexManifest';
import type { JournalEntry } from './journalEntry';

/** A file put ('f') or deleted ('d'), as the catalog journal has it. */
type FileChange = Extract<JournalEntry, { t: 'f' | 'd' }>;

/** Saved again once this share of the files changed since the last snapshot (or at close). */
const RESAVE_SHARE = 0.25;
const RESAVE_MIN_CHANGES = 500;

export interface WordSnapshot {
  readonly encoded: EncodedWordSegment;
  readonly changes: number;
}

export class SavedWordIndex {
  private words: LexicalIndex | undefined;
  private loading: Promise<LexicalIndex> | undefined;
  /** File changes made since the snapshot, for a snapshot not loaded yet. */
  private tail: FileChange[] = [];
  /** File changes in the current journal, committed or not. */
  private changes = 0;
  /** The segment files the index reads (the current one, and older ones an index handed out may still read). */
  private handles: fs.FileHandle[] = [];
  /** The last snapshot taken, and the changes made after it, until it is committed or replaced. */
  private capture: { readonly snapshot: WordSnapshot; readonly since: FileChange[] } | undefined;

  constructor(
    private readonly dir: string,
    private readonly catalog: Catalog,
    /** The snapshot the manifest names, if any. */
    private saved: SavedLexical | undefined,
  ) {}

  /** Called for every file change, replayed from the journal or new. */
  noteChange(change: FileChange): void {
    this.changes++;
    this.capture?.since.push(change);
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
   * For a checkpoint, at the moment its journal entries were taken (so the segment describes
   * exactly the catalog the checkpoint commits): a new snapshot when one is due, else none.
   */
  snapshotIfDue(final: boolean): WordSnapshot | undefined {
    if (!this.words) return undefined;
    const since = this.savedIsCurrent ? this.changes - this.saved!.changes : Infinity;
    if (since === 0) return undefined;
    const due = final || since === Infinity || since >= Math.max(RESAVE_MIN_CHANGES, this.catalog.fileCount * RESAVE_SHARE);
    if (!due) return undefined;
    const snapshot = { encoded: this.words.encode(), changes: this.changes };
    this.capture = { snapshot, since: [] };
    return snapshot;
  }

  /** True when a writer closing now should load the index to save a fresh snapshot. */
  get staleAtClose(): boolean {
    return !this.savedIsCurrent || this.changes > this.saved!.changes;
  }

  /**
   * A saved segment of this format that the index in memory did not find damaged. Any other
   * (none, an older-format snapshot, a damaged segment) is replaced whatever changed since it.
   */
  private get savedIsCurrent(): boolean {
    return !!this.saved && isWordSegmentFileName(this.saved.file) && !this.words?.damaged;
  }

  async write(snapshot: WordSnapshot, checkpoint: number): Promise<SavedLexical> {
    const file = lexicalFileName(checkpoint);
    await writeFileAtomically(path.join(this.dir, file), snapshot.encoded.chunks);
    return { file, changes: snapshot.changes, bytes: snapshot.encoded.bytes, crc32: snapshot.encoded.headCrc };
  }

  /**
   * After the manifest naming `saved` (or none) was written. When it names the snapshot just
   * taken, the index moves onto that segment (plus the changes made since it was taken), so the
   * words in memory shrink to what changed after it.
   */
  async committed(saved: SavedLexical | undefined): Promise<void> {
    const capture = this.capture;
    const changed = saved?.file !== this.saved?.file;
    this.saved = saved;
    if (!saved || !changed || !capture || capture.snapshot.changes !== saved.changes) return;
    this.capture = undefined;
    let words: LexicalIndex;
    try {
      words = await this.open(saved);
    } catch {
      return; // The index in memory stays right; the next open rebuilds if the file is unreadable.
    }
    // No await from here on: every change after the snapshot is in `since`.
    for (const change of capture.since) apply(words, change);
    this.words = words;
  }

  /** A compaction started a journal of `changes` file entries and dropped the snapshot. */
  restarted(changes: number): void {
    this.changes = changes;
    this.saved = undefined;
    this.tail = [];
    this.capture = undefined;
  }

  /** Lets go of the segment files (the index must not be queried afterwards). */
  async close(): Promise<void> {
    const handles = this.handles;
    this.handles = [];
    await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
  }

  private async load(): Promise<LexicalIndex> {
    const saved = this.saved;
    let words: LexicalIndex | undefined;
    if (saved && isWordSegmentFileName(saved.file)) {
      try {
        words = await this.open(saved);
      } catch {
        // Replaced by a writer since this store opened, or damaged: built from the catalog below.
      }
    }
    // No await from here on: changes noted while the file was read are in the tail.
    if (words && this.saved === saved) for (const change of this.tail) apply(words, change);
    else words = LexicalIndex.fromFiles(() => this.catalog.allFiles());
    this.tail = [];
    this.words = words;
    this.loading = undefined;
    return words;
  }

  private async open(saved: SavedLexical): Promise<LexicalIndex> {
    const handle = await openIndexFile(this.dir, saved.file, 'read');
    try {
      const segment = WordSegment.open(handle.fd, saved);
      this.handles.push(handle);
      return LexicalIndex.onSegment(segment, () => this.catalog.allFiles());
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
}

function apply(words: LexicalIndex, change: FileChange): void {
  if (change.t === 'f') words.putFile(change.r);
  else words.deleteFile(change.root, change.path);
}
