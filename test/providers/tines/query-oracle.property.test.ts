/**
 * `events.list` against an oracle of seed 001 and VENDORS.md rather than the emulator's own filtering:
 * random events over the tenant's actions (ids in emission order, creation times in any order) and
 * random queries of every option `TinesListQuery` takes, on tenants of either order, shape and API.
 *
 * What the oracle rests on:
 * - `since_id`: "Only retrieve events greater than this ID" (seed 001): exclusive;
 * - `until_id`, `since`, `until`, `story_id`, `team_id`: VENDORS.md names them as filters of
 *   `GET /api/v1/events` and says no more. The oracle follows the SDK's documentation
 *   (`TinesListQuery`, README "Tines"): `until_id` inclusive ("up to and including this id"), `since`
 *   exclusive ("created after this time"; README: "Tines, whose `since` is exclusive"), `until` inclusive
 *   ("created until this time"), a story or team filter keeps the events of its actions;
 * - `actionId`: the events "emitted by a specified action" (seed 001);
 * - order: "Order is not documented: sort by `id`" (VENDORS.md). The SDK documents each page in
 *   ascending id order (README "Undocumented order"): a newest-first tenant's pages come newest page
 *   first, an oldest-first tenant's listing is ascending throughout;
 * - `per_page`: "max 500" (VENDORS.md): every request asks for the query's `pageSize` and no page
 *   holds more;
 * - `since`/`until` on one action's path, which documents only `since_id` and `per_page` (seed 001):
 *   the SDK applies them to the events received (README "Tines"), and a `created_at` in whole seconds
 *   ("timestamps come with or without milliseconds", VENDORS.md) stands for any time in its second,
 *   so such an event of the bounds' second may come as well (src/providers/tines/action-filters.ts).
 */
import '../../support/fast-check-seed.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tines, type TinesListQuery } from '../../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../../src/testing/index.js';
import { inOrder, GRID_START, withWindow } from '../../support/oracle-time.js';
import { fastClock, TENANT } from './connect.js';

const STEP = 500;
const SLOTS = 12;
/** The emulator's tenant: teams 1 and 2, stories 100, 101, 200, 201, three actions each, ids 21, 28, .... */
const ACTION_IDS = Array.from({ length: 12 }, (_, i) => 21 + 7 * i);

const tenant = fc.record({
  api: fc.constantFrom('current', 'legacy'),
  order: fc.constantFrom('newest-first', 'oldest-first'),
  shape: fc.constantFrom('wrapped', 'bare', undefined),
  meta: fc.constantFrom('consistent', 'disagree'),
});

/** An id as a caller may give it: a number, its decimal string, or one with leading zeros. */
const idForms = fc.constantFrom((id: number) => id, (id: number) => String(id), (id: number) => `00${id}`);

const storedEvent = fc.record({ slot: fc.integer({ min: 0, max: SLOTS }), action: fc.constantFrom(...ACTION_IDS) });

/** An index into the emitted events, or one past either end (a bound outside every id). */
const idIndex = fc.option(fc.integer({ min: -1, max: 21 }));
const slot = fc.option(fc.integer({ min: -1, max: SLOTS + 1 }));

const scenario = fc
  .record({
    tenant,
    events: fc.array(storedEvent, { maxLength: 20 }),
    ids: fc.tuple(idIndex, idIndex),
    slots: fc.tuple(slot, slot),
    scope: fc.oneof(
      fc.constant({}),
      fc.record({ action: fc.constantFrom(...ACTION_IDS) }),
      fc.record({ story: fc.option(fc.constantFrom(100, 101, 200, 201, 999)), team: fc.option(fc.constantFrom(1, 2, 9)) }),
    ),
    pageSize: fc.option(fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(500))),
    idForm: idForms,
  })
  .chain((s) => withWindow(s, s.slots, STEP));

describe('tines events.list against the seed 001 oracle (property)', () => {
  it('delivers exactly the events the tenant would list, each once, pages in ascending id order and of at most pageSize', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ s, since: from, until: to }) => {
        const [since, until] = inOrder(from, to);
        const clock = fastClock();
        const emulator = tinesEmulator.create({ seed: 5, events: 0, clock, api: s.tenant.api, order: s.tenant.order, meta: s.tenant.meta, ...(s.tenant.shape === undefined ? {} : { shape: s.tenant.shape }) });
        const emitted = s.events.map((e) => ({ ...e, stored: emulator.store.emit({ actionId: e.action, createdAt: GRID_START + e.slot * STEP }) }));
        const idAt = (index: number): number => {
          const first = emitted[0]?.stored.id ?? 1000;
          if (index < 0) return first - 1;
          return emitted[index]?.stored.id ?? (emitted.at(-1)?.stored.id ?? first) + 1;
        };
        let sinceId = s.ids[0] === null ? undefined : idAt(s.ids[0]);
        let untilId = s.ids[1] === null ? undefined : idAt(s.ids[1]);
        // An empty id range is a ConfigurationError (checked in options.test.ts), not a listing.
        if (sinceId !== undefined && untilId !== undefined && untilId <= sinceId) untilId = undefined;

        const query: TinesListQuery = {};
        const scope = s.scope as { action?: number; story?: number | null; team?: number | null };
        if (scope.action !== undefined) query.actionId = scope.action;
        if (scope.story !== undefined && scope.story !== null) (query as { storyId?: number }).storyId = scope.story;
        if (scope.team !== undefined && scope.team !== null) (query as { teamId?: number }).teamId = scope.team;
        if (sinceId !== undefined) query.sinceId = s.idForm(sinceId);
        if (untilId !== undefined) query.untilId = s.idForm(untilId);
        if (since !== undefined) query.since = since.value;
        if (until !== undefined) query.until = until.value;
        if (s.pageSize !== null) query.pageSize = s.pageSize;

        const action = (id: number) => emulator.store.actions.get(id)!;
        const withinExceptTime = ({ stored: e }: (typeof emitted)[number]): boolean => {
          if (scope.action !== undefined && e.actionId !== scope.action) return false;
          if (typeof scope.story === 'number' && action(e.actionId).storyId !== scope.story) return false;
          if (typeof scope.team === 'number' && action(e.actionId).teamId !== scope.team) return false;
          if (sinceId !== undefined && !(e.id > sinceId)) return false;
          if (untilId !== undefined && !(e.id <= untilId)) return false;
          return true;
        };
        const expected = emitted
          .filter((e) => withinExceptTime(e) && (since === undefined || e.stored.createdAt > since.at) && (until === undefined || e.stored.createdAt <= until.at))
          .map((e) => e.stored.id)
          .sort((x, y) => x - y)
          .map(String);

        const client = tines({
          baseUrl: TENANT,
          token: DEFAULT_TINES_CREDENTIAL.key,
          fetch: emulator.fetch,
          clock,
          retry: false,
          rateLimit: false,
          apiPath: s.tenant.api === 'legacy' ? 'agents' : 'actions',
        });
        const pages: string[][] = [];
        const rawOf = new Map<string, unknown>();
        for await (const page of client.events.list(query).byPage()) {
          pages.push(page.items.map((e) => e.id));
          for (const e of page.items) {
            rawOf.set(e.id, (e.raw as { created_at?: unknown }).created_at);
            // A `created_at` in whole seconds is its second's start: the milliseconds were not sent.
            const createdAt = emitted.find((x) => String(x.stored.id) === e.id)!.stored.createdAt;
            expect([createdAt, Math.floor(createdAt / 1000) * 1000]).toContain(Date.parse(e.time));
          }
        }
        const byId = (x: string, y: string) => Number(x) - Number(y);
        const allowed = new Set(expected);
        for (const extra of pages.flat().filter((id) => !allowed.has(id))) {
          const raw = rawOf.get(extra);
          const stored = emitted.find((e) => String(e.stored.id) === extra);
          // Only an action's event served in whole seconds, its second overlapping the window.
          expect(scope.action !== undefined && typeof raw === 'string' && !raw.includes('.')).toBe(true);
          const start = Math.floor(stored!.stored.createdAt / 1000) * 1000;
          expect(withinExceptTime(stored!) && (since === undefined || start + 999 > since.at) && (until === undefined || start <= until.at)).toBe(true);
          allowed.add(extra);
        }
        expect([...pages.flat()].sort(byId)).toEqual([...allowed].sort(byId));
        for (const page of pages) {
          expect(page).toEqual([...page].sort(byId));
          expect(page.length).toBeLessThanOrEqual(s.pageSize ?? 100);
        }
        for (const request of emulator.requests) {
          // A page of one may be read as two once, to tell the tenant's order (README "Undocumented order").
          const perPage = Number(request.query.get('per_page'));
          expect(perPage === (s.pageSize ?? 100) || perPage === 2).toBe(true);
        }
        if (s.tenant.order === 'oldest-first') expect(pages.flat()).toEqual([...allowed].sort(byId));
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
