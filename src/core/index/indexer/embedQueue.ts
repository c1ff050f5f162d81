import type { EmbeddingClient, EmbeddingOutcome } from '../../embed/embeddingClient';
import type { EmbeddingInput } from '../../common/embeddingInput';

/**
 * Funnels items from many files into the client: texts wait a moment so they travel in full
 * batches, images go at once (the client paces and bounds them). `submit` waits while too many
 * inputs are in flight, which is what keeps memory bounded when preparation runs ahead.
 */
export class EmbedQueue {
  private inFlight = 0;
  private readonly roomWaiters: Array<() => void> = [];
  private texts: Array<{ input: EmbeddingInput; settle: (outcome: EmbeddingOutcome) => void; fail: (error: unknown) => void }> = [];
  private lingerTimer: NodeJS.Timeout | undefined;
  private fatal: unknown;

  constructor(
    private readonly client: EmbeddingClient,
    private readonly signal: AbortSignal,
    private readonly maxInFlight = 32,
    private readonly lingerMs = 25,
  ) {}

  /** Resolves when another input may be prepared without exceeding the in-flight bound. */
  async waitForRoom(): Promise<void> {
    while (this.inFlight >= this.maxInFlight && this.fatal === undefined) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    if (this.fatal !== undefined) throw this.fatal;
  }

  async submit(input: EmbeddingInput): Promise<EmbeddingOutcome> {
    await this.waitForRoom();
    this.inFlight++;
    try {
      return await new Promise<EmbeddingOutcome>((settle, fail) => {
        if (input.images?.length) {
          this.send([{ input, settle, fail }]);
        } else {
          this.texts.push({ input, settle, fail });
          if (this.texts.length >= this.client.options.batch.maxTexts) this.flushTexts();
          else this.lingerTimer ??= setTimeout(() => this.flushTexts(), this.lingerMs);
        }
      });
    } finally {
      this.inFlight--;
      this.roomWaiters.shift()?.();
    }
  }

  private flushTexts(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const batch = this.texts;
    this.texts = [];
    if (batch.length) this.send(batch);
  }

  private send(batch: Array<{ input: EmbeddingInput; settle: (o: EmbeddingOutcome) => void; fail: (e: unknown) => void }>): void {
    if (this.fatal !== undefined) {
      for (const entry of batch) entry.fail(this.fatal);
      return;
    }
    this.client
      .embedDocuments(
        batch.map((entry) => entry.input),
        { signal: this.signal },
      )
      .then(
        (outcomes) => batch.forEach((entry, i) => entry.settle(outcomes[i]!)),
        (error) => {
          // A fatal error (bad key, endpoint down, cancelled) ends the run for every input.
          this.fatal ??= error;
          for (const entry of batch) entry.fail(error);
          for (const entry of this.texts.splice(0)) entry.fail(error);
          for (const wake of this.roomWaiters.splice(0)) wake();
        },
      );
  }
}
