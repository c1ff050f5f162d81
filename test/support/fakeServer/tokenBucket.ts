/**
 * The server's own rate limiter, shaped like the IONOS contract (a steady rate plus bursts).
 * The clock is injectable so its arithmetic can be tested without waiting.
 */

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export class TokenBucket {
  private tokens: number;
  private lastRefill: number;

  constructor(
    private readonly requestsPerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(requestsPerSecond > 0)) throw new Error(`requestsPerSecond must be positive, got ${requestsPerSecond}`);
    if (!(burst >= 1)) throw new Error(`burst must be at least 1, got ${burst}`);
    this.tokens = burst;
    this.lastRefill = now();
  }

  take(): RateDecision {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) / 1000) * this.requestsPerSecond);
    this.lastRefill = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true };
    }
    // Whole seconds, as Retry-After carries; never 0, which would invite an immediate retry.
    const wait = (1 - this.tokens) / this.requestsPerSecond;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
  }
}
