// Crash-safe file replacement: write a temp file beside the target, fsync it, rename it over
// the target, then fsync the directory. rename() is atomic on one file system, so a process
// killed at any point leaves either the previous file or the complete new one at `path`;
// at worst a stray temp file remains, which readers never open.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const TEMP_MARK = '.tmp-';
const TEMP_PATTERN = /\.tmp-(\d+)-[0-9a-f]{8}$/;

export function tempPathFor(target: string): string {
  return `${target}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Writes `chunks` in order to `target`, replacing any existing file atomically. */
export async function writeFileAtomically(target: string, chunks: readonly Uint8Array[]): Promise<void> {
  await replaceFileAtomically(target, async (handle) => {
    // writev caps the chunks per call (IOV_MAX); groups of 64 stay under every platform's cap.
    for (let i = 0; i < chunks.length; i += 64) await writeAll(handle, chunks.slice(i, i + 64));
  });
}

/**
 * Lets `write` fill a new temp file (at any positions, in any order), then makes it durable
 * and renames it over `target`, so a file too large to hold in memory is replaced as safely.
 */
export async function replaceFileAtomically(target: string, write: (handle: fs.FileHandle) => Promise<void>): Promise<void> {
  const temp = tempPathFor(target);
  const handle = await fs.open(temp, 'wx');
  try {
    try {
      await write(handle);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(path.dirname(target));
}

async function writeAll(handle: fs.FileHandle, chunks: Uint8Array[]): Promise<void> {
  let pending = chunks.filter((c) => c.byteLength > 0);
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending);
    let skip = bytesWritten;
    const rest: Uint8Array[] = [];
    for (const chunk of pending) {
      if (skip >= chunk.byteLength) skip -= chunk.byteLength;
      else {
        rest.push(skip > 0 ? chunk.subarray(skip) : chunk);
        skip = 0;
      }
    }
    pending = rest;
  }
}

/** Makes the rename itself durable; platforms that cannot fsync a directory (Windows) skip it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported here; the rename is still atomic, only its durability across power loss
    // is left to the OS.
  } finally {
    await handle?.close();
  }
}

/**
 * Deletes temp files left in `dir` by writers that died mid-write and returns their paths.
 * Temp files of live processes are left alone: another window may be writing right now.
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fs.readdir(dir)) {
    const match = TEMP_PATTERN.exec(name);
    if (!match || isProcessAlive(Number(match[1]))) continue;
    const file = path.join(dir, name);
    await fs.rm(file, { force: true });
    removed.push(file);
  }
  return removed;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
