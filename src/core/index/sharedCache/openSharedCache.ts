import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CacheIdentity } from './cacheIdentity';
import { fetchSharedCache } from './fetchSharedCache';
import { SharedCacheError } from './sharedCacheError';
import { SharedCacheFile } from './sharedCacheFile';
import type { SharedCacheLookup, SharedCacheUse } from './sharedCacheTypes';

/** The file name ending a folder's caches carry; `sightline cache export` suggests it. */
export const CACHE_FILE_EXTENSION = '.slcache';

export interface OpenSharedCacheOptions {
  readonly identity: CacheIdentity;
  /** The length of the index's vectors when it holds any (0 or absent: not known yet). */
  readonly vectorDims?: number;
  /** The largest cache file (or download) accepted. */
  readonly maxBytes: number;
  /** Where copies of caches fetched over HTTP(S) are kept between runs. */
  readonly downloadsDir: string;
  /** Bearer token for an HTTP(S) cache. */
  readonly token?: string;
  readonly signal?: AbortSignal;
  /** What relative paths are relative to (the CLI's working folder). */
  readonly cwd?: string;
}

/**
 * The caches one `--cache` (or `sightline.sharedCache`) names, opened and checked, ready for the
 * indexer's lookups: a file, every `.slcache` file of a folder that fits this index, or a copy
 * of an HTTP(S) cache brought up to date.
 */
export class SharedCache implements SharedCacheLookup {
  private constructor(
    readonly source: string,
    private readonly files: readonly SharedCacheFile[],
    readonly notes: readonly string[],
  ) {}

  /** Throws SharedCacheError, having touched nothing, when nothing named can be used. */
  static async open(spec: string, options: OpenSharedCacheOptions): Promise<SharedCache> {
    const given = spec.trim();
    if (!given) throw new SharedCacheError('refused', 'no shared cache was named');
    const openFile = (file: string, source: string) =>
      SharedCacheFile.open(file, options.identity, { source, maxBytes: options.maxBytes, ...(options.vectorDims ? { vectorDims: options.vectorDims } : {}) });
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(given)) {
      const fetched = await fetchSharedCache(given, options, openFile);
      return new SharedCache(fetched.value.source, [fetched.value], fetched.notes);
    }
    const location = path.resolve(options.cwd ?? process.cwd(), given);
    const stat = await fs.stat(location).catch((error: NodeJS.ErrnoException) => {
      throw new SharedCacheError('unreachable', `there is no shared cache at ${location} (${error.code ?? error.message})`, { cause: error });
    });
    if (!stat.isDirectory()) return new SharedCache(location, [await openFile(location, location)], []);
    return SharedCache.openFolder(location, openFile);
  }

  /** A folder may hold caches for several models or shapes: those for another are passed over, with a note. */
  private static async openFolder(folder: string, openFile: (file: string, source: string) => Promise<SharedCacheFile>): Promise<SharedCache> {
    const names = (await fs.readdir(folder)).filter((name) => name.endsWith(CACHE_FILE_EXTENSION)).sort();
    if (!names.length) throw new SharedCacheError('refused', `the folder ${folder} holds no shared cache (no *${CACHE_FILE_EXTENSION} file)`);
    const files: SharedCacheFile[] = [];
    const passedOver: string[] = [];
    try {
      for (const name of names) {
        try {
          files.push(await openFile(path.join(folder, name), path.join(folder, name)));
        } catch (error) {
          if (!(error instanceof SharedCacheError && error.foreign)) throw error;
          passedOver.push(error.message);
        }
      }
    } catch (error) {
      await Promise.all(files.map((file) => file.close()));
      throw error;
    }
    if (!files.length) throw new SharedCacheError('refused', `no shared cache in ${folder} fits this index: ${passedOver.join('; ')}`, { foreign: true });
    return new SharedCache(folder, files, passedOver);
  }

  get vectorDims(): number {
    return this.files[0]!.vectorDims;
  }

  async lookup(embedKey: string): Promise<Float32Array | undefined> {
    for (const file of this.files) {
      const vector = await file.lookup(embedKey);
      if (vector) return vector;
    }
    return undefined;
  }

  get use(): SharedCacheUse {
    const skipped = this.files.reduce((n, file) => n + file.skipped, 0);
    const notes = [...this.notes];
    if (skipped) {
      notes.push(
        `${skipped} ${skipped === 1 ? 'entry' : 'entries'} of the shared cache failed the checks (a value that is not a finite number, a vector not of unit length, a repeated key) and ${skipped === 1 ? 'was' : 'were'} skipped`,
      );
    }
    return { source: this.source, entries: this.files.reduce((n, file) => n + file.size, 0), skipped, notes };
  }

  async close(): Promise<void> {
    await Promise.all(this.files.map((file) => file.close()));
  }
}
