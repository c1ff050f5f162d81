import { promises as fs } from 'node:fs';
import { indexFolderBytes } from './indexFolder';

const MB = 1024 * 1024;

export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * What a person needs when the disk filled up under the index: where, how much is free, and how
 * much to free. A checkpoint can rewrite the whole index (compaction), so that is what is asked for.
 */
export async function diskFullMessage(dir: string): Promise<string> {
  const free = await fs.statfs(dir).then(
    (stats) => stats.bavail * stats.bsize,
    () => undefined,
  );
  const indexBytes = await indexFolderBytes(dir).catch(() => 0);
  const wanted = Math.max(100 * MB, indexBytes);
  return (
    `The disk that holds the index (${dir}) is full${free === undefined ? '' : ` (${megabytes(free)} free)`}: the index could not be saved. ` +
    `Free at least ${megabytes(wanted)} on that disk and index again; everything saved before is kept and is not embedded again.`
  );
}

function megabytes(bytes: number): string {
  return bytes >= 10 * MB ? `${Math.round(bytes / MB)} MB` : `${(bytes / MB).toFixed(1)} MB`;
}
