/**
 * `redisRateLimit`'s `connectTimeout` left out (README "Retries and rate limits"): a Redis server that
 * does not answer fails the request waiting for it after 10 s, whatever ioredis's own
 * `clientOptions.connectTimeout` says. Waited out on fake time: nothing listens on port 1.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isNetworkError } from '../../src/core/errors.js';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import { redisRateLimit } from '../../src/redis/index.js';
import { client } from './helpers/server.js';

const get = { operation: 'events.list', method: 'GET' as const, path: '/x' };

beforeAll(async () => {
  // Loaded before time is faked, so that the limiter reaches its deadline's timer at once.
  await Promise.all([import('ioredis'), import('bottleneck')]);
});

afterEach(async () => {
  vi.useRealTimers();
  await closeRateLimiters();
});

const yieldToIo = async (turns: number) => {
  for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

/** Until the limiter has set its first timer: its deadline, set with the Redis client it makes. */
const untilTimerSet = async () => {
  for (let i = 0; i < 10_000 && vi.getTimerCount() === 0; i += 1) await yieldToIo(1);
};

describe('a shared limiter whose Redis server does not answer, connectTimeout left out', () => {
  it.each<[string, Record<string, unknown>]>([
    ['no client options of its own', {}],
    ["ioredis's own connectTimeout of 100 ms", { connectTimeout: 100 }],
  ])('fails the request after 10 s, with %s', async (_name, clientOptions) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let sent = 0;
    const fetch: typeof globalThis.fetch = async () => {
      sent += 1;
      return new Response('{}');
    };
    const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port: 1, ...clientOptions } });
    let settled = false;
    const outcome = client('https://a.example', { fetch, rateLimit: { shared } })
      .http.request(get)
      .catch((error: unknown) => error)
      .finally(() => (settled = true));
    await untilTimerSet();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await yieldToIo(5);
    expect(settled).toBe(true);
    const error = await outcome;
    expect(isNetworkError(error)).toBe(true);
    expect((error as Error).message).toMatch(/Redis server .*127\.0\.0\.1:1.* within 10000 ms/);
    expect(sent).toBe(0);
  });
});
