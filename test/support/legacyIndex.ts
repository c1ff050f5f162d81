// Writes an index in format 1 (the manifest, one segment file of format 1 and the journal), as
// Sightline versions before format 2 left it, for tests of the upgrade.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileRecord } from '../../src/core/index/catalog/catalogTypes';
import { crc32 } from '../../src/core/index/vectors/crc32';
import { encodeSegmentHeader, segmentLayout } from '../../src/core/index/vectors/legacySegmentLayout';
import { encodeVectorSegment } from '../../src/core/index/vectors/vectorSegment';

export async function writeLegacyIndex(
  dir: string,
  options: { model: string; fullDims: number; scanDims: number; vectors: Float32Array; embedKeys: readonly string[]; files: readonly FileRecord[] },
): Promise<void> {
  const { model, fullDims, scanDims } = options;
  const segment = encodeVectorSegment({ modelId: model, fullDims, scanDims }, options.vectors);
  const layout = segmentLayout(segment.count, fullDims, scanDims);
  const body = new Uint8Array(layout.fileBytes - 256);
  body.set(new Uint8Array(segment.full.buffer, segment.full.byteOffset, segment.full.byteLength), layout.fullOffset - 256);
  body.set(new Uint8Array(segment.scales.buffer, segment.scales.byteOffset, segment.scales.byteLength), layout.scalesOffset - 256);
  body.set(new Uint8Array(segment.codes.buffer, segment.codes.byteOffset, segment.codes.byteLength), layout.codesOffset - 256);
  const header = encodeSegmentHeader({ modelId: model, fullDims, scanDims, count: segment.count, bodyCrc: crc32(body), ...layout }, crc32);
  await fs.mkdir(path.join(dir, 'thumbs'), { recursive: true });
  await fs.writeFile(path.join(dir, 'seg-0-0.slv'), Buffer.concat([header, body]));
  const journal = Buffer.from(
    [{ t: 'v', k: options.embedKeys.map((key, row) => [key, row]) }, ...options.files.map((r) => ({ t: 'f', r }))]
      .map((e) => `${JSON.stringify(e)}\n`)
      .join(''),
  );
  await fs.writeFile(path.join(dir, 'journal-0.jsonl'), journal);
  const manifest = {
    format: 'sightline-index',
    version: 1,
    model,
    dimensions: 'full',
    vectorDims: fullDims,
    scanDims,
    segments: [{ file: 'seg-0-0.slv', count: segment.count }],
    journal: { file: 'journal-0.jsonl', bytes: journal.length, crc32: crc32(journal) },
    generation: 0,
    updatedAt: new Date().toISOString(),
  };
  await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
}
