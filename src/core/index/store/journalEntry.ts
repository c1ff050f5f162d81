import type { FileRecord } from '../catalog/catalogTypes';

/**
 * One line of the catalog journal. The journal is replayed in order on open:
 * - 'v' registers vector rows by the content they embed (written as soon as vectors arrive,
 *   so a crash before the file completes still keeps them for the next run);
 * - 'f' puts a file's complete record; 'd' removes a file.
 */
export type JournalEntry =
  | { readonly t: 'v'; readonly k: ReadonlyArray<readonly [string, number]> }
  | { readonly t: 'f'; readonly r: FileRecord }
  | { readonly t: 'd'; readonly root: string; readonly path: string };
