/**
 * `events.list` against an oracle of seed 004 and VENDORS.md rather than the emulator's own search:
 * random events (names differing in case, statuses beyond the request enum, child events of their own
 * type and status) and random queries of every option `InformaticaListQuery` takes.
 *
 * What the oracle rests on:
 * - `applicationName`, `topicName`, `pubSubName`: "useExactMatch: Exact match of the search expression
 *   when performing the search. Applies to pubSubName, topicName, and applicationName properties.
 *   Default is false" (seed 004): the whole name with it, a part of it without (README "Informatica":
 *   "substrings unless `useExactMatch: true`"). Neither the seed, VENDORS.md nor the README says whether
 *   case counts: the oracle takes either reading (names compared as written, or a part of a name in any
 *   case), as long as one holds for the whole listing;
 * - `eventType`: one of the seed's enum; `ALL` (the default) is every type;
 * - `eventStatus`: "Request enums are upper case (`COMPLETE`), response statuses are not (`"Complete"`,
 *   `"Error"`); there are statuses beyond the request enum (`Pending`, ...)" (VENDORS.md): a request
 *   status matches the response status of the same word, `ALL` (the default) every status;
 * - `timeframe`: `CUSTOM` from `fromDate` to `toDate` (seed 004), both inclusive as the SDK documents
 *   `since` ("at or after") and `until` ("at or before"), on `createTime` ("Events created at ...");
 *   a relative range as `RANGES` below, at the listing's first request; default `LAST_24_HOURS`;
 * - child events: "The API returns event details and the child events" (seed 004), whose own status
 *   may differ from their parent's (the seed's example: a `Complete` publication, an `Error` child):
 *   a matching event brings its children, flattened right after it or nested in it (README
 *   "Informatica", `children`). The seed does not say whether a search also finds a child on its own:
 *   a child whose parent did not match may come or not;
 * - each event once, by `eventId`; the seed documents no order of top-level events, so only the set
 *   is compared;
 * - `maxResults`: no search asks for more than the seed's default of 2000 (README "the page size is
 *   capped at 2000"), every search is over a fixed `CUSTOM` window ("A relative `timeframe.range`
 *   moves while you page", VENDORS.md), and no page holds more top-level events than `pageSize`.
 */
import '../../support/fast-check-seed.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InformaticaListQuery } from '../../../src/providers/informatica/index.js';
import { informaticaEmulator } from '../../../src/testing/index.js';
import { boundNear, inOrder, type Bound } from '../../support/oracle-time.js';
import { scaledClock } from '../../../src/core/clock.js';
import { inProcessClient } from './connect.js';

/** The pod's and the client's now: half past midnight (UTC), so the grid spans two UTC days. */
const NOW = Date.UTC(2026, 10, 20, 0, 30);
/** Ten minutes apart from 22:00 the day before: slot 9 is an hour before now, slot 12 midnight. */
const STEP = 10 * 60_000;
const START = NOW - 150 * 60_000;
const SLOTS = 12;
/** Older events, before every slot: ten and forty days before now (both kept: VENDORS.md "about three months"). */
const OLD: Readonly<Record<number, number>> = { [-1]: NOW - 10 * 86_400_000, [-2]: NOW - 40 * 86_400_000 };
const timeOf = (slot: number): number => OLD[slot] ?? START + slot * STEP;
const APPS = ['DI_App', 'di_app', 'Orders_App'] as const;
const TOPICS = ['DI_Topic', 'Orders', 'orders_eu'] as const;
const PUBSUBS = ['DSS_Pub', 'Pub_Orders', 'DSS_Sub'] as const;
const TYPES = ['PUBLICATION', 'SUBSCRIPTION', 'COMPOUND_SUBSCRIPTION', 'AGGREGATED_SUBSCRIPTION'] as const;
const STATUSES = ['Complete', 'Error', 'Processing', 'Delayed', 'Discarded', 'Reprocessed', 'Pending'] as const;
const QUERY_TYPES = ['ALL', 'PUBLICATION', 'SUBSCRIPTION', 'COMPOUND_SUBSCRIPTION', 'COMPOUND_PUBLICATION', 'UNBOUND_SUBSCRIPTION', 'AGGREGATED_SUBSCRIPTION'] as const;
const QUERY_STATUSES = ['ALL', 'COMPLETE', 'DELAYED', 'DISCARDED', 'ERROR', 'PROCESSING', 'REPROCESSED'] as const;
const MIDNIGHT = Date.UTC(2026, 10, 20);
/**
 * The `[from, to]` each range covers at `NOW`. The seed names the ranges and no more: the spans end
 * now; `TODAY` and `YESTERDAY` are UTC days (README "Informatica": "(UTC days)"; VENDORS.md), a day
 * holding its midnight and not the next one.
 */
const RANGES = {
  LAST_HOUR: [NOW - 3_600_000, NOW],
  LAST_TWO_HOURS: [NOW - 7_200_000, NOW],
  LAST_24_HOURS: [NOW - 86_400_000, NOW],
  LAST_7_DAYS: [NOW - 7 * 86_400_000, NOW],
  LAST_30_DAYS: [NOW - 30 * 86_400_000, NOW],
  TODAY: [MIDNIGHT, NOW],
  YESTERDAY: [MIDNIGHT - 86_400_000, MIDNIGHT - 1],
  NO_RANGE: [-Infinity, NOW],
} as const;

const childEvent = fc.record({
  minutes: fc.integer({ min: 1, max: 3 }),
  type: fc.constantFrom('SUBSCRIPTION', 'AGGREGATED_SUBSCRIPTION'),
  status: fc.constantFrom(...STATUSES),
});

const storedEvent = fc.record({
  children: fc.array(childEvent, { maxLength: 2 }),
  slot: fc.integer({ min: -2, max: SLOTS }),
  app: fc.constantFrom(...APPS),
  topic: fc.constantFrom(...TOPICS),
  pubSub: fc.constantFrom(...PUBSUBS),
  type: fc.constantFrom(...TYPES),
  status: fc.constantFrom(...STATUSES),
});

const name = (values: readonly string[]) => fc.option(fc.constantFrom(...values));
const slot = fc.option(fc.integer({ min: -1, max: SLOTS + 1 }));

const scenario = fc
  .record({
    events: fc.array(storedEvent, { maxLength: 25 }),
    applicationName: name([...APPS, 'App', 'app', 'DI_']),
    topicName: name([...TOPICS, 'Orders', 'orders', 'Topic']),
    pubSubName: name([...PUBSUBS, 'DSS', 'Pub', 'pub']),
    useExactMatch: fc.option(fc.boolean()),
    eventType: fc.option(fc.constantFrom(...QUERY_TYPES)),
    eventStatus: fc.option(fc.constantFrom(...QUERY_STATUSES)),
    window: fc.oneof(
      fc.record({ since: fc.integer({ min: -1, max: SLOTS + 1 }), until: slot, custom: fc.boolean() }),
      fc.record({ range: fc.option(fc.constantFrom(...(Object.keys(RANGES) as Array<keyof typeof RANGES>))) }),
    ),
    pageSize: fc.option(fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(2000))),
    children: fc.option(fc.constantFrom('flatten', 'nested') as fc.Arbitrary<'flatten' | 'nested'>),
  })
  .chain((s) => {
    const none: fc.Arbitrary<Bound | undefined> = fc.constant(undefined);
    if (!('since' in s.window)) return fc.record({ s: fc.constant(s), since: none, until: none });
    const { since: a, until: b } = s.window;
    const [lo, hi] = b !== null && b < a ? [b, a] : [a, b];
    return fc.record({
      s: fc.constant(s),
      since: boundNear(START + lo * STEP) as fc.Arbitrary<Bound | undefined>,
      until: hi === null ? none : boundNear(START + hi * STEP),
    });
  });

function nameMatches(value: string, wanted: string | null, exact: boolean, fold: boolean): boolean {
  if (wanted === null) return true;
  if (exact) return value === wanted;
  return fold ? value.toLowerCase().includes(wanted.toLowerCase()) : value.includes(wanted);
}

describe('informatica events.list against the seed 004 oracle (property)', () => {
  it('delivers exactly the events the search would find, each once, in pages of at most pageSize', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ s, since: from, until: to }) => {
        const [since, until] = inOrder(from, to);
        const clock = scaledClock(0.001, () => NOW);
        const emulator = informaticaEmulator.create({ seed: 6, events: 0, clock, rateLimit: false });
        const timeOfId = new Map<string, number>();
        const childrenOf = new Map<string, string[]>();
        const added = s.events.map((e) => {
          const parent = emulator.store.events.add(
            { createTime: timeOf(e.slot), applicationName: e.app, topicName: e.topic, pubSubName: e.pubSub, eventType: e.type, eventStatus: e.status },
            clock.now(),
          );
          timeOfId.set(String(parent.eventId), parent.createTime);
          const kids = e.children.map((child) => {
            const createTime = parent.createTime + child.minutes * 60_000;
            const kid = emulator.store.events.add(
              { createTime, parentEventId: parent.eventId, applicationName: e.app, topicName: e.topic, pubSubName: 'DSS_Sub', eventType: child.type, eventStatus: child.status },
              clock.now(),
            );
            timeOfId.set(String(kid.eventId), createTime);
            return String(kid.eventId);
          });
          childrenOf.set(String(parent.eventId), kids);
          return { ...e, id: String(parent.eventId) };
        });
        const allChildren = new Set([...childrenOf.values()].flat());

        const query: Record<string, unknown> = {};
        for (const key of ['applicationName', 'topicName', 'pubSubName', 'useExactMatch', 'eventType', 'eventStatus', 'pageSize', 'children'] as const) {
          if (s[key] !== null) query[key] = s[key];
        }
        if (since !== undefined) query['since'] = since.value;
        if (until !== undefined) query['until'] = until.value;
        if ('range' in s.window && s.window.range !== null) query['range'] = s.window.range;
        if ('custom' in s.window && s.window.custom) query['range'] = 'CUSTOM';

        const exact = s.useExactMatch === true;
        const range = 'range' in s.window ? RANGES[s.window.range ?? 'LAST_24_HOURS'] : undefined;
        const expected = (fold: boolean) => added
          .filter((e) => {
            if (!nameMatches(e.app, s.applicationName, exact, fold) || !nameMatches(e.topic, s.topicName, exact, fold) || !nameMatches(e.pubSub, s.pubSubName, exact, fold)) return false;
            if (s.eventType !== null && s.eventType !== 'ALL' && e.type !== s.eventType) return false;
            if (s.eventStatus !== null && s.eventStatus !== 'ALL' && e.status.toUpperCase() !== s.eventStatus) return false;
            const time = timeOf(e.slot);
            if (since !== undefined && time < since.at) return false;
            if (until !== undefined && time > until.at) return false;
            if (range !== undefined && (time < range[0] || time > range[1])) return false;
            return true;
          })
          .map((e) => e.id)
          .sort();

        const client = inProcessClient(emulator.fetch, clock);
        const nested = s.children === 'nested';
        const pages: string[][] = [];
        for await (const page of client.events.list(query as InformaticaListQuery).byPage()) {
          pages.push(page.items.map((e) => e.id));
          for (const e of page.items) {
            expect(e.time).toBe(new Date(timeOfId.get(e.id)!).toISOString());
            const data = e.data as { parentEventId?: string; childEvents?: unknown[] };
            if (nested && childrenOf.has(e.id)) expect(data.childEvents ?? []).toHaveLength(childrenOf.get(e.id)!.length);
          }
          const topLevel = page.items.filter((e) => (e.data as { parentEventId?: string }).parentEventId === undefined);
          expect(topLevel.length).toBeLessThanOrEqual(s.pageSize ?? 2000);
        }
        const order = pages.flat();
        expect(new Set(order).size).toBe(order.length);
        const readings = [expected(false), expected(true)].map((parents) => (nested ? parents : [...parents, ...parents.flatMap((id) => childrenOf.get(id)!)]).sort());
        // A child found on its own, its parent not matching, is neither required nor refused.
        const required = order.filter((id) => !allChildren.has(id) || readings.some((ids) => ids.includes(id)));
        const unasked = order.filter((id) => !required.includes(id));
        for (const id of unasked) expect(allChildren.has(id)).toBe(true);
        const reading = readings.find((ids) => ids.length === required.length && [...required].sort().every((id, i) => id === ids[i]));
        expect(reading, `delivered ${JSON.stringify(required.sort())}, expected one of ${JSON.stringify(readings)}`).toBeDefined();
        if (!nested) {
          for (const [parent, kids] of childrenOf) {
            for (const kid of kids) if (order.includes(parent) && order.includes(kid)) expect(order.indexOf(kid)).toBeGreaterThan(order.indexOf(parent));
          }
        }
        for (const request of emulator.requests) {
          const body = JSON.parse(request.body) as { maxResults: number; timeframe: { range: string } };
          // A page re-reads up to 10 events before its offset (README "Offsets can shift anyway").
          expect(body.maxResults).toBeLessThanOrEqual(Math.min((s.pageSize ?? 2000) + 10, 2000));
          expect(body.timeframe.range).toBe('CUSTOM');
        }
      }),
      { numRuns: 120 },
    );
  }, 60_000);
});
