/**
 * A Redis-shared limiter when something goes wrong around it: a process that dies holding a slot, a
 * server flushed, restarted or gone, a redeploy with new settings. Each test runs its own redis-server.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { isNetworkError } from '../../src/core/errors.js';
import { closeRateLimiters, limiterSettings, type RequestLimiter } from '../../src/core/rate-limit.js';
import { buildRedisLimiter, type RedisRateLimitOptions } from '../../src/core/rate-limit/redis.js';
import { bottleneckKeys } from '../../src/core/rate-limit/redis-lease.js';
import { redisRateLimit } from '../../src/redis/index.js';
import { client, json, startServer } from './helpers/server.js';
import { hasRedisServer, perTestCleanups } from './helpers/redis-server.js';

const holder = fileURLToPath(new URL('./helpers/redis-slot-holder.ts', import.meta.url));

/** Tasks that count how many of them run at once: `running()` now, `most()` at any moment so far. */
function concurrency(): { task: (wait: Promise<void>) => () => Promise<string>; running: () => number; most: () => number } {
  let running = 0;
  let most = 0;
  const task = (wait: Promise<void>) => async () => {
    running += 1;
    most = Math.max(most, running);
    await wait;
    running -= 1;
    return 'done';
  };
  return { task, running: () => running, most: () => most };
}

/** `promise`'s outcome: its value, its error, or 'pending' if it has not settled within `ms`. */
function within(ms: number, promise: Promise<unknown>): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.then(
      (value) => value,
      (error: unknown) => error,
    ),
    new Promise((resolve) => (timer = setTimeout(() => resolve('pending'), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * `promise`'s outcome, or 'pending' if it has not settled within `turns` turns of the event loop: what
 * needs no round trip settles within them however slowly a loaded machine runs, what waits for a server
 * that is gone does not.
 */
async function withinTurns(turns: number, promise: Promise<unknown>): Promise<unknown> {
  let settled: { outcome: unknown } | undefined;
  void promise.then(
    (value) => (settled = { outcome: value }),
    (error: unknown) => (settled = { outcome: error }),
  );
  for (let turn = 0; turn < turns && settled === undefined; turn++) await new Promise((resolve) => setImmediate(resolve));
  return settled === undefined ? 'pending' : settled.outcome;
}

/** A task that stays in flight until `release()`. */
function deferred(): { promise: Promise<void>; release: () => void } {
  let release = (): void => {};
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

const { cleanups, redisServer } = perTestCleanups();

async function limiter(key: string, maxConcurrent: number, redis: RedisRateLimitOptions): Promise<RequestLimiter> {
  const built = await buildRedisLimiter(key, limiterSettings({ maxConcurrent }, undefined), redis, systemClock);
  cleanups.push(() => built.close());
  return built;
}

describe.skipIf(!hasRedisServer())('a slot held by a process that died', () => {
  it('is free again once its lease has run out', async () => {
    const redis = await redisServer();
    const key = `crash-${Math.random()}`;
    const child = spawn(process.execPath, ['--import', 'tsx', holder, String(redis.port), key, '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('holding') && resolve());
      child.once('exit', (code) => reject(new Error(`the child exited (${code}) before it held the slot`)));
    });
    child.kill('SIGKILL');
    const survivor = await limiter(key, 1, redis.options({ slotLease: 1_000 }));
    // A lease, then at most half of one until a heartbeat frees it; without leases it waits for ever.
    expect(await within(10_000, survivor.schedule(async () => 'sent'))).toBe('sent');
  });

  it('is leased for 30 s when slotLease is left out', async () => {
    const redis = await redisServer();
    const key = `default-lease-${Math.random()}`;
    const admin = redis.connect();
    cleanups.push(() => admin.disconnect());
    const held = deferred();
    const survivor = await limiter(key, 1, redis.options());
    const job = survivor.schedule(async () => held.promise);
    const expirations = bottleneckKeys(`tributary:${key}`)[2] as string;
    await vi.waitFor(async () => expect(await admin.zcard(expirations)).toBe(1));
    const before = Date.now();
    const [, score] = await admin.zrange(expirations, 0, 0, 'WITHSCORES');
    // Leased at most a few seconds ago (and renewed every third of a lease): 20 to 30 s are left.
    expect(Number(score) - before).toBeGreaterThan(20_000);
    expect(Number(score) - before).toBeLessThanOrEqual(30_000);
    held.release();
    await job;
  });

  it('is kept by a live process for as long as its request takes, however many leases that is', async () => {
    const redis = await redisServer();
    const key = `long-${Math.random()}`;
    const [one, other] = [await limiter(key, 1, redis.options({ slotLease: 1_000 })), await limiter(key, 1, redis.options({ slotLease: 1_000 }))];
    const slow = deferred();
    const { task, running, most } = concurrency();
    const first = one.schedule(task(slow.promise));
    await vi.waitFor(() => expect(running()).toBe(1));
    const second = other.schedule(task(Promise.resolve()));
    // Leases renewed, the slot stays taken, and the job is not failed for taking long.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(most()).toBe(1);
    slow.release();
    expect(await within(10_000, Promise.all([first, second]))).toEqual(['done', 'done']);
    expect(most()).toBe(1);
  });
});

describe.skipIf(!hasRedisServer())('a Redis server that lost the limiter state', () => {
  it('FLUSHALL: the next requests are sent, not failed with the server\'s SETTINGS_KEY_NOT_FOUND', async () => {
    const redis = await redisServer();
    const key = `flush-${Math.random()}`;
    // After a loss no slot is given for half a lease (while the processes take theirs again): a short one.
    const shared = await limiter(key, 2, redis.options({ slotLease: 1_000 }));
    expect(await shared.schedule(async () => 'before')).toBe('before');
    const admin = redis.connect();
    cleanups.push(() => admin.disconnect());
    await admin.flushall();
    expect(await within(5_000, shared.schedule(async () => 'after'))).toBe('after');
    expect(await within(5_000, Promise.all([1, 2, 3].map((n) => shared.schedule(async () => n))))).toEqual([1, 2, 3]);
    // Made again with its expiry once idle.
    expect(await admin.pttl(`b_tributary:${key}_settings`)).toBeGreaterThan(0);
  });

  /**
   * Two limiters of one key (two processes) of `maxConcurrent` 1, the first's request running, then the
   * server flushed under it.
   */
  async function flushedWithOneRunning(key: string, slotLease: number) {
    const redis = await redisServer();
    const [one, other] = [await limiter(key, 1, redis.options({ slotLease })), await limiter(key, 1, redis.options({ slotLease }))];
    const busy = deferred();
    const { task, running, most } = concurrency();
    const first = one.schedule(task(busy.promise));
    await vi.waitFor(() => expect(running()).toBe(1));
    const admin = redis.connect();
    cleanups.push(() => admin.disconnect());
    await admin.flushall();
    return { other, busy, task, most, first, admin };
  }

  it('FLUSHALL with a request running: its slot is taken again, so the other processes do not send beside it past maxConcurrent', async () => {
    const key = `flush-running-${Math.random()}`;
    const { other, busy, task, most, first, admin } = await flushedWithOneRunning(key, 1_000);
    // A renewal (every third of a lease) finds the slot gone and takes it again: waited for in Redis,
    // not for 700 ms a loaded machine can stall the renewal past.
    const expirations = bottleneckKeys(`tributary:${key}`)[2] as string;
    await vi.waitFor(async () => expect(await admin.zcard(expirations)).toBe(1), { timeout: 10_000, interval: 20 });
    const second = other.schedule(task(Promise.resolve()));
    expect(await within(1_000, second)).toBe('pending');
    expect(most()).toBe(1);
    busy.release();
    expect(await within(5_000, Promise.all([first, second]))).toEqual(['done', 'done']);
    expect(most()).toBe(1);
  });

  it('FLUSHALL with a request running: another process that comes before its renewal does not take its slot meanwhile', async () => {
    // Its slot's first renewal is a third of a lease (1 s) after it was taken: the other process makes
    // the state again, and asks for a slot in it, well before.
    const { other, busy, task, most, first } = await flushedWithOneRunning(`flush-before-renewal-${Math.random()}`, 3_000);
    const second = other.schedule(task(Promise.resolve()));
    expect(await within(2_000, second)).toBe('pending');
    expect(most()).toBe(1);
    busy.release();
    expect(await within(10_000, Promise.all([first, second]))).toEqual(['done', 'done']);
    expect(most()).toBe(1);
  });

  it('a restart: once the server is back, a job that waited for a slot is sent, and so are new ones', async () => {
    const redis = await redisServer();
    const key = `restart-${Math.random()}`;
    // Two limiters of one key, as in two processes; a short lease makes bottleneck's heartbeat frequent.
    const options = redis.options({ connectTimeout: 5_000, slotLease: 1_000 });
    const [holder, waiter] = [await limiter(key, 1, options), await limiter(key, 1, options)];
    const busy = deferred();
    const running = holder.schedule(async () => busy.promise);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const queued = waiter.schedule(async () => 'queued');
    // Queued in bottleneck, its submission answered, before the server goes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await within(0, queued)).toBe('pending');
    await redis.kill();
    await redis.start();
    // The holder's slot is taken again by its next renewal (its request still runs); once it is over,
    // the waiting job is sent, and so are new ones.
    busy.release();
    await running;
    expect(await within(8_000, queued)).toBe('queued');
    expect(await within(5_000, waiter.schedule(async () => 'new'))).toBe('new');
  });
});

describe.skipIf(!hasRedisServer())('a Redis server that goes away mid-run', () => {
  it('fails each waiting request with a NetworkError naming the server, within connectTimeout, and new ones at once', async () => {
    const redis = await redisServer();
    const shared = await limiter(`gone-${Math.random()}`, 1, redis.options({ connectTimeout: 2_000 }));
    const busy = deferred();
    const sent = shared.schedule(async () => {
      await busy.promise;
      return 'answered';
    });
    const waiting = [1, 2, 3].map(() => shared.schedule(async () => 'sent'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await redis.kill();
    for (const outcome of await Promise.all(waiting.map((job) => within(6_000, job)))) {
      expect(isNetworkError(outcome)).toBe(true);
      expect((outcome as Error).message).toMatch(new RegExp(`Redis server .*127\\.0\\.0\\.1:${redis.port}`));
    }
    const later = await within(3_000, Promise.resolve().then(() => shared.schedule(async () => 'sent')));
    expect(isNetworkError(later)).toBe(true);
    // A request already sent is answered, without waiting for the server to take its slot back.
    busy.release();
    expect(await withinTurns(10, sent)).toBe('answered');
  });

  it('a server that stops answering without closing the connection fails them the same way', async () => {
    const redis = await redisServer();
    const shared = await limiter(`frozen-${Math.random()}`, 1, redis.options({ connectTimeout: 2_000 }));
    const busy = deferred();
    const sent = shared.schedule(async () => busy.promise);
    await new Promise((resolve) => setTimeout(resolve, 100));
    redis.freeze();
    const waiting = shared.schedule(async () => 'sent');
    const outcome = await within(6_000, waiting);
    expect(isNetworkError(outcome)).toBe(true);
    expect((outcome as Error).message).toMatch(/did not answer within 2000 ms/);
    busy.release();
    await sent;
  });

  it('through a client: one NetworkError, not retried', async () => {
    const redis = await redisServer();
    const vendor = await startServer((_req, res) => json(res, 200, {}));
    cleanups.push(() => vendor.close(), () => closeRateLimiters());
    const retries: string[] = [];
    const ctx = client(vendor.url, {
      rateLimit: { shared: redisRateLimit(redis.options({ connectTimeout: 2_000 })) },
      hooks: { onRetry: (info) => void retries.push(info.reason) },
    });
    await ctx.http.request({ operation: 'op', method: 'GET', path: '/x' });
    await redis.kill();
    const outcome = await within(6_000, ctx.http.request({ operation: 'op', method: 'GET', path: '/x' }));
    expect(isNetworkError(outcome)).toBe(true);
    expect((outcome as Error).message).toMatch(/Redis server/);
    expect(retries).toEqual([]);
    expect(vendor.arrivals).toHaveLength(1);
  });
});

describe.skipIf(!hasRedisServer())('settings kept in Redis', () => {
  it('a redeploy with new settings applies them, and the state expires once idle', async () => {
    const redis = await redisServer();
    const key = `redeploy-${Math.random()}`;
    const admin = redis.connect();
    cleanups.push(() => admin.disconnect());
    const before = await limiter(key, 1, redis.options());
    await before.schedule(async () => undefined);
    await before.close();
    // As a release that set no expiry left it.
    await admin.hdel(`b_tributary:${key}_settings`, 'groupTimeout');
    await admin.persist(`b_tributary:${key}_settings`);
    const after = await limiter(key, 3, redis.options());
    const held = deferred();
    let running = 0;
    const jobs = [1, 2, 3].map(() =>
      after.schedule(async () => {
        running += 1;
        await held.promise;
      }),
    );
    await vi.waitFor(() => expect(running).toBe(3), { timeout: 5_000 });
    held.release();
    await Promise.all(jobs);
    const ttl = await admin.pttl(`b_tributary:${key}_settings`);
    // 15 minutes from the last use, not merely some expiry: a minute's slack for a slow machine.
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
  });
});
