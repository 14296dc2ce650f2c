import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { isTributaryError } from '../../src/core/errors.js';
import { closeRateLimiters, limiterSettings } from '../../src/core/rate-limit.js';
import { buildRedisLimiter } from '../../src/core/rate-limit/redis.js';
import { PausedTooLong } from '../../src/core/rate-limit/gate.js';
import { redisRateLimit } from '../../src/redis/index.js';
import { client, json, startServer, type TestServer } from './helpers/server.js';
import { hasRedisServer, RedisServer } from './helpers/redis-server.js';
import { steppedClock } from '../support/stepped-clock.js';

const available = hasRedisServer();
const child = fileURLToPath(new URL('./helpers/redis-child.ts', import.meta.url));
const redis = new RedisServer();
const port = redis.port;
let server: TestServer;

beforeAll(async () => {
  server = await startServer((_req, res) => json(res, 200, {}));
  if (available) await redis.start();
});

afterAll(async () => {
  await redis.kill();
  await server.close();
});

/**
 * Informatica's 5 a minute on a clock 20 times faster: a 3 s window, long beside the time the two
 * children take to start apart from each other and to connect.
 */
const SCALE = 0.05;
const WINDOW_MS = 60_000 * SCALE;

interface ChildSend {
  sent: number;
  answered: number;
}

/** The sends of a child (helpers/redis-child.ts) of `requests` requests. */
function runChild(requests: number): Promise<ChildSend[]> {
  return new Promise((resolve, reject) => {
    const argv = ['--import', 'tsx', child, server.url, String(port), String(requests), String(SCALE)];
    const p = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => {
      p.kill();
      reject(new Error('child did not exit by itself after closeRateLimiters()'));
    }, 10_000 + WINDOW_MS);
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(out.split('\n')[0] ?? '') as ChildSend[]);
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

describe.skipIf(!available)('rate limit shared through Redis', () => {
  it('two processes with the same key share one reservoir', async () => {
    const sends = (await Promise.all([runChild(5), runChild(5)])).flat();
    expect(sends).toHaveLength(10);
    expect(server.arrivals).toHaveLength(10);
    // One window of 5 for both: of any six requests, the last to leave did so once another had been
    // answered a window before. Two separate limiters would let all ten through as soon as each child
    // is up. Read from the children's own send and answer times rather than from when the requests
    // reached this process: a loaded machine that stalls it sees the two windows' requests arrive
    // together. A child's stall between its turn and its record only moves a send later.
    for (let set = 0; set < 1 << sends.length; set++) {
      const six = sends.filter((_, i) => (set >> i) & 1);
      if (six.length !== 6) continue;
      const spread = six.some((last) => six.some((first) => first !== last && last.sent - first.answered >= WINDOW_MS));
      expect(spread, `six within a window: ${JSON.stringify(six)}`).toBe(true);
    }
  });

  it('a window slides across processes: five sent just before a fixed refill would be are not followed by five more', async () => {
    // 5 a minute on a clock 50 times faster: a 1.2 s window. A sends its five late in the first 1.2 s
    // from the limiters' start, where a reservoir refilled at fixed instants would let B's five through
    // at once: ten within one window.
    const clock = scaledClock(0.02);
    const settings = limiterSettings({ requests: 5, interval: 60_000, maxConcurrent: 10 }, undefined);
    const key = `window-test-${Math.random()}`;
    const redis = { clientOptions: { host: '127.0.0.1', port } };
    const [a, b] = await Promise.all([buildRedisLimiter(key, settings, redis, clock), buildRedisLimiter(key, settings, redis, clock)]);
    try {
      const sends: number[] = [];
      const send = async ({ answered }: { answered?: () => void }) => {
        sends.push(performance.now());
        answered?.();
      };
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await Promise.all(Array.from({ length: 5 }, () => a.schedule(send)));
      await Promise.all(Array.from({ length: 5 }, () => b.schedule(send)));
      expect(sends).toHaveLength(10);
      // Any six sends span a whole window (less a little for the answer recorded after the send).
      for (let i = 0; i + 5 < sends.length; i++) expect(sends[i + 5]! - sends[i]!).toBeGreaterThanOrEqual(1_200 - 20);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

/** `promise`'s outcome, or 'pending' if it has not settled within `ms`. */
function within(ms: number, promise: Promise<unknown>): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.then(
      () => 'sent',
      (error: unknown) => error,
    ),
    new Promise((resolve) => (timer = setTimeout(() => resolve('pending'), ms))),
  ]).finally(() => clearTimeout(timer));
}

describe.skipIf(!available)('closing a limiter shared through Redis', () => {
  it('closeRateLimiters() rejects every job still waiting, queued in Redis or paused, with a TributaryError', async () => {
    const limited = await startServer((_req, res) => json(res, 429, {}, { 'retry-after': '30' }));
    try {
      const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port } });
      const ctx = client(limited.url, { retry: false, rateLimit: { requests: 2, interval: 60_000, shared } });
      await ctx.http.request({ operation: 'first', method: 'GET', path: '/x' }).catch(() => undefined);
      // The second waits out the 30 s pause holding the last slot; the third waits in Redis for a slot.
      const paused = ctx.http.request({ operation: 'second', method: 'GET', path: '/x' });
      const queued = ctx.http.request({ operation: 'third', method: 'GET', path: '/x' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Far beyond a loaded machine's stall: a job closeRateLimiters() left waiting would wait out the 30 s pause.
      const outcomes = Promise.all([within(10_000, paused), within(10_000, queued)]);
      await closeRateLimiters();
      for (const outcome of await outcomes) {
        expect(isTributaryError(outcome)).toBe(true);
        expect((outcome as Error).message).toMatch(/closeRateLimiters\(\)/);
      }
      expect(limited.arrivals).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });

  it('a retry after closeRateLimiters() rejects with the same TributaryError, not the Redis client\'s', async () => {
    const flaky = await startServer((_req, res, _arrival, index) => json(res, index === 0 ? 503 : 200, {}, { 'retry-after': '1' }));
    try {
      const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port } });
      const ctx = client(flaky.url, { rateLimit: { shared } });
      const request = ctx.http.request({ operation: 'backing-off', method: 'GET', path: '/x' });
      // Closed while the request waits out the 1 s back-off after its 503.
      await vi.waitFor(() => expect(flaky.arrivals).toHaveLength(1));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const outcome = within(10_000, request);
      await closeRateLimiters();
      const error = await outcome;
      expect(isTributaryError(error)).toBe(true);
      expect((error as Error).message).toMatch(/closeRateLimiters\(\)/);
      expect(flaky.arrivals).toHaveLength(1);
    } finally {
      await flaky.close();
    }
  });
});

describe.skipIf(!available)('the Redis-shared limiter and a server\'s Retry-After', () => {
  it('a job aborted while it waits out a pause gives its reservoir slot back', async () => {
    // 2 requests in 10 minutes on a clock 20 times faster: a 30 s window; Retry-After: 10 pauses 500 ms.
    // However slowly a loaded machine runs, /c comes within SOON_MS if it went when the pause ended, and
    // not before the window refilled otherwise.
    const SOON_MS = 10_000;
    const limited = await startServer((req, res) => json(res, req.url === '/a' ? 429 : 200, {}, { 'retry-after': '10' }));
    try {
      const shared = redisRateLimit({ clientOptions: { host: '127.0.0.1', port } });
      const ctx = client(limited.url, { clock: scaledClock(0.05), retry: false, rateLimit: { requests: 2, interval: 600_000, shared } });
      await ctx.http.request({ operation: 'a', method: 'GET', path: '/a' }).catch(() => undefined);
      const controller = new AbortController();
      const reason = new Error('no longer needed');
      const aborted = ctx.http.request({ operation: 'b', method: 'GET', path: '/b', signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 100));
      controller.abort(reason);
      await expect(aborted).rejects.toBe(reason);
      // Only /a spent a slot: /c goes when the pause ends, not when the window refills 30 s later.
      expect(await within(SOON_MS, ctx.http.request({ operation: 'c', method: 'GET', path: '/c' }))).toBe('sent');
      expect(limited.arrivals.map((arrival) => arrival.url)).toEqual(['/a', '/c']);
    } finally {
      await closeRateLimiters();
      await limited.close();
    }
  });

  it('a pause longer than a job may wait, received by another process, refuses the job unsent', async () => {
    // The pause's end is read from the clock: one moved only by its sleeps keeps the 1,000 ms left of it
    // longer than the job's 500 however long a loaded machine takes to ask.
    const clock = steppedClock(0.05);
    const settings = limiterSettings({ requests: 100, interval: 60_000 }, undefined);
    const key = `long-pause-test-${Math.random()}`;
    const redis = { clientOptions: { host: '127.0.0.1', port } };
    const [one, other] = await Promise.all([buildRedisLimiter(key, settings, redis, clock), buildRedisLimiter(key, settings, redis, clock)]);
    try {
      one.pause(20_000); // 1,000 ms real
      await new Promise((resolve) => setTimeout(resolve, 50));
      let sent = false;
      const refused = await other.schedule(async () => (sent = true), undefined, 500).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PausedTooLong);
      expect(sent).toBe(false);
      // Refused at once, not once it had waited.
      expect(clock.slept).toEqual([]);
      // A job that may wait as long is held, then sent.
      expect(await other.schedule(async () => 'sent', undefined, 2_000)).toBe('sent');
    } finally {
      await Promise.all([one.close(), other.close()]);
    }
  });

  it('a pause received by one process holds the sends of every other process with the same key', async () => {
    // Two limiters of one key, each with its own Redis connection, as in two processes.
    const clock = scaledClock(0.05);
    const settings = limiterSettings({ requests: 100, interval: 60_000 }, undefined);
    const key = `pause-test-${Math.random()}`;
    const redis = { clientOptions: { host: '127.0.0.1', port } };
    const [one, other] = await Promise.all([buildRedisLimiter(key, settings, redis, clock), buildRedisLimiter(key, settings, redis, clock)]);
    try {
      const pausedAt = performance.now();
      expect(one.pause(10_000)).toBe(500);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const sentAt = await other.schedule(async () => performance.now());
      expect(sentAt - pausedAt).toBeGreaterThanOrEqual(500 - 2);
    } finally {
      await Promise.all([one.close(), other.close()]);
    }
  });
});
