import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import type { ResponseInfo } from '../../../src/core/options.js';
import { connect, type Connected } from './connect.js';

let open: Connected | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe('informatica rate limit (5 requests a minute)', () => {
  it('reads 16 pages through the real server with zero 429s', async () => {
    // A minute lasts 600 ms. No warm-up: the first request over a cold connection arrives late, and the
    // limiter must still keep the sixth out of the vendor's minute.
    open = await connect('server', { clock: scaledClock(0.01), events: 32 });
    const statuses: number[] = [];
    const client = open.client({ hooks: { onResponse: (info: ResponseInfo) => statuses.push(info.status) } });
    const events = await client.events.list({ pageSize: 2, children: 'nested' }).toArray();
    expect(events).toHaveLength(32);
    expect(statuses).toHaveLength(17);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
  });

  it("a 429's Retry-After pauses every client of the same user", async () => {
    open = await connect('server', { rateLimit: false, clock: scaledClock(0.01) });
    const { emulator } = open;
    const waits: Array<{ cause: string; waitMs: number }> = [];
    const hooks = { onRateLimit: (info: { cause: string; waitMs: number }) => waits.push(info) };
    const a = open.client({ hooks });
    const b = open.client({ hooks });
    await a.events.get(32010); // builds the shared limiter
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 20, schedule: { once: true } });
    const first = a.events.get(32011);
    // b's request is sent after a's 429 was seen and must wait out the same 20 vendor seconds.
    const second = (async () => {
      // Only once the client has seen the 429 (the server receiving it is not enough).
      while (!waits.some((wait) => wait.cause === 'retry-after')) await new Promise((resolve) => setTimeout(resolve, 1));
      return b.events.get(32012);
    })();
    await Promise.all([first, second]);
    const [, faulted, ...rest] = emulator.requests;
    expect(rest).toHaveLength(2);
    // Vendor time: both later requests come at least the Retry-After (20 s = 200 ms here) after the 429.
    for (const request of rest) expect(request.time - faulted!.time).toBeGreaterThanOrEqual(190);
    expect(waits.some((wait) => wait.cause === 'retry-after')).toBe(true);
  });

  it('two users of one organization meet no 429 when their clients name the organization as the key', async () => {
    const users = [
      { user: 'ops@example.com', password: 'pw-one-1234' },
      { user: 'audit@example.com', password: 'pw-two-1234' },
    ];
    const statusesWith = async (rateLimit: { key?: string }, scale: number, each: number) => {
      open = await connect('server', { clock: scaledClock(scale), events: 12, users });
      const statuses: number[] = [];
      const hooks = { onResponse: (info: ResponseInfo) => statuses.push(info.status) };
      const clients = users.map((user) => open!.client({ username: user.user, password: user.password, hooks, rateLimit, retry: false }));
      await Promise.allSettled(clients.map((client) => Promise.all(Array.from({ length: each }, (_, i) => client.events.get(32010 + i)))));
      await open.close();
      open = undefined;
      return statuses;
    };
    const shared = await statusesWith({ key: 'acme-org' }, 0.01, 6);
    expect(shared.filter((status) => status === 429)).toEqual([]);
    expect(shared).toHaveLength(12);
    // Without it each user keeps 5 a minute of its own, and the organization's count is overrun: ten at
    // once, each client's five let through, in a minute of real time that a loaded machine's stall
    // cannot spread them past (a 600 ms minute could).
    expect((await statusesWith({}, 1, 5)).filter((status) => status === 429).length).toBeGreaterThan(0);
  });
});
