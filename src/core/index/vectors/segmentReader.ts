// Reads a whole segment file back into memory, every section checked: for tools and tests that
// need all of it. An open index never does this; it uses SegmentFile to read only what it needs.
import { promises as fs } from 'node:fs';
import { SegmentFile } from './segmentFile';
import { segmentFromFloat16, type VectorSegment } from './vectorSegment';

export async function readVectorSegment(path: string): Promise<VectorSegment> {
  const file = await SegmentFile.open(await fs.open(path, 'r'), path);
  try {
    file.readScanInto(new Uint8Array(file.scanBytes));
    const full = new Uint16Array(file.count * file.fullDims);
    await file.readRows(0, full);
    // The codes are a function of the halves (segmentFromFloat16), and the scan section was checked above.
    return segmentFromFloat16({ modelId: file.modelId, fullDims: file.fullDims, scanDims: file.scanDims }, full);
  } finally {
    await file.close();
  }
}
