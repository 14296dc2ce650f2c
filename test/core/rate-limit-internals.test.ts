import Bottleneck from 'bottleneck';
import { getEventListeners } from 'node:events';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scaledClock, systemClock, type Clock } from '../../src/core/clock.js';
import { closeRateLimiters, DEFAULT_MAX_CONCURRENT, limiterSettings, sharedLimiter, type LimiterSettings, type RequestLimiter } from '../../src/core/rate-limit.js';
import { BUILD_SHARED_LIMITER, type SharedRateLimit } from '../../src/core/rate-limit/shared.js';
import { LocalLimiter } from '../../src/core/rate-limit/local.js';
import { withdraw } from '../../src/core/rate-limit/redis-withdraw.js';
import { bottleneckKeys } from '../../src/core/rate-limit/redis-lease.js';
import { withFakeTime } from '../support/fake-time.js';

const require = createRequire(import.meta.url);

function settings(overrides: Partial<LimiterSettings> = {}): LimiterSettings {
  return { maxConcurrent: DEFAULT_MAX_CONCURRENT, minTime: 0, reservoir: undefined, shared: undefined, ...overrides };
}

/** A task that stays in flight until `release()`. */
function deferred(): { promise: Promise<void>; release: () => void } {
  let release = (): void => {};
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

afterEach(() => vi.restoreAllMocks());

describe('the in-process limiter', () => {
  it('starts a job that nothing holds at once, with no timer, and reports no wait', async () => {
    const limiter = new LocalLimiter(settings({ maxConcurrent: 2, reservoir: { requests: 100, interval: 60_000 } }), systemClock);
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    const immediates = vi.spyOn(globalThis, 'setImmediate');
    const waits: number[] = [];
    let started = false;
    const job = limiter.schedule(async ({ waitedMs }) => {
      waits.push(waitedMs);
      return 'answer';
    });
    // Started synchronously: no hop through the event loop before the request goes out.
    expect(waits).toEqual([0]);
    const second = limiter.schedule(async () => void (started = true));
    expect(started).toBe(true);
    expect(await job).toBe('answer');
    await second;
    for (let i = 0; i < 50; i += 1) await limiter.schedule(async ({ waitedMs }) => void waits.push(waitedMs));
    expect(timeouts).not.toHaveBeenCalled();
    expect(immediates).not.toHaveBeenCalled();
    expect(waits.every((ms) => ms === 0)).toBe(true);
  });

  it('bounds jobs in flight by maxConcurrent and starts queued jobs in the order they came', async () => {
    const limiter = new LocalLimiter(settings({ maxConcurrent: 3 }), systemClock);
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    const order: number[] = [];
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        limiter.schedule(async () => {
          order.push(i);
          running += 1;
          most = Math.max(most, running);
          // Jobs end out of order: the queue must still start them first come, first served.
          for (let hop = 0; hop < (i * 7) % 5; hop += 1) await Promise.resolve();
          running -= 1;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => i));
    // Waiting for a slot is not waiting for time: no timer.
    expect(timeouts).not.toHaveBeenCalled();
  });

  it('queues a job that may wait for no pause behind a full limiter when no pause is in force', async () => {
    const limiter = new LocalLimiter(settings({ maxConcurrent: 1 }), systemClock);
    const first = deferred();
    const running = limiter.schedule(() => first.promise);
    const queued = limiter.schedule(async () => 'sent', undefined, 0);
    first.release();
    await running;
    expect(await queued).toBe('sent');
  });

  it('keeps a queued job that may wait exactly as long as a pause that comes: a Retry-After of maxRetryAfter is honoured', async () => {
    await withFakeTime(0, async () => {
      const limiter = new LocalLimiter(settings({ maxConcurrent: 1 }), systemClock);
      const first = deferred();
      const running = limiter.schedule(() => first.promise);
      let sentAt: number | undefined;
      const queued = limiter.schedule(async () => void (sentAt = performance.now()), undefined, 60_000);
      limiter.pause(60_000, 429);
      first.release();
      await running;
      await vi.advanceTimersByTimeAsync(60_000);
      await queued;
      expect(sentAt).toBe(60_000);
    });
  });

  it('keeps a pause in force when a shorter one comes after it', async () => {
    const limiter = new LocalLimiter(settings(), systemClock);
    limiter.pause(60_000, 429);
    limiter.pause(1, 503);
    let sent = false;
    const refused = await limiter.schedule(async () => (sent = true), undefined, 30_000).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 429 });
    expect(sent).toBe(false);
  });

  it('reports how long a queued job waited, and frees the slot of a job that fails', async () => {
    const limiter = new LocalLimiter(settings({ maxConcurrent: 1 }), systemClock);
    const first = deferred();
    const failing = limiter.schedule(async () => {
      await first.promise;
      throw new Error('refused');
    });
    const waits: number[] = [];
    const queued = limiter.schedule(async ({ waitedMs }) => void waits.push(waitedMs));
    await new Promise((resolve) => setTimeout(resolve, 15));
    first.release();
    await expect(failing).rejects.toThrow('refused');
    await queued;
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(10);
  });

  it('abort while queued: the job leaves the queue at once, rejects with the reason, and later jobs keep their order', async () => {
    const limiter = new LocalLimiter(settings({ maxConcurrent: 1 }), systemClock);
    const first = deferred();
    const ran: string[] = [];
    const running = limiter.schedule(async () => {
      ran.push('first');
      await first.promise;
    });
    const controller = new AbortController();
    const reason = new Error('no longer needed');
    const aborted = limiter.schedule(async () => void ran.push('aborted'), controller.signal);
    const third = limiter.schedule(async () => void ran.push('third'));
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    first.release();
    await Promise.all([running, third]);
    expect(ran).toEqual(['first', 'third']);
  });

  it('stops listening to the signal of a queued job once it is sent: an abort then leaves its answer to the request', async () => {
    const limiter = new LocalLimiter(settings({ maxConcurrent: 1 }), systemClock);
    const first = deferred();
    const running = limiter.schedule(() => first.promise);
    const controller = new AbortController();
    const sent = deferred();
    const queued = limiter.schedule(async () => {
      await sent.promise;
      return 'answer';
    }, controller.signal);
    first.release();
    await running;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort(new Error('too late'));
    sent.release();
    expect(await queued).toBe('answer');
  });

  it('rejects at once for a signal already aborted, without running the job', async () => {
    const limiter = new LocalLimiter(settings(), systemClock);
    const reason = new Error('gone');
    let ran = false;
    expect(() => limiter.schedule(async () => void (ran = true), AbortSignal.abort(reason))).toThrow(reason);
    expect(ran).toBe(false);
  });

  it('holds every job during a pause, then lets them go in order; no timer is left once the queue is empty', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const limiter = new LocalLimiter(settings(), scaledClock(0.01));
      expect(limiter.pause(5_000)).toBe(50);
      const order: number[] = [];
      const jobs = Array.from({ length: 5 }, (_, i) => limiter.schedule(async ({ waitedMs }) => void order.push(i, waitedMs)));
      await vi.advanceTimersByTimeAsync(49);
      expect(order).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      await Promise.all(jobs);
      expect(order).toEqual([0, 50, 1, 50, 2, 50, 3, 50, 4, 50]);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends a job that comes once a pause is over, before its timer fired, after the jobs that waited the pause out', async () => {
    const limiter = new LocalLimiter(settings(), scaledClock(0.001));
    limiter.pause(2_000);
    const order: string[] = [];
    const waited = limiter.schedule(async () => void order.push('waited'));
    // Busy past the pause's 2 ms, as a loaded event loop is: the timer that ends it cannot have fired.
    const busyUntil = performance.now() + 5;
    while (performance.now() < busyUntil);
    const late = limiter.schedule(async () => void order.push('late'));
    await Promise.all([waited, late]);
    expect(order).toEqual(['waited', 'late']);
  });

  it('abort of the only waiting job clears the timer it was waiting on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const limiter = new LocalLimiter(settings({ reservoir: { requests: 1, interval: 60_000 } }), systemClock);
      await limiter.schedule(async () => {});
      const controller = new AbortController();
      const waiting = limiter.schedule(async () => {}, controller.signal);
      expect(vi.getTimerCount()).toBe(1);
      controller.abort(new Error('stop'));
      await expect(waiting).rejects.toThrow('stop');
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps minTime between actual sends', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const limiter = new LocalLimiter(settings({ minTime: 100 }), systemClock);
      const starts: number[] = [];
      const jobs = Array.from({ length: 3 }, () => limiter.schedule(async () => void starts.push(performance.now())));
      await vi.advanceTimersByTimeAsync(250);
      await Promise.all(jobs);
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(100);
      expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(100);
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps minTime in the clock's time: scaled by its scale", async () => {
    await withFakeTime(0, async () => {
      const limiter = new LocalLimiter(settings({ minTime: 1_000 }), scaledClock(0.01));
      const starts: number[] = [];
      const jobs = Array.from({ length: 3 }, () => limiter.schedule(async () => void starts.push(performance.now())));
      await vi.advanceTimersByTimeAsync(100);
      expect(starts).toEqual([0, 10, 20]);
      await Promise.all(jobs);
    });
  });
});

describe('sliding window counted from when each answer came back', () => {
  it("counts none once `requests: Infinity` lifts the vendor's limit, so a limiter shared through Redis keeps no window there", () => {
    const vendor = { requests: 5, interval: 60_000 };
    expect(limiterSettings({}, vendor).reservoir).toEqual(vendor);
    expect(limiterSettings({ requests: Infinity }, vendor).reservoir).toBeUndefined();
  });

  it("takes the README's defaults: the vendor's window for requests given alone, else 60_000; 4 in flight; no minTime", () => {
    expect(limiterSettings({ requests: 2 }, undefined)).toMatchObject({ reservoir: { requests: 2, interval: 60_000 }, maxConcurrent: 4, minTime: 0 });
    expect(limiterSettings({ requests: 2 }, { requests: 5, interval: 1_000 }).reservoir).toEqual({ requests: 2, interval: 1_000 });
    expect(limiterSettings({}, undefined).reservoir).toBeUndefined();
  });

  it('does not send the (N+1)-th request until the interval has passed since the oldest answer', async () => {
    // 2 requests per 10 s of vendor time; at scale 0.01 the window lasts 100 ms.
    const clock = scaledClock(0.01);
    const limiter = await sharedLimiter(
      `internals-test-${Math.random()}`,
      limiterSettings({ requests: 2, interval: 10_000 }, undefined),
      clock,
    );
    const t0 = performance.now();
    let firstAnswered = 0;
    const starts: number[] = [];
    const slow = limiter.schedule(async () => {
      starts.push(performance.now() - t0);
      // The first request is slow: a vendor may count it as late as its answer.
      await new Promise((resolve) => setTimeout(resolve, 80));
      firstAnswered = performance.now() - t0;
    });
    const fast = limiter.schedule(async () => void starts.push(performance.now() - t0));
    const third = limiter.schedule(async () => void starts.push(performance.now() - t0));
    await Promise.all([slow, fast, third]);
    expect(starts).toHaveLength(3);
    // Lower bounds only: a loaded machine makes everything later, never earlier.
    expect(starts[2]!).toBeGreaterThanOrEqual(firstAnswered + 100 - 2);
  });

  it('holds the (N+1)-th request while the oldest is in flight, however long past the interval, then an interval from its answer', async () => {
    await withFakeTime(0, async () => {
      const limiter = new LocalLimiter(settings({ reservoir: { requests: 1, interval: 1_000 } }), systemClock);
      const first = deferred();
      const running = limiter.schedule(() => first.promise);
      let secondAt: number | undefined;
      const second = limiter.schedule(async () => void (secondAt = performance.now()));
      await vi.advanceTimersByTimeAsync(5_000);
      // The vendor may not have counted the first yet: it counts a request when it arrives.
      expect(secondAt).toBeUndefined();
      // Nor is the wait a timer polling for the answer: the answer itself wakes the queue.
      expect(vi.getTimerCount()).toBe(0);
      first.release();
      await running;
      await vi.advanceTimersByTimeAsync(999);
      expect(secondAt).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await second;
      expect(secondAt).toBe(6_000);
    });
  });

  it('counts a request marked answered from that moment, not from the end of its task (a long body)', async () => {
    // 1 request per 10 s of vendor time; at scale 0.1 the window lasts 1 s. Counted from the end of the
    // task, the second request could not go before 2.52 s after the start, and woken only by that end,
    // not before 1.52 s: the body takes longer than the window. On fake time: on the real clock a loaded
    // machine's stall while the window ran moved the second past the 300 ms told apart.
    await withFakeTime(0, async () => {
      const limiter = new LocalLimiter(settings({ reservoir: { requests: 1, interval: 10_000 } }), scaledClock(0.1));
      let answeredAt = 0;
      let bodyReadAt = 0;
      let secondAt = 0;
      const first = limiter.schedule(async ({ answered }) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        answeredAt = performance.now();
        answered?.();
        answered?.(); // only the first call counts
        // Reading the body takes longer than the window, which already runs.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        bodyReadAt = performance.now();
      });
      const second = limiter.schedule(async () => void (secondAt = performance.now()));
      await vi.advanceTimersByTimeAsync(5_000);
      await Promise.all([first, second]);
      expect([answeredAt, bodyReadAt]).toEqual([20, 1_520]);
      expect(secondAt).toBe(answeredAt + 1_000);
    });
  });
});

describe('a send taken back (`unsent`): the request never reached fetch', () => {
  afterEach(() => vi.useRealTimers());

  /** Starts of jobs that each end at once, the ones named in `unsent` giving their turn back. */
  function recorder(limiter: LocalLimiter) {
    const starts: Array<[string, number]> = [];
    const job = (name: string, giveBack = false) =>
      limiter.schedule(async ({ unsent }) => {
        starts.push([name, performance.now()]);
        if (giveBack) unsent?.();
      });
    return { starts, job };
  }

  it('frees its window place for the jobs behind it at once, and never lets more than the limit through', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'], now: 0 });
    const limiter = new LocalLimiter(settings({ reservoir: { requests: 2, interval: 10_000 } }), systemClock);
    const { starts, job } = recorder(limiter);
    const t0 = performance.now();
    const jobs = [job('a'), job('b'), job('c', true), job('d'), job('e'), job('f')];
    await vi.advanceTimersByTimeAsync(30_000);
    await Promise.all(jobs);
    // c's turn came when a's and b's places freed; given back, it left d and e both places of that window.
    expect(starts.map(([name, at]) => [name, at - t0])).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 10_000],
      ['d', 10_000],
      ['e', 10_000],
      ['f', 20_000],
    ]);
  });

  it('does nothing once the request was marked answered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'], now: 0 });
    const limiter = new LocalLimiter(settings({ reservoir: { requests: 1, interval: 10_000 }, minTime: 500 }), systemClock);
    const starts: number[] = [];
    const first = limiter.schedule(async ({ answered, unsent }) => {
      starts.push(performance.now());
      answered?.();
      unsent?.();
    });
    const second = limiter.schedule(async () => void starts.push(performance.now()));
    await vi.advanceTimersByTimeAsync(20_000);
    await Promise.all([first, second]);
    expect(starts[1]! - starts[0]!).toBe(10_000);
  });

  it('lets the job it held back go at once, and leaves no timer once the queue is empty', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'], now: 0 });
    const limiter = new LocalLimiter(settings({ minTime: 1_000 }), systemClock);
    const { starts, job } = recorder(limiter);
    const a = deferred();
    const first = limiter.schedule(async ({ unsent }) => {
      await a.promise;
      unsent?.();
    });
    const second = job('b');
    // b waits for minTime on a timer; a's turn given back, b goes now and the timer has nothing to wake.
    expect(vi.getTimerCount()).toBe(1);
    a.release();
    await Promise.all([first, second]);
    expect(starts).toEqual([['b', 0]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('given back while a shorter pause holds the limiter, lets the job behind it go when the pause ends, not when the window would', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const limiter = new LocalLimiter(settings({ reservoir: { requests: 3, interval: 100 } }), systemClock);
      await limiter.schedule(async () => undefined);
      await limiter.schedule(async () => undefined);
      let giveBack = (): void => {};
      const third = deferred();
      const held = limiter.schedule(({ unsent }) => {
        giveBack = unsent ?? giveBack;
        return third.promise;
      });
      const starts: number[] = [];
      // The window is full: the next may go 100 ms after the first answer.
      const next = limiter.schedule(async () => void starts.push(performance.now()));
      await vi.advanceTimersByTimeAsync(30);
      limiter.pause(40);
      giveBack();
      await vi.advanceTimersByTimeAsync(40);
      expect(starts).toEqual([70]);
      third.release();
      await Promise.all([held, next]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('given back after a later send, leaves minTime running from that one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'], now: 0 });
    const limiter = new LocalLimiter(settings({ minTime: 100 }), systemClock);
    const starts: Array<[string, number]> = [];
    const t0 = performance.now();
    const a = limiter.schedule(async ({ unsent }) => {
      starts.push(['a', performance.now() - t0]);
      await new Promise((resolve) => setTimeout(resolve, 150));
      unsent?.();
    });
    const b = limiter.schedule(async () => void starts.push(['b', performance.now() - t0]));
    const c = limiter.schedule(async () => void starts.push(['c', performance.now() - t0]));
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all([a, b, c]);
    expect(starts).toEqual([
      ['a', 0],
      ['b', 100],
      ['c', 200],
    ]);
  });
});

describe('bottleneck internals the Redis-backed limiter relies on', () => {
  it('is the exact bottleneck release whose queue rate-limit/redis.ts reaches into', () => {
    expect((require('bottleneck/package.json') as { version: string }).version).toBe('2.19.5');
  });

  it('withdraws one queued job: it rejects with the reason and the others still run in order', async () => {
    const bottleneck = new Bottleneck({ maxConcurrent: 1 });
    const first = deferred();
    const ran: string[] = [];
    const running = bottleneck.schedule({ id: 'a' }, async () => {
      ran.push('a');
      await first.promise;
    });
    const queued = bottleneck.schedule({ id: 'b' }, async () => void ran.push('b'));
    const third = bottleneck.schedule({ id: 'c' }, async () => void ran.push('c'));
    // bottleneck registers jobs asynchronously: wait until both are in its queue.
    await vi.waitFor(() => expect([bottleneck.jobStatus('b'), bottleneck.jobStatus('c')]).toEqual(['QUEUED', 'QUEUED']));
    const reason = new Error('withdrawn');
    expect(await withdraw(bottleneck, 'b', reason)).toBe(true);
    await expect(queued).rejects.toBe(reason);
    expect(bottleneck.counts().QUEUED).toBe(1);
    first.release();
    await Promise.all([running, third]);
    expect(ran).toEqual(['a', 'c']);
    await bottleneck.disconnect();
  });
});

describe('bottleneck internals the Redis leases, bounds and close rely on (redis-lease.ts, redis-link.ts, redis-disconnect.ts)', () => {
  type Reply = (error: Error | null, reply?: unknown) => void;
  const RedisDatastore = require('bottleneck/lib/RedisDatastore.js') as {
    prototype: Record<string, (...args: unknown[]) => unknown> & { runScript(this: unknown, name: string, args: unknown[]): Promise<unknown> };
  };

  it('keeps a limiter\'s state under the keys the lease renewal names, job expirations third', () => {
    const scripts = require('bottleneck/lib/Scripts.js') as { allKeys(id: string): string[] };
    expect(bottleneckKeys('tributary:k')).toEqual(scripts.allKeys('tributary:k'));
  });

  it("has its Redis clients on its store's connection from the start, with ioredis's status and end (redis-disconnect.ts)", async () => {
    const bottleneck = new Bottleneck({ id: 'internals', datastore: 'ioredis', clientOptions: { lazyConnect: true } });
    const store = (bottleneck as unknown as { _store: { connection: Record<string, { status: string; once: unknown } | undefined> } })._store;
    const { client, subscriber } = store.connection;
    expect([client?.status, subscriber?.status]).toEqual(['wait', 'wait']);
    expect([typeof client?.once, typeof subscriber?.once]).toEqual(['function', 'function']);
    await bottleneck.disconnect(false);
  });

  it('registers and frees a slot through the datastore methods the leases wrap', () => {
    expect(RedisDatastore.prototype['__register__']).toHaveLength(3);
    expect(RedisDatastore.prototype['__free__']).toHaveLength(2);
  });

  it('hands every script\'s reply callback to the connection last, for both clients', () => {
    for (const module of ['bottleneck/lib/IORedisConnection.js', 'bottleneck/lib/RedisConnection.js']) {
      const connection = require(module) as { prototype: { __scriptArgs__(this: unknown, ...args: unknown[]): unknown[] } };
      const reply: Reply = () => {};
      expect(connection.prototype.__scriptArgs__.call({ shas: {} }, 'free', 'id', ['now', 'client', 'index'], reply).at(-1)).toBe(reply);
    }
  });

  it('makes the state again on the bare SETTINGS_KEY_NOT_FOUND message, and retries the script', async () => {
    const calls: string[] = [];
    const { runScript } = RedisDatastore.prototype;
    const store = {
      runScript(name: string, args: unknown[]): Promise<unknown> {
        return runScript.call(this, name, args);
      },
      ready: Promise.resolve(),
      clientId: 'client',
      originalId: 'id',
      Promise,
      instance: { Events: { trigger: () => undefined }, queued: () => 0 },
      prepareInitSettings: () => [],
      connection: {
        __scriptArgs__: (name: string, _id: string, _args: unknown[], reply: Reply) => [name, reply],
        __scriptFn__: () => (name: string, reply: Reply) => {
          calls.push(name);
          reply(name === 'submit' && calls.length === 1 ? new Error('SETTINGS_KEY_NOT_FOUND') : null, 'done');
        },
      },
    };
    expect(await store.runScript('submit', [])).toBe('done');
    expect(calls).toEqual(['submit', 'init', 'submit']);
  });
});

describe('the registry of limiters', () => {
  it('is one per process, whichever copy of the module asks: the ESM and CommonJS builds share a key', async () => {
    const key = `registry-test-${Math.random()}`;
    const first = sharedLimiter(key, settings(), systemClock);
    // A second instance of the module, as the other build of the package would be.
    vi.resetModules();
    const copy = '../../src/core/rate-limit.js?copy';
    const other = (await import(/* @vite-ignore */ copy)) as typeof import('../../src/core/rate-limit.js');
    expect(other.sharedLimiter).not.toBe(sharedLimiter);
    expect(other.sharedLimiter(key, settings(), systemClock)).toBe(first);
    await other.closeRateLimiters();
    try {
      expect(sharedLimiter(key, settings(), systemClock)).not.toBe(first);
    } finally {
      await closeRateLimiters();
    }
  });

  it('builds again, at the next request, the limiter of a key whose build failed (a store not reachable yet)', async () => {
    const key = `registry-test-${Math.random()}`;
    let builds = 0;
    const build = async (_key: string, limiterSettings: LimiterSettings, clock: Clock): Promise<RequestLimiter> => {
      builds += 1;
      if (builds === 1) throw new Error('store not reachable');
      return new LocalLimiter(limiterSettings, clock);
    };
    const shared: SharedRateLimit = { kind: 'tributary.sharedRateLimit', store: 'test', [BUILD_SHARED_LIMITER]: build };
    try {
      await expect(sharedLimiter(key, settings({ shared }), systemClock)).rejects.toThrow('store not reachable');
      const again = await sharedLimiter(key, settings({ shared }), systemClock);
      expect(await again.schedule(async () => 'sent')).toBe('sent');
      expect(builds).toBe(2);
    } finally {
      await closeRateLimiters();
    }
  });
});
