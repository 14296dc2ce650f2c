/**
 * A server-side rate limit for emulators, keyed by credential, as the vendors enforce theirs
 * (Illumio 500/min per API key, Informatica 5/min; VENDORS.md). Time comes from the injected clock:
 * the window lasts `interval * clock.scale` real milliseconds, and `retryAfterSeconds` is in vendor
 * seconds, so a client on the same scaled clock waits exactly as long as the server asks.
 */
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { show } from '../core/config.js';
import { ConfigurationError } from '../core/errors.js';

export interface WindowLimiterOptions {
  /**
   * Requests allowed per key in one window.
   * @example 5
   */
  requests: number;
  /**
   * Window length in vendor milliseconds.
   * @example 60_000
   */
  interval: number;
  /**
   * The clock windows are measured on; pass the emulator's so both agree on how long a second lasts.
   * @default systemClock
   * @example { requests: 5, interval: 60_000, clock: scaledClock(0.001) }
   */
  clock?: Clock | undefined;
  /**
   * `'sliding'`: at most `requests` in any `interval` (the strictest reading of a published limit, so a
   * client that passes it passes any). `'fixed'`: windows start at a key's first request and reset
   * whole, like a counter that expires.
   * @default 'sliding'
   * @example { requests: 5, interval: 60_000, window: 'fixed' }
   */
  window?: 'sliding' | 'fixed' | undefined;
}

export type LimitCheck = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export interface WindowLimiter {
  /** Counts a request for `key` if it is allowed; otherwise says how long to wait (nothing is counted). */
  check(key: string): LimitCheck;
  /** Forgets every key. */
  reset(): void;
}

/**
 * @example
 * const limiter = createWindowLimiter({ requests: 5, interval: 60_000, clock });
 * const verdict = limiter.check(user);
 * if (!verdict.ok) throw new EmulatorHttpError(429, 'Too many requests', { 'Retry-After': String(verdict.retryAfterSeconds) });
 */
export function createWindowLimiter(options: WindowLimiterOptions): WindowLimiter {
  const { requests, interval } = options;
  if (!Number.isInteger(requests) || requests < 1) {
    throw new ConfigurationError(`requests must be an integer >= 1, got ${show(requests)}`, { option: 'requests' });
  }
  if (!(interval > 0) || !Number.isFinite(interval)) {
    throw new ConfigurationError(`interval must be a positive number of ms, got ${show(interval)}`, { option: 'interval' });
  }
  const clock = options.clock ?? systemClock;
  const windowMs = interval * clock.scale;
  const sliding = (options.window ?? 'sliding') === 'sliding';
  // Sliding: the times of the requests in the window. Fixed: the window's start and its count.
  const logs = new Map<string, number[]>();
  const counters = new Map<string, { start: number; count: number }>();

  const refuse = (until: number, now: number): LimitCheck => ({
    ok: false,
    // Vendor seconds, rounded up: a client that waits that long is inside the next window.
    retryAfterSeconds: Math.max(1, Math.ceil((until - now) / clock.scale / 1000)),
  });

  const checkSliding = (key: string, now: number): LimitCheck => {
    const log = (logs.get(key) ?? []).filter((time) => time > now - windowMs);
    logs.set(key, log);
    if (log.length >= requests) return refuse((log[0] as number) + windowMs, now);
    log.push(now);
    return { ok: true, remaining: requests - log.length };
  };

  const checkFixed = (key: string, now: number): LimitCheck => {
    let counter = counters.get(key);
    if (!counter || now >= counter.start + windowMs) {
      counter = { start: now, count: 0 };
      counters.set(key, counter);
    }
    if (counter.count >= requests) return refuse(counter.start + windowMs, now);
    counter.count += 1;
    return { ok: true, remaining: requests - counter.count };
  };

  return {
    check: (key) => (sliding ? checkSliding(key, clock.now()) : checkFixed(key, clock.now())),
    reset() {
      logs.clear();
      counters.clear();
    },
  };
}
