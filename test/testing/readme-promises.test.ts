/**
 * What README "Testing your code: `tributary/testing`" and the kit's documented defaults promise and no
 * other test held: the README's own example run, the org of the Illumio credential, the defaults of `seed` and `events` for every
 * emulator, `reset()` rebuilding the store from the seed, the generic emulator's page and window caps,
 * `msw()` without a base URL serving the vendor's host (and FUJITSU's serving the identity host of
 * any region), the defaults of the fault kinds, latency faults adding up, and the `port` a real server
 * reports.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/core/clock.js';
import type { ProviderName } from '../../src/core/errors.js';
import { illumio } from '../../src/providers/illumio/index.js';
import { createEmulator, createGenericEmulator, DEFAULT_FUJITSU_TENANT, DEFAULT_FUJITSU_USER, DEFAULT_ILLUMIO_CREDENTIAL, type Emulator } from '../../src/testing/index.js';
import { emulators } from '../../src/testing/registry.js';
import { manualClock, observe } from './support.js';

type Target = ProviderName | 'generic';
const TARGETS: readonly Target[] = ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica', 'generic'];

/** The events an emulator's store starts with, as plain data, in its own order. */
function storedEvents(target: Target, emulator: Emulator<unknown>): unknown[] {
  switch (target) {
    case 'socotra': {
      const socotra = emulator.store as { length: number; page(position: number, filters: object, size: number): { events: unknown[] } };
      return socotra.page(0, {}, socotra.length).events;
    }
    case 'fujitsu':
      return [...(emulator.store as { events: { all(tenant: string): readonly unknown[] } }).events.all('5f1b9c3e7a2d4e6f8091a2b3c4d5e6f7')];
    case 'informatica':
      // `events` counts the top-level events; each brings its children along.
      return (emulator.store as { events: { all(): Array<{ parentEventId: number | null }> } }).events.all().filter((event) => event.parentEventId === null);
    default:
      return [...(emulator.store as { events: readonly unknown[] }).events];
  }
}

const create = (target: Target, options: object) => createEmulator(target as ProviderName, options as never) as Emulator<unknown>;

describe('the README example', () => {
  it('lists all 500 events of a seeded PCE, a 503 on every third request retried', async () => {
    const clock = scaledClock(0.001);
    const emulator = createEmulator('illumio', { seed: 42, events: 500, clock });
    const { apiKey, apiSecret } = DEFAULT_ILLUMIO_CREDENTIAL;
    const pce = illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, apiKey, apiSecret, fetch: emulator.fetch, clock });
    const fault = emulator.faults.add({ kind: 'status', status: 503, schedule: { every: 3 } });
    // Pages of 100, so that some of the requests meet the fault.
    const events = await pce.events.list({ pageSize: 100 }).toArray();
    expect(events).toHaveLength(500);
    expect(new Set(events.map((event) => event.id)).size).toBe(500);
    expect(fault.fired).toBeGreaterThan(0);
  });
});

describe('the credentials exported beside each emulator', () => {
  it("illumio: the key holds no orgId; the org is the emulator's, 1 unless its orgId option says otherwise", async () => {
    expect(Object.keys(DEFAULT_ILLUMIO_CREDENTIAL).sort()).toEqual(['apiKey', 'apiSecret']);
    const list = (emulator: Emulator<unknown>, orgId: number) =>
      illumio({ baseUrl: 'https://pce.example.com:8443', orgId, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch: emulator.fetch, retry: false, rateLimit: false })
        .events.list()
        .toArray()
        .then((events) => events.length, (error: unknown) => (error as { status?: number }).status);
    expect(await list(createEmulator('illumio', { events: 3 }), 1)).toBe(3);
    expect(await list(createEmulator('illumio', { events: 3, orgId: 3 }), 3)).toBe(3);
    expect(await list(createEmulator('illumio', { events: 3, orgId: 3 }), 1)).toBe(403);
  });
});

describe('options every emulator takes', () => {
  it.each(TARGETS)('%s: seed 1 and 50 events by default', (target) => {
    const { clock } = manualClock();
    const byDefault = storedEvents(target, create(target, { clock }));
    expect(byDefault).toHaveLength(50);
    expect(byDefault).toEqual(storedEvents(target, create(target, { clock, seed: 1, events: 50 })));
    expect(byDefault).not.toEqual(storedEvents(target, create(target, { clock, seed: 2, events: 50 })));
  });

  it.each(TARGETS)('%s: reset() rebuilds the store from the seed', (target) => {
    const { clock } = manualClock();
    const emulator = create(target, { clock, seed: 9, events: 6 });
    const before = emulator.store;
    const built = storedEvents(target, emulator);
    expect(built).toHaveLength(6);
    emulator.reset();
    expect(emulator.store).not.toBe(before);
    expect(storedEvents(target, emulator)).toEqual(built);
  });

  it('informatica: events counts top-level events, 4 bringing 10 in all with seed 1', () => {
    const { clock } = manualClock();
    const emulator = createEmulator('informatica', { clock, events: 4 });
    expect(storedEvents('informatica', emulator)).toHaveLength(4);
    expect(emulator.store.events.all()).toHaveLength(10);
  });
});

describe('generic emulator defaults', () => {
  const BASE = 'https://api.test.example';

  it('serves at most 500 events a page', async () => {
    const emulator = createGenericEmulator({ events: 600 });
    const page = (await (await emulator.fetch(`${BASE}/offset?count=600`)).json()) as { items: unknown[] };
    expect(page.items).toHaveLength(500);
  });

  it('serves at most 1_000 events of a time window', async () => {
    const emulator = createGenericEmulator({ events: 1_200 });
    const times = emulator.store.events.map((event) => event.time).sort();
    const window = `from=${times[0] ?? ''}&to=${times.at(-1) ?? ''}&max=5000`;
    const response = await emulator.fetch(`${BASE}/window?${window}`);
    expect(response.headers.get('x-total-count')).toBe('1200');
    expect((await response.json()) as unknown[]).toHaveLength(1_000);
  });
});

describe('msw()', () => {
  let close: (() => void) | undefined;
  afterEach(() => {
    close?.();
    close = undefined;
  });

  it.each(Object.keys(emulators) as ProviderName[])("%s: without a base URL, intercepts the vendor's host", async (provider) => {
    const emulator = createEmulator(provider, { events: 1 });
    const { setupServer } = await import('msw/node');
    const server = setupServer(...((await emulator.msw()) as never[]));
    server.listen({ onUnhandledRequest: 'error' });
    close = () => server.close();
    const origin = emulators[provider]?.baseUrl as string;
    const response = await fetch(`${origin}/tributary-nowhere`);
    await response.arrayBuffer();
    expect(emulator.requests.map((request) => request.url)).toEqual([`${origin}/tributary-nowhere`]);
  });

  it('fujitsu: serves the identity host of the region of the database host it is given', async () => {
    const emulator = createEmulator('fujitsu', { events: 1 });
    const { setupServer } = await import('msw/node');
    const server = setupServer(...((await emulator.msw('https://database.jp-east-1.cloud.global.fujitsu.com')) as never[]));
    server.listen({ onUnhandledRequest: 'error' });
    close = () => server.close();
    const { userName, password, domainName, projectId } = DEFAULT_FUJITSU_USER;
    const response = await fetch('https://identity.jp-east-1.cloud.global.fujitsu.com/v3/auth/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: { identity: { methods: ['password'], password: { user: { name: userName, password, domain: { name: domainName } } } }, scope: { project: { id: projectId } } },
      }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-subject-token')).toBeTruthy();
  });
});

describe('fault defaults', () => {
  const URL_OK = 'https://api.test.example/offset?count=20';

  it('a rate-limit fault asks for 1 second, in delta seconds', async () => {
    const emulator = createGenericEmulator({ events: 3 });
    emulator.faults.add({ kind: 'rate-limit' });
    expect(await observe(() => emulator.fetch(URL_OK))).toBe('429 1');
  });

  it('a status fault answers 503, on every request', async () => {
    const emulator = createGenericEmulator({ events: 3 });
    const fault = emulator.faults.add({ kind: 'status' });
    expect([await observe(() => emulator.fetch(URL_OK)), await observe(() => emulator.fetch(URL_OK))]).toEqual(['503', '503']);
    expect(fault.fired).toBe(2);
  });

  it('a truncate fault delivers half the body', async () => {
    const emulator = createGenericEmulator({ events: 20 });
    const full = await (await emulator.fetch(URL_OK)).arrayBuffer();
    emulator.faults.add({ kind: 'truncate' });
    const reader = ((await emulator.fetch(URL_OK)).body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).value?.byteLength).toBe(Math.floor(full.byteLength * 0.5));
    await expect(reader.read()).rejects.toThrow();
  });

  it('latency faults that fire on one request add up to one wait', async () => {
    const { clock, sleeps } = manualClock();
    const emulator = createGenericEmulator({ events: 3, clock });
    emulator.faults.add({ kind: 'latency', ms: 100 });
    emulator.faults.add({ kind: 'latency', ms: 250 });
    expect(await observe(() => emulator.fetch(URL_OK))).toBe('200');
    expect(sleeps).toEqual([350]);
  });

  it('a malformed-json fault declares the length of the body it sends', async () => {
    const emulator = createGenericEmulator({ events: 3 });
    emulator.faults.add({ kind: 'malformed-json' });
    const response = await emulator.fetch(URL_OK);
    const body = new Uint8Array(await response.arrayBuffer());
    expect(response.headers.get('content-length')).toBe(String(body.byteLength));
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('listen()', () => {
  it('reports the port of its URL', async () => {
    const server = await createGenericEmulator({ events: 1 }).listen();
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect(server.port).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
