import { homedir } from 'node:os';
import * as path from 'node:path';
import { SharedCache } from '../core/index/sharedCache/openSharedCache';
import { SharedCacheError } from '../core/index/sharedCache/sharedCacheError';
import { cacheIdentityFrom, DEFAULT_SETTINGS, type SightlineSettings } from '../core/settings/sightlineSettings';
import type { CliArguments } from './cliArguments';
import { UsageError } from './usageError';

/** The bearer token for an http(s) `--cache`, from the environment only (never a flag: flags show in process lists). */
export function cacheToken(): string | undefined {
  return process.env.SIGHTLINE_CACHE_TOKEN?.trim() || undefined;
}

/**
 * Where copies of downloaded caches are kept between runs: the platform's cache folder
 * (XDG_CACHE_HOME or ~/.cache, ~/Library/Caches, %LOCALAPPDATA%), never the index folder.
 */
export function cacheDownloadsDir(): string {
  const base =
    process.env.XDG_CACHE_HOME?.trim() ||
    (process.platform === 'darwin'
      ? path.join(homedir(), 'Library', 'Caches')
      : process.platform === 'win32'
        ? (process.env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local'))
        : path.join(homedir(), '.cache'));
  return path.join(base, 'sightline', 'shared-cache');
}

export function cacheMaxBytes(args: CliArguments): number {
  return (args.cacheMaxMegabytes ?? DEFAULT_SETTINGS.sharedCacheMaxMegabytes) * 1024 * 1024;
}

/**
 * Opens the `--cache` for an index of these settings. A cache that is there but unfit
 * (damaged, truncated, for another model or shape, too large) is a usage error: exit 2 before
 * anything is indexed. One that cannot be reached fails the run (exit 1).
 */
export async function openCliSharedCache(args: CliArguments, settings: SightlineSettings, vectorDims: number, signal: AbortSignal): Promise<SharedCache> {
  try {
    const token = cacheToken();
    return await SharedCache.open(args.cache!, {
      identity: cacheIdentityFrom(settings),
      vectorDims,
      maxBytes: cacheMaxBytes(args),
      downloadsDir: cacheDownloadsDir(),
      ...(token ? { token } : {}),
      signal,
    });
  } catch (error) {
    if (error instanceof SharedCacheError) {
      if (error.kind === 'refused') throw new UsageError(`${error.message}. Nothing was indexed; the index is as it was.`);
      throw new Error(`${error.message}. Nothing was indexed; the index is as it was.`, { cause: error });
    }
    throw error;
  }
}
