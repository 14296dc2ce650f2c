/**
 * Forward compatibility with what a vendor adds, through the real clients on their emulators: every
 * list body is rewritten on the wire, and the listing must deliver every event an undisturbed listing
 * delivers, each with `raw` as sent.
 *
 * - Unknown fields at random points of every object of a body (the envelope, each event, `meta`,
 *   `data`, `payload`, `created_by` and the principal in it, `action`, `resource_changes`,
 *   `childEvents` at any depth, `eventHistory` entries), at a random position among the keys: `raw`
 *   keeps them, and every normalized field but `data` (which hands some of them on) is what it was.
 * - Every enum-like field (a type, a status, a severity, a category, a source type, a principal kind,
 *   a descendant state) set to a value the SDK has never seen: carried through as the README says, or
 *   left out where the README names no fallback (a severity).
 * - Every optional field `null`, or missing.
 *
 * Each rewrite is a pure function of the seed and the object rewritten, so an event read twice (a
 * page asked again, a boundary) is the same object both times. `FORWARD_COMPAT_RUNS=200` searches further.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import type { TributaryEvent } from '../../src/core/event.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { keyEvents } from '../../src/providers/fujitsu/normalize.js';
import type { FujitsuEvent } from '../../src/providers/fujitsu/schemas.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../src/providers/tines/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { createRng, type Rng } from '../../src/testing/rng.js';
import { PROPERTY_TIMEOUT } from '../support/property-timeout.js';
import { randomJson, setOwn } from '../support/vendor-drift.js';

type Json = Record<string, unknown>;
type Event = TributaryEvent;
type Fetch = typeof globalThis.fetch;

const ANCHOR = Date.parse('2026-11-23T10:00:00.000Z');
const clock: Clock = { now: () => ANCHOR, scale: 1, sleep: async (_ms, signal) => signal?.throwIfAborted() };
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const canonical = (value: unknown): string => JSON.stringify(value);

/** FNV-1a of `text`, for a seed per object rewritten. */
function hash(text: string, seed: number): number {
  let h = (2_166_136_261 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16_777_619) >>> 0;
  return h;
}

/** Names no vendor documents at any level: prototype members, other scripts, an empty one. */
const UNKNOWN_NAMES = ['x_added_in_v9', 'extensions', '__proto__', 'constructor', 'toString', 'データ', '', 'zz', '7'];

/** Values the SDK has never seen in an enum-like field. */
const NOVEL = ['quantum_flux', 'NEW_KIND.v2', 'Überprüft', 'pending_review', 'X'];

/** `object` with `key` set at a random position among its keys (`__proto__` as an own field). */
function insertAt(rng: Rng, object: Json, key: string, value: unknown): Json {
  const keys = Object.keys(object).filter((name) => name !== key);
  const at = rng.int(0, keys.length);
  const out: Json = {};
  keys.forEach((name, index) => {
    if (index === at) setOwn(out, key, value);
    setOwn(out, name, object[name]);
  });
  if (at === keys.length) setOwn(out, key, value);
  return out;
}

/** A copy of `value` with unknown fields added to objects at every depth, as a function of `seed` and the value. */
function withUnknownFields(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => withUnknownFields(item, seed));
  if (!isObject(value)) return value;
  const rng = createRng(hash(canonical(value), seed));
  let out: Json = {};
  for (const key of Object.keys(value)) setOwn(out, key, withUnknownFields(value[key], seed));
  for (let n = rng.chance(0.7) ? rng.int(1, 3) : 0; n > 0; n--) out = insertAt(rng, out, rng.pick(UNKNOWN_NAMES), randomJson(rng, 2));
  return out;
}

/** What a scenario does to one event object (and, for Informatica, to each child the same way). */
type Rewrite = (rng: Rng, event: Json) => Json;

interface Vendor {
  name: string;
  create(seed: number, rng: Rng): { fetch: Fetch; list(fetch: Fetch): Paginated<Event> };
  isList(request: Request): boolean;
  /** The event objects of a list body, and the body rebuilt around rewritten ones. */
  events(body: unknown): { list: unknown[]; rebuild(events: unknown[]): unknown };
  /** Nested event objects an event holds (Informatica's `childEvents`), rewritten as events too. */
  childKey?: string;
  /** Optional fields, each set to `null` or removed by the `nulls` scenario. */
  optional: readonly string[];
  /** Sets every enum-like field to `novel`; `check` is what the normalized event must then say. */
  novel(event: Json, novel: string): Json;
  checkNovel(event: Event, novel: string): void;
}

/** Applies `rewrite` to `event` and, depth first, to the events nested under `childKey`. */
function rewriteEvent(vendor: Vendor, event: unknown, seed: number, rewrite: Rewrite): unknown {
  if (!isObject(event)) return event;
  let copy: Json = { ...event };
  const key = vendor.childKey;
  if (key !== undefined && Array.isArray(event[key])) setOwn(copy, key, (event[key] as unknown[]).map((child) => rewriteEvent(vendor, child, seed, rewrite)));
  copy = rewrite(createRng(hash(canonical(event), seed)), copy);
  return copy;
}

function withoutLength(headers: Headers): Headers {
  const out = new Headers(headers);
  out.delete('content-length');
  return out;
}

/** The emulator's `fetch` with every list body rewritten by `body`. */
function rewriting(vendor: Vendor, fetch: Fetch, body: (parsed: unknown) => unknown): Fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    if (response.status !== 200 || !vendor.isList(request)) return response;
    const text = JSON.stringify(body(JSON.parse(await response.text()) as unknown));
    return new Response(text, { status: 200, headers: withoutLength(response.headers) });
  };
}

async function listAll(listing: Paginated<Event>): Promise<Event[]> {
  const out: Event[] = [];
  for await (const page of listing.byPage()) out.push(...page.items);
  return out;
}

/** The event without what a vendor's added field may legitimately change. */
function normalizedPart(event: Event): Omit<Event, 'raw' | 'data'> {
  const { raw: _raw, data: _data, ...rest } = event;
  return rest;
}

type Scenario = 'unknown' | 'novel' | 'nulls';

async function scenario(vendor: Vendor, seed: number, kind: Scenario): Promise<void> {
  const rng = createRng(seed);
  const { fetch, list } = vendor.create(seed, rng);
  const reference = await listAll(list(fetch));
  const novel = rng.pick(NOVEL);
  const rewrite: Rewrite =
    kind === 'novel'
      ? (_rng, event) => vendor.novel(event, novel)
      : kind === 'nulls'
        ? (eventRng, event) => {
            for (const key of vendor.optional) if (key in event || eventRng.chance(0.5)) eventRng.chance(0.5) ? setOwn(event, key, null) : delete event[key];
            return event;
          }
        : (_rng, event) => event;
  const rewriteBody = (parsed: unknown): unknown => {
    if (kind === 'unknown') return withUnknownFields(parsed, seed);
    const { list: events, rebuild } = vendor.events(parsed);
    return rebuild(events.map((event) => rewriteEvent(vendor, event, seed, rewrite)));
  };
  const delivered = await listAll(list(rewriting(vendor, fetch, rewriteBody)));

  // Every event, each with `raw` as the vendor sent it.
  const expectedRaw = (raw: unknown): unknown => (kind === 'unknown' ? withUnknownFields(raw, seed) : rewriteEvent(vendor, raw, seed, rewrite));
  const sent = reference.map((event) => canonical(expectedRaw(event.raw)));
  const got = delivered.map((event) => canonical(event.raw));
  if (vendor.name === 'fujitsu') {
    // Identity is content there: events a rewrite made identical within their second are one event
    // (README, "Identical events"), and the events of one second are ordered by it.
    const sentEvents = sent.map((text) => JSON.parse(text) as FujitsuEvent);
    const ids = new Set(keyEvents(sentEvents, 'events.list').map((keyed) => keyed.id));
    expect(new Set(delivered.map((event) => event.id)).size, `${vendor.name} ${kind}: events delivered`).toBe(ids.size);
    expect(delivered.length).toBe(ids.size);
    for (const text of got) expect(sent).toContain(text);
  } else {
    expect(delivered.length, `${vendor.name} ${kind}: events delivered`).toBe(reference.length);
    expect(got).toEqual(sent);
  }
  for (const event of delivered) expect(isDeepStrictEqual(event.raw, JSON.parse(canonical(event.raw)))).toBe(true);

  if (kind === 'unknown') {
    delivered.forEach((event, index) => expect(normalizedPart(event), `${vendor.name}: ${canonical(event.raw).slice(0, 400)}`).toEqual(normalizedPart(reference[index] as Event)));
  }
  if (kind === 'novel') for (const event of delivered) vendor.checkNovel(event, novel);
}

// --- the five vendors ---

const socotraVendor: Vendor = {
  name: 'socotra',
  create(seed, rng) {
    const emulator = socotraEmulator.create({ seed, events: rng.int(1, 30), clock, start: ANCHOR - 3_600_000 });
    const pageSize = rng.int(1, 10);
    return {
      fetch: emulator.fetch,
      list: (fetch) => socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, fetch, clock }).events.list({ pageSize }),
    };
  },
  isList: (request) => new URL(request.url).pathname.endsWith('/events/list'),
  events: (body) => ({ list: ((body as Json)['events'] as unknown[] | null) ?? [], rebuild: (events) => ({ ...(body as Json), events }) }),
  optional: ['type', 'userLocator', 'requestId', 'data'],
  novel: (event, novel) => ({ ...event, type: novel }),
  checkNovel: (event, novel) => expect(event.type).toBe(novel),
};

const tinesVendor: Vendor = {
  name: 'tines',
  create(seed, rng) {
    const emulator = tinesEmulator.create({ seed, events: rng.int(1, 30), clock, api: rng.pick(['current', 'legacy'] as const), order: rng.pick(['newest-first', 'oldest-first'] as const) });
    const pageSize = rng.int(1, 10);
    return {
      fetch: emulator.fetch,
      list: (fetch) => tines({ baseUrl: 'https://tenant-1234.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch, clock, rateLimit: false }).events.list({ pageSize }),
    };
  },
  isList: (request) => new URL(request.url).pathname === '/api/v1/events',
  events: (body) =>
    Array.isArray(body) ? { list: body, rebuild: (events) => events } : { list: (body as Json)['events'] as unknown[], rebuild: (events) => ({ ...(body as Json), events }) },
  optional: ['user_id', 'agent_id', 'action_id', 'payload', 'story_run_guid', 'updated_at', 'expires_at', 'previous_event_ids', 're_emitted'],
  // Tines has no enum in an event: its one marker of a version is the list's shape, drawn in `create`.
  novel: (event) => event,
  checkNovel: (event) => expect(event.type).toBe('tines.event'),
};

const fujitsuVendor: Vendor = {
  name: 'fujitsu',
  create(seed, rng) {
    const emulator = fujitsuEmulator.create({ seed, events: rng.int(1, 50), clock, marker: rng.pick(['inclusive', 'exclusive'] as const) });
    const pageSize = rng.int(20, 30);
    return {
      fetch: emulator.fetch,
      list: (fetch) => fujitsu({ baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com', tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN, fetch, clock, rateLimit: false }).events.list({ pageSize }),
    };
  },
  isList: (request) => new URL(request.url).pathname.endsWith('/events'),
  events: (body) => ({ list: (body as Json)['events'] as unknown[], rebuild: (events) => ({ ...(body as Json), events }) }),
  optional: ['eventCategories', 'message', 'sourceIdentifier', 'sourceType'],
  novel: (event, novel) => ({ ...event, sourceType: novel, eventCategories: Array.isArray(event['eventCategories']) ? [novel] : novel }),
  checkNovel(event, novel) {
    expect(event.data['sourceType']).toBe(novel);
    expect(event.data['categories']).toEqual([novel]);
    expect(event.type).toBe(`fujitsu.dbaas.${novel.toLowerCase().replace(/[^\p{L}\p{N}_.-]+/gu, '-')}`);
    expect(event.source).toContain(`/${encodeURIComponent(novel)}/`);
  },
};

const illumioVendor: Vendor = {
  name: 'illumio',
  create(seed, rng) {
    const emulator = illumioEmulator.create({ seed, events: rng.int(1, 30), clock, newest: ANCHOR, maxGapMs: rng.pick([1, 60_000]), rateLimit: false });
    const pageSize = rng.int(2, 10);
    return {
      fetch: emulator.fetch,
      list: (fetch) => illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch, clock, rateLimit: false }).events.list({ pageSize, mode: 'sync' }),
    };
  },
  isList: (request) => /\/orgs\/1\/events$/.test(new URL(request.url).pathname),
  events: (body) => ({ list: body as unknown[], rebuild: (events) => events }),
  optional: ['event_type', 'pce_fqdn', 'created_by', 'severity', 'status', 'action', 'resource_changes', 'notifications'],
  novel(event, novel) {
    const createdBy = event['created_by'];
    const principal = isObject(createdBy) ? Object.values(createdBy)[0] : undefined;
    return { ...event, event_type: novel, severity: novel, status: novel, created_by: { [novel]: principal ?? {} } };
  },
  checkNovel(event, novel) {
    expect(event.type).toBe(novel);
    expect(event.status).toBe(novel);
    // The README: an unknown severity is left out, and stays in `raw`.
    expect(event.severity).toBeUndefined();
    expect(event.actor?.kind).toBe(novel);
  },
};

const informaticaVendor: Vendor = {
  name: 'informatica',
  create(seed, rng) {
    const emulator = informaticaEmulator.create({ seed, events: rng.int(1, 25), clock, rateLimit: false });
    const pageSize = rng.int(1, 8);
    const children = rng.pick(['flatten', 'nested'] as const);
    return {
      fetch: emulator.fetch,
      list: (fetch) =>
        informatica({ baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com', username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password, fetch, clock, rateLimit: false }).events.list({
          pageSize,
          children,
        }),
    };
  },
  isList: (request) => request.method === 'POST' && new URL(request.url).pathname === '/dih-console/api/v1/events',
  events: (body) => (Array.isArray(body) ? { list: body, rebuild: (events) => events } : { list: [body], rebuild: (events) => events[0] }),
  childKey: 'childEvents',
  optional: [
    'eventType', 'applicationName', 'topicName', 'pubSubName', 'completionTime', 'eventStatus', 'descendantState', 'parentEventId', 'eventHistory', 'runId',
    'sourceSuccessCount', 'sourceFailedCount', 'targetSuccessCount', 'targetFailedCount',
  ],
  novel: (event, novel) => ({ ...event, eventType: novel, eventStatus: novel, descendantState: novel }),
  checkNovel(event, novel) {
    expect(event.type).toBe(`informatica.${novel.toLowerCase()}`);
    expect(event.status).toBe(novel);
    expect(event.severity).toBeUndefined();
    expect(event.data['descendantState']).toBe(novel);
  },
};

const VENDORS: readonly Vendor[] = [socotraVendor, tinesVendor, fujitsuVendor, illumioVendor, informaticaVendor];
const RUNS = Number(process.env['FORWARD_COMPAT_RUNS'] ?? 10);

describe('forward compatibility: what a vendor adds stops no listing', PROPERTY_TIMEOUT, () => {
  for (const vendor of VENDORS) {
    for (const kind of ['unknown', 'novel', 'nulls'] as const) {
      it(`${vendor.name}: ${kind === 'unknown' ? 'unknown fields at every level' : kind === 'novel' ? 'enum values never seen' : 'optional fields null or missing'}`, async () => {
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => scenario(vendor, seed, kind)),
          { numRuns: RUNS, seed: 20_261_207 + vendor.name.length + kind.length, endOnFailure: true },
        );
      });
    }
  }
});
