// Synchronous positioned reads for the index files that are read a little at a time while a
// query runs (vector rows, lexical postings): a query reads a few KB, where one synchronous read
// costs less than a trip through the thread pool. One read call takes at most 2^31 - 1 bytes and
// may return fewer than asked, so a whole range takes a loop.
import { readSync } from 'node:fs';

/** Bytes per read call, below the 2^31 - 1 that one fs read accepts. */
const READ_CHUNK = 1 << 28;

/**
 * Fills `target` from `position` of the open file `fd`. Returns how many bytes it read: fewer
 * than `target.length` only when the file ends first, which the caller reports as its own damage.
 */
export function readAtSync(fd: number, target: Uint8Array, position: number): number {
  let done = 0;
  while (done < target.length) {
    const read = readSync(fd, target, done, Math.min(READ_CHUNK, target.length - done), position + done);
    if (read === 0) break;
    done += read;
  }
  return done;
}
