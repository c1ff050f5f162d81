import { describe, expect, it } from 'vitest';
import { AdaptivePacer, type Clock } from '../../src/core/embed/adaptivePacer';

/** A clock that only moves when the pacer sleeps, so pacing is tested without real time. */
function virtualClock(): Clock & { elapsed: () => number } {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    elapsed: () => now,
  };
}

describe('AdaptivePacer', () => {
  it('lets a burst, less one token of headroom, through at once, then paces to the configured rate', async () => {
    const clock = virtualClock();
    const pacer = new AdaptivePacer(5, 10, clock);
    for (let i = 0; i < 9; i++) await pacer.acquire();
    expect(clock.elapsed()).toBe(0);
    for (let i = 0; i < 50; i++) await pacer.acquire();
    // 50 more requests at 5/s take 10 s.
    expect(clock.elapsed()).toBeCloseTo(10_000, -1);
  });

  it('keeps a burst of one whole', async () => {
    const clock = virtualClock();
    const pacer = new AdaptivePacer(5, 1, clock);
    await pacer.acquire();
    expect(clock.elapsed()).toBe(0);
  });

  it('aims just under what the server accepted between two 429s', async () => {
    const clock = virtualClock();
    const pacer = new AdaptivePacer(10, 1, clock);
    const refused = await pacer.acquire();
    pacer.onRateLimited(1000, refused);
    expect(pacer.currentRate).toBeCloseTo(6, 6); // nothing measured yet: the plain cut
    let last = refused;
    for (let i = 0; i < 6; i++) last = await pacer.acquire(); // 1 s pause, then 6/s
    expect(last.at).toBeCloseTo(2000, 6);
    pacer.onRateLimited(1000, last);
    // 5 accepted between the two refusals, 2 s apart: the limit is below (5 + 1) / 2 = 3/s.
    expect(pacer.currentRate).toBeCloseTo(0.95 * 3, 6);
    for (let i = 0; i < 60; i++) {
      await clock.sleep(1000);
      pacer.onSuccess();
    }
    expect(pacer.currentRate).toBeLessThanOrEqual(0.95 * 3 + 1e-9);
  });

  it('measures nothing when the count cannot be trusted', async () => {
    const cutAfter = async (between: (pacer: AdaptivePacer, clock: ReturnType<typeof virtualClock>) => Promise<void>, retryAfterMs = 1000) => {
      const clock = virtualClock();
      const pacer = new AdaptivePacer(10, 1, clock);
      pacer.onRateLimited(retryAfterMs, await pacer.acquire());
      await between(pacer, clock);
      const before = pacer.currentRate;
      pacer.onRateLimited(1000, await pacer.acquire());
      return pacer.currentRate / before;
    };
    const saturated = async (pacer: AdaptivePacer) => {
      for (let i = 0; i < 5; i++) await pacer.acquire();
    };
    expect(await cutAfter(saturated)).toBeCloseTo((0.95 * 3) / 6, 6); // the control: measured
    // A token sat waiting for a request: we sent slower than our rate, the bucket may have filled.
    expect(
      await cutAfter(async (pacer, clock) => {
        await saturated(pacer);
        await clock.sleep(5000);
      }),
    ).toBeCloseTo(0.6, 6);
    // A long Retry-After: the provider's bucket may have overflowed while we waited.
    expect(await cutAfter(saturated, 5000)).toBeCloseTo(0.6, 6);
  });

  it('ignores the late 429 of a request that started before the last refused one', async () => {
    const clock = virtualClock();
    const pacer = new AdaptivePacer(10, 1, clock);
    const first = await pacer.acquire();
    const second = await pacer.acquire();
    pacer.onRateLimited(1000, second);
    await clock.sleep(1000);
    const before = pacer.currentRate;
    pacer.onRateLimited(1000, first);
    expect(pacer.currentRate).toBeCloseTo(before * 0.6, 6);
  });

  it('holds everyone back for Retry-After and cuts the rate after a 429', async () => {
    const clock = virtualClock();
    const pacer = new AdaptivePacer(20, 1, clock);
    await pacer.acquire();
    pacer.onRateLimited(3000);
    expect(pacer.currentRate).toBeLessThan(20);
    await pacer.acquire();
    expect(clock.elapsed()).toBeGreaterThanOrEqual(3000);
  });

  it('cuts once per burst of 429s, not once per failed request', () => {
    const pacer = new AdaptivePacer(20, 10, virtualClock());
    pacer.onRateLimited(undefined);
    const afterOne = pacer.currentRate;
    pacer.onRateLimited(undefined);
    pacer.onRateLimited(undefined);
    expect(pacer.currentRate).toBe(afterOne);
  });

  it('recovers towards, but stays under, the rate that drew the 429', async () => {
    const clock = virtualClock();
    const pacer = new AdaptivePacer(10, 1, clock);
    pacer.onRateLimited(0); // at 10/s
    const cut = pacer.currentRate;
    // Nothing changes during the calm-down period.
    await clock.sleep(5000);
    pacer.onSuccess();
    expect(pacer.currentRate).toBe(cut);
    for (let i = 0; i < 55; i++) {
      await clock.sleep(1000);
      pacer.onSuccess();
    }
    expect(pacer.currentRate).toBeGreaterThan(cut);
    expect(pacer.currentRate).toBeLessThanOrEqual(9.5 + 1e-9);
  });

  it('serves waiters in order and a cancelled waiter does not block the queue', async () => {
    const clock = virtualClock();
    const pacer = new AdaptivePacer(1, 1, clock);
    await pacer.acquire();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(pacer.acquire(controller.signal)).rejects.toThrow('stop');
    await pacer.acquire();
    expect(clock.elapsed()).toBeCloseTo(1000, -1);
  });

  it('rejects nonsense settings', () => {
    expect(() => new AdaptivePacer(0, 10)).toThrow(RangeError);
    expect(() => new AdaptivePacer(5, 0)).toThrow(RangeError);
  });
});

describe('AdaptivePacer after a long calm spell', () => {
  it('trims the rate by the burst spread over the calm spell instead of cutting it hard', async () => {
    let now = 0;
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
    const pacer = new AdaptivePacer(10, 11, clock);
    pacer.onRateLimited(0); // first 429: unmeasured, a hard cut to 6/s
    expect(pacer.currentRate).toBeCloseTo(6, 5);
    now += 40_000;
    pacer.onRateLimited(0); // 40 s later: over by about 10 tokens / 40 s
    expect(pacer.currentRate).toBeCloseTo(6 - 10 / 40, 5);
  });
});
