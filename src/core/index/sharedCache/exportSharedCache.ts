import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tempPathFor } from '../vectors/atomicFile';
import { float32ToFloat16 } from '../vectors/float16';
import type { IndexStore } from '../store/indexStore';
import { type CacheHeader, encodeHeader } from './cacheFileFormat';
import { CACHE_FORMAT_VERSION, CACHE_KEY_BYTES, type CacheIdentity, cacheKeyOf } from './cacheIdentity';
import { vectorProblem } from './vectorCheck';

export interface ExportOptions {
  /** Add each entry's file path, part and text (the snippet the index keeps): off by default, so a cache ships no content. */
  readonly withText?: boolean;
}

export interface ExportResult {
  readonly entries: number;
  readonly vectorDims: number;
  readonly bytes: number;
  /** Vectors of the index left out because they failed the checks a reader applies. */
  readonly skipped: number;
}

/** Vectors written per write call. */
const VECTORS_PER_WRITE = 256;

/**
 * Writes the vectors of every item the index's files use (each content once) as a shared cache
 * file at `target`, replacing it atomically: a reader never sees half a file. Vectors are read
 * through the store's public API at the precision it stores (float16), so nothing is lost or
 * re-rounded on the way.
 */
export async function exportSharedCache(store: IndexStore, identity: CacheIdentity, target: string, options: ExportOptions = {}): Promise<ExportResult> {
  const vectorDims = store.vectorDims;
  if (vectorDims === 0 || store.rowCount === 0) throw new Error('the index holds no vectors yet: run "sightline index" first');
  const chosen = new Map<string, { row: number; text?: string }>();
  for (const record of store.catalog.allFiles()) {
    for (const item of record.items) {
      if (chosen.has(item.embedKey) || item.row >= store.rowCount) continue;
      const text = options.withText
        ? JSON.stringify({ root: record.root, path: record.path, part: item.part, text: item.text ?? item.snippet ?? item.target ?? '' })
        : undefined;
      chosen.set(item.embedKey, { row: item.row, ...(text === undefined ? {} : { text }) });
    }
  }

  // Checked first, so the header can count what is written; read again when written, so only
  // the keys sit in memory however large the index.
  const entries: Array<{ key: Buffer; row: number; text?: string }> = [];
  let skipped = 0;
  for (const [embedKey, { row, text }] of chosen) {
    if (vectorProblem(float32ToFloat16(store.vectorAt(row))) !== undefined) {
      skipped++;
      continue;
    }
    entries.push({ key: cacheKeyOf(identity, embedKey), row, ...(text === undefined ? {} : { text }) });
  }
  const textBlock = options.withText ? Buffer.from(entries.map((e) => `${e.text}\n`).join(''), 'utf8') : Buffer.alloc(0);
  const header: CacheHeader = {
    format: 'sightline-cache',
    version: CACHE_FORMAT_VERSION,
    model: identity.model,
    dimensions: identity.dimensions,
    shape: identity.shape,
    vectorDims,
    precision: 'float16',
    count: entries.length,
    textBytes: textBlock.length,
    createdAt: new Date().toISOString(),
  };

  const hash = createHash('sha256');
  const temp = tempPathFor(path.resolve(target));
  const handle = await fs.open(temp, 'wx');
  let bytes = 0;
  const write = async (chunk: Uint8Array) => {
    hash.update(chunk);
    bytes += chunk.byteLength;
    for (let done = 0; done < chunk.byteLength;) done += (await handle.write(chunk, done)).bytesWritten;
  };
  try {
    try {
      await write(encodeHeader(header));
      const keys = Buffer.alloc(entries.length * CACHE_KEY_BYTES);
      entries.forEach((entry, i) => entry.key.copy(keys, i * CACHE_KEY_BYTES));
      await write(keys);
      for (let first = 0; first < entries.length; first += VECTORS_PER_WRITE) {
        const batch = entries.slice(first, first + VECTORS_PER_WRITE);
        const chunk = Buffer.alloc(batch.length * vectorDims * 2);
        batch.forEach((entry, i) => {
          const halves = float32ToFloat16(store.vectorAt(entry.row));
          for (let d = 0; d < vectorDims; d++) chunk.writeUInt16LE(halves[d]!, (i * vectorDims + d) * 2);
        });
        await write(chunk);
      }
      await write(textBlock);
      const checksum = hash.digest();
      for (let done = 0; done < checksum.length;) done += (await handle.write(checksum, done)).bytesWritten;
      bytes += checksum.length;
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  return { entries: entries.length, vectorDims, bytes, skipped };
}
