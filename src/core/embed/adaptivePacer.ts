import { abortableSleep } from '../common/abortableSleep';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Which request the pacer let start, and when; handed back with its 429 so the pacer can measure. */
export interface PacerTicket {
  readonly seq: number;
  readonly at: number;
}

/** Since the latest 429'd request started: the evidence for measuring the provider's rate. */
interface Gap {
  readonly from: PacerTicket;
  readonly pauseMs: number;
  /** Every start waited for its token and the rate held: the provider's bucket stayed drained. */
  steady: boolean;
}

/** A longer Retry-After pause may let the provider's bucket overflow, so the count says less. */
const MAX_MEASURED_PAUSE_MS = 2000;

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: abortableSleep,
};

/**
 * A token bucket that paces request starts to the provider's contract and adapts when the
 * provider says otherwise. A 429 pauses every sender until its Retry-After (all requests share
 * one quota) and cuts the rate; the rate climbs back towards the configured one only after a
 * quiet spell, and stops short of the rate that last drew a 429 (or, better, of the rate the
 * provider was seen to accept), so a settled client stays under the real limit instead of
 * sawing across it.
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
  /** The bucket stops one token short of the burst: see the constructor. */
  private readonly capacity: number;
  private granted = 0;
  private gap: Gap | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly configuredRate: number,
    burst: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(configuredRate > 0) || !(burst >= 1)) {
      throw new RangeError('request rate must be > 0 and burst >= 1');
    }
    // The provider's bucket starts counting when our first request arrives, which is later than
    // when we took its token (connection set-up, a cold first request). Were both buckets the
    // same size, a later request that travels faster would arrive just before the provider's
    // token does and draw a 429; one token in reserve absorbs up to 1/rate of such jitter.
    this.capacity = burst >= 2 ? burst - 1 : burst;
    this.rate = configuredRate;
    this.tokens = this.capacity;
    this.lastRefill = clock.now();
    this.lastRaise = this.lastRefill;
  }

  get currentRate(): number {
    return this.rate;
  }

  /** Resolves when one request may start. Callers are served in order. */
  acquire(signal?: AbortSignal): Promise<PacerTicket> {
    const turn = this.queue.then(() => this.waitForToken(signal));
    // A cancelled waiter must not stall the ones behind it.
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /**
   * Gives back the token of a request that was not sent after all (it had nothing to carry by
   * the time its turn came), so the next one does not pay for it.
   */
  release(): void {
    this.tokens = Math.min(this.capacity, this.tokens + 1);
  }

  /** The server rate-limited us; `ticket` is the refused request's, from `acquire`. */
  onRateLimited(retryAfterMs: number | undefined, ticket?: PacerTicket): void {
    const now = this.clock.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? 1000));
    this.tokens = 0;
    const measured = this.measuredLimit(ticket, retryAfterMs ?? 1000);
    // Many in-flight requests fail together after one overload: cut once per second.
    if (now - this.lastCut < 1000) return;
    const sinceLastCut = (now - this.lastCut) / 1000;
    this.lastCut = now;
    this.ceiling = Math.min(this.rate, measured);
    let next = this.rate * 0.6;
    if (measured < Infinity) next = this.ceiling * 0.95;
    else if (Number.isFinite(sinceLastCut) && sinceLastCut > 10) {
      // A 429 long after the last one: we were only slightly over, by about the provider's
      // burst (guessed as ours) spread over the calm spell. Trim that instead of cutting 40%.
      next = Math.max(next, this.rate - this.capacity / sinceLastCut);
    }
    this.rate = Math.max(next, 0.05);
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
      if (this.gap) this.gap.steady = false; // we sent slower before: the bucket may have filled
      this.rate = Math.min(target, this.rate + Math.max((target - this.rate) * 0.25, 0.02));
    } else if (now - this.lastCut > 60_000 && now - this.lastProbe > 30_000) {
      // A long calm spell: the limit may have been raised, so probe gently above it.
      this.lastProbe = now;
      this.ceiling *= 1.05;
    }
  }

  /**
   * The provider's bucket is empty at each 429, so the requests that started between two 429'd
   * ones were paid for by what it refilled in between: its rate is below (accepted + 1) / gap.
   * That bound comes within a request of the limit, where the rate we were sending at can sit
   * far above it for many seconds while a burst drains. Counted by start, not by answer, so
   * latency cannot skew it; and only while we kept the provider's bucket drained, since
   * tokens it had to throw away (bucket full) would make the count say less than the rate.
   */
  private measuredLimit(ticket: PacerTicket | undefined, pauseMs: number): number {
    if (!ticket) return Infinity;
    const gap = this.gap;
    if (gap && ticket.seq <= gap.from.seq) return Infinity; // an older request's late answer
    this.gap = { from: ticket, pauseMs, steady: true };
    if (!gap?.steady || gap.pauseMs > MAX_MEASURED_PAUSE_MS) return Infinity;
    const seconds = (ticket.at - gap.from.at) / 1000;
    return seconds > 0 ? (ticket.seq - gap.from.seq) / seconds : Infinity;
  }

  private async waitForToken(signal?: AbortSignal): Promise<PacerTicket> {
    let waited = false;
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      if (now < this.pausedUntil) {
        await this.clock.sleep(this.pausedUntil - now, signal);
        this.lastRefill = this.clock.now();
        waited = true;
        continue;
      }
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.lastRefill) / 1000) * this.rate);
      this.lastRefill = now;
      // A hair's tolerance: refills are floating point, and a sleep too short to move the clock
      // (a virtual one in tests) would otherwise spin here for ever.
      if (this.tokens >= 1 - 1e-9) {
        this.tokens -= 1;
        // A token was waiting for us: we sent slower than our rate, so the count proves less.
        if (!waited && this.gap) this.gap.steady = false;
        return { seq: ++this.granted, at: now };
      }
      await this.clock.sleep(((1 - this.tokens) / this.rate) * 1000, signal);
      waited = true;
    }
  }
}
