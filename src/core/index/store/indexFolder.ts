// What Sightline may do to a folder it is told to keep an index in. The folder is named by a
// flag or a setting, and a repository can ship one, so: never through a link, create an index
// only where nothing else lives, and delete only the index's own files, by name.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { checkIndexFolder } from './indexFileAccess';
import { isOwnedThumbnailName, isOwnedTopLevelName, MANIFEST_FILE, THUMBNAIL_FOLDER } from './indexFileNames';
import { UnsafeIndexFolderError } from './indexErrors';
import { holdsSightlineManifest } from './indexManifest';

/** Creates the folder (and its thumbnail folder) for writing, refusing links. */
export async function prepareIndexFolder(dir: string): Promise<void> {
  if (!(await checkIndexFolder(dir))) await fs.mkdir(dir, { recursive: true });
  await checkIndexFolder(dir);
}

/**
 * Before a new index is created in `dir`: the folder must hold nothing but what an index
 * holds (leftovers of one count), so an index never moves in among someone's files.
 */
export async function checkRoomForNewIndex(dir: string): Promise<void> {
  const stranger = await firstForeignEntry(dir);
  if (stranger !== undefined) {
    throw new UnsafeIndexFolderError(`${dir} is not empty and holds no Sightline index (it has "${stranger}"); give an empty or new folder for the index`);
  }
}

/** The thumbnail folder, created when missing; a link there is refused like anywhere else. */
export async function prepareThumbnailFolder(dir: string): Promise<void> {
  const thumbs = path.join(dir, THUMBNAIL_FOLDER);
  if (!(await checkIndexFolder(thumbs))) await fs.mkdir(thumbs);
}

/**
 * Deletes the index in `dir`: its manifest first (from then on there is no index), then
 * every file whose name Sightline writes. Nothing else is touched, and nothing at all unless
 * the folder's manifest says it is a Sightline index (or the folder holds only leftovers of one).
 */
export async function deleteIndexFiles(dir: string): Promise<void> {
  if (!(await checkIndexFolder(dir))) return;
  const thumbs = path.join(dir, THUMBNAIL_FOLDER);
  // Checked before anything is deleted: a linked thumbnail folder is refused, not half-cleared.
  const hasThumbs = await checkIndexFolder(thumbs);
  if (!(await holdsSightlineManifest(dir))) {
    const stranger = await firstForeignEntry(dir);
    if (stranger !== undefined) {
      throw new UnsafeIndexFolderError(`${dir} is not a Sightline index (it has "${stranger}" and no Sightline manifest); Sightline deletes nothing there`);
    }
  }
  await removeOwned(dir, MANIFEST_FILE);
  for (const name of await fs.readdir(dir)) {
    if (name !== MANIFEST_FILE && isOwnedTopLevelName(name)) await removeOwned(dir, name);
  }
  if (hasThumbs) {
    for (const name of await fs.readdir(thumbs)) if (isOwnedThumbnailName(name)) await removeOwned(thumbs, name);
    await fs.rmdir(thumbs).catch(() => undefined);
  }
}

/** Unlinks a file (or a link, never its target); folders and other things stay. */
async function removeOwned(dir: string, name: string): Promise<void> {
  const file = path.join(dir, name);
  const stat = await fs.lstat(file).catch(() => undefined);
  if (stat && !stat.isDirectory())
    await fs.unlink(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
}

async function firstForeignEntry(dir: string): Promise<string | undefined> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.name === THUMBNAIL_FOLDER && entry.isDirectory()) {
      const foreign = (await fs.readdir(path.join(dir, entry.name))).find((name) => !isOwnedThumbnailName(name));
      if (foreign !== undefined) return `${THUMBNAIL_FOLDER}/${foreign}`;
    } else if (!isOwnedTopLevelName(entry.name) || entry.isDirectory()) {
      return entry.name;
    }
  }
  return undefined;
}

/** Bytes of the index's own files (links and other things in the folder are not counted). */
export async function indexFolderBytes(dir: string): Promise<number> {
  let total = 0;
  const add = async (folder: string, owned: (name: string) => boolean) => {
    for (const name of await fs.readdir(folder).catch(() => [] as string[])) {
      if (!owned(name)) continue;
      const stat = await fs.lstat(path.join(folder, name)).catch(() => undefined);
      if (stat?.isFile()) total += stat.size;
    }
  };
  await add(dir, isOwnedTopLevelName);
  if (await checkIndexFolder(path.join(dir, THUMBNAIL_FOLDER)).catch(() => false)) await add(path.join(dir, THUMBNAIL_FOLDER), isOwnedThumbnailName);
  return total;
}
