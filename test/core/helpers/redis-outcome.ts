import { closeRateLimiters } from '../../../src/core/rate-limit.js';
import { redisRateLimit } from '../../../src/redis/index.js';
import { client, json, startServer } from './server.js';

/**
 * The outcome of one request through a limiter shared over `clientOptions`: the status, the error, or
 * 'pending' while it still waits after `waitMs`, far below its `connectTimeout` (a server that failed
 * the connection at once must not be waited out, unless `connectTimeout` is lowered). Its vendor server and limiters go to `cleanups`.
 */
export async function sharedLimiterOutcome(
  cleanups: Array<() => unknown>,
  clientOptions: Record<string, unknown>,
  waitMs: number,
  connectTimeout = 120_000,
): Promise<unknown> {
  const vendor = await startServer((_req, res) => json(res, 200, { ok: true }));
  cleanups.push(() => vendor.close(), () => closeRateLimiters());
  const shared = redisRateLimit({ clientOptions, connectTimeout });
  const request = client(vendor.url, { rateLimit: { shared } }).http.request({ operation: 'op', method: 'GET', path: '/x' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    request.then((response) => response.status, (error: unknown) => error),
    new Promise((resolve) => (timer = setTimeout(() => resolve('pending'), waitMs))),
  ]).finally(() => clearTimeout(timer));
}
