/**
 * Runs at most `limit` tasks at once. `submit` resolves once the task has *started*, which
 * makes the producer (the walk) wait instead of queueing the whole workspace in memory.
 * The first failure is kept and rethrown by `drain`; later submits are refused.
 */
export class WorkPool {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  async submit(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    if (this.failure) throw this.failure.error;
    this.track(task());
  }

  /** Adds work whose failure should stop the run (a checkpoint, for example). */
  track(work: Promise<unknown>): void {
    const settled: Promise<void> = work.then(
      () => undefined,
      (error) => {
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
    if (this.failure) throw this.failure.error;
  }
}
