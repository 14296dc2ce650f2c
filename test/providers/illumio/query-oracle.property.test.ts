/**
 * `events.list` against an oracle of seed 003 and VENDORS.md rather than the emulator's own filtering:
 * random events (timestamps written in every form, ties included), random queries of every option
 * `IllumioListQuery` takes, in each of the SDK's modes.
 *
 * What the oracle rests on:
 * - `event_type`: "The type of the event specified by the event_type query parameter if given. If no
 *   query parameters are given, all event types are returned" (seed 003): equal to it, case included
 *   (the seed says nothing of case);
 * - `severity`: the syslog names of seed 003 (`warning`, `err`, `info`) and VENDORS.md; a normalized
 *   name in the query means its syslog name (`IllumioListQuery.severity`);
 * - `status`: "either success or failure" (seed 003); an event whose `status` is `null` (VENDORS.md:
 *   "`status` may be null") is neither;
 * - `created_by`: the seed documents the parameter, not the form it matches. The oracle follows the SDK's
 *   README ("Illumio", `createdBy`): the creator's `href`, user name or host name, or `system`;
 * - `timestamp[gte]`/`timestamp[lte]`: RFC 3339, inclusive (VENDORS.md "Illumio"); a zone-less time is
 *   UTC (VENDORS.md "General rules");
 * - order: "Results come newest first" (VENDORS.md); the order of events of one instant is not
 *   documented, so only the instants' order is checked; "Dedupe on `href`": each event once;
 * - `max_results`: "capped at 10000" (VENDORS.md): no page holds more than the query's `pageSize`.
 */
import '../../support/fast-check-seed.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { illumio, type IllumioListQuery } from '../../../src/providers/illumio/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../../src/testing/index.js';
import type { IllumioEvent } from '../../../src/providers/illumio/schemas.js';
import { inOrder, exactForms, GRID_START, writeTime, withWindow } from '../../support/oracle-time.js';
import { fastClock, PCE } from './connect.js';

const STEP = 500;
const SLOTS = 12;

const CREATORS = [
  { user: { href: '/users/1', username: 'alice@example.com' } },
  { agent: { href: '/orgs/1/agents/7', hostname: 'web-01' } },
  { system: {} },
] as const;
/** The names each creator answers to (README "Illumio", `createdBy`). */
const CREATOR_NAMES: readonly (readonly string[])[] = [['/users/1', 'alice@example.com'], ['/orgs/1/agents/7', 'web-01'], ['system']];
const TYPES = ['user.sign_in', 'User.Sign_In', 'agent.clone_detected', 'rule_set.update'] as const;
const SYSLOG = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
const NORMALIZED: Readonly<Record<string, string>> = { emergency: 'emerg', critical: 'crit', error: 'err' };

const storedEvent = fc.record({
  slot: fc.integer({ min: 0, max: SLOTS }),
  pick: fc.nat(),
  type: fc.constantFrom(...TYPES),
  severity: fc.constantFrom(...SYSLOG),
  status: fc.constantFrom('success', 'failure', null),
  creator: fc.integer({ min: 0, max: CREATORS.length - 1 }),
});

const slot = fc.option(fc.integer({ min: -1, max: SLOTS + 1 }));
const scenario = fc
  .record({
    events: fc.array(storedEvent, { maxLength: 25 }),
    slots: fc.tuple(slot, slot),
    type: fc.option(fc.constantFrom(...TYPES, 'user', 'no.such_type')),
    severity: fc.option(fc.constantFrom(...SYSLOG, 'emergency', 'critical', 'error')),
    status: fc.option(fc.constantFrom('success', 'failure') as fc.Arbitrary<'success' | 'failure'>),
    createdBy: fc.option(fc.constantFrom('/users/1', 'alice@example.com', '/orgs/1/agents/7', 'web-01', 'system', '/users/2', 'Alice@example.com')),
    pageSize: fc.option(fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(10_000))),
    mode: fc.option(fc.constantFrom('sync', 'async', 'auto') as fc.Arbitrary<'sync' | 'async' | 'auto'>),
    asyncThreshold: fc.option(fc.integer({ min: 1, max: 8 })),
  })
  .chain((s) => withWindow(s, s.slots, STEP));

describe('illumio events.list against the seed 003 oracle (property)', () => {
  it('delivers exactly the events the PCE would list, each once, newest first, in pages of at most pageSize', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ s, since: from, until: to }) => {
        const [since, until] = inOrder(from, to);
        const clock = fastClock();
        const emulator = illumioEmulator.create({ seed: 9, events: 0, clock });
        const raw: IllumioEvent[] = s.events.map((e, i) => {
          const forms = exactForms(GRID_START + e.slot * STEP);
          return {
            href: `/orgs/1/events/00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            timestamp: writeTime(GRID_START + e.slot * STEP, forms[e.pick % forms.length]!),
            event_type: e.type,
            severity: e.severity,
            status: e.status,
            created_by: CREATORS[e.creator],
            pce_fqdn: 'pce.example.com',
            action: null,
            resource_changes: [],
            notifications: [],
          };
        });
        emulator.store.add(raw);

        // Built member by member; a threshold is set with mode 'auto' only, as `IllumioListQuery` asks.
        const query: { [K in keyof IllumioListQuery]?: IllumioListQuery[K] } = {};
        if (s.type !== null) query.type = s.type;
        if (s.severity !== null) query.severity = s.severity;
        if (s.status !== null) query.status = s.status;
        if (s.createdBy !== null) query.createdBy = s.createdBy;
        if (since !== undefined) query.since = since.value;
        if (until !== undefined) query.until = until.value;
        if (s.pageSize !== null) query.pageSize = s.pageSize;
        if (s.mode !== null) query.mode = s.mode;
        if (s.mode === 'auto' && s.asyncThreshold !== null) query.asyncThreshold = s.asyncThreshold;

        const severity = s.severity === null ? null : (NORMALIZED[s.severity] ?? s.severity);
        const kept = s.events
          .map((e, i) => ({ ...e, href: raw[i]!.href }))
          .filter((e) => {
            if (s.type !== null && e.type !== s.type) return false;
            if (severity !== null && e.severity !== severity) return false;
            if (s.status !== null && e.status !== s.status) return false;
            if (s.createdBy !== null && !CREATOR_NAMES[e.creator]!.includes(s.createdBy)) return false;
            const time = GRID_START + e.slot * STEP;
            if (since !== undefined && time < since.at) return false;
            if (until !== undefined && time > until.at) return false;
            return true;
          });

        const client = illumio({
          baseUrl: PCE,
          orgId: 1,
          apiKey: DEFAULT_ILLUMIO_CREDENTIAL.apiKey,
          apiSecret: DEFAULT_ILLUMIO_CREDENTIAL.apiSecret,
          fetch: emulator.fetch,
          clock,
          retry: false,
          rateLimit: false,
          jobPollInterval: 1,
        });
        const pages: Array<Array<{ id: string; time: string }>> = [];
        for await (const page of client.events.list(query as IllumioListQuery).byPage()) pages.push(page.items.map((e) => ({ id: e.id, time: e.time })));
        const delivered = pages.flat();
        expect(delivered.map((e) => e.id).sort()).toEqual(kept.map((e) => e.href).sort());
        const slotOf = new Map(kept.map((e) => [e.href, e.slot]));
        const slots = delivered.map((e) => slotOf.get(e.id)!);
        expect(slots).toEqual([...slots].sort((x, y) => y - x));
        for (const e of delivered) expect(Date.parse(e.time)).toBe(GRID_START + slotOf.get(e.id)! * STEP);
        for (const page of pages) expect(page.length).toBeLessThanOrEqual(s.pageSize ?? 1000);
        for (const request of emulator.requests) {
          const max = request.query.get('max_results');
          if (max !== null) expect(Number(max)).toBeLessThanOrEqual(10_000);
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
