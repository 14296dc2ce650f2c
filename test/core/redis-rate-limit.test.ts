import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import { isConfigurationError, isNetworkError, isTributaryError } from '../../src/core/errors.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { redisRateLimit, type RedisRateLimitOptions } from '../../src/redis/index.js';
import { configurationOption } from '../support/options.js';
import { lasting, reported } from './helpers/exit-holds.js';
import { client, startServer, json } from './helpers/server.js';
import { silentRedis } from './helpers/silent-redis.js';

const unreachableExit = fileURLToPath(new URL('./helpers/redis-unreachable-exit.ts', import.meta.url));
const pceOptions = { baseUrl: 'http://127.0.0.1:9', orgId: 1, apiKey: 'api_1', apiSecret: 'secret-value' };

/**
 * Far beyond a loaded machine's stall of a second or two, far short of the minute the limiter would
 * go on trying to connect for (`connectTimeout: 60_000`) were it waited for.
 */
const AT_ONCE_MS = 10_000;
const PENDING = 'still pending';

/** `promise`'s value, or PENDING if it has not settled within `ms`. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | typeof PENDING> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise<typeof PENDING>((resolve) => (timer = setTimeout(() => resolve(PENDING), ms)));
  try {
    return await Promise.race([promise, pending]);
  } finally {
    clearTimeout(timer);
  }
}

describe('redisRateLimit (tributary/redis)', () => {
  it.each<[string, unknown]>([
    ['redisRateLimit', 'redis://localhost'],
    ['redisRateLimit', null],
    ['redisRateLimit.url', { url: 'redis://localhost' }],
    ['redisRateLimit.clientOptions', { clientOptions: 'redis://localhost' }],
    ['redisRateLimit.clientOptions', { clientOptions: [] }],
    ['redisRateLimit.datastore', { datastore: 'memcached' }],
    ['redisRateLimit.connectTimeout', { connectTimeout: 0 }],
    ['redisRateLimit.connectTimeout', { connectTimeout: '5s' }],
    ['redisRateLimit.slotLease', { slotLease: 999 }],
    ['redisRateLimit.slotLease', { slotLease: '30s' }],
  ])('refuses a bad %s with a ConfigurationError naming it', (option, value) => {
    // A connection string may carry a password: it is never repeated.
    expect(configurationOption(() => redisRateLimit(value as RedisRateLimitOptions), 'redis://localhost')).toBe(option);
  });

  it('refuses a connection string in clientOptions for ioredis, which would ignore it and use 127.0.0.1:6379, its password not repeated', () => {
    const url = 'redis://:url-secret-5@redis.internal:6380/2';
    expect(configurationOption(() => redisRateLimit({ clientOptions: { url } }), 'url-secret-5')).toBe('redisRateLimit.clientOptions.url');
    expect(configurationOption(() => redisRateLimit({ clientOptions: { url }, datastore: 'ioredis' }), 'url-secret-5')).toBe('redisRateLimit.clientOptions.url');
    // node-redis 3 reads it.
    expect(() => redisRateLimit({ clientOptions: { url }, datastore: 'redis' })).not.toThrow();
  });

  it('makes a shared limit that every factory accepts, without connecting anywhere', () => {
    const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port: 1 }, datastore: 'ioredis' });
    expect(shared.store).toBe('redis');
    expect(() => illumio({ ...pceOptions, rateLimit: { shared } })).not.toThrow();
    expect(() => illumio({ ...pceOptions, rateLimit: { requests: 10, shared: redisRateLimit() } })).not.toThrow();
  });

  it('keeps the options it was given, not later changes to the caller\'s object', async () => {
    const options: RedisRateLimitOptions = { datastore: 'redis' };
    const shared = redisRateLimit(options);
    options.datastore = 'ioredis';
    // The `redis` package is not installed here, `ioredis` is: the error proves which one was used.
    const server = await startServer((_req, res) => json(res, 200, { ok: true }));
    try {
      const pce = illumio({ ...pceOptions, baseUrl: server.url, rateLimit: { shared } });
      const error = await pce.events.get('7689cc3c-b702-4191-af0e-b0f656588a4e').catch((caught: unknown) => caught);
      expect(isConfigurationError(error)).toBe(true);
      expect((error as Error).message).toMatch(/npm install redis@3\)/);
      expect(server.arrivals).toHaveLength(0);
    } finally {
      await server.close();
      await closeRateLimiters();
    }
  });

  it('leaves its key to a later client once its build failed, so that a corrected limit is built afresh', async () => {
    // The `redis` package is not installed here: the first build fails.
    const server = await startServer((_req, res) => json(res, 200, { ok: true }));
    try {
      const id = '7689cc3c-b702-4191-af0e-b0f656588a4e';
      const broken = illumio({ ...pceOptions, baseUrl: server.url, rateLimit: { shared: redisRateLimit({ datastore: 'redis' }) } });
      expect(isConfigurationError(await broken.events.get(id).catch((caught: unknown) => caught))).toBe(true);
      const corrected = illumio({ ...pceOptions, baseUrl: server.url, retry: false });
      await corrected.events.get(id).catch(() => undefined);
      expect(server.arrivals).toHaveLength(1);
    } finally {
      await server.close();
      await closeRateLimiters();
    }
  });

  it('closeRateLimiters() does not wait for it: the requests waiting for it reject with a TributaryError', async () => {
    const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port: 1 }, datastore: 'ioredis', connectTimeout: 60_000 });
    const ctx = client('http://127.0.0.1:9', { rateLimit: { shared } });
    const waiting = ctx.http.request({ operation: 'op', method: 'GET', path: '/x' }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await within(AT_ONCE_MS, closeRateLimiters())).not.toBe(PENDING);
    const error = await waiting;
    expect(isTributaryError(error)).toBe(true);
    expect((error as Error).message).toMatch(/closed by closeRateLimiters\(\)/);
  });
});

describe('a shared limiter that cannot reach its Redis server', () => {
  it('fails the request with a NetworkError naming the server after connectTimeout, and the next one tries again', async () => {
    const server = await startServer((_req, res) => json(res, 200, { ok: true }));
    try {
      const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port: 1, password: 'redis-secret' }, connectTimeout: 100 });
      const ctx = client(server.url, { rateLimit: { shared } });
      for (let attempt = 0; attempt < 2; attempt++) {
        const started = performance.now();
        const error = await ctx.http.request({ operation: 'op', method: 'GET', path: '/x' }).catch((e: unknown) => e);
        expect(isNetworkError(error)).toBe(true);
        expect((error as Error).message).toMatch(/Redis server .*127\.0\.0\.1:1.* within 100 ms/);
        expect((error as Error).message).not.toContain('redis-secret');
        // Half the default connectTimeout (10 s) it would have waited for, had it not been told 100 ms.
        expect(performance.now() - started).toBeLessThan(5_000);
      }
      expect(server.arrivals).toHaveLength(0);
    } finally {
      await server.close();
      await closeRateLimiters();
    }
  });

  it.each([
    ['refused', 'unreachable'],
    ['cut short in its ready check', 'silent'],
  ])('lets the process exit at once after closeRateLimiters(), not once the Redis client gives up on its socket (a connection %s)', async (_, mode) => {
    const silent = mode === 'silent' ? await silentRedis() : undefined;
    const child = spawn(process.execPath, ['--import', 'tsx', unreachableExit, mode, String(silent?.port ?? '')], { stdio: ['pipe', 'pipe', 'inherit'] });
    void silent?.asked.then(() => child.stdin.write('asked\n'));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // 'close' rather than 'exit': the last line is written as the process exits.
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    try {
      // Only a hang goes past this; how soon the process exits is judged by what it still waited for.
      expect(await within(AT_ONCE_MS, exited), output).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await silent?.close();
    }
    const holds = reported(output, 'holds');
    expect(holds, output).toBeDefined();
    // ioredis waits 2 s for the 'close' of a socket that closed already, unless told otherwise.
    expect(lasting(holds!)).toEqual([]);
    // Nor does it go on reconnecting once closed, nor disconnect again when the cut handshake settles.
    expect(reported(output, 'later')).toEqual([]);
  });

  it("still honours the caller's signal while the limiter connects", async () => {
    const server = await startServer((_req, res) => json(res, 200, { ok: true }));
    try {
      // Nothing listens on port 1: the limiter keeps trying to connect.
      const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port: 1 }, datastore: 'ioredis', connectTimeout: 60_000 });
      const ctx = client(server.url, { rateLimit: { shared } });
      const controller = new AbortController();
      const reason = new Error('cancelled by the caller');
      setTimeout(() => controller.abort(reason), 50);
      const outcome = ctx.http.request({ operation: 'op', method: 'GET', path: '/x', signal: controller.signal }).catch((e: unknown) => e);
      expect(await within(AT_ONCE_MS, outcome)).toBe(reason);
      expect(server.arrivals).toHaveLength(0);
    } finally {
      await server.close();
      await closeRateLimiters();
    }
  });
});
