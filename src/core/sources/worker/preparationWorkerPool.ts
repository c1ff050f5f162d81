import * as os from 'node:os';
import * as path from 'node:path';
// On glibc Linux, sharp's shared libraries must be opened by the main thread before a worker
// loads them, or they are unloaded when that worker ends and the next one crashes.
import 'sharp';
import type { ImagePrepareOptions } from '../image/imageOptions';
import type { PreparedImage } from '../image/imageTypes';
import type { SourceInput } from '../image/readInputBytes';
import type { PdfDocumentSource, PdfOpenOptions } from '../pdf/pdfTypes';
import { asBuffer } from './movableBytes';
import { RemotePdf } from './remotePdf';
import type { SourcePreparer } from './sourcePreparer';
import { WorkerConnection } from './workerConnection';

export interface PreparationWorkerPoolOptions {
  /** Threads at most (default: one per spare core, one or two). */
  readonly workers?: number;
  /**
   * Requests a thread works on at once (default 2, what the indexer prepared at once on its
   * own thread); more wait on the caller's side, where they hold no pixels.
   */
  readonly requestsPerWorker?: number;
  /** The worker bundle (default: preparationWorker.js next to the bundle this code is in). */
  readonly workerScript?: string;
  /** A thread with nothing to do ends after this long, and starts again when needed (default 30 s). */
  readonly idleTimeoutMs?: number;
}

/** One thread per core beyond the one the editor runs on, at most two: uploads are the bottleneck. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(2, os.availableParallelism() - 1));
}

/**
 * Prepares images and PDF pages in worker threads, so decoding, resizing and rendering (and
 * the garbage their multi-megabyte pixel buffers leave) stay off the caller's event loop.
 * Threads start on demand; one that crashes fails the requests it had, and the next request
 * gets a fresh one. Errors keep their kind: a SourceError from the worker is a SourceError here.
 */
export class PreparationWorkerPool implements SourcePreparer {
  private readonly size: number;
  private readonly requestsPerWorker: number;
  private readonly script: string;
  private readonly idleTimeoutMs: number;
  private readonly connections = new Set<WorkerConnection>();
  private closed = false;

  constructor(options: PreparationWorkerPoolOptions = {}) {
    this.size = Math.max(1, options.workers ?? defaultWorkerCount());
    this.requestsPerWorker = Math.max(1, options.requestsPerWorker ?? 2);
    this.script = options.workerScript ?? path.join(__dirname, 'preparationWorker.js');
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  }

  async prepareImage(input: SourceInput, options?: ImagePrepareOptions, signal?: AbortSignal): Promise<PreparedImage> {
    const { path: file, bytes } = input;
    const prepared = await this.connection().request({ kind: 'image', path: file, bytes, options }, { signal, path: file });
    return {
      ...prepared,
      embeddable: { ...prepared.embeddable, bytes: asBuffer(prepared.embeddable.bytes) },
      thumbnail: { ...prepared.thumbnail, bytes: asBuffer(prepared.thumbnail.bytes) },
    };
  }

  async openPdf(input: SourceInput, options?: PdfOpenOptions, signal?: AbortSignal): Promise<PdfDocumentSource> {
    const { path: file, bytes } = input;
    const connection = this.connection();
    const opened = await connection.request({ kind: 'pdf-open', path: file, bytes, options }, { signal, path: file });
    return new RemotePdf(connection, opened, file);
  }

  /** Fails requests in flight and ends every thread (after it finishes what it started). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.connections].map((connection) => connection.close()));
  }

  /** A free thread if there is one, else a new one while under the limit, else the least busy. */
  private connection(): WorkerConnection {
    if (this.closed) throw new Error('The preparation worker pool is closed');
    let best: WorkerConnection | undefined;
    for (const connection of this.connections) if (!best || connection.load < best.load) best = connection;
    if (best && (best.load === 0 || this.connections.size >= this.size)) return best;
    const started = new WorkerConnection(this.script, this.requestsPerWorker, this.idleTimeoutMs, (stopped) => this.connections.delete(stopped));
    this.connections.add(started);
    return started;
  }
}
