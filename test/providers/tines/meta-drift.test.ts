/**
 * `meta` only advises (`meta.ts`: no field of it alone ends a listing), so a field of it in a form the
 * SDK does not read (a link as a one-item array, VENDORS.md's documented string drifting into an
 * array, or as an object; a count as an object) gives no vote rather than fail the page for good.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { metaSaysLastPage } from '../../../src/providers/tines/meta.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../../src/providers/tines/emulator.js';
import { tines } from '../../../src/providers/tines/index.js';

type Json = Record<string, unknown>;
const NOW = Date.parse('2026-11-23T10:00:00.000Z');
const clock: Clock = { now: () => NOW, scale: 1, sleep: async (_ms, signal) => signal?.throwIfAborted() };

const DRIFTS: Array<[string, (meta: Json) => Json]> = [
  ['next_page as a one-item array', (meta) => ({ ...meta, next_page: meta['next_page'] === null ? [] : [meta['next_page']] })],
  ['next_page as an object', (meta) => ({ ...meta, next_page: meta['next_page'] === null ? null : { href: meta['next_page'] } })],
  ['count and pages as objects', (meta) => ({ ...meta, count: { total: meta['count'] }, pages: { total: meta['pages'] } })],
  ['every field a boolean', (meta) => Object.fromEntries(Object.keys(meta).map((key) => [key, true]))],
];

describe('tines meta in forms the SDK does not read', () => {
  it.each(DRIFTS)('%s: every event is listed', async (_name, drift) => {
    for (const order of ['newest-first', 'oldest-first'] as const) {
      const emulator = tinesEmulator.create({ seed: 5, events: 23, clock, api: 'current', order });
      const drifting: typeof globalThis.fetch = async (input, init) => {
        const response = await emulator.fetch(new Request(input, init));
        if (response.status !== 200 || new URL(response.url || new Request(input, init).url).pathname !== '/api/v1/events') return response;
        const body = JSON.parse(await response.text()) as Json;
        return Response.json({ ...body, meta: drift(body['meta'] as Json) });
      };
      const list = (fetch: typeof globalThis.fetch) =>
        tines({ baseUrl: 'https://tenant-1234.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch, clock, rateLimit: false }).events.list({ pageSize: 5 }).toArray();
      const reference = (await list(emulator.fetch)).map((event) => event.id);
      expect(reference).toHaveLength(23);
      expect((await list(drifting)).map((event) => event.id)).toEqual(reference);
    }
  });

  it('gives no vote for a field it cannot read', () => {
    // One readable vote is not enough to end a page; an unreadable one adds none.
    expect(metaSaysLastPage({ next_page: null, count: { total: 20 } }, 1, 20)).toBe(false);
    expect(metaSaysLastPage({ next_page: null, pages: true, count: 20 }, 1, 20)).toBe(true);
    expect(metaSaysLastPage({ next_page: ['https://t/api/v1/events?page=2'], pages: 1, count: 20 }, 1, 20)).toBe(false);
    expect(metaSaysLastPage({ next_page: [], pages: 1, count: 20 }, 1, 20)).toBe(true);
    expect(metaSaysLastPage({ next_page: { href: 'x' }, pages: 1, count: 20 }, 1, 20)).toBe(true);
  });
});
