// One writer per index, by a lock the operating system drops when its process dies.
//
// Node has no flock(), and the lock-file packages on npm either poll a file's mtime
// (proper-lockfile: a killed writer blocks others until the lock counts as stale, and a
// stalled event loop loses it) or are native addons (fs-ext, os-lock) that would need a build
// for every platform the extension ships to. A listening socket has exactly the property
// wanted: only one process can listen on an address, and the kernel closes it when the process
// ends, however it ends. The address is derived from the folder's real path and lives outside
// the folder (a socket file inside would trip up copies and backups of it):
// - Linux: an abstract socket, which has no file and vanishes with its process.
// - Windows: a named pipe, which vanishes with its process too.
// - macOS and other Unixes: a socket file in the temp folder. A killed writer leaves the file,
//   but connecting to it is refused: the next writer removes it (checking that the file it
//   removes is the dead one, so two newcomers never both win) and listens in its place.
// Readers never take the lock. Whoever holds it answers a connection with its pid, so a
// waiting writer can say who it is waiting for, and sees the holder go when the connection closes.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface LockHolder {
  readonly pid?: number;
  /** What holds it, in words ("sightline index", "a VS Code window"). */
  readonly what?: string;
}

export interface WriterLockOptions {
  /** Wait for the holder to finish (default), or throw IndexBusyError at once. */
  readonly wait?: boolean;
  /** Called once when the lock is held by another process and we start waiting. */
  readonly onWait?: (holder: LockHolder) => void;
  readonly signal?: AbortSignal;
  /** Told to processes that find the lock taken. */
  readonly holderDescription?: string;
}

export interface WriterLock {
  release(): Promise<void>;
}

/** Another live process writes this index. */
export class IndexBusyError extends Error {
  override name = 'IndexBusyError';
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(`another Sightline process${describeHolder(holder)} is writing the index in ${dir}`);
  }
}

export function describeHolder(holder: LockHolder): string {
  const parts = [holder.pid !== undefined ? `pid ${holder.pid}` : '', holder.what ?? ''].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** A waiter re-checks this often even when the holder's connection stays open. */
const RECHECK_MS = 2000;

/** Takes the writer lock of the index folder `dir` (which must exist). */
export async function acquireWriterLock(dir: string, options: WriterLockOptions = {}): Promise<WriterLock> {
  const address = await lockAddress(dir);
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const attempt = await listen(address, options.holderDescription);
    if ('error' in attempt) {
      if (attempt.error.code !== 'EADDRINUSE') throw attempt.error;
    } else {
      return attempt.lock;
    }
    const probe = await probeHolder(address);
    if (probe.state === 'stale') {
      await removeStaleSocket(address, probe.inode);
      continue;
    }
    if (probe.state === 'gone') continue;
    if (options.wait === false) {
      probe.connection.destroy();
      throw new IndexBusyError(dir, probe.holder);
    }
    if (!told) options.onWait?.(probe.holder);
    told = true;
    await waitForClose(probe.connection, options.signal);
  }
}

/** The lock's address for the folder: the same for every spelling of its path. */
export async function lockAddress(dir: string): Promise<string> {
  let real = await fs.realpath(dir);
  // Case-insensitive file systems by default: one folder, one lock, however it is typed.
  if (process.platform === 'win32' || process.platform === 'darwin') real = real.toLowerCase();
  const digest = createHash('sha256').update(real).digest('hex').slice(0, 32);
  if (process.platform === 'win32') return `\\\\.\\pipe\\sightline-writer-${digest}`;
  if (process.platform === 'linux') return `\0sightline-writer-${digest}`;
  return path.join(tmpdir(), `sightline-writer-${digest}.sock`);
}

function listen(address: string, what: string | undefined): Promise<{ lock: WriterLock } | { error: NodeJS.ErrnoException }> {
  const server = net.createServer({ pauseOnConnect: false });
  const clients = new Set<net.Socket>();
  server.on('connection', (socket) => {
    clients.add(socket);
    socket.unref();
    socket.on('error', () => undefined);
    socket.on('close', () => clients.delete(socket));
    socket.write(`${JSON.stringify({ pid: process.pid, what })}\n`);
  });
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ error }));
    server.listen(address, () => {
      // The lock must never keep a process alive on its own.
      server.unref();
      server.removeAllListeners('error');
      server.on('error', () => undefined);
      let released: Promise<void> | undefined;
      const release = () =>
        (released ??= new Promise<void>((done) => {
          for (const client of clients) client.destroy();
          // libuv removes the socket file when the server closes.
          server.close(() => done());
        }));
      resolve({ lock: { release } });
    });
  });
}

type Probe =
  | { readonly state: 'held'; readonly holder: LockHolder; readonly connection: net.Socket }
  | { readonly state: 'stale'; readonly inode: number }
  | { readonly state: 'gone' };

/** Connects to the lock's address: a live holder answers with its pid, a dead one refuses. */
async function probeHolder(address: string): Promise<Probe> {
  // The inode is taken before connecting, so a socket that replaces the stale one in between
  // is never mistaken for it.
  const isFile = process.platform !== 'win32' && process.platform !== 'linux';
  const stat = isFile ? await fs.lstat(address).catch(() => undefined) : undefined;
  if (isFile && !stat) return { state: 'gone' };
  // Only a socket is connected to; anything else under the lock's name is debris to clear away.
  if (stat && !stat.isSocket()) return { state: 'stale', inode: stat.ino };
  const inode = stat?.ino ?? 0;
  return new Promise((resolve) => {
    const connection = net.connect(address);
    let text = '';
    let settled = false;
    const settle = (probe: Probe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(probe);
    };
    // A holder whose event loop is busy answers late: it is still alive.
    const timer = setTimeout(() => settle({ state: 'held', holder: {}, connection }), 1000);
    connection.setEncoding('utf8');
    connection.on('data', (chunk: string) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline >= 0) settle({ state: 'held', holder: parseHolder(text.slice(0, newline)), connection });
    });
    connection.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' && isFile) settle({ state: 'stale', inode });
      else settle({ state: 'gone' });
    });
    connection.on('close', () => settle({ state: 'gone' }));
  });
}

function parseHolder(line: string): LockHolder {
  try {
    const value = JSON.parse(line) as { pid?: unknown; what?: unknown };
    return {
      ...(Number.isSafeInteger(value.pid) ? { pid: value.pid as number } : {}),
      ...(typeof value.what === 'string' ? { what: value.what.slice(0, 80) } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * Removes the socket file a dead writer left. It is moved aside first and checked: if what was
 * moved is not the dead socket (a newcomer took over in between), it is put back untouched.
 */
async function removeStaleSocket(address: string, staleInode: number): Promise<void> {
  const aside = `${address}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(address, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await fs.lstat(aside);
  if (moved.ino !== staleInode) await fs.link(aside, address).catch(() => undefined);
  await fs.unlink(aside);
}

function waitForClose(connection: net.Socket, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      connection.destroy();
      resolve();
    };
    const aborted = () => {
      clearTimeout(timer);
      connection.destroy();
      reject(signal!.reason);
    };
    const timer = setTimeout(done, RECHECK_MS);
    connection.once('close', done);
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
