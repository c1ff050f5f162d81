import * as path from 'node:path';
import { type EmbeddingOutcome } from '../../embed/embeddingClient';
import { EmbeddingError } from '../../embed/embeddingError';
import { SourceError } from '../../sources/sourceError';
import type { FileKind } from '../../sources/walk/fileKind';
import type { SourcePreparer } from '../../sources/worker/sourcePreparer';
import type { FileFailure, FileRecord, IndexedItem } from '../catalog/catalogTypes';
import type { IndexStore } from '../store/indexStore';
import type { EmbedQueue } from './embedQueue';
import type { SharedCacheLookup } from '../sharedCache/sharedCacheTypes';
import type { ReferenceAdmission } from '../../sources/markdown/admitImageReference';
import { recordStale } from './dependencies';
import { hashFile } from '../../sources/fileHash';
import type { PreparationOptions } from '../../sources/preparationOptions';
import type { PreparedFile, PreparedImages, PreparedInput, PreparedItem } from '../../sources/preparedItem';
import { prepareImageFile } from '../../sources/image/prepareImageFile';
import { prepareMarkdownFile } from '../../sources/markdown/prepareMarkdownFile';
import { prepareNotebookFile } from '../../sources/notebook/prepareNotebookFile';
import { preparePdfFile } from '../../sources/pdf/preparePdfFile';

export interface FileToProcess {
  readonly rootKey: string;
  readonly rootPath: string;
  readonly relativePath: string;
  readonly kind: FileKind;
  readonly size: number;
  readonly mtimeMs: number;
  /** An unchanged file whose failures are tried again: its record is not reused as it is. */
  readonly retryFailures?: boolean;
}

export type FileOutcome =
  | { readonly result: 'reused' | 'touched' }
  | {
      readonly result: 'indexed';
      readonly embedded: number;
      readonly reused: number;
      /** Parts of the file's own content that could not be indexed. */
      readonly failures: readonly FileFailure[];
      /** Indexed with a caveat: references not followed, images shown that could not be read, caps. */
      readonly warnings: readonly FileFailure[];
    }
  | { readonly result: 'failed'; readonly failure: FileFailure };

/**
 * A file's first step: done, or its text done (`embedded` and `reused` items so far, already
 * in the index) and its pictures to come (`later`, whose outcome counts the whole file).
 */
export type FileStep = { readonly outcome: FileOutcome } | { readonly later: PicturesStep; readonly embedded: number; readonly reused: number };

/** The rest of a document: its pictures, whose turn comes after every text of the run. */
export interface PicturesStep {
  /** Newer first: the file's modification time. */
  readonly priority: number;
  run(signal: AbortSignal, onSubmitted: () => void): Promise<FileOutcome>;
}

/** What happens to a file's items, for progress and the request count. */
export interface ItemEvents {
  /** The file produced an item: reused (or unreadable) ones are done, the others go to the API. */
  item(file: FileToProcess, item: PreparedItem, needsApi: boolean): void;
  /** An item that went to the API is back, with a vector or refused: one request (or a share of a text batch) used. */
  settled(file: FileToProcess, item: PreparedItem): void;
  /** The file's first step handed over all its items; `pictures` is what its second step will bring at most. */
  firstStepRead(file: FileToProcess, pictures: number | undefined): void;
  /** An item's vector came from the shared cache instead of the API (it counts as reused too). */
  fromSharedCache?(file: FileToProcess, item: PreparedItem): void;
}

const NO_EVENTS: ItemEvents = { item: () => undefined, settled: () => undefined, firstStepRead: () => undefined };

/** The items one pass over a file's content produced. */
interface PassResult {
  readonly items: IndexedItem[];
  readonly failures: FileFailure[];
  readonly warnings: FileFailure[];
  readonly embedded: number;
  readonly reused: number;
}

/**
 * Brings one changed file up to date: same bytes as before or as another indexed file -> reuse
 * its items; otherwise prepare its items and embed only those whose content is new. A document
 * goes in two steps: its text first, then, when the run gets to pictures, its images.
 */
export class FileProcessor {
  constructor(
    private readonly store: IndexStore,
    private readonly queue: EmbedQueue,
    private readonly options: PreparationOptions,
    private readonly onVector: () => void,
    private readonly preparer: SourcePreparer,
    /** What the images a document points at are checked against, per root. */
    private readonly admissionFor: (rootKey: string) => ReferenceAdmission,
    private readonly events: ItemEvents = NO_EVENTS,
    /** Vectors another machine made for the same requests: asked before an item is queued for the API. */
    private readonly sharedCache?: SharedCacheLookup,
  ) {}

  /**
   * `onSubmitted` fires once every item of this step is prepared and handed to the embed
   * queue: from then on the file only waits for the API, so the caller can start preparing the
   * next one. A document with pictures records its text (searchable from the next checkpoint)
   * and returns `later` for the rest.
   */
  async process(file: FileToProcess, signal: AbortSignal, onSubmitted: () => void = () => undefined): Promise<FileStep> {
    const absolute = path.join(file.rootPath, file.relativePath);
    const base = { root: file.rootKey, path: file.relativePath, kind: file.kind, size: file.size, mtimeMs: file.mtimeMs };
    let hash: string;
    try {
      hash = await hashFile(absolute, signal);
    } catch (error) {
      signal.throwIfAborted();
      return { outcome: this.fail(base, '', { code: 'unreadable', message: messageOf(error) }) };
    }

    const previous = this.store.catalog.getFile(file.rootKey, file.relativePath);
    if (
      previous?.hash === hash &&
      !previous.incomplete &&
      !file.retryFailures &&
      !(await recordStale(previous, file.rootPath, this.admissionFor(file.rootKey).files))
    ) {
      this.store.putFile({ ...previous, ...base });
      return { outcome: { result: 'touched' } };
    }
    // Document items depend on where the file is (relative image links): no reuse by hash.
    const twin = file.kind === 'markdown' || file.kind === 'notebook' ? undefined : this.store.catalog.findByHash(hash);
    if (twin) {
      this.store.putFile({ ...twin, ...base, hash });
      return { outcome: { result: 'reused' } };
    }

    let prepared: PreparedFile;
    try {
      prepared = await this.prepare(file, absolute, hash, signal);
    } catch (error) {
      signal.throwIfAborted();
      return { outcome: this.fail(base, hash, failureOf(error)) };
    }
    let first: PassResult | { readonly failure: FileFailure };
    const firstSubmitted = () => {
      this.events.firstStepRead(file, prepared.images ? (prepared.pictureCount ?? 0) : undefined);
      onSubmitted();
    };
    try {
      first = await this.embedItems(file, prepared.items, signal, firstSubmitted);
    } finally {
      await prepared.close?.();
    }
    if ('failure' in first) return { outcome: this.fail(base, hash, first.failure) };
    const { title, images } = prepared;
    const record = { ...base, hash, ...(title === undefined ? {} : { title }) };
    // What the record needs besides items, read once every pass is done.
    const extras = { dependencies: prepared.dependencies, problems: prepared.problems, imageLinks: prepared.imageLinks };
    if (!images) return { outcome: this.complete(record, [first], extras) };

    this.store.putFile({ ...record, items: first.items, incomplete: true, ...(first.failures.length ? { failures: first.failures } : {}) });
    return {
      embedded: first.embedded,
      reused: first.reused,
      later: {
        priority: file.mtimeMs,
        run: async (laterSignal, laterSubmitted) => {
          let pictures: PreparedImages;
          try {
            pictures = await images();
          } catch (error) {
            laterSignal.throwIfAborted();
            laterSubmitted();
            return this.complete(record, [first], extras, [failureOf(error)]);
          }
          let second: PassResult | { readonly failure: FileFailure };
          try {
            second = await this.embedItems(file, pictures.items, laterSignal, laterSubmitted);
          } finally {
            await pictures.close?.();
          }
          // The text stays indexed when the pictures cannot be read.
          if ('failure' in second) return this.complete(record, [first], extras, [second.failure]);
          return this.complete(record, [first, second], extras);
        },
      },
    };
  }

  /** Records the whole file once every pass is done. */
  private complete(
    record: Omit<FileRecord, 'items'>,
    passes: readonly PassResult[],
    extras: Pick<PreparedFile, 'dependencies' | 'problems' | 'imageLinks'>,
    lateFailures: readonly FileFailure[] = [],
  ): FileOutcome {
    const failures = [...passes.flatMap((pass) => pass.failures), ...lateFailures];
    const warnings = [...extras.problems(), ...passes.flatMap((pass) => pass.warnings)];
    const dependencies = extras.dependencies();
    const imageLinks = extras.imageLinks?.();
    this.store.putFile({
      ...record,
      items: passes.flatMap((pass) => pass.items),
      ...(dependencies.length ? { dependencies } : {}),
      ...(imageLinks ? { imageLinks } : {}),
      ...(failures.length ? { failures } : {}),
      ...(warnings.length ? { warnings } : {}),
    });
    const sum = (pick: (pass: PassResult) => number) => passes.reduce((total, pass) => total + pick(pass), 0);
    return { result: 'indexed', embedded: sum((p) => p.embedded), reused: sum((p) => p.reused), failures, warnings };
  }

  /**
   * Embeds (or reuses) one pass's items. A source error part-way ends the pass with that
   * failure, after letting submitted items finish (their vectors are kept for the next run).
   */
  private async embedItems(
    file: FileToProcess,
    items: AsyncIterable<PreparedItem> | Iterable<PreparedItem>,
    signal: AbortSignal,
    onSubmitted: () => void,
  ): Promise<PassResult | { readonly failure: FileFailure }> {
    const pending: Array<Promise<IndexedItem | FileFailure>> = [];
    const parts: string[] = [];
    // Vectors arrive while later items are still being prepared: a rejection (the run was
    // cancelled) must not count as unhandled before the Promise.all below subscribes.
    const track = (outcome: Promise<IndexedItem | FileFailure>) => {
      outcome.catch(() => undefined);
      pending.push(outcome);
    };
    let embedded = 0;
    let reused = 0;
    try {
      for await (const item of items) {
        signal.throwIfAborted();
        parts.push(item.meta.part);
        const known = this.store.catalog.rowFor(item.embedKey);
        const cached = known === undefined && this.sharedCache ? await this.sharedCache.lookup(item.embedKey) : undefined;
        if (known !== undefined) {
          reused++;
          this.events.item(file, item, false);
          track(this.reuse(item, known));
        } else if (cached) {
          // Awaited here, inside the file's preparation slot: making the thumbnail decodes the
          // image, and a cache full of hits must not start every decode at once.
          const outcome = await this.fromSharedCache(item, cached);
          this.events.item(file, item, false);
          if ('row' in outcome) {
            reused++;
            this.events.fromSharedCache?.(file, item);
          }
          track(Promise.resolve(outcome));
        } else {
          await this.queue.waitForRoom();
          // Decoding happens here, inside the file's preparation slot, so CPU work stays bounded
          // by the pool even though waiting for the vector does not hold the slot.
          let input: PreparedInput;
          try {
            input = await item.input();
          } catch (error) {
            if (!(error instanceof SourceError)) throw error;
            this.events.item(file, item, false);
            track(Promise.resolve(failureOf(error, item)));
            continue;
          }
          this.events.item(file, item, true);
          track(this.embed(file, item, input).then((r) => ('row' in r && embedded++, r)));
        }
      }
    } catch (error) {
      // Let submitted items finish (their vectors are kept for the next run) before failing.
      await Promise.allSettled(pending);
      if (error instanceof SourceError) return { failure: failureOf(error) };
      throw error;
    }
    onSubmitted();
    const settled = await Promise.all(pending);
    const result: PassResult = { items: [], failures: [], warnings: [], embedded, reused };
    settled.forEach((outcome, at) => {
      if ('row' in outcome) result.items.push(outcome);
      // An image a document shows that cannot be embedded leaves the document itself indexed.
      else (parts[at] === 'figure' ? result.warnings : result.failures).push(outcome);
    });
    return { ...result, embedded, reused };
  }

  private async reuse(item: PreparedItem, row: number): Promise<IndexedItem> {
    let thumbnail = this.store.catalog.thumbnailFor(item.embedKey);
    if (!thumbnail && item.meta.part !== 'section' && item.meta.part !== 'page-text') {
      // Vectors kept from an interrupted run have no thumbnail yet: make it, without an API call.
      const input = await item.input();
      if (input.thumbnail) thumbnail = await this.store.saveThumbnail(input.thumbnail.bytes, input.thumbnail.extension);
    }
    return { ...item.meta, embedKey: item.embedKey, row, ...(thumbnail ? { thumbnail } : {}) };
  }

  /**
   * An item whose vector the shared cache holds: stored as if embedded, with no request. The
   * cache has no thumbnails (they are the files' content), so pictures get theirs made here.
   */
  private async fromSharedCache(item: PreparedItem, vector: Float32Array): Promise<IndexedItem | FileFailure> {
    let thumbnail: string | undefined;
    if (item.meta.part !== 'section' && item.meta.part !== 'page-text') {
      let input: PreparedInput;
      try {
        input = await item.input();
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        return failureOf(error, item);
      }
      if (input.thumbnail) thumbnail = await this.store.saveThumbnail(input.thumbnail.bytes, input.thumbnail.extension);
    }
    const row = this.store.addVector(item.embedKey, vector);
    this.onVector();
    return { ...item.meta, embedKey: item.embedKey, row, ...(thumbnail ? { thumbnail } : {}) };
  }

  /** One item through the API; among images waiting, newer files go first. */
  private async embed(file: FileToProcess, item: PreparedItem, input: PreparedInput): Promise<IndexedItem | FileFailure> {
    const outcome: EmbeddingOutcome = await this.queue.submit(input.embedding, file.mtimeMs);
    this.events.settled(file, item);
    if (outcome instanceof EmbeddingError) return failureOf(outcome, item);
    const thumbnail = input.thumbnail ? await this.store.saveThumbnail(input.thumbnail.bytes, input.thumbnail.extension) : undefined;
    const row = this.store.addVector(item.embedKey, outcome);
    this.onVector();
    return { ...item.meta, embedKey: item.embedKey, row, ...(thumbnail ? { thumbnail } : {}) };
  }

  private async prepare(file: FileToProcess, absolute: string, hash: string, signal: AbortSignal): Promise<PreparedFile> {
    switch (file.kind) {
      case 'image':
        return prepareImageFile(absolute, hash, this.options, this.preparer, signal);
      case 'markdown':
        return prepareMarkdownFile(file.rootPath, file.relativePath, this.options, this.admissionFor(file.rootKey), this.preparer, signal);
      case 'pdf':
        return preparePdfFile(absolute, this.options, signal, this.preparer);
      case 'notebook':
        return prepareNotebookFile(file.rootPath, file.relativePath, this.options, this.admissionFor(file.rootKey), this.preparer, signal);
    }
  }

  private fail(base: Omit<FileRecord, 'hash' | 'items'>, hash: string, failure: FileFailure): FileOutcome {
    // Recorded so an unchanged broken file is not retried (and re-reported) on every run.
    this.store.putFile({ ...base, hash, items: [], failures: [failure] });
    return { result: 'failed', failure };
  }
}

function failureOf(error: unknown, item?: PreparedItem): FileFailure {
  const where = item ? describeItem(item) : '';
  const line = item?.meta.line !== undefined ? { line: item.meta.line } : {};
  if (error instanceof SourceError) return { code: error.code, message: where + error.message, ...line };
  if (error instanceof EmbeddingError) return { code: error.kind, message: where + error.message, ...line };
  return { code: 'unreadable', message: where + messageOf(error), ...line };
}

function describeItem(item: PreparedItem): string {
  const { page, line } = item.meta;
  return page !== undefined ? `page ${page}: ` : line !== undefined ? `line ${line}: ` : '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
