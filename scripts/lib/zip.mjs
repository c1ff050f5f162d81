// A minimal reader for the zip files vsce writes (a VSIX is a zip). Reading the central
// directory ourselves keeps the packaging checks free of new dependencies and of `unzip`,
// which a fresh machine may not have. Only what VSIXs use is supported: stored and
// deflated entries, no encryption, no ZIP64 (a VSIX stays far below 4 GiB).
import * as zlib from 'node:zlib';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

/** Lists a zip's entries (files and directories) from its central directory. */
export function readZipEntries(zip) {
  const eocd = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    throw new Error('ZIP64 archives are not supported');
  }
  if (offset + size > eocd) throw new Error('Corrupt zip: the central directory overlaps its end record');

  const entries = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new Error(`Corrupt zip: central directory entry ${i} is missing`);
    }
    const flags = zip.readUInt16LE(at + 8);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    // Bit 11 marks UTF-8 names; vsce's names are ASCII either way, latin1 keeps others readable.
    const name = zip.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    entries.push({
      name,
      method: zip.readUInt16LE(at + 10),
      encrypted: (flags & 1) === 1,
      crc32: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localHeaderOffset: zip.readUInt32LE(at + 42),
      isDirectory: name.endsWith('/'),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The uncompressed bytes of one entry, checked against its CRC-32 where Node can compute it. */
export function readZipEntry(zip, entry) {
  if (entry.encrypted) throw new Error(`${entry.name}: encrypted entries are not supported`);
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_SIGNATURE) {
    throw new Error(`Corrupt zip: local header of ${entry.name} is missing`);
  }
  // The local header's own lengths decide where the data starts: its extra field may differ
  // from the central directory's.
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const raw = zip.subarray(start, start + entry.compressedSize);
  if (raw.length !== entry.compressedSize) throw new Error(`Corrupt zip: ${entry.name} is truncated`);

  let data;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) data = zlib.inflateRawSync(raw);
  else throw new Error(`${entry.name}: compression method ${entry.method} is not supported`);

  if (data.length !== entry.size) throw new Error(`Corrupt zip: ${entry.name} has the wrong size`);
  // zlib.crc32 arrived in Node 20.15; older Nodes skip the check rather than fail.
  if (typeof zlib.crc32 === 'function' && zlib.crc32(data) >>> 0 !== entry.crc32) {
    throw new Error(`Corrupt zip: ${entry.name} fails its CRC check`);
  }
  return data;
}

function findEndOfCentralDirectory(zip) {
  const last = zip.length - EOCD_SIZE;
  const first = Math.max(0, last - MAX_COMMENT);
  // Scanning backwards finds the real record even if the trailing comment contains the signature.
  for (let at = last; at >= first; at--) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE && at + EOCD_SIZE + zip.readUInt16LE(at + 20) === zip.length) {
      return at;
    }
  }
  throw new Error('Not a zip file: no end of central directory record');
}
