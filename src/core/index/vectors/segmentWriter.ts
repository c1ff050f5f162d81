// Writes a segment file in one pass from views over the segment's arrays (no copies of the
// vector data), then publishes it atomically.
import { writeFileAtomically } from './atomicFile';
import { crc32 } from './crc32';
import { encodeSegmentHeader, maxSegmentCount, segmentLayout, SEGMENT_HEADER_BYTES } from './segmentLayout';
import { checkShape, type VectorSegment } from './vectorSegment';
import { assertLittleEndian, bytesOf } from './byteViews';

export async function writeVectorSegment(path: string, segment: VectorSegment): Promise<void> {
  assertLittleEndian();
  checkShape(segment);
  const { count, fullDims, scanDims } = segment;
  const limit = maxSegmentCount(fullDims, scanDims);
  if (count > limit) {
    throw new RangeError(`${count} vectors exceed the ${limit}-vector limit of one segment at ${fullDims}/${scanDims} dims`);
  }
  if (segment.full.length !== count * fullDims || segment.codes.length !== count * scanDims || segment.scales.length !== count) {
    throw new RangeError('segment arrays do not match its count and dims');
  }
  const layout = segmentLayout(count, fullDims, scanDims);
  const full = bytesOf(segment.full);
  const scales = bytesOf(segment.scales);
  const codes = bytesOf(segment.codes);
  const body = [
    full,
    new Uint8Array(layout.scalesOffset - layout.fullOffset - full.byteLength),
    scales,
    new Uint8Array(layout.codesOffset - layout.scalesOffset - scales.byteLength),
    codes,
  ];
  let bodyCrc = 0;
  for (const piece of body) bodyCrc = crc32(piece, bodyCrc);
  const header = encodeSegmentHeader({ modelId: segment.modelId, fullDims, scanDims, count, bodyCrc, ...layout }, crc32);
  if (header.length !== SEGMENT_HEADER_BYTES) throw new Error('header size mismatch');
  await writeFileAtomically(path, [header, ...body]);
}
