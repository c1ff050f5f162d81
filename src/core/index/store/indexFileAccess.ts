// Opens files of an index folder without ever following a symbolic link: a folder that came
// with a repository may hold links to files anywhere, and reading the index must never read,
// create or truncate them. `lstat` checks the name first (the only check on platforms without
// O_NOFOLLOW, such as Windows); O_NOFOLLOW closes the gap between the check and the open.
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CorruptIndexError, UnsafeIndexFolderError } from './indexErrors';

export type IndexFileMode = 'read' | 'update' | 'create';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// A FIFO or device under an index name would block or misbehave on open: never wait for one.
const NONBLOCK = constants.O_NONBLOCK ?? 0;

const FLAGS: Record<IndexFileMode, number> = {
  read: constants.O_RDONLY | NOFOLLOW | NONBLOCK,
  update: constants.O_RDWR | NOFOLLOW | NONBLOCK,
  create: constants.O_RDWR | constants.O_CREAT | NOFOLLOW | NONBLOCK,
};

/**
 * Checks that `dir` is a real folder, not a link. Returns false when it does not exist.
 * Only the last component is checked: the parents are the user's own choice of path.
 */
export async function checkIndexFolder(dir: string): Promise<boolean> {
  let stat;
  try {
    stat = await fs.lstat(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (stat.isSymbolicLink()) {
    throw new UnsafeIndexFolderError(
      `the index folder ${dir} is a symbolic link; Sightline does not follow links for its index (they can point anywhere). Give the real folder's path instead.`,
    );
  }
  if (!stat.isDirectory()) throw new UnsafeIndexFolderError(`the index folder ${dir} is not a folder`);
  return true;
}

/** Opens `name` (a plain name) inside `dir`; a link or anything but a regular file is refused. */
export async function openIndexFile(dir: string, name: string, mode: IndexFileMode): Promise<fs.FileHandle> {
  if (name !== path.basename(name) || name === '..' || name === '.') throw new UnsafeIndexFolderError(`"${name}" is not a plain file name`);
  const file = path.join(dir, name);
  const before = await fs.lstat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' && mode === 'create') return undefined;
    throw error;
  });
  if (before?.isSymbolicLink()) throw linkError(file);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, FLAGS[mode], 0o644);
  } catch (error) {
    // ELOOP: O_NOFOLLOW met a link (FreeBSD says EMLINK) that appeared after the lstat.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw linkError(file);
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new UnsafeIndexFolderError(`${file} is not a regular file; Sightline does not read it as part of its index`);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** Reads a whole index file (manifest, journal) through `openIndexFile`. */
export async function readIndexFile(dir: string, name: string): Promise<Buffer> {
  const handle = await openIndexFile(dir, name, 'read');
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * Checks, without opening them, that the files a manifest names are regular files in `dir`:
 * for a report that reads nothing else, to refuse a crafted folder as an open would.
 */
export async function checkNamedIndexFiles(dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const file = path.join(dir, name);
    const stat = await fs.lstat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new CorruptIndexError(`the index names ${name}, but ${file} is missing`, { cause: error });
      throw error;
    });
    if (stat.isSymbolicLink()) throw linkError(file);
    if (!stat.isFile()) throw new UnsafeIndexFolderError(`${file} is not a regular file; Sightline does not read it as part of its index`);
  }
}

function linkError(file: string): UnsafeIndexFolderError {
  return new UnsafeIndexFolderError(`${file} is a symbolic link; Sightline does not follow links inside its index folder (they can point anywhere)`);
}
