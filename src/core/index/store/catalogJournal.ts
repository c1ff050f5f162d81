import type { promises as fs } from 'node:fs';
import { crc32 } from '../vectors/crc32';
import { JOURNAL_CHUNK_BYTES, readCommittedLines } from './committedLines';
import { openIndexFile } from './indexFileAccess';
import { CorruptIndexError } from './indexErrors';
import type { JournalEntry } from './journalEntry';

export interface JournalPosition {
  readonly bytes: number;
  readonly crc32: number;
}

/**
 * Reads the journal up to the length the manifest committed. Bytes past it belong to a
 * checkpoint that never finished (a crash between append and manifest) and are ignored.
 * Nothing is returned before the committed bytes passed their checksum: a torn or damaged
 * journal throws CorruptIndexError. It is read and parsed a chunk at a time, so opening a
 * large index holds the parsed entries but never the whole file as bytes or as one string.
 */
export async function readJournal(dir: string, name: string, committed: JournalPosition, chunkBytes = JOURNAL_CHUNK_BYTES): Promise<JournalEntry[]> {
  if (committed.bytes === 0) return [];
  let handle: fs.FileHandle;
  try {
    handle = await openIndexFile(dir, name, 'read');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new CorruptIndexError(`the catalog journal ${name} is missing`, { cause: error });
  }
  try {
    const entries: JournalEntry[] = [];
    await readCommittedLines(handle, committed, (line) => entries.push(JSON.parse(line) as JournalEntry), chunkBytes);
    return entries;
  } finally {
    await handle.close();
  }
}

/** Appends entries and makes them durable before the manifest may point past them. */
export class JournalAppender {
  private constructor(
    private readonly handle: fs.FileHandle,
    private position: JournalPosition,
  ) {}

  /** Opens for appending, cutting off any uncommitted tail first. */
  static async open(dir: string, name: string, committed: JournalPosition): Promise<JournalAppender> {
    // Not O_APPEND: with it, Linux ignores the write position, so a retry after a torn
    // append would land after the torn bytes and break the committed checksum.
    const handle = await openIndexFile(dir, name, 'create');
    try {
      await handle.truncate(committed.bytes);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new JournalAppender(handle, committed);
  }

  get committed(): JournalPosition {
    return this.position;
  }

  async append(entries: readonly JournalEntry[]): Promise<JournalPosition> {
    if (entries.length === 0) return this.position;
    const bytes = Buffer.from(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''), 'utf8');
    await this.handle.write(bytes, 0, bytes.length, this.position.bytes);
    await this.handle.sync();
    this.position = { bytes: this.position.bytes + bytes.length, crc32: crc32(bytes, this.position.crc32) };
    return this.position;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
