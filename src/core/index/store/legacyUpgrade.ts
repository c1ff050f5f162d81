// Upgrades an index of format 1 in place, as its writer: each segment is read whole (as format 1
// was always read) and written again in format 2 under the next generation's names, then the
// manifest switches to them in one atomic step and the old files are deleted. A process killed
// at any point leaves the old index or the upgraded one, never a mix; nothing is re-embedded.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CorruptVectorFileError } from '../vectors/corruptVectorFileError';
import { readLegacyVectorSegmentFrom } from '../vectors/legacySegmentReader';
import { maxSegmentCount } from '../vectors/segmentLayout';
import { writeSegmentFile } from '../vectors/segmentWriter';
import type { VectorSegment } from '../vectors/vectorSegment';
import { openIndexFile } from './indexFileAccess';
import { segmentFileName } from './indexFileNames';
import { CorruptIndexError } from './indexErrors';
import { type IndexManifest, MANIFEST_VERSION, writeManifest } from './indexManifest';

export async function upgradeLegacySegments(dir: string, manifest: IndexManifest): Promise<IndexManifest> {
  const generation = manifest.generation + 1;
  const segments: Array<{ file: string; count: number }> = [];
  for (const { file, count } of manifest.segments) {
    const legacy = await readLegacySegment(dir, file);
    if (legacy.count !== count) throw new CorruptIndexError(`vector file ${file} holds ${legacy.count} vectors, the manifest says ${count}`);
    // Format 2 spends 4 more bytes a row (its checksum): a full format-1 segment may need two.
    const { fullDims, scanDims } = legacy;
    const perFile = maxSegmentCount(fullDims, scanDims);
    for (let first = 0; first < count; first += perFile) {
      const rows = Math.min(perFile, count - first);
      const name = segmentFileName(generation, segments.length);
      await writeSegmentFile(path.join(dir, name), legacy, rows, (start, target) =>
        target.set(legacy.full.subarray((first + start) * fullDims, (first + start) * fullDims + target.length)),
      );
      segments.push({ file: name, count: rows });
    }
  }
  const upgraded: IndexManifest = { ...manifest, version: MANIFEST_VERSION, generation, segments };
  await writeManifest(dir, upgraded);
  for (const { file } of manifest.segments) await fs.rm(path.join(dir, file), { force: true });
  return upgraded;
}

/** Reads a format-1 segment file whole and checked (the only way format 1 can be read). */
export async function readLegacySegment(dir: string, file: string): Promise<VectorSegment> {
  try {
    const handle = await openIndexFile(dir, file, 'read');
    try {
      return await readLegacyVectorSegmentFrom(handle, path.join(dir, file));
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CorruptVectorFileError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CorruptIndexError(`vector file ${file} is damaged: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}
