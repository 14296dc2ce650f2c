/**
 * Time, injectable. Back-off, `Retry-After`, rate-limit windows and default query windows all ask the
 * clock, so a test can run a five-requests-a-minute limit in milliseconds with `scaledClock(0.001)`.
 */

/**
 * A clock of one's own must really wait: `sleep(ms)` lasts `ms * scale` milliseconds. The rate limiter
 * asks neither `now` nor `sleep`: it spaces requests on a monotonic timer (a wall-clock step must not
 * open or close its window), each of its waits `scale` times as long.
 * @example scaledClock(0.001, () => Date.parse('2026-11-23T10:00:00Z')) // a fixed now, waits a thousand times shorter
 */
export interface Clock {
  /** Milliseconds since the epoch, as the vendor sees them (used for query windows). */
  now(): number;
  /**
   * Multiplies every wait: `1` in production, `0.001` makes a minute last 60 ms. Durations the SDK
   * reports (hooks, errors) are in scaled milliseconds, as they really passed.
   */
  readonly scale: number;
  /** Waits `ms` unscaled milliseconds (the clock scales them); rejects with the signal's reason on abort. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** setTimeout's limit: it takes a longer delay for 1 ms. A longer wait (a `watch` interval) is slept in parts. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const wait = (left: number): void => {
      timer = setTimeout(() => {
        if (left > MAX_TIMER_MS) return wait(left - MAX_TIMER_MS);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.min(Math.max(0, left), MAX_TIMER_MS));
    };
    wait(ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wall-clock time, unscaled. */
export const systemClock: Clock = {
  now: () => Date.now(),
  scale: 1,
  sleep: sleepReal,
};

/**
 * A clock whose waits last `scale` times as long; `now()` still reads the wall clock so query windows
 * stay real.
 * @example scaledClock(0.001) // a 60 s Retry-After waits 60 ms
 */
export function scaledClock(scale: number, now: () => number = Date.now): Clock {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError('scale must be a positive finite number');
  return { now, scale, sleep: (ms, signal) => sleepReal(ms * scale, signal) };
}
