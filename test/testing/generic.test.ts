import { describe, expect, it } from 'vitest';
import { isConfigurationError } from '../../src/core/errors.js';
import { createEmulator, createGenericEmulator, type GenericEvent } from '../../src/testing/index.js';
import { manualClock } from './support.js';
import { inTimeZone } from './time-zone.js';

const BASE = 'https://generic.example.com';
type Emu = ReturnType<typeof createGenericEmulator>;

async function get<T>(emulator: Emu, path: string): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await emulator.fetch(BASE + path);
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

const byTimeDesc = (a: GenericEvent, b: GenericEvent) => Date.parse(b.time) - Date.parse(a.time) || b.id - a.id;

describe('generic emulator paging', () => {
  it('token: always returns a token, ends with an empty page, and the last token tails new events', async () => {
    const emulator = createGenericEmulator({ seed: 2, events: 23 });
    const seen: GenericEvent[] = [];
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const { body } = await get<{ items: GenericEvent[]; token: string }>(emulator, `/token?pageSize=5${token ? `&token=${token}` : ''}`);
      pages += 1;
      expect(typeof body.token).toBe('string');
      if (body.items.length === 0) {
        expect(body.token).toBe(token);
        break;
      }
      seen.push(...body.items);
      token = body.token;
    }
    expect(pages).toBe(6);
    expect(seen).toEqual(emulator.store.events);
    const added = emulator.store.add({ message: 'arrived later' });
    const tail = await get<{ items: GenericEvent[] }>(emulator, `/token?token=${token}`);
    expect(tail.body.items).toEqual([added]);
    expect((await emulator.fetch(`${BASE}/token?token=not-a-token`)).status).toBe(400);
  });

  it('since-id: returns events after the id, oldest first, as a bare array, capped at maxPageSize', async () => {
    const emulator = createGenericEmulator({ events: 30, maxPageSize: 8 });
    const seen: GenericEvent[] = [];
    let since = 0;
    for (;;) {
      const { body } = await get<GenericEvent[]>(emulator, `/since-id?since_id=${since}&per_page=50`);
      expect(Array.isArray(body)).toBe(true);
      if (body.length === 0) break;
      expect(body.length).toBeLessThanOrEqual(8);
      expect(body.every((event) => event.id > since)).toBe(true);
      seen.push(...body);
      since = Math.max(...body.map((event) => event.id));
    }
    expect(seen).toEqual(emulator.store.events);
    expect((await emulator.fetch(`${BASE}/since-id?per_page=0`)).status).toBe(400);
  });

  it('marker (inclusive): newest first, repeats the events at the marker second', async () => {
    const emulator = createGenericEmulator({ seed: 8, events: 60 });
    const expected = [...emulator.store.events].sort(byTimeDesc);
    const first = (await get<{ items: GenericEvent[] }>(emulator, '/marker?limit=10')).body.items;
    expect(first).toEqual(expected.slice(0, 10));
    const marker = (first.at(-1) as GenericEvent).time;
    const next = (await get<{ items: GenericEvent[] }>(emulator, `/marker?limit=10&marker=${marker}`)).body.items;
    expect(next.every((event) => Date.parse(event.time) <= Date.parse(marker))).toBe(true);
    expect(next[0]?.time).toBe(marker);

    // Walking with dedupe on id delivers every event once (the limit exceeds any tie group).
    const seen = new Map<number, GenericEvent>();
    let cursor: string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const page = (await get<{ items: GenericEvent[] }>(emulator, `/marker?limit=10${cursor ? `&marker=${cursor}` : ''}`)).body.items;
      const fresh = page.filter((event) => !seen.has(event.id));
      if (fresh.length === 0) break;
      for (const event of fresh) seen.set(event.id, event);
      cursor = (page.at(-1) as GenericEvent).time;
    }
    expect([...seen.values()].sort(byTimeDesc)).toEqual(expected);
  });

  it('marker (exclusive): only strictly older events, so a tie cut by the page is skipped', async () => {
    const emulator = createGenericEmulator({ seed: 8, events: 60, markerInclusive: false });
    const expected = [...emulator.store.events].sort(byTimeDesc);
    // Find a page boundary inside a group of events sharing one second.
    const cut = expected.findIndex((event, i) => i > 0 && expected[i - 1]?.time === event.time);
    expect(cut).toBeGreaterThan(0);
    const marker = (expected[cut - 1] as GenericEvent).time;
    const next = (await get<{ items: GenericEvent[] }>(emulator, `/marker?limit=100&marker=${marker}`)).body.items;
    expect(next.every((event) => Date.parse(event.time) < Date.parse(marker))).toBe(true);
    expect(next.map((event) => event.id)).not.toContain(expected[cut]?.id);
  });

  it('offset: oldest first with X-Total-Count, empty past the end', async () => {
    const emulator = createGenericEmulator({ events: 17 });
    const pages: GenericEvent[][] = [];
    for (let offset = 0; offset < 17; offset += 5) {
      const { body, headers } = await get<{ items: GenericEvent[] }>(emulator, `/offset?offset=${offset}&count=5`);
      expect(headers.get('x-total-count')).toBe('17');
      pages.push(body.items);
    }
    expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 2]);
    expect(pages.flat()).toEqual(emulator.store.events);
    expect((await get<{ items: unknown[] }>(emulator, '/offset?offset=40')).body.items).toEqual([]);
    expect((await emulator.fetch(`${BASE}/offset?count=abc`)).status).toBe(400);
  });

  it('window: inclusive bounds, newest first, capped, with the total of all matches', async () => {
    const emulator = createGenericEmulator({ seed: 6, events: 80, maxWindowResults: 10 });
    const events = emulator.store.events;
    const from = (events[10] as GenericEvent).time;
    const to = (events[40] as GenericEvent).time;
    const matches = events.filter((e) => Date.parse(e.time) >= Date.parse(from) && Date.parse(e.time) <= Date.parse(to));
    const { body, headers } = await get<GenericEvent[]>(emulator, `/window?from=${from}&to=${to}&max=500`);
    expect(headers.get('x-total-count')).toBe(String(matches.length));
    expect(matches.length).toBeGreaterThan(10);
    expect(body).toEqual([...matches].sort(byTimeDesc).slice(0, 10));
    const small = await get<GenericEvent[]>(emulator, `/window?from=${from}&to=${to}&max=3`);
    expect(small.body).toHaveLength(3);
    // Both bounds are inclusive: a window of one second returns every event of that second.
    const single = await get<GenericEvent[]>(emulator, `/window?from=${from}&to=${from}`);
    expect(single.body.length).toBeGreaterThanOrEqual(1);
    expect(single.body.every((event) => event.time === from)).toBe(true);
    expect((await emulator.fetch(`${BASE}/window?from=yesterday`)).status).toBe(400);
  });

  it('dates the events added after a late arrival after the latest before it, not after the late one', () => {
    const emulator = createGenericEmulator({ events: 5 });
    const latest = Math.max(...emulator.store.events.map((event) => Date.parse(event.time)));
    emulator.store.add({ time: '2026-10-01T00:00:00Z' });
    for (let i = 0; i < 5; i++) expect(Date.parse(emulator.store.add().time)).toBeGreaterThanOrEqual(latest);
  });

  it('serves one event by id and 404 for an unknown one', async () => {
    const emulator = createGenericEmulator({ events: 3 });
    const first = emulator.store.events[0] as GenericEvent;
    expect((await get<GenericEvent>(emulator, `/events/${first.id}`)).body).toEqual(first);
    const missing = await get<{ error: { status: number } }>(emulator, '/events/42');
    expect(missing.status).toBe(404);
    expect(missing.body.error.status).toBe(404);
  });

  it('requires the bearer token when one is configured', async () => {
    const emulator = createGenericEmulator({ token: 'secret-token' });
    const denied = await emulator.fetch(`${BASE}/offset`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer');
    expect(await denied.text()).not.toContain('secret-token');
    expect((await emulator.fetch(`${BASE}/offset`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await emulator.fetch(`${BASE}/offset`, { headers: { authorization: 'Bearer secret-token' } })).status).toBe(200);
  });

  it('enforces its rate limit per credential with Retry-After on the emulator clock', async () => {
    const { clock, advance } = manualClock();
    const emulator = createGenericEmulator({ rateLimit: { requests: 2, interval: 60_000 }, clock });
    const status = async () => {
      const response = await emulator.fetch(`${BASE}/offset`);
      return `${response.status}${response.headers.has('retry-after') ? ` ${response.headers.get('retry-after')}` : ''}`;
    };
    expect([await status(), await status(), await status()]).toEqual(['200', '200', '429 60']);
    advance(60); // 60 real ms = 60 vendor seconds at scale 0.001
    expect(await status()).toBe('200');
  });

  it('is also reachable as createEmulator("generic")', () => {
    expect(createEmulator('generic', { events: 4 }).store.events).toHaveLength(4);
  });

  it.each([
    [{ maxPageSize: 0 }, 'maxPageSize'],
    [{ maxWindowResults: 1.5 }, 'maxWindowResults'],
    [{ start: 'not a date' }, 'start'],
    [{ rateLimit: { requests: 0, interval: 1000 } }, 'rateLimit'],
    [{ token: '' }, 'token'],
    [{ seed: 1.5 }, 'seed'],
    [{ events: -1 }, 'events'],
    [{ baseUrl: 'not a url' }, 'baseUrl'],
  ] as const)('rejects %j naming %s', (options, option) => {
    let thrown: unknown;
    try {
      createGenericEmulator(options);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigurationError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ option });
  });
});

describe('generic emulator times', () => {
  it('reads a time without a zone as UTC, whatever the machine\'s zone', async () => {
    await inTimeZone('America/New_York', async () => {
      const emulator = createGenericEmulator({ seed: 1, events: 0, start: '2026-11-23T10:00:00' });
      const first = emulator.store.add();
      expect(Date.parse(first.time)).toBeGreaterThanOrEqual(Date.parse('2026-11-23T10:00:00Z'));
      expect(Date.parse(first.time)).toBeLessThan(Date.parse('2026-11-23T10:02:00Z'));
      const late = emulator.store.add({ time: '2026-11-23T12:00:00' });
      const window = await get<GenericEvent[]>(emulator, '/window?from=2026-11-23T11:59:00Z&to=2026-11-23T12:01:00Z');
      expect(window.body.map((event) => event.id)).toEqual([late.id]);
    });
  });
});
