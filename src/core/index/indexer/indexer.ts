import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileKey } from '../../common/fileKey';
import type { EmbeddingClient } from '../../embed/embeddingClient';
import { EmbeddingError } from '../../embed/embeddingError';
import type { ReferenceAdmission } from '../../sources/markdown/admitImageReference';
import { type FileKind, fileKindOf } from '../../sources/walk/fileKind';
import { isFolderWalkable, isPathWalkable } from '../../sources/walk/pathAdmission';
import { refusalOfReferencedFile, type Refusal } from '../../sources/walk/referencedFile';
import { WalkedFiles } from '../../sources/walk/walkedFiles';
import { isInside } from '../../sources/walk/symbolicLink';
import { walkWorkspace } from '../../sources/walk/walkWorkspace';
import type { ItemKind, ItemPart } from '../../sources/itemTypes';
import type { FailedWith } from '../catalog/catalogTypes';
import { diskFullMessage, isDiskFull } from '../store/diskFull';
import type { IndexStore } from '../store/indexStore';
import { linksMoved, recordStale } from './dependencies';
import { EmbedQueue } from './embedQueue';
import { type RetryContext, retryContext, retryDue, withFailureCount } from './failureRetry';
import { FileProcessor, type FileOutcome, type FileStep, type FileToProcess } from './fileProcessor';
import { emptyReport, type IndexReport } from './indexReport';
import { type IndexProgress, RateMeter, RecentRate } from './indexProgress';
import { type IndexerOptions, type IndexRoot, type ResolvedIndexerOptions, resolveIndexerOptions } from './indexerOptions';
import { WorkPool } from '../../common/workPool';
import { StepQueue } from './stepQueue';
import { WorkEstimate } from './workEstimate';

export interface IndexRunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: IndexProgress) => void;
  /** Try every file that failed before again, even unchanged ones that already had their retry. */
  readonly retryFailed?: boolean;
}

/**
 * Brings the index in line with the workspace: diff (size and mtime, then content hash),
 * prepare, embed, commit. Preparation, embedding and checkpoints overlap; a cancelled or
 * failed run keeps everything that finished.
 */
export class Indexer {
  private readonly options: ResolvedIndexerOptions;

  constructor(
    private readonly store: IndexStore,
    private readonly client: EmbeddingClient,
    options: IndexerOptions,
  ) {
    this.options = resolveIndexerOptions(options);
  }

  /** Indexes every root. */
  run(runOptions: IndexRunOptions = {}): Promise<IndexReport> {
    return this.execute(runOptions, (run) => this.scanRoots(run));
  }

  /** Indexes just these files (created, changed or deleted), e.g. from a file watcher. */
  update(files: ReadonlyArray<{ root: string; path: string }>, runOptions: IndexRunOptions = {}): Promise<IndexReport> {
    return this.execute(runOptions, (run) => this.scanPaths(run, files));
  }

  private async execute(runOptions: IndexRunOptions, scan: (run: Run) => Promise<boolean>): Promise<IndexReport> {
    const started = performance.now();
    const stop = new AbortController();
    const signal = runOptions.signal ? AbortSignal.any([runOptions.signal, stop.signal]) : stop.signal;
    const retry = retryContext(this.client.options.model, this.client.options.endpoint, runOptions.retryFailed);
    const run = new Run(this.store, this.client, this.options, signal, runOptions.onProgress, retry);
    try {
      const complete = await scan(run);
      await run.waiting.drain();
      run.finish();
      if (complete) run.removeUnseen();
    } catch (error) {
      stop.abort(error);
      await run.waiting.drain().catch(() => undefined);
      run.recordStop(error, runOptions.signal);
    } finally {
      run.scanFinished();
      run.progress('finishing', true);
      try {
        await this.store.checkpoint();
        if (!run.report.fatal && !run.report.cancelled) await this.store.compactIfWasteful();
      } catch (error) {
        // The last checkpoint failing (a full disk) is reported, never thrown past the report.
        run.recordWriteFailure(error);
      }
    }
    if (run.report.fatal?.kind === 'disk-full') run.report.fatal = { kind: 'disk-full', message: await diskFullMessage(this.store.dir) };
    if (this.options.sharedCache) run.report.sharedCache = this.options.sharedCache.use;
    run.report.durationMs = performance.now() - started;
    run.report.usage = { ...this.client.usage };
    run.report.requests.textBatches = this.client.usage.textBatches;
    run.report.requests.texts = this.client.usage.textsBatched;
    return run.report;
  }

  private async scanRoots(run: Run): Promise<boolean> {
    const byPath = new Map(this.options.roots.map((root) => [root.path, root]));
    let capped = false;
    const walk = { ...this.options.walk, skipFolders: [this.store.dir], roots: this.options.roots.map((r) => r.path), signal: run.signal };
    for await (const event of walkWorkspace(walk)) {
      const root = byPath.get(event.root)!;
      if (event.type === 'skipped') {
        if (event.reason.code === 'too-many-files') capped = true;
        run.report.skipped.push({ root: root.key, path: event.relativePath, code: event.reason.code, message: event.reason.message });
        continue;
      }
      await run.found({ rootKey: root.key, rootPath: root.path, relativePath: event.relativePath, kind: event.kind, size: event.size, mtimeMs: event.mtimeMs });
    }
    // Documents wait for the whole walk: the images they show are looked up among all its files.
    await run.considerDocuments();
    run.scanFinished();
    // A walk cut short by the file cap did not see everything: deleting the unseen would lose data.
    return !capped;
  }

  /**
   * Paths from a watcher. A file of our kinds is checked like the walk would; anything else
   * may be a folder (watchers report a deleted or renamed folder, not its files): a folder
   * that is gone takes its indexed files with it, one that exists is walked.
   */
  private async scanPaths(run: Run, files: ReadonlyArray<{ root: string; path: string }>): Promise<boolean> {
    // The files the last walk found, as the catalog holds them, brought up to date by this batch.
    for (const root of this.options.roots) run.walkedFilesFrom(root.key, this.store.catalog.allFiles());
    for (const file of files) {
      const root = this.options.roots.find((r) => r.key === file.root);
      if (!root) continue;
      const absolute = path.join(root.path, file.path);
      if (isInside(this.store.dir, absolute)) continue;
      const stat = await fs.stat(absolute).catch(() => undefined);
      if (stat?.isDirectory()) {
        await this.scanFolder(run, root, file.path);
        continue;
      }
      const kind = fileKindOf(file.path);
      if (!stat) {
        run.forgetWalked(root.key, file.path, !kind);
        // Removed only after the batch, so a rename in the same batch finds its vectors by hash.
        run.afterwards(() => (kind ? run.remove(root.key, file.path) : run.removeUnder(root.key, file.path)));
        continue;
      }
      if (!kind || !stat.isFile()) continue;
      if (!(await isPathWalkable(root.path, file.path, this.options.walk))) {
        // Now excluded (or never included): forget it if it was indexed before.
        run.forgetWalked(root.key, file.path, false);
        run.remove(root.key, file.path);
        continue;
      }
      await run.found({ rootKey: root.key, rootPath: root.path, relativePath: file.path, kind, size: stat.size, mtimeMs: stat.mtimeMs });
    }
    await run.considerDocuments();
    // Documents elsewhere whose images appeared, moved or went away with this batch.
    for (const root of this.options.roots) await this.refreshLinkedDocuments(run, root);
    run.scanFinished();
    return false;
  }

  private async refreshLinkedDocuments(run: Run, root: IndexRoot): Promise<void> {
    const files = run.admission(root.key).files;
    for (const record of [...this.store.catalog.allFiles()]) {
      if (record.root !== root.key || run.wasSeen(root.key, record.path) || !linksMoved(record, files)) continue;
      const stat = await fs.stat(path.join(root.path, record.path)).catch(() => undefined);
      if (!stat?.isFile()) continue;
      await run.consider({
        rootKey: root.key,
        rootPath: root.path,
        relativePath: record.path,
        kind: record.kind,
        size: stat.size,
        mtimeMs: stat.mtimeMs,
      });
    }
  }

  /** A folder that appeared (created, renamed, restored): its files as the full walk would see them. */
  private async scanFolder(run: Run, root: IndexRoot, folder: string): Promise<void> {
    if (!(await isFolderWalkable(root.path, folder, this.options.walk))) return;
    const walk = { ...this.options.walk, include: [], skipFolders: [this.store.dir], roots: [path.join(root.path, folder)], signal: run.signal };
    for await (const event of walkWorkspace(walk)) {
      if (event.type !== 'file') continue;
      const relativePath = `${folder}/${event.relativePath}`;
      if (!(await isPathWalkable(root.path, relativePath, this.options.walk))) continue;
      await run.found({ rootKey: root.key, rootPath: root.path, relativePath, kind: event.kind, size: event.size, mtimeMs: event.mtimeMs });
    }
  }
}

/** Files that show images: prepared once the walk has found every file they may point at. */
function isDocument(kind: FileKind): boolean {
  return kind === 'markdown' || kind === 'notebook';
}

/**
 * The state of one run: what was seen, what is being worked on, and the report. Changed files
 * go through a StepQueue: documents' text first, then pictures newest first, so the bulk of a
 * workspace is searchable while screenshots follow one request each.
 */
class Run {
  readonly report = emptyReport();
  /** Every file being worked on, from its first step to its record; a failure stops the run. */
  readonly waiting = new WorkPool(Number.POSITIVE_INFINITY);
  private readonly steps: StepQueue;
  private readonly queue: EmbedQueue;
  /** Set while more texts may come (the walk goes on, documents wait or are being read). */
  private textsComing: (() => void) | undefined;
  /** Items and requests left, for the progress bar and the ETA. */
  private readonly estimate: WorkEstimate;
  private readonly requestRate = new RecentRate();
  private progressSoon: NodeJS.Immediate | undefined;
  /** Items of documents whose text step is recorded, counted in the report before the file is done. */
  private readonly countedEarly = new Map<string, { readonly embedded: number; readonly reused: number }>();
  private readonly processor: FileProcessor;
  private readonly seen = new Set<string>();
  private readonly meter = new RateMeter();
  private toProcess = 0;
  private processed = 0;
  private itemsFailed = 0;
  private lastCheckpoint = performance.now();
  private sinceCheckpoint = 0;
  private lastProgress = 0;
  private currentFile: string | undefined;
  /** Per root: the files the walk found, for the images documents point at. */
  private readonly walked = new Map<string, WalkedFiles>();
  private readonly admissions = new Map<string, ReferenceAdmission>();
  /** Markdown found by the walk, considered once it is over. */
  private readonly documents: FileToProcess[] = [];
  scanDone = false;

  constructor(
    private readonly store: IndexStore,
    private readonly client: EmbeddingClient,
    private readonly options: ResolvedIndexerOptions,
    readonly signal: AbortSignal,
    private readonly onProgress: ((progress: IndexProgress) => void) | undefined,
    private readonly retry: RetryContext,
  ) {
    this.queue = new EmbedQueue(client, signal, options.maxPreparedBytes);
    this.estimate = new WorkEstimate(client.options.batch.maxTexts);
    this.processor = new FileProcessor(
      store,
      this.queue,
      options.preparation,
      () => this.noteChange(),
      options.preparer,
      (root) => this.admission(root),
      {
        item: (file, item, needsApi) => this.estimate.item(fileKey(file.rootKey, file.relativePath), item.meta.part, item.meta.kind, needsApi),
        settled: (_file, item) => this.settled(item.meta.part, item.meta.kind),
        firstStepRead: (file, pictures) => this.estimate.firstStepRead(fileKey(file.rootKey, file.relativePath), pictures),
        fromSharedCache: () => this.report.itemsFromSharedCache++,
      },
      options.sharedCache,
    );
    this.steps = new StepQueue(options.prepareConcurrency, {
      canStart: () => !this.signal.aborted && !this.waiting.failed,
      run: (step, release) => {
        this.currentFile = step.file.relativePath;
        this.waiting.track(
          step
            .start(release)
            .then((result) => this.advance(step.file, result))
            .finally(release),
        );
      },
      textsWaiting: () => this.queue.textsWaiting > 0,
      documentsAwaitingWalk: () => this.documents.length > 0,
      textsComing: (coming) => this.setTextsComing(coming),
    });
  }

  /** A file the walk (or the watcher) found: images join the walked files; documents wait for considerDocuments. */
  async found(file: FileToProcess): Promise<void> {
    if (file.kind === 'image') this.walkedFiles(file.rootKey).add(file.relativePath);
    if (isDocument(file.kind)) {
      this.signal.throwIfAborted();
      this.documents.push(file);
      return;
    }
    await this.consider(file);
  }

  async considerDocuments(): Promise<void> {
    for (const file of this.documents.splice(0)) await this.consider(file);
  }

  /** Seeds the walked files from the catalog's records (an update between full walks). */
  walkedFilesFrom(rootKey: string, records: Iterable<{ root: string; path: string; kind: string }>): void {
    const files = this.walkedFiles(rootKey);
    for (const record of records) if (record.root === rootKey && record.kind === 'image') files.add(record.path);
  }

  forgetWalked(rootKey: string, relativePath: string, folder: boolean): void {
    const files = this.walkedFiles(rootKey);
    files.delete(relativePath);
    if (folder) files.deleteUnder(relativePath);
  }

  wasSeen(rootKey: string, relativePath: string): boolean {
    return this.seen.has(`${rootKey}\u0000${relativePath}`);
  }

  /** The images a document in this root may show: walked ones, or any other file the walk's rules admit. */
  admission(rootKey: string): ReferenceAdmission {
    let admission = this.admissions.get(rootKey);
    if (!admission) {
      const root = this.options.roots.find((r) => r.key === rootKey)!;
      const refusals = new Map<string, Promise<Refusal | undefined>>();
      const walk = this.options.walk;
      admission = {
        files: this.walkedFiles(rootKey),
        refusal: (relativePath) => {
          let refusal = refusals.get(relativePath);
          if (!refusal) refusals.set(relativePath, (refusal = refusalOfReferencedFile(root.path, relativePath, 'image', walk)));
          return refusal;
        },
      };
      this.admissions.set(rootKey, admission);
    }
    return admission;
  }

  private walkedFiles(rootKey: string): WalkedFiles {
    let files = this.walked.get(rootKey);
    if (!files) this.walked.set(rootKey, (files = new WalkedFiles()));
    return files;
  }

  /** Unchanged files whose failures are tried again, with the count they had. */
  private readonly retrying = new Map<string, FailedWith | undefined>();

  /** Diff step: unchanged files cost a map lookup; changed ones join the step queue. */
  async consider(file: FileToProcess): Promise<void> {
    this.signal.throwIfAborted();
    this.report.filesSeen++;
    this.seen.add(fileKey(file.rootKey, file.relativePath));
    const previous = this.store.catalog.getFile(file.rootKey, file.relativePath);
    if (
      previous &&
      !previous.incomplete &&
      previous.size === file.size &&
      previous.mtimeMs === file.mtimeMs &&
      !(await recordStale(previous, file.rootPath, this.admission(file.rootKey).files))
    ) {
      if (!retryDue(previous, this.retry)) {
        this.report.filesUnchanged++;
        this.progress('scanning');
        return;
      }
      this.retrying.set(fileKey(file.rootKey, file.relativePath), previous.failedWith);
      file = { ...file, retryFailures: true };
    }
    this.waiting.throwIfFailed();
    this.toProcess++;
    this.estimate.queued(fileKey(file.rootKey, file.relativePath), file.kind, file.size);
    const step = { file, start: (submitted: () => void) => this.processor.process(file, this.signal, submitted) };
    if (file.kind === 'image') this.steps.addPictures(step, file.mtimeMs);
    else this.steps.addText(step);
  }

  scanFinished(): void {
    if (this.scanDone) return;
    this.scanDone = true;
    this.steps.walkEnded();
  }

  /**
   * Tells the client whether more texts are on their way, so a partial text batch waits for
   * them (a full one never waits) and the last one leaves as soon as nothing more can come.
   */
  private setTextsComing(coming: boolean): void {
    if (coming && !this.textsComing) this.textsComing = this.queue.expectTexts();
    else if (!coming && this.textsComing) {
      this.textsComing();
      this.textsComing = undefined;
    }
  }

  /** A file's step is done: record it, or count its text and queue its pictures. */
  private advance(file: FileToProcess, result: FileStep | FileOutcome): void {
    if ('later' in result) {
      const later = result.later;
      // The text is in the index now: counted at once, and not again when the file is recorded.
      this.countItems(file, result.embedded, result.reused);
      this.countedEarly.set(fileKey(file.rootKey, file.relativePath), { embedded: result.embedded, reused: result.reused });
      this.noteChange();
      this.steps.addPictures({ file, start: (submitted) => later.run(this.signal, submitted) }, later.priority);
      return;
    }
    this.record(file, 'outcome' in result ? result.outcome : result);
  }

  remove(root: string, relativePath: string): void {
    if (this.store.catalog.getFile(root, relativePath)) {
      this.store.deleteFile(root, relativePath);
      this.report.filesRemoved++;
      this.noteChange();
    }
  }

  private readonly deferred: Array<() => void> = [];

  afterwards(step: () => void): void {
    this.deferred.push(step);
  }

  finish(): void {
    for (const step of this.deferred.splice(0)) step();
  }

  removeUnder(root: string, folder: string): void {
    const prefix = `${folder}/`;
    for (const record of [...this.store.catalog.allFiles()]) {
      if (record.root === root && record.path.startsWith(prefix)) this.remove(record.root, record.path);
    }
  }

  /** After a complete walk: files the index knows but the walk did not see are gone. */
  removeUnseen(): void {
    const roots = new Set(this.options.roots.map((r) => r.key));
    for (const record of [...this.store.catalog.allFiles()]) {
      if (roots.has(record.root) && !this.seen.has(fileKey(record.root, record.path))) this.remove(record.root, record.path);
    }
  }

  recordStop(error: unknown, callerSignal: AbortSignal | undefined): void {
    if (callerSignal?.aborted || (error instanceof EmbeddingError && error.kind === 'cancelled' && callerSignal?.aborted)) {
      this.report.cancelled = true;
      return;
    }
    if (error instanceof EmbeddingError) {
      this.report.fatal = { kind: error.kind, message: error.message };
      return;
    }
    this.recordWriteFailure(error);
  }

  /** A failure to write the index; the first cause of a stop is kept, a full disk wins over a cancel. */
  recordWriteFailure(error: unknown): void {
    if (this.report.fatal) return;
    this.report.cancelled = false;
    this.report.fatal = isDiskFull(error)
      ? { kind: 'disk-full', message: 'The disk is full: the index could not be saved.' }
      : { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
  }

  progress(phase: IndexProgress['phase'], force = false): void {
    if (phase === 'finishing' && this.progressSoon) {
      clearImmediate(this.progressSoon);
      this.progressSoon = undefined;
    }
    const now = performance.now();
    if (!this.onProgress || (!force && now - this.lastProgress < 100)) return;
    this.lastProgress = now;
    // Requests that ended: one in flight still counts among those left (its items have not settled).
    const requestsDone = this.client.usage.completed;
    const left = this.estimate.left;
    // Until a few seconds were measured (the first burst goes faster), the pacer's rate; and
    // never more than it, since that is what the provider allows from here on.
    const pacerRate = this.client.currentRate;
    const measured = this.requestRate.sample(requestsDone);
    const requestsPerSecond = measured === undefined ? pacerRate : Math.min(measured, pacerRate);
    const needed = requestsDone + left.requests;
    const fraction = needed > 0 ? requestsDone / needed : this.toProcess > 0 ? this.processed / this.toProcess : 0;
    this.onProgress({
      phase,
      filesSeen: this.report.filesSeen,
      filesToProcess: this.toProcess,
      filesProcessed: this.processed,
      scanDone: this.scanDone,
      itemsEmbedded: this.report.itemsEmbedded,
      itemsReused: this.report.itemsReused,
      itemsFailed: this.itemsFailed,
      currentFile: this.currentFile,
      filesPerSecond: this.meter.perSecond,
      items: left.items,
      requestsDone,
      requestsLeft: left.requests,
      requestsPerSecond,
      fraction: Math.min(1, fraction),
      estimated: !this.scanDone || left.estimated,
      etaSeconds: requestsPerSecond > 0 && left.requests > 0 ? left.requests / requestsPerSecond : undefined,
    });
  }

  /** An item is back from the API: one image request, or its share of a text batch. */
  private settled(part: ItemPart, kind: ItemKind): void {
    this.estimate.settled(part, kind);
    if (part === 'image') this.report.requests.images++;
    else if (part === 'figure' || part === 'output') this.report.requests.figures++;
    else if (part === 'page-image') this.report.requests.pdfPages++;
    // After the rest of the request's items have settled too (they do in the same turn), so a
    // report never counts a finished request among those left.
    if (this.progressSoon) return;
    this.progressSoon = setImmediate(() => {
      this.progressSoon = undefined;
      this.progress('indexing');
    });
  }

  private countItems(file: FileToProcess, embedded: number, reused: number): void {
    this.report.itemsEmbedded += embedded;
    this.report.itemsReused += reused;
    this.report.itemsByKind[file.kind] += embedded + reused;
  }

  private record(file: FileToProcess, outcome: FileOutcome): void {
    const key = fileKey(file.rootKey, file.relativePath);
    const stored = this.store.catalog.getFile(file.rootKey, file.relativePath);
    if (stored && (stored.failures?.length || stored.failedWith)) {
      const counted = withFailureCount(stored, this.retrying.get(key), this.retry);
      if (counted !== stored) this.store.putFile(counted);
    }
    this.retrying.delete(key);
    this.processed++;
    this.estimate.forget(key);
    this.meter.tick();
    const where = { root: file.rootKey, path: file.relativePath };
    if (outcome.result === 'failed') {
      this.report.failed.push({ ...where, ...outcome.failure });
    } else if (outcome.result === 'indexed') {
      // A file none of whose items could be embedded counts as failed, not indexed.
      if (outcome.embedded + outcome.reused > 0 || outcome.failures.length === 0) this.report.filesIndexed++;
      const early = this.countedEarly.get(key) ?? { embedded: 0, reused: 0 };
      this.countItems(file, outcome.embedded - early.embedded, outcome.reused - early.reused);
      for (const failure of outcome.failures) {
        this.itemsFailed++;
        this.report.failed.push({ ...where, ...failure });
      }
      for (const warning of outcome.warnings) this.report.warnings.push({ ...where, ...warning });
    } else {
      this.report.filesReused++;
    }
    this.countedEarly.delete(key);
    this.noteChange();
    this.progress('indexing');
  }

  /** Checkpoints by count and by time, so a crash loses at most a few seconds of work. */
  private noteChange(): void {
    this.sinceCheckpoint++;
    const now = performance.now();
    if (this.sinceCheckpoint < this.options.checkpointEvery && now - this.lastCheckpoint < this.options.checkpointIntervalMs) return;
    this.sinceCheckpoint = 0;
    this.lastCheckpoint = now;
    this.waiting.track(this.store.checkpoint());
  }
}
