import { ConcurrencyLimit } from './concurrencyLimit';

/**
 * Runs at most `limit` tasks at once. `submit` resolves once the task has *started*, which
 * makes the producer (the walk) wait instead of queueing the whole workspace in memory.
 * The first failure is kept and rethrown by `drain`; later submits are refused.
 */
export class WorkPool {
  private readonly slots: ConcurrencyLimit;
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(limit: number) {
    this.slots = new ConcurrencyLimit(limit);
  }

  async submit(task: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    await new Promise<void>((started) => {
      this.track(
        this.slots.run(() => {
          started();
          return task();
        }),
      );
    });
    this.throwIfFailed();
  }

  /** Adds work whose failure should stop the run (a checkpoint, for example). */
  track(work: Promise<unknown>): void {
    const settled: Promise<void> = work.then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    const entry = settled.finally(() => this.running.delete(entry));
    this.running.add(entry);
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.race(this.running);
    this.throwIfFailed();
  }
}
