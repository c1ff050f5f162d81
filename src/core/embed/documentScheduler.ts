import type { Clock } from './adaptivePacer';
import type { EmbeddingClientOptions } from './clientOptions';
import { EmbeddingError } from './embeddingError';
import type { FormedRequest, RequestRunner } from './requestRunner';
import { leadingBatchSize } from './textBatches';
import type { EmbeddingInput } from '../common/embeddingInput';
import { conversationBody, textBatchBody } from './wireFormat';

/** A vector, or why this one input could not be embedded (the others are unaffected). */
export type EmbeddingOutcome = Float32Array | EmbeddingError;

/**
 * While images wait too, text batches take at most this many tokens in a row before an image
 * gets one: texts come first (one request carries up to 32 of them), images never starve.
 */
const TEXT_BATCHES_PER_IMAGE = 4;

interface Waiting {
  readonly input: EmbeddingInput;
  readonly chars: number;
  readonly since: number;
  /** Among images waiting, the highest goes first (the indexer passes modification times). */
  readonly priority: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (outcome: EmbeddingOutcome) => void;
  readonly reject: (error: unknown) => void;
  /** Set once the input is in a request (or gave up), so a late answer or abort is ignored. */
  done: boolean;
}

/**
 * Holds documents until a request can leave, and only then decides what it carries. A text
 * batch is formed when a token is granted for it, so every text that arrived while images held
 * the tokens travels in it (up to the batch limits), instead of a batch per short wait each
 * queueing for a token of its own. Texts go ahead of images (a full batch is 32 texts for one
 * token) but give every fifth token to a waiting image; a partial batch waits for more texts
 * while a producer says more are coming, for at most `maxWaitMs`.
 */
export class DocumentScheduler {
  private readonly texts: Waiting[] = [];
  private readonly conversations: Waiting[] = [];
  /** Requests waiting for their turn (a slot and a token) that will choose what they carry. */
  private claims = 0;
  /** Characters of the texts waiting, so a batch full by size is seen without a scan. */
  private textChars = 0;
  private textHolds = 0;
  private textStreak = 0;
  private wakeAt = Infinity;
  private readonly listening = new Map<AbortSignal, Set<Waiting>>();
  private readonly lifetime = new AbortController();

  constructor(
    private readonly runner: RequestRunner,
    private readonly options: EmbeddingClientOptions,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues one document. Texts leave in the order they came; among conversations (images)
   * waiting, the one with the highest `priority` goes first, equal ones in order.
   */
  submit(input: EmbeddingInput, signal?: AbortSignal, priority = 0): Promise<EmbeddingOutcome> {
    return new Promise<EmbeddingOutcome>((resolve, reject) => {
      if (signal?.aborted) return reject(this.runner.cancelledError(signal.reason));
      const entry: Waiting = { input, chars: (input.text ?? '').length, since: this.clock.now(), priority, signal, resolve, reject, done: false };
      if (input.images?.length) insertByPriority(this.conversations, entry);
      else {
        this.texts.push(entry);
        this.textChars += entry.chars;
      }
      if (signal) this.listen(signal, entry);
      this.pump();
    });
  }

  /**
   * Says more texts are on their way (a file is being read): a partial batch waits for them,
   * up to `maxWaitMs`, instead of spending a token on a few. Call the returned function when
   * that producer is done.
   */
  expectTexts(): () => void {
    this.textHolds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.textHolds--;
      this.pump();
    };
  }

  /** Inputs waiting for a request, by kind. */
  get waiting(): { texts: number; conversations: number } {
    return { texts: this.texts.length, conversations: this.conversations.length };
  }

  close(): void {
    this.lifetime.abort();
  }

  /** Lines up as many requests as there is work ready to fill them, up to the concurrency. */
  private pump(): void {
    while (this.claims < this.options.pacing.concurrency && this.claims < this.readyRequests()) {
      this.claims++;
      void this.claim();
    }
    this.armTextTimer();
  }

  private readyRequests(): number {
    const texts = this.texts.length === 0 ? 0 : this.textBatchReady() ? Math.ceil(this.texts.length / this.options.batch.maxTexts) : 0;
    return texts + this.conversations.length;
  }

  /** A full batch, or a partial one that may not wait any longer. */
  private textBatchReady(): boolean {
    if (this.texts.length === 0) return false;
    if (this.textHolds === 0) return true;
    if (this.texts.length >= this.options.batch.maxTexts || this.textChars >= this.options.batch.maxChars) return true;
    return this.clock.now() - this.texts[0]!.since >= this.options.batch.maxWaitMs;
  }

  private armTextTimer(): void {
    if (this.texts.length === 0 || this.textHolds === 0 || this.lifetime.signal.aborted) return;
    const due = this.texts[0]!.since + this.options.batch.maxWaitMs;
    if (due >= this.wakeAt) return;
    this.wakeAt = due;
    this.clock.sleep(Math.max(0, due - this.clock.now()), this.lifetime.signal).then(
      () => {
        if (this.wakeAt === due) this.wakeAt = Infinity;
        this.pump();
      },
      () => undefined,
    );
  }

  private async claim(): Promise<void> {
    let batch: Waiting[] | undefined;
    let formed = false;
    try {
      const vectors = await this.runner.embedFormedOnGrant(() => {
        formed = true;
        this.claims--;
        batch = this.pick();
        // Whatever is still waiting may need another request now that this one is taken.
        queueMicrotask(() => this.pump());
        return batch && this.requestFor(batch);
      }, this.lifetime.signal);
      if (batch && vectors) batch.forEach((entry, i) => this.settle(entry, vectors[i]!));
    } catch (error) {
      if (!formed) {
        this.claims--;
        return;
      }
      if (batch) await this.failed(batch, error);
    }
  }

  /** What the request whose turn it is carries: a text batch or one conversation, or nothing. */
  private pick(): Waiting[] | undefined {
    const imageWaiting = this.conversations.length > 0;
    if (this.textBatchReady() && (!imageWaiting || this.textStreak < TEXT_BATCHES_PER_IMAGE)) {
      if (imageWaiting) this.textStreak++;
      const size = leadingBatchSize(
        this.texts.slice(0, this.options.batch.maxTexts).map((t) => t.chars),
        this.options.batch,
      );
      const batch = this.texts.splice(0, size);
      for (const entry of batch) this.textChars -= entry.chars;
      return batch;
    }
    if (!imageWaiting) return undefined;
    this.textStreak = 0;
    return this.conversations.splice(0, 1);
  }

  private requestFor(batch: Waiting[]): FormedRequest {
    const { model, shape } = this.options;
    const signal = signalOfAll(batch.map((entry) => entry.signal));
    const [first] = batch;
    if (first!.input.images?.length) {
      return { buildBody: (encoding) => conversationBody(model, first!.input, shape, encoding), count: 1, signal };
    }
    const inputs = batch.map((entry) => entry.input);
    this.runner.usage.textBatches++;
    this.runner.usage.textsBatched += inputs.length;
    return { buildBody: (encoding) => textBatchBody(model, inputs, shape, encoding), count: inputs.length, signal };
  }

  /** A rejected batch is halved until the bad inputs are isolated, so good ones still land. */
  private async failed(batch: Waiting[], error: unknown): Promise<void> {
    if (!(error instanceof EmbeddingError && error.kind === 'bad-input') || batch.length === 1) {
      if (error instanceof EmbeddingError && error.kind === 'bad-input') this.settle(batch[0]!, error);
      else for (const entry of batch) this.fail(entry, error);
      return;
    }
    const half = Math.ceil(batch.length / 2);
    for (const part of [batch.slice(0, half), batch.slice(half)]) {
      const live = part.filter((entry) => !entry.done);
      if (live.length === 0) continue;
      const request = this.requestFor(live);
      try {
        const vectors = await this.runner.embed(request.buildBody, request.count, request.signal);
        live.forEach((entry, i) => this.settle(entry, vectors[i]!));
      } catch (partError) {
        await this.failed(live, partError);
      }
    }
  }

  private settle(entry: Waiting, outcome: EmbeddingOutcome): void {
    if (entry.done) return;
    entry.done = true;
    this.unlisten(entry);
    entry.resolve(outcome);
  }

  private fail(entry: Waiting, error: unknown): void {
    if (entry.done) return;
    entry.done = true;
    this.unlisten(entry);
    entry.reject(error);
  }

  /** One abort listener per signal, however many inputs share it (a whole indexing run does). */
  private listen(signal: AbortSignal, entry: Waiting): void {
    let entries = this.listening.get(signal);
    if (!entries) {
      entries = new Set();
      this.listening.set(signal, entries);
      signal.addEventListener('abort', () => this.aborted(signal), { once: true });
    }
    entries.add(entry);
  }

  private unlisten(entry: Waiting): void {
    if (entry.signal) this.listening.get(entry.signal)?.delete(entry);
  }

  private aborted(signal: AbortSignal): void {
    const entries = this.listening.get(signal);
    this.listening.delete(signal);
    if (!entries) return;
    const error = this.runner.cancelledError(signal.reason);
    for (const queue of [this.texts, this.conversations]) {
      for (let i = queue.length - 1; i >= 0; i--) {
        if (!entries.has(queue[i]!)) continue;
        if (queue === this.texts) this.textChars -= queue[i]!.chars;
        queue.splice(i, 1);
      }
    }
    for (const entry of entries) {
      entry.done = true;
      entry.reject(error);
    }
  }
}

/** Inserts after every entry of the same or a higher priority (a binary search, then one splice). */
function insertByPriority(queue: Waiting[], entry: Waiting): void {
  let low = 0;
  let high = queue.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (queue[middle]!.priority >= entry.priority) low = middle + 1;
    else high = middle;
  }
  queue.splice(low, 0, entry);
}

/** Aborts when every one of the signals has (an input nobody waits for is not worth sending). */
function signalOfAll(signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal | undefined {
  const distinct = new Set(signals);
  if (distinct.has(undefined)) return undefined;
  if (distinct.size === 1) return signals[0];
  const controller = new AbortController();
  let pending = distinct.size;
  for (const signal of distinct as Set<AbortSignal>) {
    if (signal.aborted) pending--;
    else signal.addEventListener('abort', () => --pending === 0 && controller.abort(signal.reason), { once: true, signal: controller.signal });
  }
  if (pending === 0) controller.abort();
  return controller.signal;
}
