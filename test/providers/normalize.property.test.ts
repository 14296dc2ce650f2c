/**
 * The response schemas, their in-place validation, the normalizers and `toCloudEvent` of all five
 * vendors, on seeded drifted responses served to the real client by the vendor's emulator: every event
 * the emulator answers is rewritten as VENDORS.md says real responses drift (unknown fields, named
 * `__proto__` or `constructor` too, in other scripts or very long; optional fields missing, `null` or
 * empty; documented strings as arrays; its times in every form of the same instant: offsets, `+hhmm`,
 * no zone, fractions of any length, minute precision), around leap days and a year's end.
 *
 * A valid event is delivered with `raw` deep-equal to the object as parsed and unchanged, its fields as
 * the README's tables give them (an oracle written from the tables, not from the normalizers), its time
 * the instant sent in RFC 3339 UTC with milliseconds; `toCloudEvent` of it is valid CloudEvents 1.0 and
 * comes back the same through JSON. An event made invalid (a required field missing, of the wrong type
 * or unreadable, at any depth) fails its listing with a `ResponseValidationError` naming the path and
 * keeping the value, with no credential in what it says; the pages delivered before it are those of an
 * undisturbed listing, and resuming from the last cursor once the vendor sends the event right again
 * delivers the rest of it. The in-place validator and zod's parser agree on every body served and on
 * copies of it broken at one member at any depth; no two events of a listing share a CloudEvent
 * `source` + `id`, nor do any two distinct ids, whatever characters they hold.
 */
import { CloudEvent } from 'cloudevents';
import fc from 'fast-check';
import { inspect, isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import type { Clock } from '../../src/core/clock.js';
import { toCloudEvent } from '../../src/core/cloudevent.js';
import { isResponseValidationError, type ProviderName } from '../../src/core/errors.js';
import { redactedRaw } from '../../src/core/errors/redacted-raw.js';
import { tributaryEventSchema, type Actor, type Severity, type TributaryEvent } from '../../src/core/event.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { responseCheck } from '../../src/core/response-schema.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { eventListSchema as fujitsuListSchema, eventSchema as fujitsuEventSchema } from '../../src/providers/fujitsu/schemas.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { eventListSchema as illumioListSchema, eventSchema as illumioEventSchema } from '../../src/providers/illumio/schemas.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { informaticaEventListSchema, informaticaEventSchema } from '../../src/providers/informatica/schemas.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { socotraEventSchema, socotraEventStreamSchema } from '../../src/providers/socotra/schemas.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { tinesEventListSchema, tinesEventSchema } from '../../src/providers/tines/schemas.js';
import { createRng, type Rng } from '../../src/testing/rng.js';
import { cloudEventProblems } from '../support/cloudevent-check.js';
import { ANCHORS, addUnknownFields, firstString, mutateJson, randomJson, randomText, setOwn, textForm, timeForm, UNREADABLE_TIMES } from '../support/vendor-drift.js';
import { PROPERTY_TIMEOUT } from '../support/property-timeout.js';

type Json = Record<string, unknown>;
type Event = TributaryEvent;
/** What the README's table gives for an event: everything but `raw`. */
type Expected = Omit<Event, 'raw'>;

/** A fixed clock at the run's anchor: waits end at once, windows are the anchor's. */
function fixedClock(now: number): Clock {
  return { now: () => now, scale: 1, sleep: async (_ms, signal) => signal?.throwIfAborted() };
}

/** Where one event sits in a body, written as `validation.ts` writes issue paths. */
function joinPath(prefix: string, key: string | number): string {
  if (typeof key === 'number') return `${prefix}[${key}]`;
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** The value at a path of `joinPath`'s form. */
function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const [, name, index] of path.matchAll(/\.?([^.[\]]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Json)[name ?? (index as string)];
  }
  return value;
}

/** The same JSON as `JSON.parse` gives it, written back: the key of an event's expectations. */
const canonical = (value: unknown): string => JSON.stringify(JSON.parse(JSON.stringify(value)));

interface Expectation {
  /** The event's time, as the README gives it: the instant sent, UTC, milliseconds. */
  time: string;
  /** Informatica's `completionTime`, normalized, when one was sent. */
  completion?: string | undefined;
}

/** How a corrupted event is expected to fail. */
interface Corruption {
  event: Json;
  /** The field's path within the event (`timestamp`, `childEvents[0].eventId`). */
  field: string;
  /** Whether the schema refuses it (the issue's path is within the body) or the normalizer (an unusable time). */
  by: 'schema' | 'time';
}

/** A vendor of one scenario: its emulator's `fetch`, the listing, and how Informatica delivers children. */
interface Vendor {
  fetch: typeof globalThis.fetch;
  list(fetch: typeof globalThis.fetch): Paginated<Event>;
  /** `events.get` of the event the emulator keeps as `original`, where the vendor has one. */
  get?(fetch: typeof globalThis.fetch, original: Json): Promise<Event>;
  children?: 'flatten' | 'nested';
}

/** What the README's table is applied with: the scenario's vendor, and the expectations of every event sent. */
interface Context {
  vendor: Vendor;
  expectations: ReadonlyMap<string, Expectation>;
}

interface Profile {
  name: ProviderName;
  /** The credentials the client holds, none of which an error may repeat. */
  secrets: readonly string[];
  /** The schema of a list body, and of one event (`events.get`). */
  schema: z.ZodType;
  eventSchema: z.ZodType;
  create(seed: number, anchor: number, rng: Rng): Vendor;
  isList(request: Request): boolean;
  /** A request for one event (`events.get`). */
  isGet?(request: Request): boolean;
  /** The events of a list body, where each sits, and the body rebuilt around other events. */
  events(body: unknown): { list: Json[]; prefix: (index: number) => string; rebuild(events: Json[]): unknown };
  /** A valid drifted copy of `original`; `remember` is called for it (and for each drifted descendant). */
  drift(rng: Rng, original: Json, remember: (event: Json, expectation: Expectation) => void): Json;
  /** An invalid copy of `drifted`. */
  corrupt(rng: Rng, drifted: Json, secret: string): Corruption;
  /** The README's table applied to `raw`. */
  expect(raw: Json, expectation: Expectation, context: Context): Expected;
  /** Unknown fields of a page object may be added next to these. */
  pageFields: readonly string[];
  /** Drifts the page object's own documented fields, where the vendor has some beside its events. */
  driftPage?(rng: Rng, page: Json): void;
}

/** A documented field set to `value`; `undefined` removes it. */
function put(event: Json, key: string, value: unknown): void {
  if (value === undefined) delete event[key];
  else setOwn(event, key, value);
}

const nonEmpty = (text: string | undefined): string | undefined => (text === undefined || text === '' ? undefined : text);
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Illumio's loosely documented lists: missing or `null` is none, a single value one item. */
const asList = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
/** A URI path segment: percent-encoded UTF-8, where a lone surrogate can only be U+FFFD. */
const segment = (text: string): string => encodeURIComponent((text as string & { toWellFormed(): string }).toWellFormed());
const instant = (text: string): number => Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`);

/** Sets what `expect` sets only when present, so that `toStrictEqual` compares the same keys. */
function withOptional(base: Expected, optional: Partial<Expected>): Expected {
  const out: Expected = { ...base };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (out as Json)[key] = value;
  return out;
}

/** The Basic credentials of a user, as its `Authorization` header carries them. */
const basic = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64');

// --- Socotra: README "Socotra", "The normalized event" ---
const SOCOTRA_FIELDS = ['locator', 'type', 'timestamp', 'userLocator', 'requestId', 'data'];
const socotraProfile: Profile = {
  name: 'socotra',
  secrets: [SOCOTRA_EMULATOR_TOKEN],
  schema: socotraEventStreamSchema,
  eventSchema: socotraEventSchema,
  pageFields: ['pagingToken', 'events'],
  create(seed, anchor, rng) {
    const clock = fixedClock(anchor);
    const emulator = socotraEmulator.create({ seed, events: rng.int(0, 40), clock, start: anchor - 3_600_000 });
    const pageSize = rng.int(1, 15);
    const client = (fetch: typeof globalThis.fetch) =>
      socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, fetch, clock });
    return {
      fetch: emulator.fetch,
      list: (fetch) => client(fetch).events.list({ pageSize }),
      get: (fetch, original) => client(fetch).events.get(original['locator'] as string),
    };
  },
  isList: (request) => new URL(request.url).pathname.endsWith('/events/list'),
  isGet: (request) => /\/events\/(?!list$)[^/]+$/.test(new URL(request.url).pathname),
  events(body) {
    const page = body as Json;
    return {
      list: (page['events'] as Json[] | null) ?? [],
      prefix: (index) => `events[${index}]`,
      rebuild: (events) => ({ ...page, events }),
    };
  },
  drift(rng, original, remember) {
    const event: Json = {};
    for (const key of rng.chance(0.3) ? [...SOCOTRA_FIELDS].reverse() : SOCOTRA_FIELDS) if (key in original) setOwn(event, key, original[key]);
    const time = new Date(instant(original['timestamp'] as string)).toISOString();
    put(event, 'timestamp', timeForm(rng, Date.parse(time)));
    // Still unique: the stream drops a locator it has delivered.
    if (rng.chance(0.2)) put(event, 'locator', `${randomText(rng)}${String(original['locator'])}`);
    put(event, 'type', rng.chance(0.1) ? rng.pick([undefined, null, 7, { name: 'x' }, '']) : textForm(rng, original['type'] as string));
    put(event, 'userLocator', textForm(rng, String(original['userLocator'] ?? 'b8ffcd42-15a0-48b8-be6c-00b6c830b402')));
    put(event, 'requestId', textForm(rng, String(original['requestId'] ?? '01JD3W5X8V0000000000000001')));
    if (rng.chance(0.2)) put(event, 'data', rng.pick([null, undefined, {}]));
    else if (rng.chance(0.3) && isObject(event['data'])) addUnknownFields(rng, (event['data'] = { ...event['data'] }) as Json, []);
    addUnknownFields(rng, event, SOCOTRA_FIELDS);
    remember(event, { time });
    return event;
  },
  corrupt(rng, drifted, secret) {
    const event = { ...drifted };
    const field = rng.pick(['locator', 'timestamp', 'timestamp', 'userLocator', 'requestId', 'data']);
    if (field === 'timestamp' && rng.chance(0.5)) {
      put(event, field, rng.pick([...UNREADABLE_TIMES, `${secret}`]));
      return { event, field, by: 'time' };
    }
    const wrong: Record<string, unknown[]> = {
      locator: [undefined, null, '', 17, [drifted['locator']]],
      timestamp: [undefined, null, '', Date.parse('2026-11-23T10:00:00Z'), ['2026-11-23T10:00:00Z']],
      userLocator: [17, true, { id: secret }],
      requestId: [17, false],
      data: ['{}', [1], 3, true],
    };
    put(event, field, rng.pick(wrong[field] as unknown[]));
    return { event, field, by: 'schema' };
  },
  expect(raw, { time }) {
    const requestId = nonEmpty(firstString(raw['requestId']));
    const userLocator = nonEmpty(firstString(raw['userLocator']));
    return withOptional(
      {
        provider: 'socotra',
        id: raw['locator'] as string,
        type: nonEmpty(firstString(raw['type'])) ?? 'socotra.unknown',
        time,
        source: `socotra:/tenants/${SOCOTRA_EMULATOR_TENANT}`,
        data: isObject(raw['data']) ? raw['data'] : {},
      },
      { subject: requestId, actor: userLocator === undefined ? undefined : { kind: 'user', id: userLocator } },
    );
  },
};

// --- Tines: README "Tines", "Where each normalized field comes from" ---
const TINES_FIELDS = ['id', 'user_id', 'agent_id', 'action_id', 'payload', 'created_at', 'story_run_guid', 'updated_at', 'expires_at', 'previous_event_ids', 're_emitted'];
const TINES_HOST = 'tenant-1234.tines.com';
/** A reference (`user_id`, `agent_id`, `action_id`) as a number, its string, or absent in each way. */
const reference = (rng: Rng, value: unknown): unknown =>
  value === undefined || value === null ? rng.pick([undefined, null]) : rng.pick([value, value, String(value), null, undefined, '', randomText(rng)]);
const tinesProfile: Profile = {
  name: 'tines',
  secrets: [DEFAULT_TINES_CREDENTIAL.key],
  schema: tinesEventListSchema,
  eventSchema: tinesEventSchema,
  pageFields: ['events', 'meta'],
  create(seed, anchor, rng) {
    const clock = fixedClock(anchor);
    const emulator = tinesEmulator.create({
      seed,
      events: rng.int(0, 40),
      clock,
      api: rng.pick(['current', 'legacy'] as const),
      order: rng.pick(['newest-first', 'oldest-first'] as const),
    });
    const pageSize = rng.int(1, 15);
    const client = (fetch: typeof globalThis.fetch) => tines({ baseUrl: `https://${TINES_HOST}`, token: DEFAULT_TINES_CREDENTIAL.key, fetch, clock, rateLimit: false });
    return {
      fetch: emulator.fetch,
      list: (fetch) => client(fetch).events.list({ pageSize }),
      get: (fetch, original) => client(fetch).events.get(original['id'] as number),
    };
  },
  isList: (request) => new URL(request.url).pathname === '/api/v1/events',
  isGet: (request) => /^\/api\/v1\/events\/\d+$/.test(new URL(request.url).pathname),
  driftPage(rng, page) {
    const meta = page['meta'];
    if (!isObject(meta)) return;
    // Numbers as strings, fields of a newer API, or no `meta` to go by at all.
    const asText = Object.fromEntries(Object.entries(meta).map(([key, value]) => [key, typeof value === 'number' ? String(value) : value]));
    const wider = { ...meta };
    addUnknownFields(rng, wider, Object.keys(meta));
    put(page, 'meta', rng.pick([meta, null, undefined, {}, asText, wider]));
  },
  events(body) {
    if (Array.isArray(body)) return { list: body as Json[], prefix: (index) => `[${index}]`, rebuild: (events) => events };
    const page = body as Json;
    return { list: page['events'] as Json[], prefix: (index) => `events[${index}]`, rebuild: (events) => ({ ...page, events }) };
  },
  drift(rng, original, remember) {
    const event: Json = {};
    for (const key of Object.keys(original)) setOwn(event, key, original[key]);
    const ms = instant(original['created_at'] as string);
    put(event, 'created_at', timeForm(rng, ms));
    if (rng.chance(0.3)) put(event, 'id', rng.pick(['', '', '0', '00']) + String(original['id']));
    put(event, 'user_id', reference(rng, original['user_id']));
    put(event, 'agent_id', reference(rng, original['agent_id']));
    put(event, 'action_id', reference(rng, original['action_id'] ?? original['agent_id']));
    put(event, 'story_run_guid', textForm(rng, String(original['story_run_guid'] ?? '6b9a3c1e-5e2f-4d8a-9c7b-0123456789ab')));
    if (rng.chance(0.3)) put(event, 'payload', randomJson(rng, 2));
    for (const key of ['updated_at', 'expires_at', 'previous_event_ids', 're_emitted']) if (rng.chance(0.2)) put(event, key, rng.chance(0.5) ? undefined : randomJson(rng, 1));
    addUnknownFields(rng, event, TINES_FIELDS);
    remember(event, { time: new Date(ms).toISOString() });
    return event;
  },
  corrupt(rng, drifted, secret) {
    const event = { ...drifted };
    const field = rng.pick(['id', 'created_at', 'created_at', 'user_id', 'agent_id', 'story_run_guid']);
    if (field === 'created_at' && rng.chance(0.5)) {
      put(event, field, rng.pick([...UNREADABLE_TIMES, secret]));
      return { event, field, by: 'time' };
    }
    const wrong: Record<string, unknown[]> = {
      id: [undefined, null, -1, 1.5, 'abc', '', 2 ** 53 + 2, { id: 1 }],
      created_at: [undefined, null, '', Date.parse('2026-11-23T10:00:00Z')],
      user_id: [{ id: 1 }, true, [1]],
      agent_id: [{ id: 1 }, false],
      story_run_guid: [17, { guid: secret }],
    };
    put(event, field, rng.pick(wrong[field] as unknown[]));
    return { event, field, by: 'schema' };
  },
  expect(raw, { time }) {
    const present = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : nonEmpty(String(value)));
    const action = present(raw['agent_id']) ?? present(raw['action_id']);
    const payload = raw['payload'];
    const user = present(raw['user_id']);
    return withOptional(
      {
        provider: 'tines',
        id: String(raw['id']).replace(/^0+(?=\d)/, ''),
        type: 'tines.event',
        time,
        source: action === undefined ? `tines://${TINES_HOST}/events` : `tines://${TINES_HOST}/actions/${segment(action)}`,
        data: isObject(payload) ? payload : payload === undefined ? {} : { value: payload },
      },
      { subject: nonEmpty(firstString(raw['story_run_guid'])), actor: user === undefined ? undefined : { kind: 'user', id: user } },
    );
  },
};

// --- FUJITSU: README "FUJITSU K5 DBaaS", "Where each normalized field comes from" ---
const FUJITSU_FIELDS = ['date', 'eventCategories', 'message', 'sourceIdentifier', 'sourceType'];
const fujitsuProfile: Profile = {
  name: 'fujitsu',
  secrets: [DEFAULT_FUJITSU_TOKEN],
  schema: fujitsuListSchema,
  eventSchema: fujitsuEventSchema,
  pageFields: ['events'],
  create(seed, anchor, rng) {
    const clock = fixedClock(anchor);
    const emulator = fujitsuEmulator.create({ seed, events: rng.int(0, 60), clock, marker: rng.pick(['inclusive', 'exclusive'] as const) });
    const pageSize = rng.int(20, 40);
    return {
      fetch: emulator.fetch,
      list: (fetch) =>
        fujitsu({ baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com', tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN, fetch, clock, rateLimit: false }).events.list({ pageSize }),
    };
  },
  isList: (request) => new URL(request.url).pathname.endsWith('/events'),
  events(body) {
    const page = body as Json;
    return { list: page['events'] as Json[], prefix: (index) => `events[${index}]`, rebuild: (events) => ({ ...page, events }) };
  },
  drift(rng, original, remember) {
    const event: Json = {};
    for (const key of Object.keys(original)) setOwn(event, key, original[key]);
    const ms = instant(original['date'] as string);
    put(event, 'date', timeForm(rng, ms));
    const categories = Array.isArray(original['eventCategories']) ? (original['eventCategories'] as string[]) : String(original['eventCategories'] ?? '').split(',');
    put(
      event,
      'eventCategories',
      rng.pick([categories, categories.join(','), categories.join(' , '), null, undefined, [], [...categories, rng.pick(['Low Storage', 'バックアップ', '  ', 'a_b.c'])]]),
    );
    for (const key of ['message', 'sourceIdentifier', 'sourceType']) put(event, key, textForm(rng, String(original[key] ?? 'x')));
    addUnknownFields(rng, event, FUJITSU_FIELDS, ['categories']);
    remember(event, { time: new Date(ms).toISOString() });
    return event;
  },
  corrupt(rng, drifted, secret) {
    const event = { ...drifted };
    const field = rng.pick(['date', 'date', 'eventCategories', 'message', 'sourceType']);
    if (field === 'date' && rng.chance(0.5)) {
      // Dates the schema's pattern passes and no calendar has.
      put(event, field, rng.pick(['2026-02-29T10:00:00', '2027-13-01T00:00:00Z', '2026-11-23 24:00:00', '2026-11-31T10:00']));
      return { event, field, by: 'time' };
    }
    const wrong: Record<string, unknown[]> = {
      date: [undefined, null, '', 'yesterday', secret, Date.parse('2026-11-23T10:00:00Z'), '2026-11-23'],
      eventCategories: [7, { backup: true }, ['backup', 3]],
      message: [7, true],
      sourceType: [{ type: 'db-instance' }, 0],
    };
    const value = rng.pick(wrong[field] as unknown[]);
    put(event, field, value);
    // An array with one wrong item is refused at that item.
    return { event, field: Array.isArray(value) ? `${field}[1]` : field, by: 'schema' };
  },
  expect(raw, { time }) {
    const sent = raw['eventCategories'];
    const categories = (typeof sent === 'string' ? sent.split(',') : Array.isArray(sent) ? (sent as string[]) : []).map((c) => c.trim()).filter((c) => c !== '');
    const first = [...categories].sort()[0];
    const slug = first?.toLowerCase().replace(/[^\p{L}\p{N}_.-]+/gu, '-').replace(/^-+|-+$/g, '');
    const sourceType = firstString(raw['sourceType']);
    const sourceIdentifier = firstString(raw['sourceIdentifier']);
    const data: Json = { categories };
    if (sourceType !== undefined) data['sourceType'] = sourceType;
    if (sourceIdentifier !== undefined) data['sourceIdentifier'] = sourceIdentifier;
    for (const key of Object.keys(raw)) if (![...FUJITSU_FIELDS, 'categories', '__proto__'].includes(key)) setOwn(data, key, raw[key]);
    return withOptional(
      {
        provider: 'fujitsu',
        id: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown as string,
        type: `fujitsu.dbaas.${slug || 'event'}`,
        time,
        source: `fujitsu:/${DEFAULT_FUJITSU_TENANT}/${segment(nonEmpty(sourceType) ?? 'unknown')}/${segment(nonEmpty(sourceIdentifier) ?? 'unknown')}`,
        data,
      },
      { subject: nonEmpty(sourceIdentifier), message: nonEmpty(firstString(raw['message'])) },
    );
  },
};

// --- Illumio: README "Illumio Core PCE", "The normalized event" ---
const ILLUMIO_FIELDS = ['href', 'timestamp', 'event_type', 'pce_fqdn', 'created_by', 'severity', 'status', 'action', 'resource_changes', 'notifications'];
const SYSLOG: Record<string, Severity> = {
  emerg: 'emergency', emergency: 'emergency', alert: 'alert', crit: 'critical', critical: 'critical', err: 'error', error: 'error',
  warning: 'warning', warn: 'warning', notice: 'notice', info: 'info', informational: 'info', debug: 'debug',
};
const PRINCIPAL_KINDS = ['user', 'agent', 'system', 'ven', 'container_cluster', 'service_account'];
const illumioProfile: Profile = {
  name: 'illumio',
  secrets: [DEFAULT_ILLUMIO_CREDENTIAL.apiSecret, basic(DEFAULT_ILLUMIO_CREDENTIAL.apiKey, DEFAULT_ILLUMIO_CREDENTIAL.apiSecret)],
  schema: illumioListSchema,
  eventSchema: illumioEventSchema,
  pageFields: [],
  create(seed, anchor, rng) {
    const clock = fixedClock(anchor);
    const emulator = illumioEmulator.create({
      seed,
      events: rng.int(0, 40),
      clock,
      newest: anchor,
      maxGapMs: rng.pick([1, 1_000, 60_000]),
      rateLimit: false,
      async: { pollsBeforeDone: rng.int(0, 2) },
    });
    const pageSize = rng.int(2, 15);
    // Now and then a window of more matches than the threshold comes through the asynchronous export.
    const mode = rng.pick(['sync', 'sync', 'auto'] as const);
    const client = (fetch: typeof globalThis.fetch) => illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch, clock, rateLimit: false });
    return {
      fetch: emulator.fetch,
      list: (fetch) => client(fetch).events.list(mode === 'auto' ? { pageSize, mode, asyncThreshold: pageSize * 2 } : { pageSize, mode }),
      get: (fetch, original) => client(fetch).events.get(original['href'] as string),
    };
  },
  // A page of events, or the datafile of an export.
  isList: (request) => /\/orgs\/1\/(events|datafiles\/[^/]+)$/.test(new URL(request.url).pathname),
  isGet: (request) => /\/(events|system_events)\/[^/]+$/.test(new URL(request.url).pathname),
  events: (body) => ({ list: body as Json[], prefix: (index) => `[${index}]`, rebuild: (events) => events }),
  drift(rng, original, remember) {
    const event: Json = {};
    for (const key of Object.keys(original)) setOwn(event, key, original[key]);
    const ms = instant(original['timestamp'] as string);
    put(event, 'timestamp', timeForm(rng, ms));
    const href = String(original['href']);
    if (rng.chance(0.2)) put(event, 'href', rng.pick([`/orgs/${randomText(rng)}/events/`, `/system_events/${randomText(rng)}`, randomText(rng)]) + href);
    put(event, 'event_type', textForm(rng, String(original['event_type'])));
    put(event, 'pce_fqdn', textForm(rng, String(original['pce_fqdn'] ?? 'pce.example.com')));
    const severity = rng.pick([...Object.keys(SYSLOG), 'ERR', 'Warning', 'INFO', 'fatal', '__proto__', 'constructor', '']);
    put(event, 'severity', rng.chance(0.2) ? rng.pick([null, undefined]) : textForm(rng, severity));
    put(event, 'status', rng.chance(0.2) ? null : textForm(rng, String(original['status'] ?? 'success')));
    put(
      event,
      'created_by',
      rng.pick([
        original['created_by'],
        original['created_by'],
        null,
        undefined,
        {},
        { system: {} },
        { container_cluster: { href: '/orgs/1/container_clusters/9', name: '' } },
        { user: { href: 5, username: ['x'], hostname: 'host-1' } },
        { user: null, ven: { href: '/orgs/1/vens/3', hostname: 'ven-3' } },
        { [randomText(rng)]: { href: randomText(rng), name: randomText(rng), username: randomText(rng) } },
        { service_account: 'sa-1' },
        // Fields the PCE adds beside the principal, before it.
        { '7': 'x', note: ['a'], extensions: {}, user: { href: '/users/4', username: 'ana' } },
        { note: 'x', workload_manager: { href: '/orgs/1/workload_managers/2', name: 'wm' } },
        'system',
      ]),
    );
    put(event, 'action', rng.pick([original['action'], original['action'], null, undefined, 'POST /login', [original['action']]]));
    // A single value in place of the list is its one item, not a failed page (the SDK only hands them on).
    for (const key of ['resource_changes', 'notifications']) put(event, key, rng.pick([original[key], null, undefined, [], [randomJson(rng, 2)], randomJson(rng, 2)]));
    addUnknownFields(rng, event, ILLUMIO_FIELDS);
    remember(event, { time: new Date(ms).toISOString() });
    return event;
  },
  corrupt(rng, drifted, secret) {
    const event = { ...drifted };
    const field = rng.pick(['href', 'timestamp', 'timestamp', 'event_type', 'severity']);
    if (field === 'timestamp' && rng.chance(0.5)) {
      put(event, field, rng.pick([...UNREADABLE_TIMES, secret]));
      return { event, field, by: 'time' };
    }
    const wrong: Record<string, unknown[]> = {
      href: [undefined, null, '', 42],
      timestamp: [undefined, null, '', Date.parse('2026-11-23T10:00:00Z')],
      event_type: [42, { type: 'x' }],
      severity: [3, { level: secret }],
    };
    put(event, field, rng.pick(wrong[field] as unknown[]));
    return { event, field, by: 'schema' };
  },
  expect(raw, { time }) {
    const href = raw['href'] as string;
    const org = /^\/orgs\/([^/]+)\//.exec(href)?.[1];
    const source = href.startsWith('/system_events/') ? 'illumio:/system_events' : `illumio:/orgs/${org === undefined ? '1' : segment(org)}`;
    let actor: Actor | undefined;
    const createdBy = raw['created_by'];
    if (isObject(createdBy)) {
      // README: the first key of a documented kind, else the first holding an object, else the first holding anything.
      const held = Object.keys(createdBy).filter((key) => createdBy[key] !== null && createdBy[key] !== undefined);
      const kind = held.find((key) => PRINCIPAL_KINDS.includes(key)) ?? held.find((key) => isObject(createdBy[key])) ?? held[0];
      const principal = kind === undefined ? undefined : createdBy[kind];
      if (kind !== undefined) {
        actor = { kind };
        if (isObject(principal)) {
          const id = principal['href'];
          if (typeof id === 'string' && id !== '') actor.id = id;
          const name = ['name', 'username', 'hostname'].map((key) => principal[key]).find((value) => typeof value === 'string' && value !== '');
          if (typeof name === 'string') actor.name = name;
        }
      }
    }
    const severityName = nonEmpty(firstString(raw['severity']))?.toLowerCase();
    const severity = severityName !== undefined && Object.hasOwn(SYSLOG, severityName) ? SYSLOG[severityName] : undefined;
    return withOptional(
      {
        provider: 'illumio',
        id: href,
        type: nonEmpty(firstString(raw['event_type'])) ?? 'illumio.unknown',
        time,
        source,
        data: {
          action: isObject(raw['action']) ? raw['action'] : null,
          resource_changes: asList(raw['resource_changes']),
          notifications: asList(raw['notifications']),
          pce_fqdn: firstString(raw['pce_fqdn']) ?? null,
        },
      },
      { actor, severity, status: nonEmpty(firstString(raw['status'])) },
    );
  },
};

// --- Informatica: README "Informatica Cloud Integration Hub", "The normalized event" ---
const INFORMATICA_FIELDS = [
  'eventId', 'eventType', 'applicationName', 'topicName', 'pubSubName', 'createTime', 'completionTime', 'eventStatus', 'descendantState',
  'parentEventId', 'childEvents', 'eventHistory', 'runId', 'runID', 'sourceSuccessCount', 'sourceFailedCount', 'targetSuccessCount', 'targetFailedCount',
];
const COUNTS = ['sourceSuccessCount', 'sourceFailedCount', 'targetSuccessCount', 'targetFailedCount'] as const;
const STATUS_SEVERITY: Record<string, Severity> = {
  complete: 'info', processing: 'info', pending: 'info', reprocessed: 'info', delayed: 'warning', discarded: 'warning', error: 'error',
};
const POD = 'cih-pod1.dm-us.informaticacloud.com';
/** An id as a number, its decimal string, or (now and then) that string with leading zeros. */
const longId = (rng: Rng, value: unknown): unknown => (typeof value !== 'number' ? value : rng.pick([value, value, String(value), `00${value}`]));
const idText = (value: unknown): string => (typeof value === 'number' ? String(value) : String(value).replace(/^0+(?=\d)/, ''));
const informaticaProfile: Profile = {
  name: 'informatica',
  secrets: [DEFAULT_INFORMATICA_USER.password, basic(DEFAULT_INFORMATICA_USER.user, DEFAULT_INFORMATICA_USER.password)],
  schema: informaticaEventListSchema,
  eventSchema: informaticaEventSchema,
  pageFields: [],
  create(seed, anchor, rng) {
    const clock = fixedClock(anchor);
    const emulator = informaticaEmulator.create({ seed, events: rng.int(0, 30), clock, rateLimit: false });
    const pageSize = rng.int(1, 12);
    const children = rng.pick(['flatten', 'nested'] as const);
    const client = (fetch: typeof globalThis.fetch) =>
      informatica({ baseUrl: `https://${POD}`, username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password, fetch, clock, rateLimit: false });
    return {
      fetch: emulator.fetch,
      list: (fetch) => client(fetch).events.list({ pageSize, children }),
      get: (fetch, original) => client(fetch).events.get(original['eventId'] as number, { children }),
      children,
    };
  },
  isList: (request) => request.method === 'POST' && new URL(request.url).pathname === '/dih-console/api/v1/events',
  isGet: (request) => request.method === 'GET' && /^\/dih-console\/api\/v1\/event\/[^/]+$/.test(new URL(request.url).pathname),
  events(body) {
    if (Array.isArray(body)) return { list: body as Json[], prefix: (index) => `[${index}]`, rebuild: (events) => events };
    return { list: [body as Json], prefix: () => '', rebuild: (events) => (events.length === 1 ? events[0] : events) };
  },
  drift(rng, original, remember) {
    const event: Json = {};
    for (const key of Object.keys(original)) setOwn(event, key, original[key]);
    const ms = instant(original['createTime'] as string);
    put(event, 'createTime', timeForm(rng, ms));
    put(event, 'eventId', longId(rng, original['eventId']));
    if ('parentEventId' in original) put(event, 'parentEventId', rng.chance(0.1) ? rng.pick([null, undefined]) : longId(rng, original['parentEventId']));
    for (const key of ['eventType', 'applicationName', 'topicName', 'pubSubName', 'eventStatus', 'descendantState']) {
      put(event, key, textForm(rng, String(original[key] ?? 'x')));
    }
    const completion = original['completionTime'];
    let expectedCompletion: string | undefined;
    if (typeof completion === 'string') {
      const completed = instant(completion);
      const form = timeForm(rng, completed);
      put(event, 'completionTime', textForm(rng, form));
      // Other text (`textForm` puts random text now and then) is no time: left out of `data`.
      if (firstString(event['completionTime']) === form) expectedCompletion = new Date(completed).toISOString();
    }
    for (const key of COUNTS) if (rng.chance(0.3)) put(event, key, rng.pick([String(original[key] ?? 0), null, undefined, '12a', { n: 1 }, 7.5]));
    if (rng.chance(0.3)) put(event, rng.pick(['runId', 'runID']), rng.pick([null, '', 42, { id: 1 }, 'run-9']));
    const history = original['eventHistory'];
    if (rng.chance(0.4)) {
      const entry = { eventId: original['eventId'], timeStamp: original['createTime'], eventStatusName: 'Error', comments: rng.pick(['', 'Subscription to topic failed.', 7, null, randomText(rng)]) };
      put(event, 'eventHistory', rng.pick([entry, [entry, 'x'], [...(Array.isArray(history) ? history : []), entry], 'none', null]));
    }
    const children = original['childEvents'];
    if (Array.isArray(children)) put(event, 'childEvents', children.map((child) => informaticaProfile.drift(rng, child as Json, remember)));
    else if (rng.chance(0.2)) put(event, 'childEvents', rng.pick([null, []]));
    // Now and then a chain of descendants deeper than the schema's unrolled levels, at the parent's time.
    if (!('parentEventId' in original) && rng.chance(0.15)) {
      const chain = descendants(rng, original['eventId'] as number, ms, rng.int(1, 7), remember);
      put(event, 'childEvents', [...((event['childEvents'] as Json[] | null | undefined) ?? []), chain]);
    }
    addUnknownFields(rng, event, INFORMATICA_FIELDS);
    remember(event, { time: new Date(ms).toISOString(), completion: expectedCompletion });
    return event;
  },
  corrupt(rng, drifted, secret) {
    const children = drifted['childEvents'];
    if (Array.isArray(children) && children.length > 0 && rng.chance(0.4)) {
      // At depth: one of the children, corrupted in turn.
      const index = rng.int(0, children.length - 1);
      const inner = informaticaProfile.corrupt(rng, children[index] as Json, secret);
      const copy = [...children];
      copy[index] = inner.event;
      return { event: { ...drifted, childEvents: copy }, field: `childEvents[${index}].${inner.field}`, by: inner.by };
    }
    const event = { ...drifted };
    const field = rng.pick(['eventId', 'createTime', 'createTime', 'parentEventId', 'eventType', 'childEvents']);
    if (field === 'createTime' && rng.chance(0.5)) {
      put(event, field, rng.pick([...UNREADABLE_TIMES, secret]));
      return { event, field, by: 'time' };
    }
    const wrong: Record<string, unknown[]> = {
      eventId: [undefined, null, -1, 1.5, 'x1', '', 2 ** 53 + 2],
      createTime: [undefined, null, '', Date.parse('2026-11-23T10:00:00Z')],
      parentEventId: ['none', -4, { id: 1 }],
      eventType: [5, { type: secret }],
      childEvents: ['none', { eventId: 1 }, 3],
    };
    put(event, field, rng.pick(wrong[field] as unknown[]));
    return { event, field, by: 'schema' };
  },
  expect: informaticaExpected,
};

/** Ids of made-up descendants: above any the emulator gives, unique within a run. */
let nextDescendant = 9_000_000_000;

/** A made-up child of `parentId` with `depth - 1` levels of descendants under it. */
function descendants(rng: Rng, parentId: number, ms: number, depth: number, remember: (event: Json, expectation: Expectation) => void): Json {
  const eventId = (nextDescendant += 1);
  const child: Json = { eventId: longId(rng, eventId), parentEventId: longId(rng, parentId), createTime: timeForm(rng, ms), eventType: textForm(rng, 'SUBSCRIPTION'), eventStatus: 'Complete' };
  if (depth > 1) child['childEvents'] = [descendants(rng, eventId, ms, depth - 1, remember)];
  addUnknownFields(rng, child, INFORMATICA_FIELDS);
  remember(child, { time: new Date(ms).toISOString() });
  return child;
}

function informaticaExpected(raw: Json, { time, completion }: Expectation, context: Context): Expected {
  const text = (key: string): string | undefined => nonEmpty(firstString(raw[key]));
  const eventType = text('eventType');
  const application = text('applicationName');
  const topic = text('topicName');
  let source = `informatica://${POD}/`;
  if (application !== undefined) source += `applications/${segment(application)}`;
  if (topic !== undefined) source += `${application === undefined ? '' : '/'}topics/${segment(topic)}`;
  const counts: Json = {};
  for (const key of COUNTS) {
    const value = raw[key];
    if (typeof value === 'number') counts[key] = value;
    else if (typeof value === 'string' && /^\d{1,15}$/.test(value)) counts[key] = Number(value);
  }
  const sentHistory = raw['eventHistory'];
  const history = Array.isArray(sentHistory) ? sentHistory.filter(isObject) : isObject(sentHistory) ? [sentHistory] : [];
  const comment = [...history].reverse().map((entry) => entry['comments']).find((value) => typeof value === 'string' && value !== '') as string | undefined;
  const run = [raw['runId'], raw['runID']].map((value) => (typeof value === 'number' ? String(value) : typeof value === 'string' && value !== '' ? value : undefined)).find((value) => value !== undefined);
  const data: Json = { counts, history };
  if (eventType !== undefined) data['eventType'] = eventType;
  if (application !== undefined) data['applicationName'] = application;
  if (topic !== undefined) data['topicName'] = topic;
  if (completion !== undefined) data['completionTime'] = completion;
  if (run !== undefined) data['runId'] = run;
  if (text('descendantState') !== undefined) data['descendantState'] = text('descendantState');
  if (raw['parentEventId'] !== null && raw['parentEventId'] !== undefined) data['parentEventId'] = idText(raw['parentEventId']);
  const descendants = raw['childEvents'];
  if (Array.isArray(descendants) && descendants.length > 0) {
    if (context.vendor.children !== 'nested') data['childEventIds'] = descendants.map((child) => idText((child as Json)['eventId']));
    else data['childEvents'] = descendants.map((child) => ({ ...informaticaExpected(child as Json, context.expectations.get(canonical(child)) as Expectation, context), raw: child }));
  }
  const status = text('eventStatus');
  return withOptional(
    { provider: 'informatica', id: idText(raw['eventId']), type: eventType === undefined ? 'informatica.unknown' : `informatica.${eventType.toLowerCase()}`, time, source, data },
    {
      subject: text('pubSubName'),
      status,
      severity: status !== undefined && Object.hasOwn(STATUS_SEVERITY, status.toLowerCase()) ? STATUS_SEVERITY[status.toLowerCase()] : undefined,
      message: comment,
    },
  );
}

const PROFILES: readonly Profile[] = [socotraProfile, tinesProfile, fujitsuProfile, illumioProfile, informaticaProfile];

/** Counts of what the properties checked, reported at the end. */
const checked = { events: 0, gets: 0, pages: 0, bodies: 0, verdicts: 0, failures: 0 };

/** The headers of a body that is rewritten. */
function withoutLength(headers: Headers): Headers {
  const out = new Headers(headers);
  out.delete('content-length');
  return out;
}

/**
 * A vendor whose answers drift: each event the emulator lists is replaced by its drifted copy (the
 * same copy every time it is listed), and `victim`'s by its corrupted one while `corrupted` holds.
 */
function driftingVendor(profile: Profile, seed: number, emulatorFetch: typeof globalThis.fetch) {
  const drifted = new Map<string, Json>();
  const expectations = new Map<string, Expectation>();
  const served = new Set<string>();
  const disagreements: string[] = [];
  const state: { victim?: string; corruption?: Corruption; victimPaths: string[] } = { victimPaths: [] };
  let responses = 0;
  const remember = (event: Json, expectation: Expectation): void => {
    expectations.set(canonical(event), expectation);
  };
  const driftOf = (original: Json): Json => {
    const key = canonical(original);
    let copy = drifted.get(key);
    if (copy === undefined) {
      copy = profile.drift(createRng(seed * 7919 + drifted.size + 1), original, remember);
      drifted.set(key, copy);
    }
    return copy;
  };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await emulatorFetch(request);
    if (response.status !== 200) return response;
    if (profile.isGet?.(request) === true) {
      const one = driftOf(JSON.parse(await response.text()) as Json);
      const text = JSON.stringify(one);
      agree(profile.eventSchema, JSON.parse(text), disagreements);
      return new Response(text, { status: 200, headers: withoutLength(response.headers) });
    }
    if (!profile.isList(request)) return response;
    const body = JSON.parse(await response.text()) as unknown;
    const { list, prefix, rebuild } = profile.events(body);
    const events = list.map((original, index) => {
      const key = canonical(original);
      served.add(key);
      if (key !== state.victim || state.corruption === undefined) return driftOf(original);
      state.victimPaths.push(joinPath(prefix(index), state.corruption.field));
      return state.corruption.event;
    });
    let page = rebuild(events);
    if (isObject(page) && profile.pageFields.length > 0) {
      const pageRng = createRng(seed + (responses += 1));
      page = { ...page };
      addUnknownFields(pageRng, page as Json, profile.pageFields);
      profile.driftPage?.(pageRng, page as Json);
    }
    const text = JSON.stringify(page);
    const parsed = JSON.parse(text) as unknown;
    agree(profile.schema, parsed, disagreements);
    // The same body and some of its events changed at one member at any depth: most of them invalid.
    const mutants = createRng(seed * 31 + responses);
    for (let n = 0; n < 4; n++) agree(profile.schema, mutateJson(mutants, parsed), disagreements);
    for (const event of profile.events(parsed).list.slice(0, 3)) agree(profile.eventSchema, mutateJson(mutants, event), disagreements);
    checked.bodies += 1;
    return new Response(text, { status: response.status, headers: withoutLength(response.headers) });
  };
  return { fetch, served, expectations, disagreements, state, driftOf };
}

/** The in-place validator and zod's parser give one verdict on `value`, and an accepted value is not copied. */
function agree(schema: z.ZodType, value: unknown, disagreements: string[]): void {
  const inPlace = responseCheck(schema).run(value);
  if (inPlace.ok !== schema.safeParse(value).success || (inPlace.ok && inPlace.data !== value)) {
    disagreements.push(`${inPlace.ok ? 'accepted' : 'refused'} in place: ${JSON.stringify(value).slice(0, 2_000)}`);
  }
  checked.verdicts += 1;
}

/** The event id each CloudEvent `source` + `id` of the scenario came from. */
const cloudIdentities = new Map<string, string>();

/** Every check of one delivered event. */
function checkEvent(profile: Profile, event: Event, context: Context): void {
  const raw = event.raw as Json;
  const key = canonical(raw);
  const expectation = context.expectations.get(key);
  expect(expectation, `${profile.name} delivered a raw object that was not sent: ${key.slice(0, 300)}`).toBeDefined();
  // As parsed: unknown fields kept (`__proto__` as an own field), nothing added or changed.
  expect(isDeepStrictEqual(raw, JSON.parse(key))).toBe(true);
  expect(Object.getPrototypeOf(raw)).toBe(Object.prototype);
  expect(Object.getPrototypeOf(event.data)).toBe(Object.prototype);
  const { raw: _raw, ...normalized } = event;
  expect(normalized).toStrictEqual(profile.expect(raw, expectation as Expectation, context));
  expect(typeof event.id === 'string' && event.id !== '').toBe(true);
  // As an NDJSON line read back (README: an event parsed with `tributaryEventSchema` is a `TributaryEvent`).
  const line = JSON.stringify(event);
  const back = tributaryEventSchema.safeParse(JSON.parse(line));
  expect(back.success).toBe(true);
  expect(isDeepStrictEqual(back.data, JSON.parse(line))).toBe(true);
  expect(isDeepStrictEqual(toCloudEvent(back.data as Event), JSON.parse(JSON.stringify(toCloudEvent(event))))).toBe(true);

  const cloudEvent = toCloudEvent(event) as unknown as Json;
  expect(cloudEventProblems(cloudEvent)).toEqual([]);
  expect(new CloudEvent(JSON.parse(JSON.stringify(cloudEvent)) as never, true).validate()).toBe(true);
  // CloudEvents consumers dedupe on `source` + `id`: two events of a listing may not share them.
  const identity = `${String(cloudEvent['source'])}\u0000${String(cloudEvent['id'])}`;
  expect(cloudIdentities.get(identity) ?? event.id, `two events became one CloudEvent: ${identity}`).toBe(event.id);
  cloudIdentities.set(identity, event.id);
  // Neither normalizing nor converting touched the vendor's object.
  expect(canonical(raw)).toBe(key);
  checked.events += 1;
}

interface Listed {
  pages: Array<{ ids: string[]; cursor: string }>;
  error?: unknown;
}

async function listAll(listing: Paginated<Event>, profile: Profile, context: Context, cursor?: string): Promise<Listed> {
  const pages: Listed['pages'] = [];
  try {
    for await (const page of listing.byPage(cursor === undefined ? {} : { cursor })) {
      for (const event of page.items) checkEvent(profile, event, context);
      pages.push({ ids: page.items.map((event) => event.id), cursor: page.cursor });
      checked.pages += 1;
    }
  } catch (error) {
    return { pages, error };
  }
  return { pages };
}

/** One seeded scenario: a drifted listing, then the same listing with one event corrupted, resumed once repaired. */
async function scenario(profile: Profile, seed: number): Promise<void> {
  const rng = createRng(seed);
  const anchor = rng.pick(ANCHORS);
  cloudIdentities.clear();
  const vendor = profile.create(seed, anchor, rng);
  const drifting = driftingVendor(profile, seed, vendor.fetch);
  const context: Context = { vendor, expectations: drifting.expectations };
  const reference = await listAll(vendor.list(drifting.fetch), profile, context);
  if (reference.error !== undefined) throw reference.error;
  expect(drifting.disagreements).toEqual([]);
  const all = reference.pages.flatMap((page) => page.ids);
  if (profile.name !== 'fujitsu') expect(new Set(all).size).toBe(all.length);
  if (drifting.served.size === 0) return;

  // One event at a time (`events.get`), as the vendor drifts it too.
  for (let n = 0; n < 3 && vendor.get !== undefined; n++) {
    checkEvent(profile, await vendor.get(drifting.fetch, JSON.parse(rng.pick([...drifting.served])) as Json), context);
    checked.gets += 1;
  }

  // The same listing with one served event corrupted.
  const victim = rng.pick([...drifting.served]);
  const secret = rng.pick(profile.secrets);
  drifting.state.victim = victim;
  drifting.state.corruption = profile.corrupt(rng, drifting.driftOf(JSON.parse(victim) as Json), secret);
  const broken = await listAll(vendor.list(drifting.fetch), profile, context);
  const { error } = broken;
  // Where the corrupted event was served (a page may be read again, or the next one ahead).
  const paths = drifting.state.victimPaths;
  const corruption = drifting.state.corruption;
  expect(drifting.disagreements).toEqual([]);
  expect(isResponseValidationError(error), `${profile.name}: ${String(error)} (${paths.join(', ')} = ${JSON.stringify(valueAt(corruption.event, corruption.field))})`).toBe(true);
  const failure = error as { issues: readonly string[]; raw: unknown; message: string; stack?: string };
  const field = corruption.field.replace(/.*\./, '').replace(/\[\d+\]$/, '');
  if (corruption.by === 'schema') {
    const path = paths.find((where) => failure.issues.some((issue) => issue.startsWith(`${where}:`)));
    expect(path, `${failure.issues.join('\n')}\nexpected one of ${paths.join(', ')}`).toBeDefined();
    // As received, but for a credential put there, which the error does not keep either.
    expect(isDeepStrictEqual(valueAt(failure.raw, path as string), redactedRaw(valueAt(corruption.event, corruption.field)))).toBe(true);
  } else {
    // The issue's path is within `raw`, the event, as a schema issue's is within the body it keeps.
    expect(failure.issues.some((issue) => issue.startsWith(`${field}: not a date and time`)), failure.issues.join('\n')).toBe(true);
    const rawEvent = failure.raw as Json;
    expect(rawEvent[field]).toEqual(redactedRaw(valueAt(corruption.event, corruption.field)));
  }
  for (const text of [failure.message, failure.stack ?? '', inspect(error), JSON.stringify(error), String(error), ...failure.issues, JSON.stringify(failure.raw)]) {
    for (const credential of profile.secrets) expect(text.includes(credential), `${profile.name} error repeats a credential: ${text.slice(0, 300)}`).toBe(false);
  }
  // What came before the failure is what the undisturbed listing delivered first.
  const before = broken.pages.flatMap((page) => page.ids);
  expect(before).toEqual(all.slice(0, before.length));
  checked.failures += 1;

  // Repaired, the listing resumes from the last cursor delivered and brings the rest.
  delete drifting.state.corruption;
  const resumed = await listAll(vendor.list(drifting.fetch), profile, context, broken.pages.at(-1)?.cursor);
  if (resumed.error !== undefined) throw resumed.error;
  expect([...before, ...resumed.pages.flatMap((page) => page.ids)]).toEqual(all);
}

/** Scenarios per vendor: 10 to 15 s for all five. `NORMALIZE_RUNS=500` searches further (3 to 5 minutes). */
const RUNS = Number(process.env["NORMALIZE_RUNS"] ?? 20);

describe('normalize property: drifted responses through the real clients', PROPERTY_TIMEOUT, () => {
  for (const profile of PROFILES) {
    it(`${profile.name}: valid events normalized as the README says, invalid ones fail clearly and resume`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => scenario(profile, seed)),
        { numRuns: RUNS, seed: 20_261_206 + profile.name.length, endOnFailure: true },
      );
    }, 60_000 + RUNS * 2_000);
  }

  it('toCloudEvent: distinct ids stay distinct, whatever they hold (escapes, percent signs, controls)', () => {
    const id = fc.string({ unit: fc.constantFrom('a', '%', 'u', '{', '}', '2', '5', '7', 'f', '\n', ' ', '\u007f', '\ud800', '\ufffe'), minLength: 1, maxLength: 12 });
    const base: Event = { provider: 'illumio', id: 'x', type: 't', time: '2026-11-23T10:00:00.000Z', source: 'illumio:/orgs/1', data: {}, raw: {} };
    fc.assert(
      fc.property(id, id, (a, b) => {
        const cloudId = (value: string): string => toCloudEvent({ ...base, id: value }).id;
        if (a !== b) expect(cloudId(a)).not.toBe(cloudId(b));
        // The id a vendor would have to send to collide with `a`: the text `a` became.
        const converted = cloudId(a);
        if (converted !== a) expect(cloudId(converted)).not.toBe(converted);
        expect(cloudEventProblems(toCloudEvent({ ...base, id: a }) as unknown as Json)).toEqual([]);
      }),
      { numRuns: 5_000, seed: 20_261_206 },
    );
  });

  it('checked events, pages and bodies', () => {
    // A record of the volume, so that a run that silently checks nothing fails.
    expect(checked.events).toBeGreaterThan(RUNS * PROFILES.length * 20);
    expect(checked.failures).toBeGreaterThan(RUNS * PROFILES.length * 0.5);
    console.info(`normalize property: ${checked.events} events on ${checked.pages} pages and ${checked.gets} events.get, ${checked.bodies} bodies, ${checked.verdicts} validator verdicts, ${checked.failures} corrupted listings`);
  });
});
