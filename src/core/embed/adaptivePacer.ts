import { abortableSleep } from './abortableSleep';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: abortableSleep,
};

/**
 * A token bucket that paces request starts to the provider's contract and adapts when the
 * provider says otherwise. A 429 pauses every sender until its Retry-After (all requests share
 * one quota) and cuts the rate; the rate climbs back towards the configured one only after a
 * quiet spell, and stops short of the rate that last drew a 429, so a settled client stays
 * under the real limit instead of sawing across it.
 */
export class AdaptivePacer {
  private tokens: number;
  private rate: number;
  private lastRefill: number;
  private pausedUntil = 0;
  private lastCut = -Infinity;
  private lastRaise: number;
  private lastProbe = -Infinity;
  /** The rate at which a 429 was last seen; recovery aims just below it. */
  private ceiling = Infinity;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly configuredRate: number,
    private readonly burst: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(configuredRate > 0) || !(burst >= 1)) {
      throw new RangeError('request rate must be > 0 and burst >= 1');
    }
    this.rate = configuredRate;
    this.tokens = burst;
    this.lastRefill = clock.now();
    this.lastRaise = this.lastRefill;
  }

  get currentRate(): number {
    return this.rate;
  }

  /** Resolves when one request may start. Callers are served in order. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken(signal));
    // A cancelled waiter must not stall the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** The server rate-limited us. */
  onRateLimited(retryAfterMs: number | undefined): void {
    const now = this.clock.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? 1000));
    this.tokens = 0;
    // Many in-flight requests fail together after one overload: cut once per second.
    if (now - this.lastCut < 1000) return;
    this.lastCut = now;
    this.ceiling = this.rate;
    this.rate = Math.max(this.rate * 0.6, 0.05);
    this.lastRaise = now;
  }

  /** A request went through: after 10 s without a 429, creep back up. */
  onSuccess(): void {
    const now = this.clock.now();
    if (this.rate >= this.configuredRate || now - this.lastCut < 10_000) return;
    if (now - this.lastRaise < 1000) return;
    this.lastRaise = now;
    const target = Math.min(this.configuredRate, this.ceiling * 0.95);
    if (this.rate < target) {
      this.rate = Math.min(target, this.rate + Math.max((target - this.rate) * 0.25, 0.02));
    } else if (now - this.lastCut > 60_000 && now - this.lastProbe > 30_000) {
      // A long calm spell: the limit may have been raised, so probe gently above it.
      this.lastProbe = now;
      this.ceiling *= 1.05;
    }
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      if (now < this.pausedUntil) {
        await this.clock.sleep(this.pausedUntil - now, signal);
        this.lastRefill = this.clock.now();
        continue;
      }
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) / 1000) * this.rate);
      this.lastRefill = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(((1 - this.tokens) / this.rate) * 1000, signal);
    }
  }
}
