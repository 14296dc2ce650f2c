/**
 * The forms one vendor object arrives in, at random: the same event in any of them normalizes to the
 * same event (ids stable across a vendor's versions: a time in any form of one instant, ids as numbers
 * or numeric strings, FUJITSU's categories as a list in any order or as one string, a text field as a
 * one-item array), and the response schemas the listings of `normalize.property.test.ts` do not reach
 * (single events, failed jobs, schedules, jobs, Keystone tokens) get one verdict from the in-place
 * validator and from zod on drifted and randomly broken bodies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { responseCheck } from '../../src/core/response-schema.js';
import { keyEvents, normalizeEvents as normalizeFujitsu } from '../../src/providers/fujitsu/normalize.js';
import { eventSchema as fujitsuEventSchema, keystoneTokenSchema, type FujitsuEvent } from '../../src/providers/fujitsu/schemas.js';
import { normalizeEvents as normalizeIllumio } from '../../src/providers/illumio/normalize.js';
import { eventSchema as illumioEventSchema, jobSchema, type IllumioEvent } from '../../src/providers/illumio/schemas.js';
import { normalizeInformaticaEvents } from '../../src/providers/informatica/normalize.js';
import { informaticaEventSchema, type InformaticaEvent } from '../../src/providers/informatica/schemas.js';
import { socotraNormalizer } from '../../src/providers/socotra/normalize.js';
import {
  socotraEventArraySchema,
  socotraEventSchema,
  socotraFailedJobArraySchema,
  socotraScheduledPolicyEventArraySchema,
  type SocotraEvent,
} from '../../src/providers/socotra/schemas.js';
import { normalizeEvents as normalizeTines } from '../../src/providers/tines/normalize.js';
import { tinesEventSchema, type TinesEvent } from '../../src/providers/tines/schemas.js';
import { createRng, type Rng } from '../../src/testing/rng.js';
import { addUnknownFields, ANCHORS, mutateJson, randomText, timeForm } from '../support/vendor-drift.js';

type Json = Record<string, unknown>;
const seeds = fc.integer({ min: 1, max: 2 ** 30 });
const RUNS = 300;

/** An instant near one of the anchors, to the millisecond or to the second. */
function instantNear(rng: Rng, wholeSeconds: boolean): number {
  const ms = rng.pick(ANCHORS) + rng.int(-86_400_000, 86_400_000);
  return wholeSeconds ? ms - (((ms % 1000) + 1000) % 1000) : ms;
}

/** Text without a comma (FUJITSU splits a categories string there) and with something besides blanks. */
function word(rng: Rng): string {
  return `${randomText(rng, 8).replaceAll(',', ';')}${rng.pick(['backup', 'Low Storage', 'フェイルオーバー', 'x'])}`;
}

/** The event without `raw`, for comparing two forms of it. */
function withoutRaw<T extends { raw: unknown }>(event: T | undefined): Omit<T, 'raw'> {
  const { raw: _raw, ...rest } = event as T;
  return rest;
}

/** `rng.pick` of a text or the one-item array that stands for it. */
const oneOf = (rng: Rng, text: string): string | string[] => (rng.chance(0.5) ? text : [text]);

describe('one event in any of its forms normalizes to one event', () => {
  it('fujitsu: date in any form of its second, categories as a list in any order or one string, texts as one-item arrays', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const rng = createRng(seed);
        const ms = instantNear(rng, true);
        const categories = Array.from({ length: rng.int(1, 3) }, () => word(rng));
        const texts = { message: word(rng), sourceIdentifier: word(rng), sourceType: word(rng) };
        const form = (): FujitsuEvent => {
          const shuffled = [...categories].sort(() => rng.next() - 0.5).map((category) => rng.pick([category, ` ${category} `]));
          const event: Json = {
            date: timeForm(rng, ms),
            eventCategories: rng.chance(0.5) ? shuffled : shuffled.join(rng.pick([',', ', '])),
            message: oneOf(rng, texts.message),
            sourceIdentifier: oneOf(rng, texts.sourceIdentifier),
            sourceType: oneOf(rng, texts.sourceType),
          };
          expect(fujitsuEventSchema.safeParse(event).success).toBe(true);
          return event as FujitsuEvent;
        };
        const normalize = (events: FujitsuEvent[]) => normalizeFujitsu('tenant-1')(keyEvents(events, 'events.list'));
        // `data.categories` keeps the order sent; the id and the type do not depend on it.
        const sorted = (event: ReturnType<typeof normalize>[number] | undefined) => {
          const rest = withoutRaw(event);
          return { ...rest, data: { ...rest.data, categories: [...rest.data.categories].sort() } };
        };
        const [a, b] = normalize([form(), form()]);
        expect(sorted(a)).toStrictEqual(sorted(b));
        expect(a?.time).toBe(new Date(ms).toISOString());
      }),
      { numRuns: RUNS },
    );
  });

  it('tines, informatica, illumio, socotra: ids as numbers or numeric strings, times in any form of one instant', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const rng = createRng(seed);
        const ms = instantNear(rng, false);
        const id = rng.int(1, 2 ** 40);
        const time = new Date(ms).toISOString();

        const tinesForm = (): TinesEvent => ({ id: rng.pick([id, String(id)]), created_at: timeForm(rng, ms), agent_id: 5, user_id: rng.pick([3, '3']), payload: {} });
        const [t1, t2] = normalizeTines([tinesForm(), tinesForm()], 'tenant-1.tines.com');
        expect(withoutRaw(t1)).toStrictEqual(withoutRaw(t2));
        expect(t1).toMatchObject({ id: String(id), time });

        // Two events apart: one page keeps one event per id.
        const informaticaForm = (): InformaticaEvent => ({
          eventId: rng.pick([id, String(id), `0${id}`]),
          parentEventId: rng.pick([7, '7', '007']),
          createTime: timeForm(rng, ms),
          completionTime: timeForm(rng, ms + 1),
        });
        const [i1] = normalizeInformaticaEvents([informaticaForm()], 'flatten', 'pod');
        const [i2] = normalizeInformaticaEvents([informaticaForm()], 'flatten', 'pod');
        expect(withoutRaw(i1)).toStrictEqual(withoutRaw(i2));
        expect(i1).toMatchObject({ id: String(id), time, data: { parentEventId: '7', completionTime: new Date(ms + 1).toISOString() } });

        const illumioForm = (): IllumioEvent => ({ href: `/orgs/3/events/${id}`, timestamp: timeForm(rng, ms), event_type: oneOf(rng, 'user.sign_in'), severity: oneOf(rng, rng.pick(['err', 'ERR'])) });
        const [l1, l2] = normalizeIllumio([illumioForm(), illumioForm()], '1');
        expect(withoutRaw(l1)).toStrictEqual(withoutRaw(l2));
        expect(l1).toMatchObject({ time, severity: 'error', source: 'illumio:/orgs/3' });

        const socotraForm = (): SocotraEvent => ({ locator: `L${id}`, type: oneOf(rng, 'policy.issue'), timestamp: timeForm(rng, ms), requestId: oneOf(rng, 'R1') });
        const [s1, s2] = socotraNormalizer('tenant-1', 'events.list')([socotraForm(), socotraForm()]);
        expect(withoutRaw(s1)).toStrictEqual(withoutRaw(s2));
        expect(s1).toMatchObject({ time, type: 'policy.issue', subject: 'R1' });
      }),
      { numRuns: RUNS },
    );
  });
});

/** Valid bodies of the schemas a listing does not reach, each with unknown fields added at random. */
const SAMPLES: ReadonlyArray<{ name: string; schema: z.ZodType; sample: (rng: Rng) => unknown }> = [
  {
    name: 'socotra event',
    schema: socotraEventSchema,
    sample: (rng) => ({ locator: 'L1', type: 'policy.issue', timestamp: timeForm(rng, ANCHORS[0] as number), userLocator: ['u'], requestId: null, data: { a: { listCompleted: false, items: ['x'] } } }),
  },
  {
    name: 'socotra events of a request',
    schema: socotraEventArraySchema,
    sample: (rng) => [{ locator: 'L1', timestamp: timeForm(rng, ANCHORS[1] as number) }, { locator: 'L2', timestamp: 'x', data: null }],
  },
  {
    name: 'socotra failed jobs',
    schema: socotraFailedJobArraySchema,
    sample: () => [{ triggerName: 't', triggerGroup: 'g', failedJobState: 'quit', failureCount: 3, createdAt: ['2026-11-01T00:00:00Z'], updatedAt: null }],
  },
  {
    name: 'socotra scheduled events',
    schema: socotraScheduledPolicyEventArraySchema,
    sample: () => [{ policyLocator: 'p', transactionLocator: ['t'], triggerState: 'NORMAL', customEventId: null, nextEventTime: '2026-12-01T00:00:00Z' }],
  },
  { name: 'tines event', schema: tinesEventSchema, sample: (rng) => ({ id: '2000000001', created_at: timeForm(rng, ANCHORS[2] as number), user_id: null, action_id: '5', story_run_guid: ['g'], payload: [1] }) },
  {
    name: 'illumio event',
    schema: illumioEventSchema,
    sample: () => ({ href: '/orgs/1/events/a', timestamp: '2026-11-23T10:00:00Z', created_by: { user: { href: '/users/1' } }, severity: ['err'], action: null, resource_changes: [], notifications: null }),
  },
  { name: 'illumio job', schema: jobSchema, sample: () => ({ href: '/orgs/1/jobs/1', status: 'done', result: { href: '/orgs/1/datafiles/1' }, requested_at: null }) },
  {
    name: 'informatica event',
    schema: informaticaEventSchema,
    sample: () => ({ eventId: 1, createTime: '2023-04-20T02:45:58Z', eventHistory: { comments: 'x' }, childEvents: [{ eventId: '2', parentEventId: 1, createTime: '2023-04-20T02:45:59Z', childEvents: null }] }),
  },
  { name: 'fujitsu event', schema: fujitsuEventSchema, sample: () => ({ date: '2013-03-18T19:09:17', eventCategories: 'backup', message: ['m'], sourceType: null }) },
  { name: 'keystone token', schema: keystoneTokenSchema, sample: () => ({ token: { expires_at: '2026-11-23T11:00:00.000000Z', issued_at: null, methods: ['password'] } }) },
];

/** Adds unknown fields to every object of `value`. */
function drift(rng: Rng, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => drift(rng, item));
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [key, member] of Object.entries(value)) out[key] = drift(rng, member);
  addUnknownFields(rng, out, Object.keys(out));
  return out;
}

describe('the in-place validator and zod give one verdict', () => {
  for (const { name, schema, sample } of SAMPLES) {
    it(`${name}: drifted and randomly broken bodies`, () => {
      fc.assert(
        fc.property(seeds, (seed) => {
          const rng = createRng(seed);
          const valid = JSON.parse(JSON.stringify(drift(rng, sample(rng)))) as unknown;
          expect(responseCheck(schema).run(valid)).toEqual({ ok: true, data: valid });
          let body = valid;
          for (let n = rng.int(1, 3); n > 0; n--) body = mutateJson(rng, body);
          const inPlace = responseCheck(schema).run(body);
          expect(inPlace.ok, JSON.stringify(body)).toBe(schema.safeParse(body).success);
          if (inPlace.ok) expect(inPlace.data).toBe(body);
        }),
        { numRuns: RUNS },
      );
    });
  }
});
