import { promises as fs } from 'node:fs';
import { crc32 } from '../vectors/crc32';
import { CorruptIndexError } from './indexErrors';
import type { JournalEntry } from './journalEntry';

export interface JournalPosition {
  readonly bytes: number;
  readonly crc32: number;
}

/**
 * Reads the journal up to the length the manifest committed. Bytes past it belong to a
 * checkpoint that never finished (a crash between append and manifest) and are ignored.
 */
export async function readJournal(path: string, committed: JournalPosition): Promise<JournalEntry[]> {
  if (committed.bytes === 0) return [];
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    throw new CorruptIndexError(`the catalog journal ${path} is missing`, { cause: error });
  }
  try {
    const buffer = Buffer.alloc(committed.bytes);
    const { bytesRead } = await handle.read(buffer, 0, committed.bytes, 0);
    if (bytesRead !== committed.bytes) {
      throw new CorruptIndexError(`the catalog journal is truncated: ${bytesRead} of ${committed.bytes} bytes`);
    }
    if (crc32(buffer) !== committed.crc32) throw new CorruptIndexError('the catalog journal fails its checksum');
    return buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as JournalEntry);
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
  static async open(path: string, committed: JournalPosition): Promise<JournalAppender> {
    // Not 'a+': with O_APPEND, Linux ignores the write position, so a retry after a torn
    // append would land after the torn bytes and break the committed checksum.
    await (await fs.open(path, 'a')).close();
    const handle = await fs.open(path, 'r+');
    await handle.truncate(committed.bytes);
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
