import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import type { InformaticaChildrenMode, InformaticaTributaryEvent } from '../../../src/providers/informatica/index.js';
import { informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { inProcessClient } from './connect.js';
import { PROPERTY_TIMEOUT } from '../../support/property-timeout.js';

const START = Date.parse('2026-11-23T10:00:00.000Z');

/**
 * One event of the plan: it becomes visible at `appear` (after `START`) with a `createTime` `lag` earlier
 * (late, but within the tail's minute of overlap, never before the listing's `since`), under the event
 * `parent` of the plan (an earlier one) or none.
 */
interface Planned {
  appear: number;
  lag: number;
  parent: number | null;
}

const planned = (count: number): fc.Arbitrary<Planned[]> =>
  fc.array(
    fc.record({
      appear: fc.integer({ min: 50_000, max: 650_000 }),
      lag: fc.integer({ min: 0, max: 50_000 }),
      // Picks an earlier event as the parent by its distance back, or none.
      back: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    }),
    { minLength: 1, maxLength: count },
  ).map((events) => {
    const plan: Planned[] = [];
    for (const [index, event] of events.entries()) {
      const parentIndex = event.back === null || event.back > index ? null : index - event.back;
      const parent = parentIndex === null ? undefined : plan[parentIndex];
      // A child appears after its parent and is not older than it.
      const appear = parent === undefined ? event.appear : Math.max(event.appear, parent.appear);
      const lag = parent === undefined ? event.lag : Math.min(event.lag, appear - (parent.appear - parent.lag));
      plan.push({ appear, lag, parent: parentIndex });
    }
    return plan;
  });

/** Every id a delivered event stands for: in `nested` mode, the descendants it carries too. */
function idsOf(event: InformaticaTributaryEvent): string[] {
  return [event.id, ...(event.data['childEvents'] as InformaticaTributaryEvent[] | undefined ?? []).flatMap(idsOf)];
}

describe('informatica child events across tail cursors', PROPERTY_TIMEOUT, () => {
  it('delivers every event, parent or child at any depth, exactly once over polls', async () => {
    await fc.assert(
      fc.asyncProperty(
        planned(20),
        fc.integer({ min: 5_000, max: 90_000 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom<InformaticaChildrenMode>('flatten', 'nested'),
        async (plan, interval, pageSize, children) => {
          let now = START;
          const clock = scaledClock(0.001, () => now);
          const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
          const client = inProcessClient(emulator.fetch, clock);
          const stored: number[] = [];
          const delivered = new Map<string, number>();
          let cursor: string | undefined;
          const last = Math.max(...plan.map((event) => event.appear)) + interval;
          for (now = START; now <= START + last; now += interval) {
            for (const [index, event] of plan.entries()) {
              if (stored[index] !== undefined || START + event.appear > now) continue;
              const parentEventId = event.parent === null ? null : stored[event.parent];
              if (parentEventId === undefined) continue;
              stored[index] = emulator.store.events.add({ createTime: START + event.appear - event.lag, parentEventId }, now).eventId;
            }
            for await (const page of client.events.list({ since: new Date(START), pageSize, children }).byPage(cursor === undefined ? {} : { cursor })) {
              for (const id of page.items.flatMap(idsOf)) delivered.set(id, (delivered.get(id) ?? 0) + 1);
              cursor = page.cursor;
            }
          }
          expect(Object.fromEntries(delivered)).toEqual(Object.fromEntries(stored.map((id) => [String(id), 1])));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('delivers a child created after its parent was delivered on its own, in nested mode too', async () => {
    let now = START;
    const clock = scaledClock(0.001, () => now);
    const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
    const client = inProcessClient(emulator.fetch, clock);
    const parent = emulator.store.events.add({ createTime: now - 5_000 }, now);
    const drain = async (cursor?: string) => {
      const events: InformaticaTributaryEvent[] = [];
      let tail = '';
      for await (const page of client.events.list({ since: new Date(START - 3_600_000), children: 'nested' }).byPage(cursor === undefined ? {} : { cursor })) {
        events.push(...page.items);
        tail = page.cursor;
      }
      return { events, tail };
    };
    const { tail } = await drain();
    now += 20_000;
    const child = emulator.store.events.add({ parentEventId: parent.eventId, createTime: now - 1_000 }, now);
    const grandchild = emulator.store.events.add({ parentEventId: child.eventId, createTime: now }, now);
    const { events } = await drain(tail);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: String(child.eventId), data: { parentEventId: String(parent.eventId) } });
    expect(events[0]!.data['childEvents']).toMatchObject([{ id: String(grandchild.eventId) }]);
  });

  it.each(['flatten', 'nested'] as const)(
    '%s: a child delivered on its own is not delivered again inside a parent that came to match since',
    async (children) => {
      let now = START;
      const clock = scaledClock(0.001, () => now);
      const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
      const client = inProcessClient(emulator.fetch, clock);
      const events = emulator.store.events;
      const parent = events.add({ createTime: now - 10_000, eventStatus: 'Processing' }, now);
      const child = events.add({ parentEventId: parent.eventId, createTime: now - 5_000, eventStatus: 'Error' }, now);
      const grandchild = events.add({ parentEventId: child.eventId, createTime: now - 4_000, eventStatus: 'Error' }, now);
      const drain = async (cursor?: string) => {
        const delivered: InformaticaTributaryEvent[] = [];
        let tail = '';
        const listing = client.events.list({ since: new Date(START - 3_600_000), eventStatus: 'ERROR', children });
        for await (const page of listing.byPage(cursor === undefined ? {} : { cursor })) {
          delivered.push(...page.items);
          tail = page.cursor;
        }
        return { delivered, tail };
      };
      const first = await drain();
      expect(first.delivered.flatMap(idsOf)).toEqual([child.eventId, grandchild.eventId].map(String));
      now += 20_000;
      events.setStatus(parent.eventId, 'Error', now);
      const sibling = events.add({ parentEventId: parent.eventId, createTime: now - 1_000, eventStatus: 'Error' }, now);
      const { delivered } = await drain(first.tail);
      // The parent and its new child only: nested in it, or following it.
      expect(delivered.flatMap(idsOf)).toEqual([parent, sibling].map((event) => String(event.eventId)));
      if (children === 'nested') expect(delivered.map((event) => event.id)).toEqual([String(parent.eventId)]);
      expect(delivered[0]!.raw.childEvents).toHaveLength(2);
      if (children === 'flatten') expect(delivered[0]!.data.childEventIds).toEqual([child, sibling].map((event) => String(event.eventId)));
    },
  );

  it('a child created after the window does not move a cut overlap past events the window did not search', async () => {
    let now = START;
    const clock = scaledClock(0.001, () => now);
    const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock, rateLimit: false });
    const client = inProcessClient(emulator.fetch, clock);
    const add = (createTime: number, parentEventId: number | null = null) => emulator.store.events.add({ createTime, parentEventId }, now).eventId;
    // More events in the overlap minute than a cursor keeps ids of (`MAX_OVERLAP_KEYS`), then, oldest
    // and so met last, a parent whose child's `createTime` is after the window's end (a skewed clock).
    for (let i = 0; i < 1200; i++) add(now - 30_000 + i);
    add(now + 5_000, add(now - 40_000));
    // After the window's end, before the child: the next window must search it.
    const between = add(now + 2_000);
    const drain = async (cursor?: string) => {
      const ids: string[] = [];
      let tail = '';
      for await (const page of client.events.list({ since: new Date(START - 3_600_000) }).byPage(cursor === undefined ? {} : { cursor })) {
        ids.push(...page.items.map((event) => event.id));
        tail = page.cursor;
      }
      return { ids, tail };
    };
    const { ids, tail } = await drain();
    expect(ids).toHaveLength(1202);
    now += 60_000;
    expect((await drain(tail)).ids).toContain(String(between));
  });
});
