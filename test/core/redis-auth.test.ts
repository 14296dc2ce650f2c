/**
 * A Redis-shared limiter whose server refuses its credentials (`requirepass`, an ACL user): the server
 * answers, so the request fails at once with what it said, not after `connectTimeout` as one that
 * does not answer; and the password is nowhere in the error, its cause included.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isNetworkError } from '../../src/core/errors.js';
import { hasRedisServer, perTestCleanups } from './helpers/redis-server.js';
import { sharedLimiterOutcome } from './helpers/redis-outcome.js';

const { cleanups, redisServer } = perTestCleanups();

const outcome = (clientOptions: Record<string, unknown>): Promise<unknown> => sharedLimiterOutcome(cleanups, clientOptions, 20_000);

function expectRefusal(error: unknown, said: RegExp, password?: string): void {
  expect(isNetworkError(error), String(error)).toBe(true);
  expect((error as Error).message).toMatch(/Redis server of the shared rate limit \(127\.0\.0\.1:\d+\)/);
  expect((error as Error).message).toMatch(said);
  if (password !== undefined) expect(inspect(error, { depth: 10 })).not.toContain(password);
}

describe.runIf(hasRedisServer())('a shared limiter whose Redis server refuses its credentials', () => {
  it('a wrong password fails the request at once with WRONGPASS, the password in neither message nor cause', async () => {
    const redis = await redisServer();
    const admin = redis.connect();
    await admin.config('SET', 'requirepass', 'right-secret');
    admin.disconnect();
    expectRefusal(await outcome({ host: '127.0.0.1', port: redis.port, password: 'wrong-secret-71' }), /WRONGPASS/, 'wrong-secret-71');
    expect(await outcome({ host: '127.0.0.1', port: redis.port, password: 'right-secret' })).toBe(200);
  }, 60_000);

  it('no password where one is required fails it at once with NOAUTH', async () => {
    const redis = await redisServer();
    const admin = redis.connect();
    await admin.config('SET', 'requirepass', 'right-secret');
    admin.disconnect();
    expectRefusal(await outcome({ host: '127.0.0.1', port: redis.port }), /NOAUTH/);
  }, 60_000);

  it('an ACL user with a wrong password too, and with the right one the request is sent', async () => {
    const redis = await redisServer();
    const admin = redis.connect();
    await admin.call('ACL', 'SETUSER', 'limits', 'on', '>user-secret', '~*', '&*', '+@all');
    admin.disconnect();
    expectRefusal(await outcome({ host: '127.0.0.1', port: redis.port, username: 'limits', password: 'not-user-secret' }), /WRONGPASS/, 'not-user-secret');
    expect(await outcome({ host: '127.0.0.1', port: redis.port, username: 'limits', password: 'user-secret' })).toBe(200);
  }, 60_000);
});
