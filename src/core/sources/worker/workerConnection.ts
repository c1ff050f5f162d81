import { Worker } from 'node:worker_threads';
import { SourceError } from '../sourceError';
import type { PreparationRequest, PreparationResults, WorkerOutbound } from './preparationMessages';
import { deserializeError } from './serializedError';

/** A request as callers write it; the connection adds the id. */
export type RequestBody = PreparationRequest extends infer R ? (R extends PreparationRequest ? Omit<R, 'id'> : never) : never;

interface Pending {
  readonly kind: RequestBody['kind'];
  /** Set while the request waits for room in the thread; cleared once sent. */
  message?: PreparationRequest;
  /** Names the file in the error when the thread dies with this request in flight. */
  readonly path?: string;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  detach(): void;
}

/** How long a thread may take to finish work it started, after close(), before it is stopped. */
const SHUTDOWN_GRACE_MS = 5000;

/**
 * One preparation worker thread: pairs requests with answers, sends at most `capacity` at a
 * time (the rest wait here, where they hold no pixels), keeps the thread from holding the
 * process open while nothing is awaited, retires it when idle, and, when it dies, fails what
 * was in flight. A stopped connection stays stopped; the pool starts a new one.
 */
export class WorkerConnection {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  /** PDFs opened here and not closed yet: their pages can only come from this thread. */
  private readonly documents = new Set<number>();
  private nextId = 1;
  /** Ids of requests waiting for room, oldest first (aborted ones are skipped when reached). */
  private readonly queue: number[] = [];
  private queued = 0;
  private readonly signals = new Map<AbortSignal, { readonly ids: Set<number>; readonly listener: () => void }>();
  /** Requests the thread has not answered, cancelled ones included: its real load. */
  private unanswered = 0;
  private ready = false;
  private uncaught: Error | undefined;
  private stopped: { readonly error: Error; readonly perFile: boolean } | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly exited: Promise<void>;

  constructor(
    script: string,
    private readonly capacity: number,
    private readonly idleTimeoutMs: number,
    private readonly onStop: (connection: WorkerConnection) => void,
  ) {
    // No inherited execArgv: the host's own flags (inspector ports, loaders) are not for this thread.
    this.worker = new Worker(script, { name: 'sightline-preparation', execArgv: [] });
    this.worker.unref();
    this.worker.on('message', (message: WorkerOutbound) => this.receive(message));
    this.worker.on('error', (error) => {
      this.uncaught ??= error;
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.stop(this.crashError(code), this.ready);
        resolve();
      });
    });
  }

  get load(): number {
    return this.unanswered + this.queued + this.documents.size;
  }

  request<K extends RequestBody['kind']>(
    body: Extract<RequestBody, { kind: K }>,
    options: { readonly signal?: AbortSignal; readonly path?: string } = {},
  ): Promise<PreparationResults[K]> {
    if (this.stopped) return Promise.reject(this.failure(options.path));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const message = { ...body, id } as PreparationRequest;
      const detach = signal ? this.watch(signal, id) : () => undefined;
      this.pending.set(id, { kind: body.kind, path: options.path, message, resolve, reject, detach });
      this.queue.push(id);
      this.queued += 1;
      this.pump();
    });
  }

  /** Frees a PDF opened here; nothing to do when the thread, and the document with it, is gone. */
  async closeDocument(handle: number): Promise<void> {
    if (!this.documents.delete(handle) || this.stopped) return;
    try {
      await this.request({ kind: 'pdf-close', handle });
    } catch {
      // The thread stopped meanwhile: the document went with it.
    }
  }

  /** Fails what is in flight, lets the thread finish what it started, then it ends. */
  async close(): Promise<void> {
    if (!this.stopped) {
      this.stop(new Error('The preparation worker pool is closed'), false);
      this.worker.postMessage({ kind: 'shutdown' });
      const grace = setTimeout(() => void this.worker.terminate(), SHUTDOWN_GRACE_MS);
      grace.unref();
      await this.exited;
      clearTimeout(grace);
    }
    await this.exited;
  }

  /** Sends waiting requests while the thread has room. */
  private pump(): void {
    while (this.unanswered < this.capacity && this.queue.length > 0) {
      const entry = this.pending.get(this.queue.shift()!);
      if (!entry?.message) continue;
      const { message } = entry;
      entry.message = undefined;
      this.queued -= 1;
      try {
        this.worker.postMessage(message);
      } catch (error) {
        this.pending.delete(message.id);
        entry.detach();
        entry.reject(error);
        continue;
      }
      this.busy();
    }
  }

  /**
   * One abort listener per signal, however many requests share it: an indexing run passes its
   * one signal with every file, and a listener each would trip Node's leak warning.
   */
  private watch(signal: AbortSignal, id: number): () => void {
    let watched = this.signals.get(signal);
    if (!watched) {
      const ids = new Set<number>();
      const listener = () => {
        this.signals.delete(signal);
        for (const aborted of ids) this.abandon(aborted, signal.reason);
      };
      watched = { ids, listener };
      this.signals.set(signal, watched);
      signal.addEventListener('abort', listener, { once: true });
    }
    const { ids, listener } = watched;
    ids.add(id);
    return () => {
      ids.delete(id);
      if (ids.size > 0 || this.signals.get(signal)?.ids !== ids) return;
      this.signals.delete(signal);
      signal.removeEventListener('abort', listener);
    };
  }

  private abandon(id: number, reason: unknown): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    if (entry.message) this.queued -= 1;
    // A sent request is still answered (without the result): that is when the thread is free.
    else this.worker.postMessage({ kind: 'cancel', id });
    entry.reject(reason);
  }

  private receive(message: WorkerOutbound): void {
    if ('kind' in message) {
      this.ready = true;
      return;
    }
    const entry = this.pending.get(message.id);
    this.pending.delete(message.id);
    // Recorded before settle(), so an opened PDF keeps the thread from being retired as idle.
    if (entry?.kind === 'pdf-open' && message.ok) this.documents.add((message.value as PreparationResults['pdf-open']).handle);
    this.unanswered -= 1;
    this.pump();
    this.settle();
    if (!entry) return;
    entry.detach();
    if (message.ok) entry.resolve(message.value);
    else entry.reject(deserializeError(message.error));
  }

  private busy(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    // Referenced only while answers are awaited, so an idle pool never keeps a process alive.
    if (this.unanswered++ === 0) this.worker.ref();
  }

  private settle(): void {
    if (this.unanswered > 0 || this.stopped) return;
    this.worker.unref();
    if (this.documents.size > 0 || this.idleTimer) return;
    // sharp's caches and PDFium's heap go with the thread: an idle editor should not keep them.
    this.idleTimer = setTimeout(() => void this.close(), this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  /**
   * After the thread had started, a crash fails each request in flight as a problem with its
   * file, so one file that brings the decoder down does not stop a whole indexing run. A
   * thread that never started (a missing bundle, a broken install) fails as itself.
   */
  private stop(error: Error, perFile: boolean): void {
    if (this.stopped) return;
    this.stopped = { error, perFile };
    clearTimeout(this.idleTimer);
    const inFlight = [...this.pending.values()];
    this.pending.clear();
    this.queue.length = 0;
    this.queued = 0;
    this.documents.clear();
    this.onStop(this);
    for (const entry of inFlight) {
      entry.detach();
      entry.reject(this.failure(entry.path));
    }
  }

  private failure(path: string | undefined): Error {
    const { error, perFile } = this.stopped!;
    return perFile ? new SourceError('unreadable', error.message, path, { cause: error }) : error;
  }

  private crashError(code: number): Error {
    const why = this.uncaught ? `: ${this.uncaught.message}` : '';
    const options = { cause: this.uncaught };
    if (!this.ready) return new Error(`The image and PDF preparation worker did not start (exit code ${code})${why}`, options);
    return new Error(`The image and PDF preparation worker stopped unexpectedly (exit code ${code})${why}`, options);
  }
}
