import type { promises as fs } from 'node:fs';
import { crc32 } from '../vectors/crc32';
import { CorruptIndexError } from './indexErrors';
import type { JournalPosition } from './catalogJournal';

/**
 * Big enough that a journal of a hundred megabytes takes about a hundred reads, small enough
 * that the buffer is nothing beside the catalog it fills.
 */
export const JOURNAL_CHUNK_BYTES = 1 << 20;

const NEWLINE = 0x0a;

/**
 * Reads the first `committed.bytes` bytes of a line-per-entry file in chunks and hands each
 * non-empty line to `onLine`, while the checksum runs over the same bytes. The whole file is
 * never held at once, neither as bytes nor as one string: only a chunk, and the line that
 * crosses its end.
 *
 * Lines are split on the newline byte before decoding: in UTF-8 that byte never occurs inside
 * a multi-byte character, so a character cut by a chunk's end is decoded whole with its line.
 *
 * The checksum decides first: when it fails, CorruptIndexError is thrown even if `onLine`
 * threw earlier (a damaged byte usually breaks the line it is in before the end is reached),
 * and the caller must not use anything `onLine` collected. When it passes, the first error of
 * `onLine`, if any, is thrown.
 */
export async function readCommittedLines(
  handle: fs.FileHandle,
  committed: JournalPosition,
  onLine: (line: string) => void,
  chunkBytes = JOURNAL_CHUNK_BYTES,
): Promise<void> {
  const truncated = (bytes: number) => new CorruptIndexError(`the catalog journal is truncated: ${bytes} of ${committed.bytes} bytes`);
  const { size } = await handle.stat();
  if (size < committed.bytes) throw truncated(size);

  let failure: { error: unknown } | undefined;
  // Called only while nothing failed: after a failure only the checksum matters, and the lines
  // are not decoded any more.
  const deliver = (line: string) => {
    if (line.length === 0) return;
    try {
      onLine(line);
    } catch (error) {
      failure = { error };
    }
  };

  const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(chunkBytes, committed.bytes)));
  // The start of a line that began in an earlier chunk (copied: the buffer is reused).
  let carried: Buffer[] = [];
  let checksum = 0;
  let offset = 0;
  while (offset < committed.bytes) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, committed.bytes - offset), offset);
    // The file shrank after the size was checked.
    if (bytesRead === 0) throw truncated(offset);
    offset += bytesRead;
    const chunk = buffer.subarray(0, bytesRead);
    checksum = crc32(chunk, checksum);
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE, start); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      if (!failure) deliver(carried.length ? Buffer.concat([...carried, chunk.subarray(start, end)]).toString('utf8') : chunk.toString('utf8', start, end));
      carried = [];
      start = end + 1;
    }
    if (start < bytesRead) carried.push(Buffer.from(chunk.subarray(start)));
  }
  // A committed journal ends with a newline; a last line without one is still a line.
  if (carried.length && !failure) deliver(Buffer.concat(carried).toString('utf8'));

  if (checksum !== committed.crc32) throw new CorruptIndexError('the catalog journal fails its checksum');
  if (failure) throw failure.error;
}
