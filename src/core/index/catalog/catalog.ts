import { fileKey } from '../../common/fileKey';
import type { ItemKind } from '../../sources/itemTypes';
import type { FileFailure, FileRecord } from './catalogTypes';

/** A failure or warning with the file it is about. */
export type FileProblem = FileFailure & { readonly root: string; readonly path: string };

/** What a status report counts (IndexSummary in the manifest). */
export interface CatalogCounts {
  readonly files: Record<ItemKind, number>;
  readonly items: Record<ItemKind, number>;
  failures: number;
  warnings: number;
}

export function zeroByKind(): Record<ItemKind, number> {
  return { image: 0, markdown: 0, pdf: 0, notebook: 0 };
}

function emptyCounts(): CatalogCounts {
  return { files: zeroByKind(), items: zeroByKind(), failures: 0, warnings: 0 };
}

/**
 * The in-memory catalog: the files last indexed, and every vector row the index holds by the
 * content it embeds. Vector rows outlive the files that produced them until the next
 * compaction, so a revert, a rename or a copy finds its vectors without an API call.
 */
export class Catalog {
  private readonly files = new Map<string, FileRecord>();
  private readonly rowsByEmbedKey = new Map<string, number>();
  /**
   * Built on the first findByHash (only indexing and image queries ask), so opening an index
   * to search does not build a set per file.
   */
  private filesByHash: Map<string, Set<string>> | undefined;
  private readonly thumbnailsByEmbedKey = new Map<string, string>();
  private readonly problemFiles = new Set<string>();
  private counts = emptyCounts();

  /** Changes with every put or delete, so derived tables know when to rebuild. */
  revision = 0;
  /** Changes when a file with failures or warnings is put or deleted. */
  problemsRevision = 0;

  /** Files and items by kind, failures and warnings, kept as files come and go. */
  get summary(): Readonly<CatalogCounts> {
    return this.counts;
  }

  /** Every failure, then every warning, of every file. */
  problems(): { failures: FileProblem[]; warnings: FileProblem[] } {
    const failures: FileProblem[] = [];
    const warnings: FileProblem[] = [];
    for (const key of this.problemFiles) {
      const { root, path, failures: f = [], warnings: w = [] } = this.files.get(key)!;
      for (const failure of f) failures.push({ root, path, ...failure });
      for (const warning of w) warnings.push({ root, path, ...warning });
    }
    return { failures, warnings };
  }

  get fileCount(): number {
    return this.files.size;
  }

  allFiles(): IterableIterator<FileRecord> {
    return this.files.values();
  }

  getFile(root: string, path: string): FileRecord | undefined {
    return this.files.get(fileKey(root, path));
  }

  /** Another file with the same bytes (a copy or a rename), if any. */
  findByHash(hash: string): FileRecord | undefined {
    if (!this.filesByHash) {
      this.filesByHash = new Map();
      for (const [key, record] of this.files) this.indexHash(record.hash, key);
    }
    for (const key of this.filesByHash.get(hash) ?? []) {
      const record = this.files.get(key);
      if (record && !record.failures?.length && !record.incomplete) return record;
    }
    return undefined;
  }

  rowFor(embedKey: string): number | undefined {
    return this.rowsByEmbedKey.get(embedKey);
  }

  knownRows(): IterableIterator<[string, number]> {
    return this.rowsByEmbedKey.entries();
  }

  thumbnailFor(embedKey: string): string | undefined {
    return this.thumbnailsByEmbedKey.get(embedKey);
  }

  registerVector(embedKey: string, row: number): void {
    this.rowsByEmbedKey.set(embedKey, row);
  }

  /** Puts the file's record in place of the one it had, which it returns. */
  putFile(record: FileRecord): FileRecord | undefined {
    const previous = this.deleteFile(record.root, record.path);
    this.revision++;
    const key = fileKey(record.root, record.path);
    this.files.set(key, record);
    if (this.filesByHash) this.indexHash(record.hash, key);
    this.count(record, 1);
    for (const item of record.items) {
      this.rowsByEmbedKey.set(item.embedKey, item.row);
      if (item.thumbnail) this.thumbnailsByEmbedKey.set(item.embedKey, item.thumbnail);
    }
    return previous;
  }

  deleteFile(root: string, path: string): FileRecord | undefined {
    const key = fileKey(root, path);
    const old = this.files.get(key);
    if (!old) return undefined;
    this.revision++;
    this.files.delete(key);
    this.count(old, -1);
    const sameHash = this.filesByHash?.get(old.hash);
    sameHash?.delete(key);
    if (sameHash?.size === 0) this.filesByHash!.delete(old.hash);
    return old;
  }

  private indexHash(hash: string, key: string): void {
    let sameHash = this.filesByHash!.get(hash);
    if (!sameHash) this.filesByHash!.set(hash, (sameHash = new Set()));
    sameHash.add(key);
  }

  /** After a compaction: the same files with renumbered rows, and no orphaned rows. */
  replaceWith(records: readonly FileRecord[]): void {
    this.files.clear();
    this.rowsByEmbedKey.clear();
    this.filesByHash = undefined;
    this.thumbnailsByEmbedKey.clear();
    this.problemFiles.clear();
    this.counts = emptyCounts();
    this.problemsRevision++;
    for (const record of records) this.putFile(record);
  }

  private count(record: FileRecord, sign: 1 | -1): void {
    const counts = this.counts;
    counts.files[record.kind] += sign;
    for (const item of record.items) counts.items[item.kind] += sign;
    const failures = record.failures?.length ?? 0;
    const warnings = record.warnings?.length ?? 0;
    if (failures + warnings === 0) return;
    counts.failures += sign * failures;
    counts.warnings += sign * warnings;
    this.problemsRevision++;
    const key = fileKey(record.root, record.path);
    if (sign > 0) this.problemFiles.add(key);
    else this.problemFiles.delete(key);
  }

  /** Rows some current file still points at. */
  liveRows(): Set<number> {
    const rows = new Set<number>();
    for (const record of this.files.values()) for (const item of record.items) rows.add(item.row);
    return rows;
  }
}
