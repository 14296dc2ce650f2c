/**
 * A client whose clock runs ahead of the pod's. The window's `toDate` is read off the client's clock,
 * and the tail opened the next window a minute before it: with the client more than a minute ahead,
 * that was after events the pod had not created yet at the search, and they were never delivered
 * (34 of 102 lost at +75 s, 102 of 102 at +120 s). The tail now counts back from the newest
 * `createTime` the window's first answer holds, the pod's own time, when that is earlier.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { memoryCheckpoint, watch } from '../../../src/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { informatica } from '../../../src/providers/informatica/index.js';

const T0 = Date.parse('2030-01-01T12:00:00.000Z');

/** Polls `polls` times while the pod creates an event every 5 s of its own time; the client's clock is `skewMs` off. */
async function watchWithSkew(skewMs: number, polls: number, quietMs = 0) {
  const pod = { now: T0 };
  const podClock: Clock = { now: () => pod.now, scale: 1, sleep: async () => undefined };
  const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock: podClock, rateLimit: false, responseForms: 'list' });
  const created: string[] = [];
  let nextId = 5000;
  let quiet = quietMs;
  const advance = (ms: number): void => {
    for (const end = pod.now + ms; pod.now + 5000 <= end; ) {
      pod.now += 5000;
      if (quiet > 0) {
        quiet -= 5000;
        continue;
      }
      emulator.store.events.add({ eventId: nextId, createTime: pod.now }, pod.now);
      created.push(String(nextId++));
    }
  };
  const clientClock: Clock = { now: () => pod.now + skewMs, scale: 1, sleep: async (ms) => advance(ms) };
  const client = informatica({
    baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com',
    username: DEFAULT_INFORMATICA_USER.user,
    password: DEFAULT_INFORMATICA_USER.password,
    fetch: emulator.fetch,
    clock: clientClock,
    rateLimit: false,
    retry: false,
  });
  const delivered: string[] = [];
  let done = 0;
  for await (const page of watch(client.events.list({ range: 'LAST_HOUR', pageSize: 20 }), { checkpoint: memoryCheckpoint(), clock: clientClock })) {
    delivered.push(...page.items.map((event) => event.id));
    if (!page.hasMore && ++done === polls) break;
  }
  // Those created at least a minute before the last poll: the tail's overlap covers the rest next time.
  const settled = created.filter((id) => Number(id) < nextId - 12);
  return { settled, delivered };
}

describe('an Informatica watch whose clock is off the pod clock', () => {
  it.each([
    ['120 s ahead', 120_000],
    ['75 s ahead', 75_000],
    ['on time', 0],
    ['30 s behind', -30_000],
  ])('%s: delivers every event once', async (_name, skewMs) => {
    const { settled, delivered } = await watchWithSkew(skewMs, 20);
    expect(settled.length).toBeGreaterThan(90);
    expect(settled.filter((id) => !delivered.includes(id))).toEqual([]);
    expect(new Set(delivered).size).toBe(delivered.length);
  });

  it('10 minutes ahead, after a quiet spell with nothing to find: delivers every event once', async () => {
    const { settled, delivered } = await watchWithSkew(600_000, 20, 120_000);
    expect(settled.length).toBeGreaterThan(70);
    expect(settled.filter((id) => !delivered.includes(id))).toEqual([]);
    expect(new Set(delivered).size).toBe(delivered.length);
  });
});
