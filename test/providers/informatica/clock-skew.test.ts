/**
 * A client whose clock is off the pod's. The window's `toDate` is read off the client's clock.
 *
 * Ahead: the tail opened the next window a minute before `toDate`; with the client more than a minute
 * ahead, that was after events the pod had not created yet at the search, and they were never
 * delivered (34 of 102 lost at +75 s, 102 of 102 at +120 s). The tail now counts back from the newest
 * `createTime` the window's first answer holds, the pod's own time, when that is earlier.
 *
 * Behind: the search returns a child inside its parent whatever the child's own `createTime`, so a
 * child created after `toDate` came early; once its parent had left the windows and before one reached
 * the child's `createTime`, no listing returned it, its id was forgotten, and it came a second time on
 * its own (57 repeats among 705 events at -75 s, 126 among 710 at -120 s, 222 among 798 at -600 s, in
 * either `children` mode). The cursor now remembers such a child until the windows have passed its
 * `createTime`.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { memoryCheckpoint, watch } from '../../../src/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { informatica, type InformaticaChildrenMode, type InformaticaTributaryEvent } from '../../../src/providers/informatica/index.js';

const T0 = Date.parse('2030-01-01T12:00:00.000Z');
const STEP_MS = 5_000;

/**
 * The descendants the pod creates for a root event, by how long after it: children at +40 s, +70 s,
 * +150 s and +300 s, and grandchildren at +100 s (under the +70 s child) and +200 s (under the +150 s
 * one). With the client's clock behind by more than a minute, some come inside their parent before a
 * window reaches their own `createTime`.
 */
const FAMILY: ReadonlyArray<{ afterMs: number; parentAfterMs: number }> = [
  { afterMs: 40_000, parentAfterMs: 0 },
  { afterMs: 70_000, parentAfterMs: 0 },
  { afterMs: 100_000, parentAfterMs: 70_000 },
  { afterMs: 150_000, parentAfterMs: 0 },
  { afterMs: 200_000, parentAfterMs: 150_000 },
  { afterMs: 300_000, parentAfterMs: 0 },
];

interface SkewOptions {
  polls: number;
  /** Pod time at the start with nothing created. */
  quietMs?: number;
  /** Root events get descendants (`FAMILY`), listed in this mode. */
  children?: InformaticaChildrenMode;
}

/** Every id a delivered event stands for: in `nested` mode, the descendants it carries too. */
function idsOf(event: InformaticaTributaryEvent): string[] {
  return [event.id, ...((event.data['childEvents'] as InformaticaTributaryEvent[] | undefined) ?? []).flatMap(idsOf)];
}

/** Polls while the pod creates a root event every 5 s of its own time; the client's clock is `skewMs` off. */
async function watchWithSkew(skewMs: number, { polls, quietMs = 0, children }: SkewOptions) {
  const pod = { now: T0 };
  const podClock: Clock = { now: () => pod.now, scale: 1, sleep: async () => undefined };
  const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock: podClock, rateLimit: false, responseForms: 'list' });
  const created: Array<{ id: string; at: number }> = [];
  /** Ids of the events created at a pod time, by root and place in `FAMILY` (0 for the root). */
  const familyAt = new Map<number, Map<number, number>>();
  let nextId = 5000;
  const create = (at: number, parentEventId?: number): number => {
    const eventId = nextId++;
    emulator.store.events.add({ eventId, createTime: at, parentEventId }, at);
    created.push({ id: String(eventId), at });
    return eventId;
  };
  const advance = (ms: number): void => {
    for (const end = pod.now + ms; pod.now + STEP_MS <= end; ) {
      pod.now += STEP_MS;
      if (pod.now - T0 <= quietMs) continue;
      familyAt.set(pod.now, new Map([[0, create(pod.now)]]));
      if (children === undefined) continue;
      for (const { afterMs, parentAfterMs } of FAMILY) {
        const family = familyAt.get(pod.now - afterMs);
        const parent = family?.get(parentAfterMs);
        if (family !== undefined && parent !== undefined) family.set(afterMs, create(pod.now, parent));
      }
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
  const listing = client.events.list({ range: 'LAST_HOUR', pageSize: 20, ...(children === undefined ? {} : { children }) });
  for await (const page of watch(listing, { checkpoint: memoryCheckpoint(), clock: clientClock })) {
    delivered.push(...page.items.flatMap(idsOf));
    if (!page.hasMore && ++done === polls) break;
  }
  // Those created at least a minute before the last window's end, on the pod's clock: the tail's
  // overlap covers the rest next time.
  const settledBy = pod.now + Math.min(skewMs, 0) - 60_000;
  const settled = created.filter((event) => event.at <= settledBy).map((event) => event.id);
  return { settled, delivered };
}

const repeats = (ids: readonly string[]): string[] => {
  const seen = new Set<string>();
  return ids.filter((id) => seen.size === seen.add(id).size);
};

describe('an Informatica watch whose clock is off the pod clock', () => {
  it.each([
    ['120 s ahead', 120_000],
    ['75 s ahead', 75_000],
    ['on time', 0],
    ['30 s behind', -30_000],
  ])('%s: delivers every event once', async (_name, skewMs) => {
    const { settled, delivered } = await watchWithSkew(skewMs, { polls: 20 });
    expect(settled.length).toBeGreaterThan(90);
    expect(settled.filter((id) => !delivered.includes(id))).toEqual([]);
    expect(repeats(delivered)).toEqual([]);
  });

  it('10 minutes ahead, after a quiet spell with nothing to find: delivers every event once', async () => {
    const { settled, delivered } = await watchWithSkew(600_000, { polls: 20, quietMs: 120_000 });
    expect(settled.length).toBeGreaterThan(70);
    expect(settled.filter((id) => !delivered.includes(id))).toEqual([]);
    expect(repeats(delivered)).toEqual([]);
  });

  describe.each(['flatten', 'nested'] as const)('with child events created over minutes (%s)', (children) => {
    it.each([
      ['75 s behind', -75_000],
      ['120 s behind', -120_000],
      ['10 minutes behind', -600_000],
      ['on time', 0],
      ['120 s ahead', 120_000],
    ])('%s: delivers every event once', async (_name, skewMs) => {
      // Enough polls for the windows, behind the pod, to reach the children created in the first ten minutes.
      const polls = 20 + Math.ceil(Math.max(-skewMs, 0) / 30_000);
      const { settled, delivered } = await watchWithSkew(skewMs, { polls, children });
      expect(settled.length).toBeGreaterThan(300);
      expect(settled.filter((id) => !delivered.includes(id))).toEqual([]);
      expect(repeats(delivered)).toEqual([]);
    });
  });
});
