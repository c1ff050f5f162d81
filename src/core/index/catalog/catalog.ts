import { fileKey } from '../../common/fileKey';
import type { FileRecord } from './catalogTypes';

/**
 * The in-memory catalog: the files last indexed, and every vector row the index holds by the
 * content it embeds. Vector rows outlive the files that produced them until the next
 * compaction, so a revert, a rename or a copy finds its vectors without an API call.
 */
export class Catalog {
  private readonly files = new Map<string, FileRecord>();
  private readonly rowsByEmbedKey = new Map<string, number>();
  private readonly filesByHash = new Map<string, Set<string>>();
  private readonly thumbnailsByEmbedKey = new Map<string, string>();

  /** Changes with every put or delete, so derived tables know when to rebuild. */
  revision = 0;

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

  putFile(record: FileRecord): void {
    this.deleteFile(record.root, record.path);
    this.revision++;
    const key = fileKey(record.root, record.path);
    this.files.set(key, record);
    let sameHash = this.filesByHash.get(record.hash);
    if (!sameHash) this.filesByHash.set(record.hash, (sameHash = new Set()));
    sameHash.add(key);
    for (const item of record.items) {
      this.rowsByEmbedKey.set(item.embedKey, item.row);
      if (item.thumbnail) this.thumbnailsByEmbedKey.set(item.embedKey, item.thumbnail);
    }
  }

  deleteFile(root: string, path: string): FileRecord | undefined {
    const key = fileKey(root, path);
    const old = this.files.get(key);
    if (!old) return undefined;
    this.revision++;
    this.files.delete(key);
    const sameHash = this.filesByHash.get(old.hash);
    sameHash?.delete(key);
    if (sameHash?.size === 0) this.filesByHash.delete(old.hash);
    return old;
  }

  /** After a compaction: the same files with renumbered rows, and no orphaned rows. */
  replaceWith(records: readonly FileRecord[]): void {
    this.files.clear();
    this.rowsByEmbedKey.clear();
    this.filesByHash.clear();
    this.thumbnailsByEmbedKey.clear();
    for (const record of records) this.putFile(record);
  }

  /** Rows some current file still points at. */
  liveRows(): Set<number> {
    const rows = new Set<number>();
    for (const record of this.files.values()) for (const item of record.items) rows.add(item.row);
    return rows;
  }
}
