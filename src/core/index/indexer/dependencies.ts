import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileRecord } from '../catalog/catalogTypes';

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
