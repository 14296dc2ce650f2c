import Bottleneck from 'bottleneck';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { sharedLimiter, withoutTimerHops } from '../../src/core/rate-limit.js';

const require = createRequire(import.meta.url);

describe('bottleneck internals the limiter relies on', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is the exact bottleneck release whose internals rate-limit.ts patches', () => {
    expect((require('bottleneck/package.json') as { version: string }).version).toBe('2.19.5');
    expect(withoutTimerHops(new Bottleneck({ maxConcurrent: 2 }))).toBe(true);
  });

  it('starts a job that nothing holds without a timer hop, and still honours concurrency and order', async () => {
    const limiter = new Bottleneck({ maxConcurrent: 2 });
    withoutTimerHops(limiter);
    const order: number[] = [];
    let running = 0;
    let most = 0;
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.schedule(async () => {
          running += 1;
          most = Math.max(most, running);
          await Promise.resolve();
          order.push(i);
          running -= 1;
        }),
      ),
    );
    expect(timeouts).not.toHaveBeenCalled();
    expect(most).toBeLessThanOrEqual(2);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('still delivers events to listeners, and skips building those nobody listens to', async () => {
    const limiter = new Bottleneck({ maxConcurrent: 1 });
    withoutTimerHops(limiter);
    const done: string[] = [];
    limiter.on('done', (info: { options: { id: string } }) => void done.push(info.options.id));
    await limiter.schedule({ id: 'a' }, async () => 1);
    expect(done).toEqual(['a']);
    const debug: string[] = [];
    limiter.on('debug', (message: string) => void debug.push(message));
    await limiter.schedule({ id: 'b' }, async () => 1);
    expect(debug.some((message) => message.includes('Event triggered: executing'))).toBe(true);
  });

  it('keeps real waits (minTime) on timers', async () => {
    const limiter = new Bottleneck({ maxConcurrent: 1, minTime: 15 });
    withoutTimerHops(limiter);
    const starts: number[] = [];
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 3 }, () => limiter.schedule(async () => void starts.push(performance.now() - t0))));
    // bottleneck plans minTime from planned start times, so a gap can come out a little short of 15 ms;
    // without timers the three would start within a millisecond.
    expect(starts[2]! - starts[0]!).toBeGreaterThanOrEqual(20);
  });
});

describe('sliding window counted from when each answer came back', () => {
  it('does not send the (N+1)-th request until the interval has passed since the oldest answer', async () => {
    // 2 requests per 10 s of vendor time; at scale 0.01 the window lasts 100 ms.
    const clock = scaledClock(0.01);
    const limiter = await sharedLimiter(`internals-test-${Math.random()}`, {
      maxConcurrent: 4,
      minTime: 0,
      reservoir: { requests: 2, interval: 10_000 },
      redis: undefined,
    }, clock);
    const t0 = performance.now();
    let firstAnswered = 0;
    const starts: number[] = [];
    const slow = limiter.schedule(async () => {
      starts.push(performance.now() - t0);
      // The first request is slow: a vendor may count it as late as its answer.
      await new Promise((resolve) => setTimeout(resolve, 80));
      firstAnswered = performance.now() - t0;
    });
    const fast = limiter.schedule(async () => void starts.push(performance.now() - t0));
    const third = limiter.schedule(async () => void starts.push(performance.now() - t0));
    await Promise.all([slow, fast, third]);
    expect(starts).toHaveLength(3);
    // Lower bounds only: a loaded machine makes everything later, never earlier.
    expect(starts[2]!).toBeGreaterThanOrEqual(firstAnswered + 100 - 2);
  });
});
