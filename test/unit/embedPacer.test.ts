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
  it('lets a burst through at once, then paces to the configured rate', async () => {
    const clock = virtualClock();
    const pacer = new AdaptivePacer(5, 10, clock);
    for (let i = 0; i < 10; i++) await pacer.acquire();
    expect(clock.elapsed()).toBe(0);
    for (let i = 0; i < 50; i++) await pacer.acquire();
    // 50 more requests at 5/s take 10 s.
    expect(clock.elapsed()).toBeCloseTo(10_000, -1);
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
