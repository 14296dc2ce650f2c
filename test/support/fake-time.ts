/**
 * Fake time for the retry and rate-limit properties: timers, `Date` and `performance` from `start`, and
 * no limiter left behind (a limiter built on fake timers would outlive them with real ones).
 */
import { vi } from 'vitest';
import { closeRateLimiters } from '../../src/core/rate-limit.js';

/** Runs `body` with fake timers, `Date` and `performance` from `start`, and no limiter left after it. */
export async function withFakeTime<T>(start: number, body: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'], now: start });
  try {
    return await body();
  } finally {
    vi.useRealTimers();
    await closeRateLimiters();
  }
}
