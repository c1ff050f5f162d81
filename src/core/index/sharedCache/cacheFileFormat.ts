// The byte layout of a shared cache file. Integers are little-endian.
//
//   offset        size                  field
//        0           8                  magic "SLCACHE1"
//        8           4                  header bytes H
//       12           H                  header, JSON in UTF-8 (CacheHeader)
//   12 + H   count * 32                 keys: sha256(identity, embedKey), one per entry
//        …   count * vectorDims * 2     vectors: float16, in the order of the keys
//        …   textBytes                  only with --with-text: JSON lines, one per entry
//  end - 32          32                 sha256 of every byte before it
//
// Keys come in one block so a reader loads them without touching the vectors, which it reads
// one at a time when an item hits. Nothing in the file names a path or holds text unless the
// exporter asked for the text block.
import { CACHE_FORMAT_VERSION, CACHE_KEY_BYTES, type CacheIdentity } from './cacheIdentity';
import { SharedCacheError } from './sharedCacheError';

export const CACHE_MAGIC = 'SLCACHE1';
export const CACHE_PREFIX_BYTES = 12;
export const CACHE_CHECKSUM_BYTES = 32;
/** A header is a few hundred bytes; a larger claim is a damaged or crafted file. */
const MAX_HEADER_BYTES = 64 * 1024;
const FORMAT = 'sightline-cache';

export interface CacheHeader extends CacheIdentity {
  readonly format: typeof FORMAT;
  readonly version: number;
  /** Length of every stored vector. */
  readonly vectorDims: number;
  readonly precision: 'float16';
  readonly count: number;
  /** Bytes of the text block (0 without --with-text). */
  readonly textBytes: number;
  readonly createdAt: string;
}

export interface CacheLayout {
  readonly headerBytes: number;
  readonly keysOffset: number;
  readonly vectorsOffset: number;
  readonly textOffset: number;
  readonly checksumOffset: number;
  readonly fileBytes: number;
}

export function layoutOf(headerBytes: number, header: Pick<CacheHeader, 'count' | 'vectorDims' | 'textBytes'>): CacheLayout {
  const keysOffset = CACHE_PREFIX_BYTES + headerBytes;
  const vectorsOffset = keysOffset + header.count * CACHE_KEY_BYTES;
  const textOffset = vectorsOffset + header.count * header.vectorDims * 2;
  const checksumOffset = textOffset + header.textBytes;
  return { headerBytes, keysOffset, vectorsOffset, textOffset, checksumOffset, fileBytes: checksumOffset + CACHE_CHECKSUM_BYTES };
}

/** The magic, the header's length and the header itself, ready to be written first. */
export function encodeHeader(header: CacheHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(CACHE_PREFIX_BYTES);
  prefix.write(CACHE_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, 8);
  return Buffer.concat([prefix, json]);
}

/** The header's length from the first bytes of a file, checked before anything is read after it. */
export function headerBytesFrom(prefix: Buffer, source: string): number {
  if (prefix.length < CACHE_PREFIX_BYTES || prefix.toString('latin1', 0, 8) !== CACHE_MAGIC) {
    throw new SharedCacheError('refused', `${source} is not a Sightline cache file (it does not start like one)`);
  }
  const length = prefix.readUInt32LE(8);
  if (length === 0 || length > MAX_HEADER_BYTES) throw new SharedCacheError('refused', `${source} is damaged: its header claims ${length} bytes`);
  return length;
}

/**
 * Parses and checks the header. It is input like any other: a cache may have been crafted, so
 * every field is checked before it sizes a read or names a model in a message.
 */
export function decodeHeader(bytes: Buffer, source: string): CacheHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new SharedCacheError('refused', `${source} is damaged: its header is not valid JSON`);
  }
  const damaged = (what: string) => new SharedCacheError('refused', `${source} is damaged: its header has no valid ${what}`);
  if (!isRecord(raw) || raw.format !== FORMAT) throw new SharedCacheError('refused', `${source} is not a Sightline cache file`);
  if (raw.version !== CACHE_FORMAT_VERSION) {
    throw new SharedCacheError(
      'refused',
      `${source} has cache format version ${String(raw.version)}; this version of Sightline reads version ${CACHE_FORMAT_VERSION}. Export the cache again with this version.`,
    );
  }
  if (typeof raw.model !== 'string' || !raw.model || raw.model.length > 500) throw damaged('model');
  const dimensions = raw.dimensions === 'full' ? 'full' : wholeNumber(raw.dimensions, 1, 65_536);
  const vectorDims = wholeNumber(raw.vectorDims, 1, 65_536);
  const count = wholeNumber(raw.count, 0, 2 ** 32);
  const textBytes = wholeNumber(raw.textBytes, 0, Number.MAX_SAFE_INTEGER);
  if (dimensions === undefined) throw damaged('dimensions');
  if (vectorDims === undefined || (dimensions !== 'full' && dimensions !== vectorDims)) throw damaged('vector size');
  if (count === undefined) throw damaged('entry count');
  if (textBytes === undefined) throw damaged('text size');
  if (raw.precision !== 'float16') throw damaged('precision');
  const shape = isRecord(raw.shape) ? raw.shape : {};
  const flags = ['systemMessage', 'assistantTurn', 'continueFinalMessage', 'addSpecialTokens'] as const;
  if (!flags.every((flag) => typeof shape[flag] === 'boolean') || (shape.textFormat !== 'templated' && shape.textFormat !== 'plain')) {
    throw damaged('request shape');
  }
  return {
    format: FORMAT,
    version: CACHE_FORMAT_VERSION,
    model: raw.model,
    dimensions,
    vectorDims,
    precision: 'float16',
    count,
    textBytes,
    createdAt: typeof raw.createdAt === 'string' ? raw.createdAt.slice(0, 40) : '',
    shape: {
      textFormat: shape.textFormat,
      systemMessage: shape.systemMessage as boolean,
      assistantTurn: shape.assistantTurn as boolean,
      continueFinalMessage: shape.continueFinalMessage as boolean,
      addSpecialTokens: shape.addSpecialTokens as boolean,
    },
  };
}

function wholeNumber(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
