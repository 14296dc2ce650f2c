/** The default window of `events.list`: where it starts, and when that is decided. */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { fujitsu } from '../../../src/providers/fujitsu/index.js';
import { fujitsuEmulator } from '../../../src/providers/fujitsu/emulator.js';
import { BASE, TENANT, TOKEN } from './helpers.js';

const CREATED = Date.parse('2026-11-23T10:00:00.000Z');
const MINUTE = 60_000;

function setup() {
  const time = { now: CREATED };
  const clock = scaledClock(0.001, () => time.now);
  const emulator = fujitsuEmulator.create({ events: 0, clock });
  const client = fujitsu({ baseUrl: BASE, tenantId: TENANT, token: TOKEN, fetch: emulator.fetch, clock });
  const add = (at: number) => emulator.store.events.add(TENANT, { at: new Date(at).toISOString() });
  const sent = () => emulator.requests.map((request) => ({ start: request.query.get('startTime'), end: request.query.get('endTime') }));
  return { time, client, add, sent };
}

describe('fujitsu default window', () => {
  it('starts `duration` before the listing’s first request, not before list() was called, for every page', async () => {
    const { time, client, add, sent } = setup();
    // Before the hour that precedes the first request: not listed. Within it: listed.
    for (let i = 0; i < 10; i++) add(CREATED - 30 * MINUTE + i * 1000);
    const within = Array.from({ length: 50 }, (_, i) => add(CREATED + 5 * MINUTE + i * 1000));
    const listing = client.events.list({ pageSize: 20 });
    time.now = CREATED + 45 * MINUTE;
    const ids: string[] = [];
    for await (const page of listing.byPage()) {
      ids.push(...page.items.map((event) => event.id));
      time.now += 5 * MINUTE;
    }
    expect(ids).toHaveLength(within.length);
    const requests = sent();
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests[0]).toEqual({ start: '2026-11-23T09:45:00Z', end: '2026-11-23T10:45:00Z' });
    // The start is kept for the whole listing, however long it takes.
    expect(new Set(requests.map((request) => request.start))).toEqual(new Set(['2026-11-23T09:45:00Z']));
    expect(requests.at(-1)?.end).not.toBe('2026-11-23T10:45:00Z');
  });

  it('keeps the start of the first request in a page cursor resumed later', async () => {
    const { time, client, add, sent } = setup();
    for (let i = 0; i < 30; i++) add(CREATED - 10 * MINUTE + i * 1000);
    // Five minutes between list() and its first request: the start is the request's.
    const pages = client.events.list({ pageSize: 20 }).byPage()[Symbol.asyncIterator]();
    time.now += 5 * MINUTE;
    const first = await pages.next();
    time.now += 30 * MINUTE;
    const rest = [];
    for await (const page of client.events.list({ pageSize: 20 }).byPage({ cursor: first.value!.cursor })) rest.push(...page.items);
    expect(first.value!.items.length + rest.length).toBe(30);
    expect(new Set(sent().map((request) => request.start))).toEqual(new Set(['2026-11-23T09:05:00Z']));
  });

  it('starts `duration` before an explicit `until`', async () => {
    const { time, client, sent } = setup();
    const listing = client.events.list({ until: '2026-11-23T08:00:00Z', duration: 30 });
    time.now += 45 * MINUTE;
    await listing.toArray();
    expect(sent()).toEqual([{ start: '2026-11-23T07:30:00Z', end: '2026-11-23T08:00:00Z' }]);
  });
});
