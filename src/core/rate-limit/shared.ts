/**
 * The seam between the core's limiter registry and a limit kept outside the process. The core only
 * knows this shape; a store (Redis: `tributary/redis`) is imported by the application that uses one, so
 * an application that keeps its limit per process never carries that code or its dependencies.
 */
import type { Clock } from '../clock.js';
import type { LimiterSettings, RequestLimiter } from '../rate-limit.js';

/**
 * Where a shared limit keeps its builder. `Symbol.for`, so that a limit made by one copy of the package
 * (an ES module and a CommonJS build side by side) is understood by another.
 */
export const BUILD_SHARED_LIMITER: unique symbol = Symbol.for('tributary.rateLimit.buildShared');

/**
 * How long a limiter key is kept once nothing uses it (a credential rotated, a client dropped), in real
 * milliseconds: in the process, the registry then forgets its limiter and closes it (rate-limit.ts);
 * in Redis, the key's state expires (redis.ts). Long beside any pause between the requests of a live
 * client: a key used again afterwards gets a new limiter, which for Redis costs a connection.
 */
export const IDLE_LIMITER_MS = 15 * 60_000;

/**
 * Builds the limiter of one key (vendor, origin, credential) with the settings its first client gave.
 * `closing` aborts when `closeRateLimiters()` is called before the build is done (a store that cannot
 * be reached): the build then gives up, so that the close does not wait for it.
 */
export type SharedLimiterBuilder = (key: string, settings: LimiterSettings, clock: Clock, closing?: AbortSignal) => Promise<RequestLimiter>;

/**
 * A rate limit shared by every process that uses the same key, made by a store's factory, e.g.
 * `redisRateLimit()` of `tributary/redis`. Pass it as `rateLimit.shared`.
 */
export interface SharedRateLimit {
  /**
   * What this is, for the type checker: the builder below is left out of the published types (each
   * build names its own symbol), and this literal keeps a plain `{ store }` from passing for a limit.
   */
  readonly kind: 'tributary.sharedRateLimit';
  /** What keeps the shared state, for messages and logs. */
  readonly store: string;
  /**
   * @internal Left out of the published types: each build's declarations name their own symbol, so a
   * limit typed by the CommonJS build would not be the ES module build's. `isSharedRateLimit` checks it.
   */
  readonly [BUILD_SHARED_LIMITER]: SharedLimiterBuilder;
}

export function isSharedRateLimit(value: unknown): value is SharedRateLimit {
  return typeof value === 'object' && value !== null && typeof (value as Partial<SharedRateLimit>)[BUILD_SHARED_LIMITER] === 'function';
}
