/**
 * `tributary/redis`: a rate limit shared by every process that uses the same key, kept in Redis
 * (bottleneck's Redis datastore plus the core's send gate, src/core/rate-limit/redis.ts). A subpath of
 * its own, so that only an application that shares its limit carries this code.
 *
 * @example
 * import { illumio } from 'tributary/illumio';
 * import { closeRateLimiters, redisRateLimit } from 'tributary/redis';
 *
 * const pce = illumio({ ...options, rateLimit: { shared: redisRateLimit({ clientOptions: { host: 'redis.internal' } }) } });
 * // ... and when the program is done, so that the Redis connection lets it exit:
 * await closeRateLimiters();
 */
import { checkMembers, describe, invalidOption, isPlainObject, type Rules } from '../core/config.js';
import { buildRedisLimiter, type RedisRateLimitOptions } from '../core/rate-limit/redis.js';
import { BUILD_SHARED_LIMITER, type SharedRateLimit } from '../core/rate-limit/shared.js';

export { closeRateLimiters } from '../core/rate-limit.js';
export type { RedisRateLimitOptions } from '../core/rate-limit/redis.js';
export type { SharedRateLimit } from '../core/rate-limit/shared.js';

const REDIS_OPTIONS: Rules = {
  clientOptions: [isPlainObject, 'a plain object'],
  datastore: [(value) => value === 'ioredis' || value === 'redis', '"ioredis" or "redis"'],
  connectTimeout: [(value) => typeof value === 'number' && value > 0 && value <= 2_147_483_647, 'a number of milliseconds from 1 to 2147483647'],
  // Renewed every third of it, and looked for every half: a shorter lease would mostly be round trips.
  slotLease: [(value) => typeof value === 'number' && value >= 1_000 && value <= 2_147_483_647, 'a number of milliseconds from 1000 to 2147483647'],
};

/**
 * A limit shared through Redis, for `rateLimit.shared`. Nothing connects here: the connection is made
 * by the first request of each limiter key, and ended by `closeRateLimiters()`, which rejects the
 * requests still waiting for their turn with a `TributaryError`. `ioredis` (or `redis`, with
 * `datastore: 'redis'`) must be installed.
 * @throws ConfigurationError for a bad option, before any connection.
 */
export function redisRateLimit(options: RedisRateLimitOptions = {}): SharedRateLimit {
  if (!isPlainObject(options)) invalidOption('redisRateLimit', `expected an object, got ${describe(options)}`);
  checkMembers(options, 'redisRateLimit.', REDIS_OPTIONS, true);
  // A copy: a caller that changes its object later does not change limiters built from it.
  const settings: RedisRateLimitOptions = { ...options };
  // ioredis takes no `url` among its options (node-redis 3 does): it would connect to 127.0.0.1:6379,
  // perhaps a Redis of another service there, and a wrong server be named when none answers.
  if ((settings.datastore ?? 'ioredis') === 'ioredis' && settings.clientOptions?.['url'] !== undefined) {
    invalidOption('redisRateLimit.clientOptions.url', 'ioredis takes no connection string: give host, port, username, password, db (and tls) instead');
  }
  return {
    kind: 'tributary.sharedRateLimit',
    store: 'redis',
    [BUILD_SHARED_LIMITER]: (key, limiterSettings, clock, closing) => buildRedisLimiter(key, limiterSettings, settings, clock, closing),
  };
}
