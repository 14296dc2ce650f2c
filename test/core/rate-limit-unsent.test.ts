/**
 * A request aborted after the limiter gave it its turn, before `fetch` was called: nothing reached the
 * vendor, so its place in the window and its `minTime` gap go back to the requests behind it. For
 * Informatica's 5 a minute a place spent on nothing is a fifth of the minute's requests.
 *
 * The abort comes from `onRateLimit`, which reports the wait as the turn comes and before the request
 * is sent: a caller that decides it has waited long enough aborts there.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import { closeRateLimiters } from '../../src/core/rate-limit.js';
import { SharedWindow } from '../../src/core/rate-limit/redis-window.js';
import { redisRateLimit } from '../../src/redis/index.js';
import { hasRedisServer, perTestCleanups } from './helpers/redis-server.js';
import { bearer, client, json, startServer } from './helpers/server.js';

const INFORMATICA = { rateLimit: { requests: 5, interval: 60_000 } };

function get(signal?: AbortSignal) {
  return { operation: 'events.list', method: 'GET' as const, path: '/x', ...(signal === undefined ? {} : { signal }) };
}

/** A vendor that answers at once, recording when each request reached it; an aborted signal sends nothing, as with fetch. */
function vendor() {
  const sent: number[] = [];
  let calledAborted = 0;
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    if (init?.signal?.aborted) {
      calledAborted += 1;
      throw init.signal.reason;
    }
    sent.push(performance.now());
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, sent, calledAborted: () => calledAborted };
}

describe('a request aborted between its turn and fetch', () => {
  afterEach(async () => {
    vi.useRealTimers();
    await closeRateLimiters();
  });

  it('gives its window place back: the five behind it go in the minute it would have spent (Informatica, 5 a minute)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    const { fetch, sent, calledAborted } = vendor();
    const controller = new AbortController();
    const reason = new Error('waited long enough');
    const c = client('https://cih.example.com', { fetch, hooks: { onRateLimit: () => controller.abort(reason) } }, bearer(), INFORMATICA, 'informatica');
    const start = performance.now();
    await Promise.all(Array.from({ length: 5 }, () => c.http.request(get())));
    const aborted = c.http.request(get(controller.signal));
    aborted.catch(() => undefined);
    const behind = Array.from({ length: 5 }, () => c.http.request(get()));
    await vi.advanceTimersByTimeAsync(60_000);
    await expect(aborted).rejects.toBe(reason);
    // Long enough for a window taken by the aborted request to free, so that the old behaviour ends too.
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(behind);
    expect(sent.map((at) => at - start)).toEqual([0, 0, 0, 0, 0, 60_000, 60_000, 60_000, 60_000, 60_000]);
    // The request aborted was not handed to fetch at all: a custom fetch (a proxy, instrumentation) never sees it.
    expect(calledAborted()).toBe(0);
  });

  it('gives its minTime gap back: the next request goes when it would have', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    const { fetch, sent } = vendor();
    const controller = new AbortController();
    const reason = new Error('waited long enough');
    const c = client('https://pce.example.com', { fetch, rateLimit: { minTime: 2_000 }, hooks: { onRateLimit: () => controller.abort(reason) } });
    const start = performance.now();
    await c.http.request(get());
    const aborted = c.http.request(get(controller.signal));
    aborted.catch(() => undefined);
    const next = c.http.request(get());
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(aborted).rejects.toBe(reason);
    await vi.advanceTimersByTimeAsync(2_000);
    await next;
    expect(sent.map((at) => at - start)).toEqual([0, 2_000]);
  });
});

const { cleanups, redisServer } = perTestCleanups();

/**
 * The real length of the shared window: long enough that a process stalled on a loaded machine does
 * not take half of it, which tells a request sent at once from one sent a window later.
 */
const WINDOW_MS = 1_200;

/**
 * One request a minute shared through Redis, on a clock 50 times faster (a `WINDOW_MS` window), whose
 * first request to wait for its turn gives up there: `controller` aborts with `reason`.
 */
async function sharedWindow() {
  const redis = await redisServer();
  const server = await startServer((_req, res) => json(res, 200, {}));
  cleanups.push(() => server.close(), () => closeRateLimiters());
  const controller = new AbortController();
  const reason = new Error('waited long enough');
  const c = client(server.url, {
    clock: scaledClock(WINDOW_MS / 60_000),
    rateLimit: { requests: 1, interval: 60_000, shared: redisRateLimit(redis.options()) },
    hooks: { onRateLimit: () => controller.abort(reason) },
  });
  await c.http.request({ ...get(), path: '/first' });
  return { server, c, controller, reason };
}

describe.skipIf(!hasRedisServer())('a request aborted between its turn and fetch, the limit shared through Redis', () => {
  it("gives its place in the key's window back: the next request is sent at once", async () => {
    const { server, c, controller, reason } = await sharedWindow();
    await expect(c.http.request({ ...get(controller.signal), path: '/aborted' })).rejects.toBe(reason);
    const abortedAt = performance.now();
    await c.http.request({ ...get(), path: '/next' });
    expect(server.arrivals.map((arrival) => arrival.url)).toEqual(['/first', '/next']);
    // Not a window after the aborted request's turn.
    expect(server.arrivals[1]!.at - abortedAt).toBeLessThan(WINDOW_MS / 2);
  });

  /**
   * Two requests wait for the window, the first of them aborted at its turn: how long after it gave up
   * the other was sent, which should be at once rather than a window later.
   */
  async function sentAfterAbort(): Promise<number> {
    const { server, c, controller, reason } = await sharedWindow();
    let abortedAt = 0;
    const aborted = c.http.request({ ...get(controller.signal), path: '/aborted' }).catch((error: unknown) => {
      abortedAt = performance.now();
      return error;
    });
    const next = c.http.request({ ...get(), path: '/next' });
    await expect(aborted).resolves.toBe(reason);
    await next;
    expect(server.arrivals.map((arrival) => arrival.url)).toEqual(['/first', '/next']);
    return server.arrivals[1]!.at - abortedAt;
  }

  it("wakes a request of the same process sleeping on the key's window when a place is given back", async () => {
    // The other is asleep on the window when this one gives up at its turn: woken when its place came back.
    expect(await sentAfterAbort()).toBeLessThan(WINDOW_MS / 2);
  });

  it('wakes a request whose answer to wait was on its way when the place came back', async () => {
    // As on a loaded machine: Redis answers both turns together, and the answer that says "wait"
    // reaches its job after the other job has taken its place, given it back and woken the sleepers.
    const take = SharedWindow.prototype.take;
    vi.spyOn(SharedWindow.prototype, 'take').mockImplementation(async function (this: SharedWindow, member, signal) {
      const wait = await take.call(this, member, signal);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      return wait;
    });
    cleanups.push(() => vi.restoreAllMocks());
    expect(await sentAfterAbort()).toBeLessThan(WINDOW_MS / 2);
  });
});
