import type { EmbeddingClient, EmbeddingOutcome } from '../../embed/embeddingClient';
import type { EmbeddingInput } from '../../common/embeddingInput';

/**
 * Funnels items from many files into the client, which forms each request when it may leave.
 * `waitForRoom` holds preparation back while the prepared inputs waiting for the API take more
 * than `maxBytesWaiting`: that, not a count of inputs, is what bounds memory when preparation
 * runs ahead (a text section is a few KB, a screenshot ready to send a few hundred).
 */
export class EmbedQueue {
  private bytesWaiting = 0;
  private readonly roomWaiters: Array<() => void> = [];
  /** The error that ended the run, boxed: anything can be thrown, even undefined. */
  private fatal: { error: unknown } | undefined;
  /** Aborted on the first fatal error, so nothing else of this run is sent after it. */
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;

  constructor(
    private readonly client: EmbeddingClient,
    runSignal: AbortSignal,
    private readonly maxBytesWaiting = 16 * 1024 * 1024,
  ) {
    this.signal = AbortSignal.any([runSignal, this.stop.signal]);
  }

  /** Resolves when another input may be prepared without exceeding the memory bound. */
  async waitForRoom(): Promise<void> {
    while (this.bytesWaiting >= this.maxBytesWaiting && !this.fatal) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    if (this.fatal) throw this.fatal.error;
  }

  /** Texts submitted and not yet in a request. */
  get textsWaiting(): number {
    return this.client.waiting.texts;
  }

  /** A producer of texts is at work: partial text batches wait for it (see `expectTexts`). */
  expectTexts(): () => void {
    return this.client.expectTexts();
  }

  /** `priority` orders images waiting for the API: the indexer passes modification times, newest first. */
  async submit(input: EmbeddingInput, priority?: number): Promise<EmbeddingOutcome> {
    if (this.fatal) throw this.fatal.error;
    const bytes = inputBytes(input);
    this.bytesWaiting += bytes;
    try {
      return await this.client.submitDocument(input, this.signal, priority);
    } catch (error) {
      // A fatal error (bad key, endpoint down, cancelled) ends the run for every input.
      if (!this.fatal) {
        this.fatal = { error };
        this.stop.abort(error);
      }
      throw this.fatal.error;
    } finally {
      this.bytesWaiting -= bytes;
      if (this.fatal) for (const wake of this.roomWaiters.splice(0)) wake();
      else while (this.bytesWaiting < this.maxBytesWaiting && this.roomWaiters.length) this.roomWaiters.shift()!();
    }
  }
}

/** What an input holds in memory until its vector is back: image bytes, and text (UTF-16). */
export function inputBytes(input: EmbeddingInput): number {
  let bytes = 2 * ((input.text?.length ?? 0) + (input.instruction?.length ?? 0));
  for (const image of input.images ?? []) bytes += image.bytes.byteLength;
  return bytes;
}
