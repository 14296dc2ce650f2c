/**
 * Limiters left idle are forgotten: the registry holds one limiter per (vendor, origin, credential), so
 * without this every rotated credential (a service that builds clients with fresh tokens, FUJITSU's
 * static tokens) added an entry for the life of the process, and with a Redis-shared limit two
 * connections that sent commands for ever. A later request drops, and closes, the limiters idle for
 * 15 minutes; one that still holds something (a pause, a request, a queued job, a window, `minTime`)
 * is kept until it no longer does, and then for 15 minutes more.
 *
 * `performance.now()` is faked (and only it: sockets and Redis keep their real timers), so that the
 * tests move the limiters' clock by minutes or days at once.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { isRateLimitError } from '../../src/core/errors.js';
import type { Clock } from '../../src/core/clock.js';
import { closeRateLimiters, DEFAULT_MAX_CONCURRENT, sharedLimiter, type LimiterSettings, type RequestLimiter } from '../../src/core/rate-limit.js';
import { LocalLimiter } from '../../src/core/rate-limit/local.js';
import { BUILD_SHARED_LIMITER, type SharedRateLimit } from '../../src/core/rate-limit/shared.js';
import { redisRateLimit } from '../../src/redis/index.js';
import { hasRedisServer, RedisServer } from './helpers/redis-server.js';
import { bearer, client, json, startServer, type TestServer } from './helpers/server.js';

/** How long a limiter stays idle before it is dropped (`IDLE_LIMITER_MS`). */
const GRACE_MS = 15 * 60_000;
const MINUTE = 60_000;
const get = { operation: 'events.list', method: 'GET' as const, path: '/x' };

function registry(): Map<string, { limiter: Promise<RequestLimiter> }> {
  return (globalThis as Record<symbol, Map<string, { limiter: Promise<RequestLimiter> }> | undefined>)[Symbol.for('tributary.rateLimiters.v1')] ?? new Map();
}

function settings(overrides: Partial<LimiterSettings> = {}): LimiterSettings {
  return { maxConcurrent: DEFAULT_MAX_CONCURRENT, minTime: 0, reservoir: undefined, shared: undefined, ...overrides };
}

let keys = 0;
function uniqueKey(name: string): string {
  return `idle-test ${name} ${(keys += 1)} ${Math.random()}`;
}

/** A later request, of a key of its own: what looks for idle limiters. */
function laterRequest(): Promise<unknown> {
  return sharedLimiter(uniqueKey('later'), settings(), systemClock).then((limiter) => limiter.schedule(async () => 'sent'));
}

/** After `kept` ms `key` still has its limiter; `then` ms later a request drops it. */
async function keptThenDropped(key: string, kept: number, then: number): Promise<void> {
  advance(kept);
  await laterRequest();
  expect(registry().has(key)).toBe(true);
  advance(then);
  await laterRequest();
  expect(registry().has(key)).toBe(false);
}

/** Moves the limiters' clock (`performance.now()`) on. */
function advance(ms: number): void {
  vi.advanceTimersByTime(ms);
}

/** A task that stays in flight until `release()`. */
function deferred(): { promise: Promise<void>; release: () => void } {
  let release = (): void => {};
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

/**
 * A back-off that lasts 20 minutes of the limiters' clock, during which another request comes by and
 * drops the limiters idle for 15 (the request backing off holds nothing in its limiter meanwhile).
 */
const longBackOff: Clock = {
  now: () => Date.now(),
  scale: 1,
  sleep: async () => {
    advance(20 * MINUTE);
    await laterRequest();
  },
};

/**
 * A store's limiter as Redis's behaves once closed: it refuses to send. Counts the limiters it built.
 */
function refusingOnceClosed(): { shared: SharedRateLimit; built: () => number } {
  let built = 0;
  const build = async (_key: string, limiterSettings: LimiterSettings, clock: Clock): Promise<RequestLimiter> => {
    built += 1;
    const local = new LocalLimiter(limiterSettings, clock);
    let closed = false;
    return {
      schedule: (task, signal, maxPause) => (closed ? Promise.reject(new Error('this limiter was closed')) : local.schedule(task, signal, maxPause)),
      pause: (ms) => local.pause(ms),
      idleSince: (now) => local.idleSince(now),
      close: async () => {
        closed = true;
      },
    };
  };
  return { shared: { kind: 'tributary.sharedRateLimit', store: 'test', [BUILD_SHARED_LIMITER]: build }, built: () => built };
}

let server: TestServer;
/** Requests of `/flaky` so far: every odd one is answered 503. */
let flaky = 0;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === '/pause') json(res, 429, { message: 'slow down' }, { 'retry-after': '3600' });
    else if (req.url === '/flaky' && (flaky += 1) % 2 === 1) json(res, 503, { message: 'try again' });
    else json(res, 200, { ok: true });
  });
});
afterAll(() => server.close());

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await closeRateLimiters();
});

describe('limiters left idle', () => {
  it('of many rotated credentials, each used once, are dropped by a later request once idle for 15 minutes, not before', async () => {
    const before = new Set(registry().keys());
    const clients = Array.from({ length: 40 }, () => client(server.url, {}, bearer()));
    for (const rotated of clients) await rotated.http.request(get);
    const added = [...registry().keys()].filter((key) => !before.has(key));
    expect(added).toHaveLength(40);

    advance(GRACE_MS - MINUTE);
    await laterRequest();
    expect(added.filter((key) => registry().has(key))).toHaveLength(40);

    advance(2 * MINUTE);
    await laterRequest();
    expect(added.filter((key) => registry().has(key))).toEqual([]);

    // A client whose limiter was dropped still sends: its next request builds a new one.
    const again = await clients[0]!.http.request(get);
    expect(again.status).toBe(200);
    expect(added.filter((key) => registry().has(key))).toHaveLength(1);
  });

  it('looks for idle limiters at most once a minute, from any request', async () => {
    const key = uniqueKey('throttled');
    await (await sharedLimiter(key, settings(), systemClock)).schedule(async () => undefined);
    advance(GRACE_MS - MINUTE / 2);
    await laterRequest(); // looks: not idle long enough yet
    advance(MINUTE / 2 + 1);
    await laterRequest(); // idle long enough, but the last look was 30 s ago
    expect(registry().has(key)).toBe(true);
    advance(MINUTE / 2);
    await laterRequest();
    expect(registry().has(key)).toBe(false);
  });

  it('after being dropped, a new request of the key gets a new limiter, which works', async () => {
    const key = uniqueKey('again');
    const first = sharedLimiter(key, settings({ reservoir: { requests: 2, interval: MINUTE } }), systemClock);
    await (await first).schedule(async () => undefined);
    advance(GRACE_MS + 2 * MINUTE);
    await laterRequest();
    expect(registry().has(key)).toBe(false);
    const second = sharedLimiter(key, settings({ reservoir: { requests: 2, interval: MINUTE } }), systemClock);
    expect(second).not.toBe(first);
    expect(await (await second).schedule(async () => 'sent')).toBe('sent');
    expect(registry().get(key)?.limiter).toBe(second);
  });

  it('a key looked up by a request counts as used from then', async () => {
    const key = uniqueKey('looked-up');
    await (await sharedLimiter(key, settings(), systemClock)).schedule(async () => undefined);
    advance(10 * MINUTE);
    void sharedLimiter(key, settings(), systemClock);
    await keptThenDropped(key, GRACE_MS - 5 * MINUTE, 10 * MINUTE);
  });
});

describe('closeRateLimiters() after a limiter was dropped as idle', () => {
  it('resolves only once that limiter is closed too: its connections are ended when it returns', async () => {
    let endClose = (): void => {};
    let closed = false;
    const build = async (_key: string, limiterSettings: LimiterSettings, clock: Clock): Promise<RequestLimiter> => {
      const local = new LocalLimiter(limiterSettings, clock);
      return {
        schedule: (task, signal, maxPause) => local.schedule(task, signal, maxPause),
        pause: (ms) => local.pause(ms),
        idleSince: (now) => local.idleSince(now),
        // A close that takes a round trip, as a Redis client's QUIT does.
        close: () => new Promise<void>((resolve) => (endClose = () => resolve(void (closed = true)))),
      };
    };
    const shared: SharedRateLimit = { kind: 'tributary.sharedRateLimit', store: 'test', [BUILD_SHARED_LIMITER]: build };
    const key = uniqueKey('slow close');
    await (await sharedLimiter(key, settings({ shared }), systemClock)).schedule(async () => undefined);
    advance(GRACE_MS + MINUTE);
    await laterRequest();
    expect(registry().has(key)).toBe(false);
    let returned = false;
    const closing = closeRateLimiters().then(() => (returned = true));
    for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(returned).toBe(false);
    endClose();
    await closing;
    expect(closed).toBe(true);
  });
});

describe('a request that backs off longer than limiters are kept idle', () => {
  it('holds its limiter meanwhile: the retry is sent through it, not refused by it closed; dropped 15 minutes after the request', async () => {
    const store = refusingOnceClosed();
    const backingOff = client(server.url, { clock: longBackOff, rateLimit: { shared: store.shared }, retry: { retries: 1 } }, bearer());
    flaky = 0;
    const before = new Set(registry().keys());
    const answer = await backingOff.http.request({ ...get, path: '/flaky' });
    expect(answer.status).toBe(200);
    expect(flaky).toBe(2);
    expect(store.built()).toBe(1);
    const [key] = [...registry().keys()].filter((name) => !before.has(name) && !name.startsWith('idle-test'));
    expect(key).toBeDefined();
    await keptThenDropped(key!, GRACE_MS - MINUTE, 2 * MINUTE);
  });

  it('aborted during its back-off, counts its limiter as used until then: dropped 15 minutes after the abort', async () => {
    const store = refusingOnceClosed();
    const controller = new AbortController();
    const abortedBackOff: Clock = {
      ...longBackOff,
      sleep: async (ms, signal) => {
        await longBackOff.sleep(ms, signal);
        controller.abort(new Error('shutting down'));
        controller.signal.throwIfAborted();
      },
    };
    const backingOff = client(server.url, { clock: abortedBackOff, rateLimit: { shared: store.shared }, retry: { retries: 1 }, signal: controller.signal }, bearer());
    flaky = 0;
    const before = new Set(registry().keys());
    await expect(backingOff.http.request({ ...get, path: '/flaky' })).rejects.toThrow('shutting down');
    expect(flaky).toBe(1);
    const [key] = [...registry().keys()].filter((name) => !before.has(name) && !name.startsWith('idle-test'));
    expect(key).toBeDefined();
    await keptThenDropped(key!, GRACE_MS - MINUTE, 2 * MINUTE);
  });
});

describe('a limiter that still holds something is kept, then dropped 15 minutes after it no longer does', () => {
  it("a Retry-After pause in force (an hour, from a 429's status line)", async () => {
    const paused = client(server.url, { retry: false }, bearer());
    const error = await paused.http.request({ ...get, path: '/pause' }).catch((caught: unknown) => caught);
    expect(isRateLimitError(error)).toBe(true);
    const key = [...registry().keys()].at(-1)!;
    advance(GRACE_MS + MINUTE);
    await laterRequest();
    expect(registry().has(key)).toBe(true);
    // The pause ends an hour after the 429; 15 idle minutes more are not over yet.
    await keptThenDropped(key, 60 * MINUTE - GRACE_MS - MINUTE + GRACE_MS - MINUTE, 2 * MINUTE);
  });

  it('a pause of a day, the longest a limiter keeps', async () => {
    const key = uniqueKey('day-pause');
    const limiter = await sharedLimiter(key, settings(), systemClock);
    limiter.pause(86_400_000);
    await keptThenDropped(key, 86_400_000, GRACE_MS + MINUTE);
  });

  it.each<[string, LimiterSettings['reservoir']]>([
    ['without a window', undefined],
    ['counted by its window', { requests: 10, interval: MINUTE }],
  ])('a request in flight, %s', async (_name, reservoir) => {
    const key = uniqueKey('in-flight');
    const limiter = await sharedLimiter(key, settings({ reservoir }), systemClock);
    const task = deferred();
    const running = limiter.schedule(() => task.promise);
    advance(GRACE_MS * 4);
    await laterRequest();
    expect(registry().has(key)).toBe(true);
    task.release();
    await running;
    await keptThenDropped(key, GRACE_MS - MINUTE, 3 * MINUTE);
  });

  it('a queued job', async () => {
    const key = uniqueKey('queued');
    // One send every 40 minutes: the second job waits in the queue for a real 40-minute timer, so it
    // is still queued after the limiters' (fake) clock has passed the 40 minutes and 15 more.
    const limiter = await sharedLimiter(key, settings({ minTime: 40 * MINUTE }), systemClock);
    await limiter.schedule(async () => undefined);
    const controller = new AbortController();
    const queued = limiter.schedule(async () => 'sent', controller.signal).catch((error: unknown) => error);
    advance(GRACE_MS + MINUTE);
    await laterRequest();
    expect(registry().has(key)).toBe(true);
    advance(40 * MINUTE);
    await laterRequest();
    expect(registry().has(key)).toBe(true);
    // It leaves the queue unsent: the limiter was in use until then.
    controller.abort(new Error('no longer needed'));
    await queued;
    await keptThenDropped(key, GRACE_MS - MINUTE, 2 * MINUTE);
  });

  it('a send within minTime (40 minutes)', async () => {
    const key = uniqueKey('min-time');
    const limiter = await sharedLimiter(key, settings({ minTime: 40 * MINUTE }), systemClock);
    await limiter.schedule(async () => undefined);
    advance(GRACE_MS + MINUTE);
    await laterRequest();
    expect(registry().has(key)).toBe(true);
    await keptThenDropped(key, 40 * MINUTE - GRACE_MS - MINUTE + GRACE_MS - MINUTE, 2 * MINUTE);
  });

  it('a send its window still counts (an hour-long window)', async () => {
    const key = uniqueKey('window');
    // Dropped early, a new limiter would not know of this send and could send 2 more within the hour.
    const limiter = await sharedLimiter(key, settings({ reservoir: { requests: 2, interval: 60 * MINUTE } }), systemClock);
    await limiter.schedule(async () => undefined);
    advance(GRACE_MS + MINUTE);
    await laterRequest();
    expect(registry().has(key)).toBe(true);
    await keptThenDropped(key, 60 * MINUTE - GRACE_MS - MINUTE + GRACE_MS - MINUTE, 2 * MINUTE);
  });
});

const redisAvailable = hasRedisServer();

describe.skipIf(!redisAvailable)('a Redis-shared limiter left idle', () => {
  const redis = new RedisServer();
  // As long as a test may take: on a loaded machine a server can take more than the hook's 10 s to answer.
  beforeAll(() => redis.start(), 60_000);
  afterAll(() => redis.kill());

  async function redisClients(): Promise<number> {
    const admin = redis.connect();
    try {
      const info = await admin.info('clients');
      // Not counting this connection.
      return Number(/connected_clients:(\d+)/.exec(info)?.[1]) - 1;
    } finally {
      admin.disconnect();
    }
  }

  it('is closed when dropped: its connections are released; one still in flight keeps them', async () => {
    const shared = redisRateLimit(redis.options());
    const base = await redisClients();
    const limiters = await Promise.all(Array.from({ length: 4 }, (_, i) => sharedLimiter(uniqueKey(`redis ${i}`), settings({ shared }), systemClock)));
    const redisKeys = [...registry().keys()].slice(-4);
    for (const limiter of limiters.slice(1)) await limiter.schedule(async () => undefined);
    const task = deferred();
    const running = limiters[0]!.schedule(() => task.promise);
    // bottleneck connects a client and a subscriber per limiter.
    await vi.waitFor(() => expect(redisClients()).resolves.toBe(base + 8));

    advance(GRACE_MS + MINUTE);
    await laterRequest();
    expect(redisKeys.map((key) => registry().has(key))).toEqual([true, false, false, false]);
    await vi.waitFor(() => expect(redisClients()).resolves.toBe(base + 2), { timeout: 5_000 });

    // The one in flight is dropped, and closed, 15 minutes after its request is answered.
    task.release();
    await running;
    // The caller has its answer before the job gives its slot back in Redis (a round trip later).
    await vi.waitFor(() => expect(limiters[0]!.idleSince?.(performance.now())).toBeDefined());
    advance(GRACE_MS + MINUTE);
    await laterRequest();
    expect(registry().has(redisKeys[0]!)).toBe(false);
    await vi.waitFor(() => expect(redisClients()).resolves.toBe(base), { timeout: 5_000 });

    // A new request of a dropped key connects again, and is sent.
    const again = await sharedLimiter(redisKeys[1]!, settings({ shared }), systemClock);
    expect(again).not.toBe(limiters[1]);
    expect(await again.schedule(async () => 'sent')).toBe('sent');
    await vi.waitFor(() => expect(redisClients()).resolves.toBe(base + 2));
  });

  it.each<[string, Partial<LimiterSettings>, (limiter: RequestLimiter) => unknown]>([
    ['a Retry-After pause in force', {}, (limiter) => limiter.pause(60 * MINUTE)],
    ['a send its window still counts', { reservoir: { requests: 2, interval: 60 * MINUTE } }, () => undefined],
  ])('is kept while %s (an hour), and dropped 15 minutes after', async (_name, overrides, hold) => {
    const shared = redisRateLimit(redis.options());
    const key = uniqueKey('redis held');
    const limiter = await sharedLimiter(key, settings({ ...overrides, shared }), systemClock);
    await limiter.schedule(async () => undefined);
    hold(limiter);
    await vi.waitFor(() => expect(limiter.idleSince?.(performance.now() + 2 * 60 * MINUTE)).toBeDefined());
    advance(GRACE_MS + MINUTE);
    await laterRequest();
    expect(registry().has(key)).toBe(true);
    await keptThenDropped(key, 60 * MINUTE - GRACE_MS - MINUTE + GRACE_MS - MINUTE, 2 * MINUTE);
  });
});
