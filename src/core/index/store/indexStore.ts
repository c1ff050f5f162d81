import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Catalog } from '../catalog/catalog';
import type { FileRecord } from '../catalog/catalogTypes';
import { removeStaleTempFiles, writeFileAtomically } from '../vectors/atomicFile';
import { CorruptVectorFileError } from '../vectors/corruptVectorFileError';
import { float16ToFloat32 } from '../vectors/float16';
import { readVectorSegment } from '../vectors/segmentReader';
import { writeVectorSegment } from '../vectors/segmentWriter';
import { encodeVectorSegment, type VectorSegment } from '../vectors/vectorSegment';
import { JournalAppender, readJournal } from './catalogJournal';
import { CorruptIndexError, IndexMismatchError } from './indexErrors';
import { type IndexManifest, MANIFEST_FILE, newManifest, readManifest, writeManifest } from './indexManifest';
import type { JournalEntry } from './journalEntry';
import { collectGarbage, rewriteCompacted } from './compaction';

export interface IndexIdentity {
  readonly model: string;
  readonly dimensions: number | 'full';
  /** Leading dimensions kept as int8 codes for the scan. */
  readonly scanDims: number;
}

/**
 * The index folder: a manifest, immutable vector segments, an append-only catalog journal and
 * content-addressed thumbnails. Changes are buffered in memory and made durable together by
 * `checkpoint()`; a process killed at any moment leaves the last checkpoint intact.
 */
export class IndexStore {
  readonly catalog = new Catalog();
  private segments: VectorSegment[] = [];
  private segmentStarts: number[] = [];
  private pendingVectors: Array<{ embedKey: string; vector: Float32Array }> = [];
  private pendingEntries: JournalEntry[] = [];
  private journal!: JournalAppender;
  private closed = false;
  /** Row the next added vector gets; rows are assigned when added, made durable at checkpoint. */
  private nextRow = 0;
  /** Checkpoints run one at a time; adds may go on while one is writing. */
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private manifest: IndexManifest,
  ) {}

  /** Opens (or creates) the index in `dir`. Throws IndexMismatchError or CorruptIndexError. */
  static async open(dir: string, identity: IndexIdentity): Promise<IndexStore> {
    await fs.mkdir(path.join(dir, 'thumbs'), { recursive: true });
    await removeStaleTempFiles(dir);
    await removeStaleTempFiles(path.join(dir, 'thumbs'));
    const existing = await readManifest(path.join(dir, MANIFEST_FILE));
    if (existing && (existing.model !== identity.model || existing.dimensions !== identity.dimensions)) {
      throw new IndexMismatchError(existing, identity);
    }
    const store = new IndexStore(dir, existing ?? newManifest(identity.model, identity.dimensions, identity.scanDims));
    await store.load();
    if (!existing) await writeManifest(path.join(dir, MANIFEST_FILE), store.manifest);
    return store;
  }

  /** Reads only the manifest, for status reports, without loading vectors. */
  static readManifest(dir: string): Promise<IndexManifest | undefined> {
    return readManifest(path.join(dir, MANIFEST_FILE));
  }

  /** Deletes the index's files (a rebuild after a model change or corruption, with consent). */
  static async destroy(dir: string): Promise<void> {
    await fs.rm(dir, { recursive: true, force: true });
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

  get committedSegments(): readonly VectorSegment[] {
    return this.segments;
  }

  get pendingCount(): number {
    return this.pendingVectors.length + this.pendingEntries.length;
  }

  /** Queues a new vector and returns its future row; durable at the next checkpoint. */
  addVector(embedKey: string, vector: Float32Array): number {
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
    this.catalog.putFile(record);
    this.pendingEntries.push({ t: 'f', r: record });
  }

  deleteFile(root: string, relativePath: string): void {
    if (this.catalog.deleteFile(root, relativePath)) this.pendingEntries.push({ t: 'd', root, path: relativePath });
  }

  /** The stored (float16-rounded) vector of a committed row. */
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
    return float16ToFloat32(segment.full.subarray(local * segment.fullDims, (local + 1) * segment.fullDims));
  }

  /** Stores a thumbnail under a name derived from its bytes and returns the name. */
  async saveThumbnail(bytes: Uint8Array, extension: string): Promise<string> {
    const name = `${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}.${extension}`;
    const target = path.join(this.dir, 'thumbs', name);
    try {
      await fs.access(target);
    } catch {
      await writeFileAtomically(target, [bytes]);
    }
    return name;
  }

  thumbnailPath(name: string): string {
    return path.join(this.dir, 'thumbs', path.basename(name));
  }

  /**
   * Makes everything queued durable: first the new segment and the journal lines, then the
   * manifest that points at them. Returns the segment added, if any, for the searcher.
   */
  checkpoint(): Promise<VectorSegment | undefined> {
    const run = this.writing.then(() => this.writeCheckpoint());
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async writeCheckpoint(): Promise<VectorSegment | undefined> {
    if (this.pendingCount === 0) return undefined;
    const vectors = this.pendingVectors.splice(0);
    const entries: JournalEntry[] = this.pendingEntries.splice(0);
    try {
      let segment: VectorSegment | undefined;
      let segments = this.manifest.segments;
      if (vectors.length) {
        const { vectorDims } = this.manifest;
        const flat = new Float32Array(vectors.length * vectorDims);
        vectors.forEach((p, i) => flat.set(p.vector, i * vectorDims));
        segment = encodeVectorSegment({ modelId: this.manifest.model, fullDims: vectorDims, scanDims: this.manifest.scanDims }, flat);
        const file = `seg-${this.manifest.generation}-${segments.length}.slv`;
        await writeVectorSegment(path.join(this.dir, file), segment);
        const start = this.rowCount;
        entries.unshift({ t: 'v', k: vectors.map((p, i) => [p.embedKey, start + i] as const) });
        segments = [...segments, { file, count: segment.count }];
      }
      const position = await this.journal.append(entries);
      const manifest = { ...this.manifest, segments, journal: { ...this.manifest.journal, ...position } };
      await writeManifest(path.join(this.dir, MANIFEST_FILE), manifest);
      this.manifest = manifest;
      if (segment) this.addSegment(segment);
      return segment;
    } catch (error) {
      // Nothing was committed (the manifest is written last): keep the work for the next try.
      this.pendingVectors.unshift(...vectors);
      this.pendingEntries.unshift(...entries.filter((e) => e.t !== 'v'));
      throw error;
    }
  }

  /**
   * Rewrites the index without rows no file uses any more, when they have piled up.
   * Returns true when it compacted (rows are renumbered: searchers must be rebuilt).
   */
  async compactIfWasteful(): Promise<boolean> {
    await this.checkpoint();
    const live = this.catalog.liveRows();
    const total = this.rowCount;
    if (total - live.size < Math.max(1000, total / 2) && this.segments.length <= 64) return false;
    const result = await rewriteCompacted(this.dir, this.manifest, this.segments, this.segmentStarts, this.catalog);
    await this.journal.close();
    this.manifest = result.manifest;
    this.catalog.replaceWith(result.records);
    this.segments = [];
    this.segmentStarts = [];
    for (const segment of result.segments) this.addSegment(segment);
    this.nextRow = this.rowCount;
    this.journal = await JournalAppender.open(path.join(this.dir, this.manifest.journal.file), this.manifest.journal);
    await collectGarbage(this.dir, this.manifest, this.catalog);
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.checkpoint();
    await this.journal.close();
  }

  private async load(): Promise<void> {
    for (const { file, count } of this.manifest.segments) {
      let segment: VectorSegment;
      try {
        segment = await readVectorSegment(path.join(this.dir, file));
      } catch (error) {
        if (error instanceof CorruptVectorFileError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new CorruptIndexError(`vector file ${file} is damaged: ${(error as Error).message}`, { cause: error });
        }
        throw error;
      }
      if (segment.count !== count) throw new CorruptIndexError(`vector file ${file} holds ${segment.count} vectors, the manifest says ${count}`);
      this.addSegment(segment);
    }
    this.nextRow = this.rowCount;
    const journalPath = path.join(this.dir, this.manifest.journal.file);
    for (const entry of await readJournal(journalPath, this.manifest.journal)) this.replay(entry);
    this.journal = await JournalAppender.open(journalPath, this.manifest.journal);
  }

  private replay(entry: JournalEntry): void {
    if (entry.t === 'v') for (const [key, row] of entry.k) this.catalog.registerVector(key, row);
    else if (entry.t === 'f') this.catalog.putFile(entry.r);
    else this.catalog.deleteFile(entry.root, entry.path);
  }

  private addSegment(segment: VectorSegment): void {
    this.segmentStarts.push(this.rowCount);
    this.segments.push(segment);
  }
}
