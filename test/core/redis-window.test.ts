/**
 * The sliding window a Redis-shared limit keeps for every process of its key (redis-window.ts), when a
 * request stays in flight longer than the interval. Each test runs its own redis-server.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { scaledClock, type Clock } from '../../src/core/clock.js';
import { limiterSettings, type RequestLimiter, type ScheduledRun } from '../../src/core/rate-limit.js';
import { buildRedisLimiter } from '../../src/core/rate-limit/redis.js';
import type { RedisCommands } from '../../src/core/rate-limit/redis-pause.js';
import { SharedWindow } from '../../src/core/rate-limit/redis-window.js';
import { json, startServer } from './helpers/server.js';
import { hasRedisServer, perTestCleanups } from './helpers/redis-server.js';

const { cleanups, redisServer } = perTestCleanups();

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A clock that stands still until the test moves it (`advance`): the places' scores and the waits
 * read from them are where the test put them however slowly a loaded machine runs it. A window never
 * sleeps on its clock.
 */
function handClock(scale: number): { clock: Clock; advance(ms: number): void } {
  let now = Date.parse('2026-11-23T12:00:00.000Z');
  const clock: Clock = { now: () => now, scale, sleep: () => Promise.reject(new Error('a window does not sleep')) };
  return { clock, advance: (ms) => (now += ms) };
}

describe.skipIf(!hasRedisServer())('a window shared through Redis, with a request in flight longer than the interval', () => {
  it('keeps that request in the window until its answer: another process does not fill the window meanwhile', async () => {
    // Informatica's 5 a minute on a clock 50 times faster: a 1.2 s window. Process A's request is
    // answered two windows after it arrived; the vendor may count it at any instant in between.
    const clock = scaledClock(0.02);
    const WINDOW_MS = 60_000 * 0.02;
    const SLOW_MS = 2 * WINDOW_MS;
    // B's four that fit beside it, or it holds the whole window (10 s: well past both windows).
    const BESIDE = 4;
    const GIVE_UP_MS = 10_000;
    let slowAnsweredAt = Infinity;
    let fastArrived = 0;
    const vendor = await startServer(async (req, res) => {
      if (req.url === '/fast') fastArrived += 1;
      if (req.url === '/slow') {
        // Answered no sooner than B's four beside it came: a loaded machine that stalls this process
        // past SLOW_MS would otherwise answer it before the requests B had sent meanwhile.
        const arrived = performance.now();
        await sleep(SLOW_MS);
        while (fastArrived < BESIDE && performance.now() - arrived < GIVE_UP_MS) await sleep(10);
        slowAnsweredAt = performance.now();
      }
      json(res, 200, {});
    });
    cleanups.push(() => vendor.close());
    const redis = await redisServer();
    // Two limiters of one key, each with its own Redis connections, as in two processes.
    const settings = limiterSettings({ requests: 5, interval: 60_000, maxConcurrent: 10 }, undefined);
    const key = `in-flight-${Math.random()}`;
    const limiters: RequestLimiter[] = [];
    for (let i = 0; i < 2; i += 1) {
      const limiter = await buildRedisLimiter(key, settings, redis.options(), clock);
      cleanups.push(() => limiter.close());
      limiters.push(limiter);
    }
    const [a, b] = limiters as [RequestLimiter, RequestLimiter];
    // A request as the client sends one: answered once its status line is back, then its body read.
    const get =
      (path: string) =>
      async ({ answered }: ScheduledRun): Promise<number> => {
        const response = await fetch(`${vendor.url}${path}`);
        answered?.();
        await response.text();
        return response.status;
      };

    const slow = a.schedule(get('/slow'));
    while (vendor.arrivals.length === 0) await sleep(5);
    await sleep(WINDOW_MS / 2);
    // Four fit beside A's request; the others wait for a window that does not hold five already.
    const fast = Promise.all(Array.from({ length: 8 }, () => b.schedule(get('/fast'))));
    expect(await Promise.all([slow, fast])).toEqual([200, Array(8).fill(200)]);

    const slowArrival = vendor.arrivals.find((arrival) => arrival.url === '/slow')!;
    const fastAt = vendor.arrivals.filter((arrival) => arrival.url === '/fast').map((arrival) => arrival.at);
    expect(fastAt).toHaveLength(8);
    // The most requests the vendor can have counted in the window that ends at each of B's sends
    // (less a little for the clocks' rounding): B's, and A's if it was in flight at any instant of it.
    const counted = fastAt.map((t) => {
      const from = t - WINDOW_MS + 20;
      const inFlight = slowArrival.at <= t && slowAnsweredAt > from ? 1 : 0;
      return fastAt.filter((s) => s > from && s <= t).length + inFlight;
    });
    expect(Math.max(...counted)).toBeLessThanOrEqual(5);
    // The rest of the window was used meanwhile: A's place held one place, not the window.
    expect(fastAt.filter((t) => t < slowAnsweredAt).length).toBeGreaterThanOrEqual(BESIDE);
  });
});

/** A plain connection's commands, as the limiter's. */
function commands(connection: Redis): RedisCommands {
  return connection as unknown as RedisCommands;
}

describe.skipIf(!hasRedisServer())("a window's place held by a request in flight", () => {
  // 1 a minute on a clock 100 times faster: a 600 ms window; places leased for 6 s, renewed every 2 s
  // (a lease shorter than a loaded machine's stall lets Redis expire the window's key meanwhile).
  const { clock, advance } = handClock(0.01);
  const WINDOW_MS = 600;
  const LEASE_MS = 6_000;

  async function windows(): Promise<[SharedWindow, SharedWindow, Redis, string]> {
    const redis = await redisServer();
    const key = `place-${Math.random()}`;
    const [one, other] = [redis.connect(), redis.connect()];
    cleanups.push(() => one.disconnect(), () => other.disconnect());
    const made = [new SharedWindow(commands(one), key, 1, 60_000, clock, LEASE_MS), new SharedWindow(commands(other), key, 1, 60_000, clock, LEASE_MS)];
    cleanups.push(() => made.forEach((window) => window.close()));
    return [made[0]!, made[1]!, one, key];
  }

  /** Takes `member`'s place as soon as the window has one, the clock moved by each wait; how far it moved. */
  async function takeWhenFree(window: SharedWindow, member: string): Promise<number> {
    let moved = 0;
    for (let wait = await window.take(member); wait > 0; wait = await window.take(member)) {
      // Never freed: a window's worth of waits past the lease and the window.
      if (moved > 10 * (LEASE_MS + WINDOW_MS)) throw new Error(`${member}: no place after ${moved} ms`);
      advance(wait);
      moved += wait;
    }
    return moved;
  }

  it('is renewed by its process for as long as the request takes, then counted from its answer', async () => {
    const [one, other, connection, key] = await windows();
    expect(await one.take('long')).toBe(0);
    // Past a lease and a window: still in flight once its process renewed it, still counted; asked again
    // in no less than a window.
    advance(LEASE_MS + WINDOW_MS + 300);
    const renewedTo = String(clock.now() + LEASE_MS);
    await vi.waitFor(async () => expect(await connection.zscore(`tributary:${key}:window`, 'long')).toBe(renewedTo), { timeout: 2 * LEASE_MS, interval: 20 });
    expect(await other.take('next')).toBe(WINDOW_MS);
    await one.answered('long');
    // A second answer (the body read after the status line) does not move the first.
    advance(200);
    await one.answered('long');
    expect(await other.take('next')).toBe(WINDOW_MS - 200);
    expect(200 + (await takeWhenFree(other, 'next'))).toBe(WINDOW_MS);
  });

  it('of a process that died is counted as answered when its lease runs out, and frees a window later', async () => {
    const [one, other, connection] = await windows();
    expect(await one.take('orphan')).toBe(0);
    // The process dies: nothing renews its place any more.
    one.close();
    connection.disconnect();
    expect(await other.take('survivor')).toBe(WINDOW_MS);
    const freedAfter = await takeWhenFree(other, 'survivor');
    expect(freedAfter).toBeGreaterThanOrEqual(LEASE_MS + WINDOW_MS);
    expect(freedAfter).toBeLessThan(LEASE_MS + 2 * WINDOW_MS);
  });
});

describe.skipIf(!hasRedisServer())('a window shared through Redis, on a server flushed or restarted empty', () => {
  // 2 a minute on a clock 100 times faster: a 600 ms window. Places leased for 6 s: a lease shorter
  // than a loaded machine's stall lets Redis expire the place in flight the test counts on.
  const { clock, advance } = handClock(0.01);
  const WINDOW_MS = 600;
  const LEASE_MS = 6_000;

  it('is not filled again at once by processes that had places in it: they wait a window, their places in flight put back', async () => {
    const redis = await redisServer();
    const key = `lost-${Math.random()}`;
    const [one, other, admin] = [redis.connect(), redis.connect(), redis.connect()];
    cleanups.push(() => one.disconnect(), () => other.disconnect(), () => admin.disconnect());
    const [a, b] = [new SharedWindow(commands(one), key, 2, 60_000, clock, LEASE_MS), new SharedWindow(commands(other), key, 2, 60_000, clock, LEASE_MS)];
    cleanups.push(() => a.close(), () => b.close());
    // The window full: one answered, one still in flight.
    expect(await a.take('answered')).toBe(0);
    await a.answered('answered');
    expect(await b.take('in-flight')).toBe(0);
    await admin.flushall();
    // Both processes would have had an empty window: four within one, twice the limit.
    expect(await a.take('next-a')).toBe(WINDOW_MS);
    expect(await b.take('next-b')).toBe(WINDOW_MS);
    // Asked again within the window, without a round trip: what is left of it.
    expect(await a.take('next-a')).toBeGreaterThan(0);
    // The place in flight is back, counted until its answer.
    expect(await admin.zscore(`tributary:${key}:window`, 'in-flight')).not.toBeNull();
    // What a process waits out is timed by itself (performance.now()), what Redis says by the clock.
    await sleep(WINDOW_MS + 10);
    advance(WINDOW_MS + 10);
    expect(await a.take('next-a')).toBe(0);
    expect(await b.take('next-b')).toBeGreaterThan(0);
  });

  /** Three windows of one key on connections of their own, as three processes, and one to look or flush. */
  async function processes(requests: number): Promise<[SharedWindow, SharedWindow, SharedWindow, Redis]> {
    const redis = await redisServer();
    const key = `loss-${Math.random()}`;
    const connections = [redis.connect(), redis.connect(), redis.connect(), redis.connect()];
    cleanups.push(() => connections.forEach((connection) => connection.disconnect()));
    const made = connections.slice(0, 3).map((connection) => new SharedWindow(commands(connection), key, requests, 60_000, clock, LEASE_MS));
    cleanups.push(() => made.forEach((window) => window.close()));
    return [made[0]!, made[1]!, made[2]!, connections[3]!];
  }

  it('a process that has not sent yet cannot tell, and does not wait, while no process that sent has met the loss', async () => {
    const [sender, , fresh, admin] = await processes(2);
    expect(await sender.take('sent')).toBe(0);
    await sender.answered('sent');
    await admin.flushall();
    expect(await fresh.take('first')).toBe(0);
  });

  it('a process that sent 14 minutes ago waits a window, as one that sent just now', async () => {
    const [sender, , , admin] = await processes(2);
    expect(await sender.take('sent')).toBe(0);
    await sender.answered('sent');
    const now = performance.now();
    vi.spyOn(performance, 'now').mockImplementation(() => now + 14 * 60_000);
    try {
      await admin.flushall();
      expect(await sender.take('next')).toBe(WINDOW_MS);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('a process that has not sent yet waits what is left of the window once a process that sent has met the loss', async () => {
    const [sender, other, fresh, admin] = await processes(2);
    // The window full, as the vendor counts it.
    expect(await sender.take('a')).toBe(0);
    await sender.answered('a');
    expect(await other.take('b')).toBe(0);
    await other.answered('b');
    await admin.flushall();
    expect(await sender.take('next')).toBe(WINDOW_MS);
    advance(100);
    // The fresh process would fill an empty window: four within one, where the vendor counts two.
    const wait = await fresh.take('first');
    expect(wait).toBe(WINDOW_MS - 100);
    // The other process that sent waits a whole window from when it meets the loss itself.
    expect(await other.take('later')).toBe(WINDOW_MS);
    advance(wait);
    expect(await fresh.take('first')).toBe(0);
  });

  it('a window closed (closeRateLimiters()) hands that knowledge to the next of its key in the process', async () => {
    const redis = await redisServer();
    const key = `rebuilt-${Math.random()}`;
    const [one, admin] = [redis.connect(), redis.connect()];
    cleanups.push(() => one.disconnect(), () => admin.disconnect());
    const before = new SharedWindow(commands(one), key, 2, 60_000, clock, LEASE_MS);
    expect(await before.take('sent')).toBe(0);
    await before.answered('sent');
    before.close();
    await admin.flushall();
    const after = new SharedWindow(commands(one), key, 2, 60_000, clock, LEASE_MS);
    cleanups.push(() => after.close());
    // The window the server forgot held a request of this process's: a new limiter waits too.
    expect(await after.take('next')).toBe(WINDOW_MS);
  });
});
