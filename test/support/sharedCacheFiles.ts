import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CACHE_CHECKSUM_BYTES,
  CACHE_PREFIX_BYTES,
  type CacheHeader,
  type CacheLayout,
  decodeHeader,
  layoutOf,
} from '../../src/core/index/sharedCache/cacheFileFormat';
import { exportSharedCache } from '../../src/core/index/sharedCache/exportSharedCache';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { cacheIdentityFrom, indexIdentityFrom, type SightlineSettings } from '../../src/core/settings/sightlineSettings';

/** A cache file as bytes, taken apart: for tests that damage, edit or inspect one. */
export interface CacheBytes {
  readonly bytes: Buffer;
  readonly header: CacheHeader;
  readonly layout: CacheLayout;
}

export async function readCacheBytes(file: string): Promise<CacheBytes> {
  const bytes = await fs.readFile(file);
  const headerBytes = bytes.readUInt32LE(8);
  const header = decodeHeader(bytes.subarray(CACHE_PREFIX_BYTES, CACHE_PREFIX_BYTES + headerBytes), file);
  return { bytes, header, layout: layoutOf(headerBytes, header) };
}

/**
 * Writes `bytes` (or a cache with `header` in place of its own) with a checksum that matches:
 * what a crafted cache looks like, as opposed to one damaged on the way.
 */
export async function writeWithValidChecksum(file: string, cache: CacheBytes, header?: CacheHeader): Promise<void> {
  let body = cache.bytes.subarray(0, cache.bytes.length - CACHE_CHECKSUM_BYTES);
  if (header) {
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const prefix = Buffer.from(body.subarray(0, CACHE_PREFIX_BYTES));
    prefix.writeUInt32LE(json.length, 8);
    body = Buffer.concat([prefix, json, body.subarray(cache.layout.keysOffset)]);
  }
  await fs.writeFile(file, Buffer.concat([body, createHash('sha256').update(body).digest()]));
}

/** Exports the index in `indexDir` (built with `settings`) to `file`, as `sightline cache export` does. */
export async function exportIndex(indexDir: string, settings: SightlineSettings, file: string, options: { withText?: boolean } = {}) {
  const store = await IndexStore.openReadOnly(indexDir, indexIdentityFrom(settings));
  try {
    return await exportSharedCache(store, cacheIdentityFrom(settings), file, options);
  } finally {
    await store.close();
  }
}

/** A second workspace: a copy of `root` (without its index) changed in a few files. */
export async function copyWorkspace(root: string): Promise<string> {
  const copy = await fs.mkdtemp(path.join(tmpdir(), 'sightline-ws-copy-'));
  await fs.cp(root, copy, { recursive: true, filter: (source) => path.basename(source) !== '.sightline' });
  return copy;
}
