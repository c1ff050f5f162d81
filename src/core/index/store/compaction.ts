import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Catalog } from '../catalog/catalog';
import type { FileRecord } from '../catalog/catalogTypes';
import { writeFileAtomically } from '../vectors/atomicFile';
import { crc32 } from '../vectors/crc32';
import type { StoredSegment } from '../vectors/storedSegment';
import { maxSegmentCount } from '../vectors/segmentLayout';
import { writeSegmentFile } from '../vectors/segmentWriter';
import {
  isJournalFileName,
  isLexicalFileName,
  isProblemsFileName,
  isSegmentFileName,
  isThumbnailFileName,
  journalFileName,
  segmentFileName,
  THUMBNAIL_FOLDER,
} from './indexFileNames';
import { type IndexManifest, writeManifest } from './indexManifest';

/**
 * Writes a new generation holding only the rows current files use, renumbered densely, with
 * a journal that is a snapshot of the catalog. The old generation stays valid until the new
 * manifest replaces it, so a crash during compaction loses nothing. Rows stream from the old
 * segment files to the new ones: memory holds one block of full vectors, not the index.
 */
export async function rewriteCompacted(
  dir: string,
  manifest: IndexManifest,
  segments: readonly StoredSegment[],
  segmentStarts: readonly number[],
  catalog: Catalog,
): Promise<{ manifest: IndexManifest; records: FileRecord[] }> {
  const generation = manifest.generation + 1;
  const liveRows = [...catalog.liveRows()].sort((a, b) => a - b);
  const newRowOf = new Map(liveRows.map((row, index) => [row, index]));
  const { vectorDims: dims, scanDims } = manifest;

  const segmentEntries: Array<{ file: string; count: number }> = [];
  const perSegment = dims ? maxSegmentCount(dims, scanDims) : 1;
  for (let first = 0; first < liveRows.length; first += perSegment) {
    const rows = liveRows.slice(first, first + perSegment);
    const file = segmentFileName(generation, segmentEntries.length);
    await writeSegmentFile(path.join(dir, file), { modelId: manifest.model, fullDims: dims, scanDims }, rows.length, (start, target) => {
      for (let i = 0; i * dims < target.length; i++) readRowOf(rows[start + i]!, segments, segmentStarts, target, i * dims);
    });
    segmentEntries.push({ file, count: rows.length });
  }

  const records = [...catalog.allFiles()].map((record) => ({
    ...record,
    items: record.items.map((item) => ({ ...item, row: newRowOf.get(item.row)! })),
  }));
  const journalFile = journalFileName(generation);
  const journalBytes = Buffer.from(records.map((r) => `${JSON.stringify({ t: 'f', r })}\n`).join(''), 'utf8');
  await writeFileAtomically(path.join(dir, journalFile), [journalBytes]);

  // A saved lexical index counts the changes of the old journal: the writer saves a new one.
  const { lexical: _counted, ...kept } = manifest;
  const next: IndexManifest = {
    ...kept,
    generation,
    segments: segmentEntries,
    journal: { file: journalFile, bytes: journalBytes.length, crc32: crc32(journalBytes) },
    checkpoints: manifest.checkpoints + 1,
  };
  await writeManifest(dir, next);
  return { manifest: next, records };
}

function readRowOf(row: number, segments: readonly StoredSegment[], starts: readonly number[], target: Uint16Array, offset: number): void {
  let index = starts.length - 1;
  while (index > 0 && starts[index]! > row) index--;
  segments[index]!.readRow(row - starts[index]!, target, offset);
}

/** Deletes segments, journals and thumbnails the manifest and catalog no longer name. */
export async function collectGarbage(dir: string, manifest: IndexManifest, catalog: Catalog): Promise<void> {
  const keep = new Set([
    manifest.journal.file,
    ...manifest.segments.map((s) => s.file),
    ...(manifest.problems ? [manifest.problems] : []),
    ...(manifest.lexical ? [manifest.lexical.file] : []),
  ]);
  for (const name of await fs.readdir(dir)) {
    if ((isSegmentFileName(name) || isJournalFileName(name) || isProblemsFileName(name) || isLexicalFileName(name)) && !keep.has(name))
      await fs.rm(path.join(dir, name), { force: true });
  }
  const thumbs = new Set<string>();
  for (const record of catalog.allFiles()) for (const item of record.items) if (item.thumbnail) thumbs.add(item.thumbnail);
  const thumbDir = path.join(dir, THUMBNAIL_FOLDER);
  for (const name of await fs.readdir(thumbDir).catch(() => [] as string[])) {
    // Only names Sightline writes: whatever else is there is not ours to delete.
    if (isThumbnailFileName(name) && !thumbs.has(name)) await fs.rm(path.join(thumbDir, name), { force: true });
  }
}
