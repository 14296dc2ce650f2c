/**
 * CloudEvents 1.0 conformance of every event the five vendors' emulators list through the real
 * clients, as `toCloudEvent` makes it and as the CLI's `--cloudevents` writes it, held to the spec's
 * rules as `cloudevent-check.ts` writes them down (required and optional attributes, the type system,
 * extension names and values, `data` in the JSON format) and to the uniqueness of `source` + `id`.
 *
 * Each scenario draws a seed, a number of events, a page size and the vendor's variants (API version,
 * order, marker mode, export, children), and the emulator's text reaches the client changed, the same
 * way wherever the same value is sent: ids, names, types and messages in other scripts, with spaces,
 * slashes, `%`, brackets, controls, lone surrogates, noncharacters, or tens of thousands of
 * characters. A credential the client registered (one that spells `json`, `id` or a year too) is
 * echoed in that text, as a vendor may echo one: the CLI's line holds it nowhere the vendor wrote,
 * and is a valid CloudEvent still.
 */
import { CloudEvent } from 'cloudevents';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudEventLine } from '../../src/cli/event-line.js';
import type { Clock } from '../../src/core/clock.js';
import { toCloudEvent } from '../../src/core/cloudevent.js';
import type { TributaryEvent } from '../../src/core/event.js';
import type { Paginated } from '../../src/core/paginate/types.js';
import { redactSecrets, registerSecret } from '../../src/core/redact.js';
import { DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_TOKEN, fujitsuEmulator } from '../../src/providers/fujitsu/emulator.js';
import { fujitsu } from '../../src/providers/fujitsu/index.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../src/providers/illumio/emulator.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../src/providers/informatica/emulator.js';
import { informatica } from '../../src/providers/informatica/index.js';
import { SOCOTRA_EMULATOR_TENANT, SOCOTRA_EMULATOR_TOKEN, socotraEmulator } from '../../src/providers/socotra/emulator.js';
import { socotra } from '../../src/providers/socotra/index.js';
import { tinesEmulator } from '../../src/providers/tines/emulator.js';
import { tines } from '../../src/providers/tines/index.js';
import { createRng, type Rng } from '../../src/testing/rng.js';
import type { EmulatorServer } from '../../src/testing/types.js';
import { cliInProcess } from '../support/cli-in-process.js';
import { cloudEventProblems } from '../support/cloudevent-check.js';
import { PROPERTY_TIMEOUT } from '../support/property-timeout.js';
import { ANCHORS } from '../support/vendor-drift.js';

type Json = Record<string, unknown>;
type Fetch = typeof globalThis.fetch;

/** A fixed clock at the scenario's anchor: waits end at once. */
function fixedClock(now: number): Clock {
  return { now: () => now, scale: 1, sleep: async (_ms, signal) => signal?.throwIfAborted() };
}

/** Characters that test what an attribute may hold: URI delimiters, escapes, every class the spec refuses. */
const ODD = [' ', '/', '//', '%', '%20', '%u{', '?', '#', '[', ']', '@', ':', '.', '..', '\\', '"', 'é', '中', 'я', '😀', '\u200d', '\n', '\r\n', '\t', '\u0000', '\u007f', '\u0085', '\ud800', '\udc00', '\ufffe', '\u{10ffff}'];

/** Text of a few odd characters, now and then very long. */
function oddText(rng: Rng, secret: string): string {
  let text = '';
  for (let n = rng.int(1, 6); n > 0; n--) text += rng.chance(0.1) ? secret : rng.pick(ODD);
  return rng.chance(0.02) ? text.repeat(rng.int(2_000, 6_000)) : text;
}

/** A time field, which the client must read to order and resume: sent as it is. */
const TIME_FIELD = /time|date|_at$/i;

/**
 * `value` as the scenario's vendor sends it: the same text wherever the same value is sent (a page read
 * again, a parent's id in its child), so ids stay distinct and the content ids of FUJITSU stay stable.
 */
function changed(seed: number, secret: string, value: string): string {
  let hash = seed;
  for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 16_777_619);
  const rng = createRng(hash >>> 0);
  if (rng.chance(0.3)) return value;
  // An Illumio href names the organization that is the event's source.
  if (value.startsWith('/orgs/') && rng.chance(0.5)) return `/orgs/${oddText(rng, secret)}${value.slice(6)}`;
  return rng.chance(0.5) ? `${oddText(rng, secret)}${value}` : `${value}${oddText(rng, secret)}`;
}

/** Every string of an event changed, at any depth, but its times. */
function changeEvent(seed: number, secret: string, value: unknown, key = ''): unknown {
  if (typeof value === 'string') return TIME_FIELD.test(key) ? value : changed(seed, secret, value);
  if (Array.isArray(value)) return value.map((item) => changeEvent(seed, secret, item, key));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, changeEvent(seed, secret, field, name)]));
}

interface Vendor {
  name: TributaryEvent['provider'];
  /** The credential the client registers, which the vendor's text echoes. */
  secret: string;
  create(seed: number, rng: Rng, fetch: (emulator: Fetch) => Fetch): Paginated<TributaryEvent>;
  isList(request: Request): boolean;
  /** A list body with each event passed through `change`. */
  rebuild(body: unknown, change: (event: unknown) => unknown): unknown;
}

const inEvents = (body: unknown, change: (event: unknown) => unknown): unknown => {
  const page = body as Json;
  return { ...page, events: (page['events'] as unknown[]).map(change) };
};
const inList = (body: unknown, change: (event: unknown) => unknown): unknown => (Array.isArray(body) ? body.map(change) : change(body));

const VENDORS: readonly Vendor[] = [
  {
    name: 'socotra',
    secret: SOCOTRA_EMULATOR_TOKEN,
    create(seed, rng, wrap) {
      const anchor = rng.pick(ANCHORS);
      const clock = fixedClock(anchor);
      const emulator = socotraEmulator.create({ seed, events: rng.int(0, 40), clock, start: anchor - 3_600_000 });
      const client = socotra({ baseUrl: 'https://api-ec-sandbox.socotra.com', tenantLocator: SOCOTRA_EMULATOR_TENANT, token: SOCOTRA_EMULATOR_TOKEN, fetch: wrap(emulator.fetch), clock });
      return client.events.list({ pageSize: rng.int(1, 15) });
    },
    isList: (request) => new URL(request.url).pathname.endsWith('/events/list'),
    rebuild: inEvents,
  },
  {
    name: 'tines',
    secret: 'tines-key-json-2026',
    create(seed, rng, wrap) {
      const clock = fixedClock(rng.pick(ANCHORS));
      const emulator = tinesEmulator.create({
        seed,
        events: rng.int(0, 40),
        clock,
        api: rng.pick(['current', 'legacy'] as const),
        order: rng.pick(['newest-first', 'oldest-first'] as const),
        credentials: [{ key: this.secret }],
      });
      const host = rng.pick(['tenant-1234.tines.com', 'tenant-1234.tines.com:8443', '[::1]:8080']);
      const client = tines({ baseUrl: `https://${host}`, token: this.secret, fetch: wrap(emulator.fetch), clock, rateLimit: false });
      return client.events.list({ pageSize: rng.int(1, 15) });
    },
    isList: (request) => new URL(request.url).pathname === '/api/v1/events',
    rebuild: (body, change) => (Array.isArray(body) ? body.map(change) : inEvents(body, change)),
  },
  {
    name: 'fujitsu',
    secret: DEFAULT_FUJITSU_TOKEN,
    create(seed, rng, wrap) {
      const clock = fixedClock(rng.pick(ANCHORS));
      const emulator = fujitsuEmulator.create({ seed, events: rng.int(0, 60), clock, marker: rng.pick(['inclusive', 'exclusive'] as const) });
      const client = fujitsu({ baseUrl: 'https://database.uk-1.cloud.global.fujitsu.com', tenantId: DEFAULT_FUJITSU_TENANT, token: DEFAULT_FUJITSU_TOKEN, fetch: wrap(emulator.fetch), clock, rateLimit: false });
      return client.events.list({ pageSize: rng.int(20, 40) });
    },
    isList: (request) => new URL(request.url).pathname.endsWith('/events'),
    rebuild: inEvents,
  },
  {
    name: 'illumio',
    secret: DEFAULT_ILLUMIO_CREDENTIAL.apiSecret,
    create(seed, rng, wrap) {
      const anchor = rng.pick(ANCHORS);
      const clock = fixedClock(anchor);
      const emulator = illumioEmulator.create({ seed, events: rng.int(0, 40), clock, newest: anchor, maxGapMs: rng.pick([1, 1_000, 60_000]), rateLimit: false, async: { pollsBeforeDone: rng.int(0, 2) } });
      const pageSize = rng.int(2, 15);
      const client = illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch: wrap(emulator.fetch), clock, rateLimit: false });
      const mode = rng.pick(['sync', 'auto'] as const);
      return client.events.list(mode === 'auto' ? { pageSize, mode, asyncThreshold: pageSize * 2 } : { pageSize, mode });
    },
    isList: (request) => /\/orgs\/1\/(events|datafiles\/[^/]+)$/.test(new URL(request.url).pathname),
    rebuild: inList,
  },
  {
    name: 'informatica',
    secret: DEFAULT_INFORMATICA_USER.password,
    create(seed, rng, wrap) {
      const clock = fixedClock(rng.pick(ANCHORS));
      const emulator = informaticaEmulator.create({ seed, events: rng.int(0, 30), clock, rateLimit: false });
      const client = informatica({
        baseUrl: 'https://cih-pod1.dm-us.informaticacloud.com',
        username: DEFAULT_INFORMATICA_USER.user,
        password: DEFAULT_INFORMATICA_USER.password,
        fetch: wrap(emulator.fetch),
        clock,
        rateLimit: false,
      });
      return client.events.list({ pageSize: rng.int(1, 12), children: rng.pick(['flatten', 'nested'] as const) });
    },
    isList: (request) => request.method === 'POST' && new URL(request.url).pathname === '/dih-console/api/v1/events',
    rebuild: inList,
  },
];

/** The attributes tributary writes itself, which a credential can spell only by chance: the CLI leaves them as they are. */
const TRIBUTARY_OWN = ['specversion', 'time', 'datacontenttype', 'provider', 'severity'];

/** Every check of one event: the CloudEvent, and the CLI's line of it. */
function check(event: TributaryEvent, secret: string, identities: Map<string, string>): void {
  const cloudEvent = toCloudEvent(event) as unknown as Json;
  expect(cloudEventProblems(cloudEvent)).toEqual([]);
  // What tributary promises beyond the spec: JSON data, an object, every attribute present that the event has.
  expect(cloudEvent['datacontenttype']).toBe('application/json');
  expect(Object.getPrototypeOf(cloudEvent['data'])).toBe(Object.prototype);
  expect(new CloudEvent(JSON.parse(JSON.stringify(cloudEvent)) as never, true).validate()).toBe(true);
  // Producers MUST ensure `source` + `id` is unique for each distinct event.
  const identity = `${String(cloudEvent['source'])} ${String(cloudEvent['id'])}`;
  expect(identities.get(identity) ?? event.id, `two events became one CloudEvent: ${identity.slice(0, 300)}`).toBe(event.id);
  identities.set(identity, event.id);

  const line = cloudEventLine(toCloudEvent(event));
  expect(line).not.toContain('\n');
  const written = JSON.parse(line) as Json;
  expect(cloudEventProblems(written)).toEqual([]);
  // The CloudEvent's own attributes all there, only the vendor's text redacted.
  expect(Object.keys(written)).toEqual(Object.keys(cloudEvent));
  for (const name of TRIBUTARY_OWN) expect(written[name]).toEqual(cloudEvent[name]);
  const scheme = /^[a-z]+:/.exec(String(cloudEvent['source']))?.[0] as string;
  expect(String(written['source']).startsWith(scheme)).toBe(true);
  const vendorText: Json = { ...written, source: String(written['source']).slice(scheme.length) };
  for (const name of TRIBUTARY_OWN) delete vendorText[name];
  expect(redactSecrets(JSON.stringify(vendorText)), `the line shows ${secret}`).toBe(JSON.stringify(vendorText));
  // DEL, C1 controls and U+2028/U+2029 are escaped where JSON.stringify leaves them; the line reads back the same.
  expect(line).not.toMatch(/[\u007f-\u009f\u2028\u2029]/);
  if (redactSecrets(JSON.stringify(cloudEvent)) === JSON.stringify(cloudEvent)) expect(JSON.parse(line)).toEqual(cloudEvent);
  checked.events += 1;
}

const checked = { events: 0, changed: 0, scenarios: 0 };

async function scenario(vendor: Vendor, seed: number): Promise<void> {
  const rng = createRng(seed);
  const wrap = (emulator: Fetch): Fetch => async (input, init) => {
    const request = new Request(input, init);
    const response = await emulator(request);
    if (response.status !== 200 || !vendor.isList(request)) return response;
    const body = vendor.rebuild(JSON.parse(await response.text()), (event) => changeEvent(seed, vendor.secret, event));
    checked.changed += 1;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(body), { status: 200, headers });
  };
  const identities = new Map<string, string>();
  for await (const event of vendor.create(seed, rng, wrap)) check(event, vendor.secret, identities);
  checked.scenarios += 1;
}

/** Scenarios per vendor: about a second for all five. `CLOUDEVENTS_RUNS=300` searches further. */
const RUNS = Number(process.env['CLOUDEVENTS_RUNS'] ?? 12);

describe('CloudEvents 1.0 conformance of listed events', PROPERTY_TIMEOUT, () => {
  it('the checker refuses what the spec refuses', () => {
    const valid = { specversion: '1.0', id: 'a', source: 'tines://[::1]:8080/actions/21?x#y', type: 't', time: '2028-02-29T00:00:60.5+05:45', datacontenttype: 'application/json; charset="utf-8"', data: {}, flag: true, count: -(2 ** 31) };
    expect(cloudEventProblems(valid)).toEqual([]);
    expect(cloudEventProblems({ ...valid, source: 'relative/path', subject: null, dataschema: 'https://example.com/s' })).toEqual([]);
    const broken: Json[] = [
      { specversion: '1.1' },
      { id: '' },
      { source: 'fujitsu:/t/a b' },
      { source: 'fujitsu:/t/[REDACTED]' },
      { source: 'fujitsu:/t/%2' },
      { source: '%5BREDACTED%5D:/t' },
      { source: 'tines://[::g]/x' },
      { type: 'a\nb' },
      { subject: '' },
      { time: '2026-02-29T00:00:00Z' },
      { time: '+010000-01-01T00:00:00.000Z' },
      { datacontenttype: 'application/[REDACTED]' },
      { dataschema: '/relative' },
      { data_base64: 'AA==' },
      { '[REDACTED]': 'a' },
      { Provider: 'x' },
      { averyveryverylongextension: 'x' },
      { count: 2 ** 31 },
      { count: 1.5 },
      { nested: {} },
      { flag: 'a\ud800' },
    ];
    for (const change of broken) expect(cloudEventProblems({ ...valid, ...change }), JSON.stringify(change)).not.toEqual([]);
  });

  for (const vendor of VENDORS) {
    it(`${vendor.name}: every event listed is a valid CloudEvent, unique by source and id, alone and as the CLI writes it`, async () => {
      const release = registerSecret(vendor.secret);
      try {
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => scenario(vendor, seed)),
          { numRuns: RUNS, endOnFailure: true },
        );
      } finally {
        release();
      }
    });
  }

  it('checked events and changed pages', () => {
    expect(checked.scenarios).toBe(RUNS * VENDORS.length);
    expect(checked.events).toBeGreaterThan(RUNS * VENDORS.length * 10);
    expect(checked.changed).toBeGreaterThan(RUNS * VENDORS.length);
  });
});

describe('the CLI --cloudevents output', () => {
  // Credentials that spell an attribute's name or value, which the old line redacted out of the event.
  const KEYS = ['json', 'tines', 'source', '2026'];
  const emulator = tinesEmulator.create({ events: 5, seed: 11, credentials: KEYS.map((key) => ({ key })) });
  let server: EmulatorServer;

  beforeAll(async () => {
    server = await emulator.listen();
  });
  afterAll(() => server.close());

  it.each(KEYS)('is valid CloudEvents 1.0 with the token %j', async (key) => {
    const { code, stdout } = await cliInProcess(['pull', 'tines', '--cloudevents'], { TRIBUTARY_TINES_BASE_URL: server.url, TRIBUTARY_TINES_TOKEN: key });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(cloudEventProblems(JSON.parse(line) as Json)).toEqual([]);
  });
});
