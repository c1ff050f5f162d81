import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { endianness } from 'node:os';
import { float16ToFloat32 } from '../vectors/float16';
import { CACHE_CHECKSUM_BYTES, CACHE_PREFIX_BYTES, type CacheHeader, type CacheLayout, decodeHeader, headerBytesFrom, layoutOf } from './cacheFileFormat';
import { CACHE_KEY_BYTES, type CacheIdentity, cacheKeyOf, identityMismatch } from './cacheIdentity';
import { SharedCacheError } from './sharedCacheError';
import { vectorProblem } from './vectorCheck';

export interface OpenCacheFileOptions {
  /** How the cache is named in messages (its URL for a downloaded copy); the path by default. */
  readonly source?: string;
  /** Larger files are refused unread. */
  readonly maxBytes: number;
  /** The length of the index's vectors, when it holds any: a cache of another length is refused. */
  readonly vectorDims?: number;
}

/** Vectors read and checked per read while a cache is opened. */
const CHECK_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * One cache file, opened for lookups. Opening reads the whole file once: the checksum must
 * match, the header must be for this index's model, size and request shape, and every vector
 * is checked (finite, unit length), so a damaged, truncated or foreign file is refused before
 * the index is touched and a bad entry is skipped, never stored. Vectors are then read one at a
 * time when an item hits, so a large cache costs memory only for its keys.
 */
export class SharedCacheFile {
  private constructor(
    readonly source: string,
    readonly header: CacheHeader,
    private readonly identity: CacheIdentity,
    private readonly handle: fs.FileHandle,
    private readonly layout: CacheLayout,
    /** Entry number by key (base64), for the entries that passed the checks. */
    private readonly entries: Map<string, number>,
    /** Entries left out: bad vectors, repeated keys. */
    readonly skipped: number,
    readonly fileBytes: number,
  ) {}

  static async open(file: string, identity: CacheIdentity, options: OpenCacheFileOptions): Promise<SharedCacheFile> {
    const source = options.source ?? file;
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, 'r');
    } catch (error) {
      throw new SharedCacheError('unreachable', `cannot read the shared cache ${source}: ${(error as Error).message}`, { cause: error });
    }
    try {
      return await SharedCacheFile.check(handle, source, identity, options);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Only the header (model, size, shape, count), for describing a cache that does not fit. */
  static async readHeader(file: string): Promise<CacheHeader> {
    const handle = await fs.open(file, 'r');
    try {
      const headerBytes = headerBytesFrom(await readExactly(handle, 0, CACHE_PREFIX_BYTES), file);
      const bytes = await readExactly(handle, CACHE_PREFIX_BYTES, headerBytes);
      if (bytes.length < headerBytes) throw truncated(file, (await handle.stat()).size);
      return decodeHeader(bytes, file);
    } finally {
      await handle.close();
    }
  }

  private static async check(handle: fs.FileHandle, source: string, identity: CacheIdentity, options: OpenCacheFileOptions): Promise<SharedCacheFile> {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new SharedCacheError('refused', `the shared cache ${source} is not a file`);
    if (stat.size > options.maxBytes) {
      throw new SharedCacheError('refused', `the shared cache ${source} is ${megabytes(stat.size)}, over the limit of ${megabytes(options.maxBytes)}`);
    }
    const hash = createHash('sha256');
    const read = async (position: number, length: number): Promise<Buffer> => {
      const bytes = await readExactly(handle, position, length);
      if (bytes.length < length) throw truncated(source, stat.size);
      hash.update(bytes);
      return bytes;
    };

    const headerBytes = headerBytesFrom(await read(0, Math.min(CACHE_PREFIX_BYTES, stat.size)), source);
    if (stat.size < CACHE_PREFIX_BYTES + headerBytes + CACHE_CHECKSUM_BYTES) throw truncated(source, stat.size);
    const header = decodeHeader(await read(CACHE_PREFIX_BYTES, headerBytes), source);
    const mismatch = identityMismatch(header, identity);
    if (mismatch) throw new SharedCacheError('refused', `the shared cache ${source} cannot be used here: ${mismatch}`, { foreign: true });
    if (options.vectorDims && options.vectorDims !== header.vectorDims) {
      throw new SharedCacheError('refused', `the shared cache ${source} holds ${header.vectorDims}-value vectors; this index stores ${options.vectorDims}`, {
        foreign: true,
      });
    }
    const layout = layoutOf(headerBytes, header);
    if (stat.size < layout.fileBytes) throw truncated(source, stat.size, layout.fileBytes);
    if (stat.size > layout.fileBytes) {
      throw new SharedCacheError('refused', `the shared cache ${source} is damaged: ${stat.size - layout.fileBytes} bytes follow its end`);
    }

    const keys = await read(layout.keysOffset, header.count * CACHE_KEY_BYTES);
    const valid = new Uint8Array(header.count);
    const vectorBytes = header.vectorDims * 2;
    const perChunk = Math.max(1, Math.floor(CHECK_CHUNK_BYTES / vectorBytes));
    const halves = new Uint16Array(header.vectorDims);
    for (let first = 0; first < header.count; first += perChunk) {
      const n = Math.min(perChunk, header.count - first);
      const chunk = await read(layout.vectorsOffset + first * vectorBytes, n * vectorBytes);
      for (let i = 0; i < n; i++) {
        copyHalves(chunk, i * vectorBytes, halves);
        valid[first + i] = vectorProblem(halves) === undefined ? 1 : 0;
      }
    }
    for (let at = layout.textOffset; at < layout.checksumOffset; at += CHECK_CHUNK_BYTES) {
      await read(at, Math.min(CHECK_CHUNK_BYTES, layout.checksumOffset - at));
    }
    const stored = await readExactly(handle, layout.checksumOffset, CACHE_CHECKSUM_BYTES);
    if (!hash.digest().equals(stored)) {
      throw new SharedCacheError('refused', `the shared cache ${source} is damaged: its checksum does not match its contents`);
    }

    const entries = new Map<string, number>();
    let skipped = 0;
    for (let entry = 0; entry < header.count; entry++) {
      const key = keys.toString('base64', entry * CACHE_KEY_BYTES, (entry + 1) * CACHE_KEY_BYTES);
      if (!valid[entry] || entries.has(key)) skipped++;
      else entries.set(key, entry);
    }
    return new SharedCacheFile(source, header, identity, handle, layout, entries, skipped, stat.size);
  }

  /** Entries that can be handed out. */
  get size(): number {
    return this.entries.size;
  }

  get vectorDims(): number {
    return this.header.vectorDims;
  }

  async lookup(embedKey: string): Promise<Float32Array | undefined> {
    const entry = this.entries.get(cacheKeyOf(this.identity, embedKey).toString('base64'));
    if (entry === undefined) return undefined;
    const vectorBytes = this.header.vectorDims * 2;
    const bytes = await readExactly(this.handle, this.layout.vectorsOffset + entry * vectorBytes, vectorBytes);
    if (bytes.length < vectorBytes) return undefined;
    const halves = new Uint16Array(this.header.vectorDims);
    copyHalves(bytes, 0, halves);
    // Checked again: the file was checked when opened, but it is not ours and may have changed since.
    return vectorProblem(halves) === undefined ? float16ToFloat32(halves) : undefined;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

async function readExactly(handle: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** float16 values from little-endian bytes: a view when aligned (every host Sightline ships for), else one by one. */
function copyHalves(bytes: Buffer, offset: number, into: Uint16Array): void {
  if (LITTLE_ENDIAN && (bytes.byteOffset + offset) % 2 === 0) into.set(new Uint16Array(bytes.buffer, bytes.byteOffset + offset, into.length));
  else for (let i = 0; i < into.length; i++) into[i] = bytes.readUInt16LE(offset + i * 2);
}

function truncated(source: string, size: number, expected?: number): SharedCacheError {
  const expectation = expected === undefined ? '' : ` of the ${expected} its header announces`;
  return new SharedCacheError('refused', `the shared cache ${source} is truncated: it has only ${size} bytes${expectation}`);
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}
