import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Catalog } from '../catalog/catalog';
import type { FileRecord } from '../catalog/catalogTypes';
import type { FileProblem } from '../catalog/catalog';
import { removeStaleTempFiles, writeFileAtomically } from '../vectors/atomicFile';
import { CorruptVectorFileError } from '../vectors/corruptVectorFileError';
import { float16ToFloat32, float32ToFloat16 } from '../vectors/float16';
import { SegmentFile } from '../vectors/segmentFile';
import type { StoredSegment } from '../vectors/storedSegment';
import { writeSegmentFile } from '../vectors/segmentWriter';
import { JournalAppender, readJournal } from './catalogJournal';
import { collectGarbage, rewriteCompacted } from './compaction';
import { checkIndexFolder, openIndexFile, readIndexFile } from './indexFileAccess';
import { isLexicalFileName, isProblemsFileName, isThumbnailFileName, problemsFileName, segmentFileName, THUMBNAIL_FOLDER } from './indexFileNames';
import { checkRoomForNewIndex, deleteIndexFiles, prepareIndexFolder, prepareThumbnailFolder } from './indexFolder';
import { CorruptIndexError, IndexMismatchError } from './indexErrors';
import { holdsSightlineManifest, type IndexManifest, type IndexSummary, MANIFEST_VERSION, newManifest, readManifest, writeManifest } from './indexManifest';
import { readLegacySegment, upgradeLegacySegments } from './legacyUpgrade';
import { LegacySegmentInMemory } from '../vectors/legacySegmentInMemory';
import type { JournalEntry } from './journalEntry';
import { SavedWordIndex } from './savedWordIndex';
import type { LexicalIndex } from '../search/lexicalIndex';
import { acquireWriterLock, type WriterLock, type WriterLockOptions } from './writerLock';

export interface IndexIdentity {
  readonly model: string;
  readonly dimensions: number | 'full';
  /** Leading dimensions kept as int8 codes for the scan. */
  readonly scanDims: number;
}

export interface OpenForWritingOptions {
  /** How to wait for another writer (by default: wait, silently). */
  readonly lock?: WriterLockOptions;
  /** Delete the index's own files first and start empty (a rebuild). */
  readonly rebuild?: boolean;
}

/** A reader retries this often when a writer replaced the files it was reading. */
const READ_ATTEMPTS = 5;

/**
 * The index folder: a manifest, immutable vector segments, an append-only catalog journal and
 * content-addressed thumbnails. Changes are buffered in memory and made durable together by
 * `checkpoint()`; a process killed at any moment leaves the last checkpoint intact. Segment
 * files stay open and are read on demand: opening the index reads none of their vectors.
 */
export class IndexStore {
  readonly catalog = new Catalog();
  private segments: StoredSegment[] = [];
  private segmentStarts: number[] = [];
  private pendingVectors: Array<{ embedKey: string; vector: Float32Array }> = [];
  private pendingEntries: JournalEntry[] = [];
  /** Absent in a read-only store. */
  private journal: JournalAppender | undefined;
  private closed = false;
  /** Row the next added vector gets; rows are assigned when added, made durable at checkpoint. */
  private nextRow = 0;
  /** Checkpoints run one at a time; adds may go on while one is writing. */
  private writing: Promise<unknown> = Promise.resolve();
  /** The catalog's problemsRevision the manifest's problem list was written at. */
  private problemsWrittenAt = -1;
  /** The lexical index, kept in step with the catalog and saved with checkpoints. */
  private readonly words: SavedWordIndex;

  private constructor(
    readonly dir: string,
    private manifest: IndexManifest,
    /** Held by a writer until close; a read-only store has none. */
    private readonly lock: WriterLock | undefined,
  ) {
    this.words = new SavedWordIndex(dir, this.catalog, manifest.lexical);
  }

  /**
   * Opens (or creates) the index in `dir` for writing, as its only writer: waits for (or, with
   * `lock.wait: false`, refuses with IndexBusyError) another process that writes it. Throws
   * IndexMismatchError, CorruptIndexError, or UnsafeIndexFolderError for a folder that is a
   * link or holds other things.
   */
  static async open(dir: string, identity: IndexIdentity, options: OpenForWritingOptions = {}): Promise<IndexStore> {
    await prepareIndexFolder(dir);
    const lock = await acquireWriterLock(dir, options.lock);
    try {
      // A rebuild replaces an index where it stands: files someone keeps beside it were there
      // before and stay, so they must not stop the new index once the old one is deleted.
      const replacing = options.rebuild === true && (await holdsSightlineManifest(dir));
      if (options.rebuild) await deleteIndexFiles(dir);
      const existing = await readManifest(dir);
      if (!existing && !replacing) await checkRoomForNewIndex(dir);
      await prepareThumbnailFolder(dir);
      // Only the writer may sweep: temp files belong to writers, and this one holds the lock.
      await removeStaleTempFiles(dir);
      await removeStaleTempFiles(path.join(dir, THUMBNAIL_FOLDER));
      if (existing && (existing.model !== identity.model || existing.dimensions !== identity.dimensions)) {
        throw new IndexMismatchError(existing, identity);
      }
      const store = new IndexStore(dir, existing ?? newManifest(identity.model, identity.dimensions, identity.scanDims), lock);
      await store.load('update');
      if (!existing) await writeManifest(dir, store.manifest);
      return store;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /**
   * Opens the index for reading only: no lock, and nothing in the folder is created, changed
   * or deleted, so it works on a read-only folder and while another process writes. A folder
   * without an index gives an empty store. With `identity`, a different model or size throws
   * IndexMismatchError.
   */
  static async openReadOnly(dir: string, identity?: IndexIdentity): Promise<IndexStore> {
    for (let attempt = 1; ; attempt++) {
      const exists = await checkIndexFolder(dir);
      if (exists) await checkIndexFolder(path.join(dir, THUMBNAIL_FOLDER));
      const manifest = exists ? await readManifest(dir) : undefined;
      if (manifest && identity && (manifest.model !== identity.model || manifest.dimensions !== identity.dimensions)) {
        throw new IndexMismatchError(manifest, identity);
      }
      const store = new IndexStore(dir, manifest ?? newManifest(identity?.model ?? '', identity?.dimensions ?? 'full', identity?.scanDims ?? 0), undefined);
      try {
        await store.load('read');
        return store;
      } catch (error) {
        // A writer's compaction may have replaced the files between our manifest and our reads.
        if (attempt >= READ_ATTEMPTS || !(error instanceof CorruptIndexError) || sameManifest(manifest, await readManifest(dir).catch(() => undefined)))
          throw error;
      }
    }
  }

  /** Reads only the manifest, for status reports, without loading vectors. */
  static readManifest(dir: string): Promise<IndexManifest | undefined> {
    return readManifest(dir);
  }

  /** The failures and warnings a manifest's checkpoint recorded, without loading the catalog. */
  static async readProblems(dir: string, manifest: IndexManifest): Promise<{ failures: FileProblem[]; warnings: FileProblem[] }> {
    if (!manifest.problems) return { failures: [], warnings: [] };
    let parsed: unknown;
    try {
      parsed = JSON.parse((await readIndexFile(dir, manifest.problems)).toString('utf8'));
    } catch (error) {
      throw new CorruptIndexError(`the problem list ${manifest.problems} is damaged: ${(error as Error).message}`, { cause: error });
    }
    const lists = parsed as { failures?: unknown; warnings?: unknown };
    if (!Array.isArray(lists.failures) || !Array.isArray(lists.warnings)) throw new CorruptIndexError(`the problem list ${manifest.problems} is damaged`);
    return { failures: lists.failures as FileProblem[], warnings: lists.warnings as FileProblem[] };
  }

  /**
   * Deletes the index's own files (a rebuild after a model change or corruption, with
   * consent), as its writer. Refuses a folder that is not a Sightline index.
   */
  static async destroy(dir: string, lockOptions: WriterLockOptions = {}): Promise<void> {
    if (!(await checkIndexFolder(dir))) return;
    const lock = await acquireWriterLock(dir, lockOptions);
    try {
      await deleteIndexFiles(dir);
    } finally {
      await lock.release();
    }
  }

  get readOnly(): boolean {
    return this.lock === undefined;
  }

  /** Changes whenever a writer commits; a reader compares it to see whether to reload. */
  get committedAt(): string {
    return this.manifest.updatedAt;
  }

  get model(): string {
    return this.manifest.model;
  }

  /** Changes when a compaction renumbers rows. */
  get generation(): number {
    return this.manifest.generation;
  }

  get vectorDims(): number {
    return this.manifest.vectorDims;
  }

  get scanDims(): number {
    return this.manifest.scanDims;
  }

  /** Committed rows (pending ones are not searchable until the next checkpoint). */
  get rowCount(): number {
    return this.segmentStarts.length ? this.segmentStarts.at(-1)! + this.segments.at(-1)!.count : 0;
  }

  /** The committed segment files, in row order (the store owns and closes them). */
  get committedSegments(): readonly StoredSegment[] {
    return this.segments;
  }

  /** The counts of the last checkpoint (of the catalog as loaded, in a read-only store). */
  get summary(): IndexSummary {
    return summaryOf(this.catalog.summary);
  }

  get pendingCount(): number {
    return this.pendingVectors.length + this.pendingEntries.length;
  }

  /** Queues a new vector and returns its future row; durable at the next checkpoint. */
  addVector(embedKey: string, vector: Float32Array): number {
    this.assertWritable();
    if (this.manifest.vectorDims === 0)
      this.manifest = { ...this.manifest, vectorDims: vector.length, scanDims: Math.min(this.manifest.scanDims, vector.length) };
    if (vector.length !== this.manifest.vectorDims) {
      throw new RangeError(`vector has ${vector.length} dimensions; this index stores ${this.manifest.vectorDims}`);
    }
    const row = this.nextRow++;
    this.pendingVectors.push({ embedKey, vector });
    this.catalog.registerVector(embedKey, row);
    return row;
  }

  putFile(record: FileRecord): void {
    this.assertWritable();
    this.catalog.putFile(record);
    const entry = { t: 'f', r: record } as const;
    this.pendingEntries.push(entry);
    this.words.noteChange(entry);
  }

  deleteFile(root: string, relativePath: string): void {
    this.assertWritable();
    const previous = this.catalog.deleteFile(root, relativePath);
    if (!previous) return;
    const entry = { t: 'd', root, path: relativePath } as const;
    this.pendingEntries.push(entry);
    this.words.noteChange(entry);
  }

  /**
   * The lexical index of the catalog as it is now (pending changes included): the saved one
   * loaded, plus the changes since it was saved, or built from the catalog when none was saved.
   */
  lexicalIndex(): Promise<LexicalIndex> {
    return this.words.get();
  }

  /** The lexical index when it is loaded already, else undefined. */
  get loadedLexicalIndex(): LexicalIndex | undefined {
    return this.words.ready;
  }

  /** The stored (float16-rounded) vector of a committed row, read from its segment file. */
  vectorAt(row: number): Float32Array {
    let lo = 0;
    let hi = this.segmentStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segmentStarts[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    const segment = this.segments[lo];
    const local = row - (this.segmentStarts[lo] ?? 0);
    if (!segment || local < 0 || local >= segment.count) throw new RangeError(`no committed vector row ${row}`);
    const halves = new Uint16Array(segment.fullDims);
    segment.readRow(local, halves);
    return float16ToFloat32(halves);
  }

  /** Stores a thumbnail under a name derived from its bytes and returns the name. */
  async saveThumbnail(bytes: Uint8Array, extension: string): Promise<string> {
    this.assertWritable();
    const name = `${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}.${extension}`;
    const target = path.join(this.dir, THUMBNAIL_FOLDER, name);
    const existing = await fs.lstat(target).catch(() => undefined);
    // A link or anything but a file under a thumbnail's name is replaced, never written through.
    if (!existing?.isFile()) await writeFileAtomically(target, [bytes]);
    return name;
  }

  /** The thumbnail's path, or undefined for a name Sightline would not have written. */
  thumbnailPath(name: string): string | undefined {
    return isThumbnailFileName(name) ? path.join(this.dir, THUMBNAIL_FOLDER, name) : undefined;
  }

  /**
   * Makes everything queued durable: first the new segment, the journal lines and the problem
   * list, then the manifest that points at them.
   */
  checkpoint(final = false): Promise<void> {
    if (!this.journal) return this.pendingCount ? Promise.reject(this.readOnlyError()) : Promise.resolve();
    const run = this.writing.then(() => this.writeCheckpoint(final));
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async writeCheckpoint(final: boolean): Promise<void> {
    const vectors = this.pendingVectors.splice(0);
    const entries: JournalEntry[] = this.pendingEntries.splice(0);
    // Taken with the entries, before any await: it describes exactly the catalog committed here.
    const words = this.words.snapshotIfDue(final);
    if (vectors.length + entries.length === 0 && !words) return;
    let opened: SegmentFile | undefined;
    try {
      let segments = this.manifest.segments;
      if (vectors.length) {
        const { vectorDims: dims, scanDims, model } = this.manifest;
        const flat = new Float32Array(vectors.length * dims);
        vectors.forEach((p, i) => flat.set(p.vector, i * dims));
        const halves = float32ToFloat16(flat);
        const file = segmentFileName(this.manifest.generation, segments.length);
        await writeSegmentFile(path.join(this.dir, file), { modelId: model, fullDims: dims, scanDims }, vectors.length, (first, target) =>
          target.set(halves.subarray(first * dims, first * dims + target.length)),
        );
        opened = await this.openSegment(file, vectors.length);
        const start = this.rowCount;
        entries.unshift({ t: 'v', k: vectors.map((p, i) => [p.embedKey, start + i] as const) });
        segments = [...segments, { file, count: vectors.length }];
      }
      const position = await this.journal!.append(entries);
      const checkpoints = this.manifest.checkpoints + 1;
      const problems = await this.writeProblems(checkpoints);
      const lexical = words ? await this.words.write(words, checkpoints) : this.manifest.lexical;
      const { problems: replaced, lexical: replacedLexical, ...rest } = this.manifest;
      const manifest: IndexManifest = {
        ...rest,
        segments,
        journal: { ...this.manifest.journal, ...position },
        summary: this.summary,
        ...(problems.name ? { problems: problems.name } : {}),
        ...(lexical ? { lexical } : {}),
        checkpoints,
      };
      await writeManifest(this.dir, manifest);
      this.manifest = manifest;
      this.problemsWrittenAt = problems.revision;
      await this.words.committed(lexical);
      if (replaced && replaced !== manifest.problems) await fs.rm(path.join(this.dir, replaced), { force: true });
      if (replacedLexical && replacedLexical.file !== lexical?.file) await fs.rm(path.join(this.dir, replacedLexical.file), { force: true });
      if (opened) this.addSegment(opened);
    } catch (error) {
      await opened?.close();
      // Nothing was committed (the manifest is written last): keep the work for the next try.
      this.pendingVectors.unshift(...vectors);
      this.pendingEntries.unshift(...entries.filter((e) => e.t !== 'v'));
      throw error;
    }
  }

  /**
   * Writes the list of failures and warnings when it changed since the manifest's, under a new
   * name (the manifest's own stays valid until the new manifest replaces it).
   */
  private async writeProblems(checkpoint: number): Promise<{ name?: string; revision: number }> {
    const revision = this.catalog.problemsRevision;
    if (revision === this.problemsWrittenAt) return { name: this.manifest.problems, revision };
    const { failures, warnings } = this.catalog.problems();
    if (failures.length + warnings.length === 0) return { revision };
    const name = problemsFileName(checkpoint);
    await writeFileAtomically(path.join(this.dir, name), [Buffer.from(JSON.stringify({ failures, warnings }), 'utf8')]);
    return { name, revision };
  }

  /**
   * Rewrites the index without rows no file uses any more, when they have piled up.
   * Returns true when it compacted (rows are renumbered: searchers must be rebuilt).
   */
  async compactIfWasteful(): Promise<boolean> {
    if (!this.journal) return false;
    await this.checkpoint();
    const live = this.catalog.liveRows();
    const total = this.rowCount;
    if (total - live.size < Math.max(1000, total / 2) && this.segments.length <= 64) return false;
    // The saved lexical index counts the old journal's changes: load it now, save it anew later.
    await this.words.get();
    const result = await rewriteCompacted(this.dir, this.manifest, this.segments, this.segmentStarts, this.catalog);
    await this.journal.close();
    this.journal = undefined;
    this.manifest = result.manifest;
    this.catalog.replaceWith(result.records);
    this.words.restarted(result.records.length);
    this.problemsWrittenAt = this.catalog.problemsRevision;
    await this.closeSegments();
    for (const { file, count } of this.manifest.segments) this.addSegment(await this.openSegment(file, count));
    this.nextRow = this.rowCount;
    this.journal = await JournalAppender.open(this.dir, this.manifest.journal.file, this.manifest.journal);
    await collectGarbage(this.dir, this.manifest, this.catalog);
    return true;
  }

  /**
   * Checkpoints what is pending, then lets go of the journal and the writer lock. Both are let
   * go even when the checkpoint fails (a full disk): the error is thrown afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.journal) {
        // Leaves a snapshot of the lexical index that includes every change, so the next open
        // loads it instead of tokenizing the whole catalog (or the changes since the last one).
        if (this.words.staleAtClose) await this.words.get();
        await this.checkpoint(true);
      }
    } finally {
      await this.journal?.close().catch(() => undefined);
      this.journal = undefined;
      await this.closeSegments();
      await this.words.close();
      await this.lock?.release();
    }
  }

  /**
   * Lets go of the index without saving what is pending, as a crash would: the journal is
   * closed and the lock released, and the next open finds the last checkpoint.
   */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pendingVectors = [];
    this.pendingEntries = [];
    await this.journal?.close().catch(() => undefined);
    this.journal = undefined;
    await this.closeSegments();
    await this.words.close();
    await this.lock?.release();
  }

  private async load(mode: 'read' | 'update'): Promise<void> {
    const { file } = this.manifest.journal;
    for (const entry of await readJournal(this.dir, file, this.manifest.journal)) this.replay(entry);
    this.problemsWrittenAt = this.catalog.problemsRevision;
    if (this.manifest.version < MANIFEST_VERSION && mode === 'read') {
      // A reader must not write: it reads the old format whole, as that format was always read.
      await this.openLegacySegments();
      this.nextRow = this.rowCount;
      return;
    }
    if (this.manifest.version < MANIFEST_VERSION) {
      // The writer rewrites the vectors in this format once, before anything else is written.
      const checkpoints = this.manifest.checkpoints + 1;
      this.problemsWrittenAt = -1;
      const problems = await this.writeProblems(checkpoints);
      this.manifest = await upgradeLegacySegments(this.dir, {
        ...this.manifest,
        summary: this.summary,
        checkpoints,
        ...(problems.name ? { problems: problems.name } : {}),
      });
      this.problemsWrittenAt = problems.revision;
    }
    try {
      for (const { file: name, count } of this.manifest.segments) this.addSegment(await this.openSegment(name, count));
    } catch (error) {
      await this.closeSegments();
      throw error;
    }
    this.nextRow = this.rowCount;
    if (mode === 'update') {
      this.journal = await JournalAppender.open(this.dir, file, this.manifest.journal);
      await this.removeUncommittedFiles();
    }
  }

  private async openLegacySegments(): Promise<void> {
    for (const { file, count } of this.manifest.segments) {
      const segment = await readLegacySegment(this.dir, file);
      if (segment.count !== count) throw new CorruptIndexError(`vector file ${file} holds ${segment.count} vectors, the manifest says ${count}`);
      this.addSegment(new LegacySegmentInMemory(segment, path.join(this.dir, file)));
    }
  }

  /** Opens a segment file named by the manifest and checks it is what the manifest says. */
  private async openSegment(name: string, count: number): Promise<SegmentFile> {
    let segment: SegmentFile;
    try {
      segment = await SegmentFile.open(await openIndexFile(this.dir, name, 'read'), path.join(this.dir, name));
    } catch (error) {
      if (error instanceof CorruptVectorFileError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CorruptIndexError(`vector file ${name} is damaged: ${(error as Error).message}`, { cause: error });
      }
      throw error;
    }
    const { model, vectorDims, scanDims } = this.manifest;
    const problem =
      segment.count !== count
        ? `holds ${segment.count} vectors, the manifest says ${count}`
        : segment.modelId !== model || segment.fullDims !== vectorDims || segment.scanDims !== scanDims
          ? `holds vectors of ${segment.modelId} at ${segment.fullDims}/${segment.scanDims} dims, the manifest says ${model} at ${vectorDims}/${scanDims}`
          : undefined;
    if (problem) {
      await segment.close();
      throw new CorruptIndexError(`vector file ${name} ${problem}`);
    }
    return segment;
  }

  private async closeSegments(): Promise<void> {
    const segments = this.segments;
    this.segments = [];
    this.segmentStarts = [];
    await Promise.all(segments.map((segment) => segment.close()));
  }

  /** Problem lists and lexical snapshots a checkpoint wrote but never committed (killed before its manifest). */
  private async removeUncommittedFiles(): Promise<void> {
    for (const name of await fs.readdir(this.dir)) {
      if (isProblemsFileName(name) && name !== this.manifest.problems) await fs.rm(path.join(this.dir, name), { force: true });
      if (isLexicalFileName(name) && name !== this.manifest.lexical?.file) await fs.rm(path.join(this.dir, name), { force: true });
    }
  }

  private assertWritable(): void {
    if (!this.journal) throw this.readOnlyError();
  }

  private readOnlyError(): Error {
    return new Error(`the index in ${this.dir} was opened read-only`);
  }

  private replay(entry: JournalEntry): void {
    if (entry.t === 'v') {
      for (const [key, row] of entry.k) this.catalog.registerVector(key, row);
      return;
    }
    if (entry.t === 'f') this.catalog.putFile(entry.r);
    else this.catalog.deleteFile(entry.root, entry.path);
    this.words.noteChange(entry);
  }

  private addSegment(segment: StoredSegment): void {
    this.segmentStarts.push(this.rowCount);
    this.segments.push(segment);
  }
}

function summaryOf(counts: IndexSummary): IndexSummary {
  const { files, items, failures, warnings } = counts;
  return { files: { ...files }, items: { ...items }, failures, warnings };
}

function sameManifest(a: IndexManifest | undefined, b: IndexManifest | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
