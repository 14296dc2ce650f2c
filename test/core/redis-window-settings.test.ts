/**
 * README "Retries and rate limits": across processes sharing a key through Redis, "each process counts
 * the shared window against its own `requests` and `interval`". Two windows of one key with different
 * settings, as two processes of two deployments; the clock is a variable the test moves, so a minute
 * passes at once (Redis keeps the places scored by that clock).
 */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import type { RedisCommands } from '../../src/core/rate-limit/redis-pause.js';
import { SharedWindow } from '../../src/core/rate-limit/redis-window.js';
import { hasRedisServer, perTestCleanups } from './helpers/redis-server.js';

const { cleanups, redisServer } = perTestCleanups();

/** A clock that stands still until the test moves it. */
function handClock(): Clock & { at: number } {
  const clock = {
    at: 1_700_000_000_000,
    now: () => clock.at,
    scale: 1,
    sleep: () => Promise.reject(new Error('a window does not sleep')),
  };
  return clock;
}

describe.skipIf(!hasRedisServer())('a window shared by processes with different settings', () => {
  async function pair(a: { requests: number; interval: number }, b: { requests: number; interval: number }) {
    const redis = await redisServer();
    const key = `settings-${Math.random()}`;
    const [one, other, admin] = [redis.connect(), redis.connect(), redis.connect()];
    cleanups.push(
      () => one.disconnect(),
      () => other.disconnect(),
      () => admin.disconnect(),
    );
    const clock = handClock();
    const windows = [new SharedWindow(commands(one), key, a.requests, a.interval, clock), new SharedWindow(commands(other), key, b.requests, b.interval, clock)];
    cleanups.push(() => windows.forEach((window) => window.close()));
    return { a: windows[0]!, b: windows[1]!, clock, admin, windowKey: `tributary:${key}:window` };
  }

  /** Takes a place and has it answered at once. */
  async function send(window: SharedWindow, member: string): Promise<number> {
    const wait = await window.take(member);
    if (wait === 0) await window.answered(member);
    return wait;
  }

  it('each counts every process\'s places against its own requests', async () => {
    const { a, b, clock } = await pair({ requests: 5, interval: 60_000 }, { requests: 2, interval: 60_000 });
    expect(await send(a, 'a1')).toBe(0);
    clock.at += 1_000;
    expect(await send(a, 'a2')).toBe(0);
    clock.at += 1_000;
    // Two places in the window: full for B, not for A.
    expect(await send(b, 'b1')).toBe(58_000);
    expect(await send(a, 'a3')).toBe(0);
    // Three: B waits for two to leave, the second of them a minute after it was answered.
    expect(await send(b, 'b1')).toBe(59_000);
    clock.at += 1_000;
    expect(await send(a, 'a4')).toBe(0);
    expect(await send(a, 'a5')).toBe(0);
    expect(await send(a, 'a6')).toBe(57_000);
  });

  it('each counts the places within its own interval, those another process no longer counts included', async () => {
    const { a, b, clock } = await pair({ requests: 2, interval: 60_000 }, { requests: 2, interval: 30_000 });
    expect(await send(a, 'a1')).toBe(0);
    expect(await send(a, 'a2')).toBe(0);
    // Past B's interval, within A's: B's window is empty, A's holds its own two.
    clock.at += 35_000;
    expect(await send(b, 'b1')).toBe(0);
    clock.at += 1_000;
    // A's minute still holds a1 and a2 (and b1): A waits for them to leave, 60 s after they were answered.
    expect(await send(a, 'a3')).toBe(24_000);
    expect(await send(b, 'b2')).toBe(0);
    expect(await send(b, 'b3')).toBe(29_000);
    clock.at += 24_000;
    // a1 and a2 left A's minute; b1 and b2 are in it, b1 for 35 s more.
    expect(await send(a, 'a3')).toBe(35_000);
  });

  it('keeps the places in Redis for as long as the longest interval counts them, whoever wrote last', async () => {
    const { a, b, clock, admin, windowKey } = await pair({ requests: 2, interval: 60_000 }, { requests: 2, interval: 30_000 });
    expect(await send(a, 'a1')).toBe(0);
    clock.at += 1_000;
    expect(await send(b, 'b1')).toBe(0);
    // a1 counts for A until 59 s from now, b1 for B until 29 s from now: the key must outlive the first.
    expect(await admin.pttl(windowKey)).toBeGreaterThan(58_000);
    clock.at += 40_000;
    expect(await send(a, 'a2')).toBe(19_000);
  });
});

/** A plain connection's commands, as the limiter's. */
function commands(connection: Redis): RedisCommands {
  return connection as unknown as RedisCommands;
}
