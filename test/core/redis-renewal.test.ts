/**
 * README "Retries and rate limits": a request's place in the shared window "stays in every window while
 * the request is in flight (its process renews it every third of `slotLease`)", as its concurrency slot
 * does; with `slotLease` left out (30 s), every 10 s. The renewal's timer is faked; Redis is real.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { limiterSettings } from '../../src/core/rate-limit.js';
import { buildRedisLimiter } from '../../src/core/rate-limit/redis.js';
import { bottleneckKeys } from '../../src/core/rate-limit/redis-lease.js';
import { hasRedisServer, perTestCleanups } from './helpers/redis-server.js';

const { cleanups, redisServer } = perTestCleanups();

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls on real time until `ok` holds: vi.waitFor would move the faked timers as it polls. */
async function until(ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await ok()); i += 1) await pause(10);
  expect(await ok()).toBe(true);
}

afterEach(() => {
  vi.useRealTimers();
});

describe.skipIf(!hasRedisServer())('the leases of a request in flight, slotLease left out', () => {
  it('are renewed every 10 s, a third of the 30 s default: its slot and its place in the window', async () => {
    const redis = await redisServer();
    const key = `renewal-${Math.random()}`;
    const admin = redis.connect();
    cleanups.push(() => admin.disconnect());
    const limiter = await buildRedisLimiter(key, limiterSettings({ maxConcurrent: 1, requests: 5, interval: 60_000 }, undefined), redis.options(), systemClock);
    cleanups.push(() => limiter.close());
    // Only the renewals' timers: Redis and its client keep real time.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let release = (): void => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const job = limiter.schedule(async () => held);
    const slotKey = bottleneckKeys(`tributary:${key}`)[2] as string;
    const windowKey = `tributary:${key}:window`;
    const scores = async (): Promise<number[]> => {
      const [slot, place] = await Promise.all([admin.zrange(slotKey, 0, 0, 'WITHSCORES'), admin.zrange(windowKey, 0, 0, 'WITHSCORES')]);
      return [Number(slot[1]), Number(place[1])];
    };
    await until(async () => (await scores()).every((score) => score > Date.now()));
    const taken = await scores();
    // The scores are Date.now() instants: a renewal a few milliseconds later moves both.
    await pause(50);
    await vi.advanceTimersByTimeAsync(9_999);
    await pause(50);
    expect(await scores()).toEqual(taken);
    await vi.advanceTimersByTimeAsync(1);
    await until(async () => (await scores()).every((score, i) => score > taken[i]!));
    const renewed = await scores();
    await pause(50);
    await vi.advanceTimersByTimeAsync(9_999);
    await pause(50);
    expect(await scores()).toEqual(renewed);
    await vi.advanceTimersByTimeAsync(1);
    await until(async () => (await scores()).every((score, i) => score > renewed[i]!));
    // Each renewed a whole lease from when it was renewed.
    for (const score of await scores()) {
      expect(score - Date.now()).toBeGreaterThan(29_000);
      expect(score - Date.now()).toBeLessThanOrEqual(30_000);
    }
    release();
    await job;
  });
});
