/**
 * `since` (exclusive: "created after this time") and `until` (inclusive: "until this time", as
 * `until_id` is "until (and including)"), https://www.tines.com/api/events/list and README "Tines", at
 * their own millisecond and around it: events 1 ms before a bound, at it, 1 ms after it and elsewhere in
 * its second, for a bound on a whole second and one inside a second.
 *
 * `GET /api/v1/events` is filtered by the tenant; one action's path is filtered by the SDK from the
 * `created_at` it receives, which stands for the instants its written precision covers: a whole second
 * any of its milliseconds (src/providers/tines/action-filters.ts), three digits their millisecond, more
 * digits an instant between two milliseconds, which the event's `time` (milliseconds) cuts down.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import { tines } from '../../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../../src/providers/tines/emulator.js';
import { TENANT } from './connect.js';

const T = Date.parse('2026-11-23T10:00:00.000Z');
const OFFSETS = [-1000, -1, 0, 1, 250, 400, 500, 999, 1000, 1001];
const BOUNDS = [0, 400];

type Window = { since?: number; until?: number };
type Written = 'emulator' | 'microseconds';

interface Delivered {
  offset: number;
  createdAt: string;
}

/** What the tenant delivers to a client that asks for `window`, with its `created_at` as written. */
async function list(api: 'current' | 'legacy', path: 'events' | 'action', window: Window, written: Written = 'emulator'): Promise<Delivered[]> {
  const clock = scaledClock(0.001, () => T + 60_000);
  const emulator = tinesEmulator.create({ seed: 5, events: 0, api, clock });
  const offsetOf = new Map<string, number>();
  for (const offset of OFFSETS) offsetOf.set(String(emulator.store.emit({ actionId: 21, createdAt: T + offset }).id), offset);
  // A tenant that writes microseconds: each event half a millisecond after the millisecond stored.
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const response = await emulator.fetch(input, init);
    if (written === 'emulator') return response;
    const body = (await response.text()).replace(/("created_at":"[^"]*\.\d{3})Z/g, '$1500Z');
    return new Response(body, { status: response.status, headers: response.headers });
  };
  const client = tines({ baseUrl: TENANT, token: DEFAULT_TINES_CREDENTIAL.key, fetch, clock, apiPath: api === 'legacy' ? 'agents' : 'actions' });
  const query = {
    ...(path === 'action' ? { actionId: 21 } : {}),
    ...(window.since === undefined ? {} : { since: new Date(T + window.since) }),
    ...(window.until === undefined ? {} : { until: new Date(T + window.until) }),
  };
  const delivered: Delivered[] = [];
  for await (const event of client.events.list(query)) {
    delivered.push({ offset: offsetOf.get(event.id)!, createdAt: (event.raw as { created_at: string }).created_at });
  }
  return delivered.sort((a, b) => a.offset - b.offset);
}

const inside = (at: number, window: Window) => (window.since === undefined || at > window.since) && (window.until === undefined || at <= window.until);
const wholeSecond = (createdAt: string) => !/[.,]\d/.test(createdAt);
const windows: Array<[string, Window]> = BOUNDS.flatMap((at): Array<[string, Window]> => [
  [`since T+${at} ms`, { since: at }],
  [`until T+${at} ms`, { until: at }],
]);

describe.each(['current', 'legacy'] as const)('a %s tenant', (api) => {
  it.each(windows)('lists all events by the rule when it filters them itself: %s', async (_, window) => {
    const delivered = await list(api, 'events', window);
    expect(delivered.map((event) => event.offset)).toEqual(OFFSETS.filter((offset) => inside(offset, window)));
  });

  it.each(windows)("keeps an action's events by the rule, a created_at in whole seconds by its second: %s", async (_, window) => {
    const delivered = await list(api, 'action', window);
    const expected = OFFSETS.filter((offset) => inside(offset, window));
    for (const event of delivered) {
      if (wholeSecond(event.createdAt)) {
        const second = Math.floor(event.offset / 1000) * 1000;
        const overlaps = (window.since === undefined || second + 999 > window.since) && (window.until === undefined || second <= window.until);
        expect(overlaps).toBe(true);
      } else {
        expect(expected).toContain(event.offset);
      }
    }
    for (const offset of expected) expect(delivered.map((event) => event.offset)).toContain(offset);
  });
});

describe("one action's events with created_at in microseconds", () => {
  it.each(windows)('are kept by the rule at the instant written, not its millisecond: %s', async (_, window) => {
    const delivered = await list('legacy', 'action', window, 'microseconds');
    expect(delivered.every((event) => event.createdAt.endsWith('500Z'))).toBe(true);
    expect(delivered.map((event) => event.offset)).toEqual(OFFSETS.filter((offset) => inside(offset + 0.5, window)));
  });
});
