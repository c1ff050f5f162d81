import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { resolveImageReference, type WorkspaceFileIndex } from '../../sources/markdown/resolveImageReference';
import type { FileRecord } from '../catalog/catalogTypes';

/**
 * True when an unchanged file must still be prepared again because what went into its items
 * changed: an image it shows was edited or removed, or its image links now resolve elsewhere
 * (a missing image appeared, a nearer file of the same name was added, a folder was renamed).
 */
export async function recordStale(record: FileRecord, rootPath: string, files: WorkspaceFileIndex): Promise<boolean> {
  return linksMoved(record, files) || (await dependenciesStale(record, rootPath));
}

/** True when a file that went into the record's items (an image a markdown file shows) changed. */
export async function dependenciesStale(record: FileRecord, rootPath: string): Promise<boolean> {
  for (const dependency of record.dependencies ?? []) {
    try {
      const stat = await fs.stat(path.join(rootPath, dependency.path));
      if (stat.size !== dependency.size || stat.mtimeMs !== dependency.mtimeMs) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/** Whether the record's image links resolve differently against the workspace's files now. */
export function linksMoved(record: FileRecord, files: WorkspaceFileIndex): boolean {
  if (!record.imageLinks) return recordedBeforeLinks(record);
  return record.imageLinks.some((link) => resolveImageReference(record.path, link, files) !== link.resolved);
}

/**
 * Documents indexed before image links were recorded resolved wiki embeds only beside the note
 * and listed unresolved images as failures: prepared once more, they resolve as they should
 * (their sections keep their vectors). A file that failed outright is left alone.
 */
function recordedBeforeLinks(record: FileRecord): boolean {
  if (record.kind !== 'markdown') return false;
  return !record.failures?.length || record.failures.some((failure) => failure.code === 'missing-image');
}
