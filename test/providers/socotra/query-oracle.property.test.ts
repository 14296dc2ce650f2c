/**
 * `events.list` against an oracle of seed 000 rather than the emulator's own filtering: random streams
 * (times written in every form, types differing in case only, events delivered twice) and random
 * queries of every option `SocotraListQuery` takes, pulled through the client page by page.
 *
 * What the oracle rests on:
 * - order: "the timestamp and ordering of events in the event stream are dependent on the completion
 *   time of the call" (seed 000, note), VENDORS.md "events in ascending order of completion (not of
 *   `timestamp`)": the order events were added in, whatever their `timestamp`;
 * - `startTimestamp`/`endTimestamp`: the seed types them `datetime?` and says no more. Both bounds are
 *   inclusive as the SDK documents them (`SocotraListQuery.since`/`until`, README "Testing against the
 *   emulator"); a zone-less time is UTC (VENDORS.md "General rules");
 * - `type`: a `string?` filter; the seed says nothing of case, so it matches the event's `type` exactly,
 *   and a type no event has lists nothing;
 * - an event the stream delivers again is one event (VENDORS.md "dedupe on the vendor's stable id":
 *   `locator`), first where it was first delivered;
 * - `pageSize`: no page holds more (the seed gives neither a default nor a maximum; the SDK's 1 to 1000),
 *   and it goes with the first request only: "A request that carries `pagingToken` must carry no other
 *   filter (`startTimestamp`, `endTimestamp`, `type`, `pageSize`)" (VENDORS.md).
 */
import '../../support/fast-check-seed.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { socotra, type SocotraListQuery } from '../../../src/providers/socotra/index.js';
import { socotraEmulator } from '../../../src/testing/index.js';
import { inOrder, exactForms, firstOf, GRID_START, writeTime, type TimeForm, withWindow } from '../../support/oracle-time.js';
import { fastClock, TENANT, TOKEN } from './connect.js';

/** Types differing in case only, and types a query string must escape (`+`, a space, `&`, `=`, `%`, non-ASCII). */
const TYPES = ['policy.issue', 'Policy.Issue', 'policy.cancel', 'policy+issue', 'policy issue', 'a&type=b', '100%', 'póliza.emitida'] as const;
/** Half a second apart: whole seconds (every form) and half seconds (forms with milliseconds). */
const STEP = 500;
const SLOTS = 12;

interface Stored {
  slot: number;
  form: TimeForm;
  type: string;
}

const storedEvent: fc.Arbitrary<Stored> = fc
  .record({ slot: fc.integer({ min: 0, max: SLOTS }), type: fc.constantFrom(...TYPES), pick: fc.nat() })
  .map(({ slot, type, pick }) => {
    const forms = exactForms(GRID_START + slot * STEP);
    return { slot, type, form: forms[pick % forms.length]! };
  });

const scenario = fc.record({
  events: fc.array(storedEvent, { maxLength: 25 }),
  redeliver: fc.array(fc.nat(), { maxLength: 3 }),
  window: fc.tuple(fc.option(fc.integer({ min: -1, max: SLOTS + 1 })), fc.option(fc.integer({ min: -1, max: SLOTS + 1 }))),
  type: fc.option(fc.constantFrom(...TYPES, 'policy', 'unknown.type')),
  pageSize: fc.option(fc.oneof(fc.integer({ min: 1, max: 7 }), fc.constant(1000))),
}).chain((s) => withWindow(s, s.window, STEP));

describe('socotra events.list against the seed 000 oracle (property)', () => {
  it('delivers exactly the events the vendor would list, in completion order, in pages of at most pageSize', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ s, since: from, until: to }) => {
        const [since, until] = inOrder(from, to);
        const emulator = socotraEmulator.create({ seed: 3, events: 0, failedJobs: 0, clock: fastClock() });
        const added = s.events.map((e) => ({ ...e, locator: emulator.store.addEvent({ type: e.type, timestamp: writeTime(GRID_START + e.slot * STEP, e.form) }).locator }));
        const log = [...added];
        for (const pick of s.redeliver) {
          const again = added[pick % Math.max(added.length, 1)];
          if (again === undefined) continue;
          emulator.store.redeliver(again.locator);
          log.push(again);
        }

        const query: SocotraListQuery = {};
        if (since !== undefined) query.since = since.value;
        if (until !== undefined) query.until = until.value;
        if (s.type !== null) query.type = s.type;
        if (s.pageSize !== null) query.pageSize = s.pageSize;

        const expected = firstOf(
          log.filter((e) => {
            const time = GRID_START + e.slot * STEP;
            return (since === undefined || time >= since.at) && (until === undefined || time <= until.at) && (s.type === null || e.type === s.type);
          }),
          (e) => e.locator,
        ).map((e) => e.locator);

        const client = socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: TENANT, token: TOKEN, fetch: emulator.fetch, retry: false, rateLimit: false });
        const pages: string[][] = [];
        const slotOf = new Map(added.map((e) => [e.locator, e.slot]));
        for await (const page of client.events.list(query).byPage()) {
          pages.push(page.items.map((e) => e.id));
          // Whatever form the timestamp came in, the event's time is its instant, in UTC.
          for (const e of page.items) expect(e.time).toBe(new Date(GRID_START + slotOf.get(e.id)! * STEP).toISOString());
        }
        expect(pages.flat()).toEqual(expected);
        const limit = s.pageSize ?? 100;
        for (const page of pages) expect(page.length).toBeLessThanOrEqual(limit);
        const [first, ...later] = emulator.requests.filter((r) => r.path.endsWith('/events/list')).map((r) => r.query);
        // A window that holds no millisecond an event can carry is not asked for.
        if (since !== undefined && until !== undefined && Math.ceil(since.at) > Math.floor(until.at)) return void expect(first).toBeUndefined();
        expect(first?.get('pageSize')).toBe(String(limit));
        expect(first?.get('type') ?? null).toBe(s.type);
        for (const query of later) expect([...query.keys()]).toEqual(['pagingToken']);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
