/**
 * Since-id paging against tenants that move under the listing: events arriving between the requests of
 * a newest-first pass, and a proxy that caps `per_page` below what was asked.
 */
import { describe, expect, it } from 'vitest';
import { tines } from '../../../src/providers/tines/index.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator, type TinesEmulatorOptions } from '../../../src/providers/tines/emulator.js';
import { fastClock, TENANT } from './connect.js';

type Emulator = ReturnType<typeof tinesEmulator.create>;

/** A client of `emulator` whose requests first run `before(n)`, n counting from 0. */
function clientOf(emulator: Emulator, before: (request: number, url: URL) => URL | void) {
  let count = 0;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = before(count++, new URL(request.url)) ?? new URL(request.url);
    return emulator.fetch(new Request(url, request));
  };
  return tines({ baseUrl: TENANT, token: DEFAULT_TINES_CREDENTIAL.key, fetch, clock: fastClock() });
}

async function pagesOf(client: ReturnType<typeof tines>, pageSize: number, cursor?: string) {
  const pages: Array<{ ids: string[]; cursor: string }> = [];
  for await (const page of client.events.list({ pageSize }).byPage(cursor === undefined ? {} : { cursor })) {
    pages.push({ ids: page.items.map((event) => event.id), cursor: page.cursor });
  }
  return pages;
}

const stored = (emulator: Emulator) => emulator.store.events.map((event) => String(event.id));

describe.each<[string, TinesEmulatorOptions]>([
  ['current', {}],
  ['legacy bare array', { api: 'legacy' }],
])('tines newest first, %s', (_name, options) => {
  it('loses nothing when more than a page of events arrives between two requests of a pass', async () => {
    // The shrunk counterexample of the resume property: 2 events, 1 per page, 3 arriving before request 2.
    const emulator = tinesEmulator.create({ ...options, events: 2, seed: 1, clock: fastClock() });
    const client = clientOf(emulator, (request) => {
      if (request === 1) for (let i = 0; i < 3; i++) emulator.store.emit();
    });
    const pages = await pagesOf(client, 1);
    const first = pages.flatMap((page) => page.ids);
    // The pass delivers what was there when it started; the arrivals are the next pass's.
    expect(first.slice(0, 2)).toEqual(stored(emulator).slice(0, 2).reverse());
    const late = (await pagesOf(client, 1, pages.at(-1)?.cursor)).flatMap((page) => page.ids);
    const all = [...first, ...late];
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(stored(emulator));
  });

  it('reads every event through a proxy that caps per_page below the page size asked', async () => {
    const emulator = tinesEmulator.create({ ...options, events: 23, seed: 3, clock: fastClock() });
    const sizes: number[] = [];
    const client = clientOf(emulator, (_request, url) => {
      sizes.push(Number(url.searchParams.get('per_page')));
      url.searchParams.set('per_page', '4');
      return url;
    });
    const ids = (await pagesOf(client, 10)).flatMap((page) => page.ids);
    expect([...ids].sort()).toEqual(stored(emulator));
    expect(new Set(ids).size).toBe(ids.length);
    // Five capped pages of 4, then a page of 3, short against the 4 served: no probe, no extra request.
    expect(sizes).toEqual([10, 10, 10, 10, 10, 10]);
  });
});

describe('tines oldest first through a capping proxy', () => {
  it('moves on by since_id after each capped page', async () => {
    const emulator = tinesEmulator.create({ order: 'oldest-first', events: 10, seed: 5, clock: fastClock() });
    const pages: string[] = [];
    const client = clientOf(emulator, (_request, url) => {
      pages.push(url.searchParams.get('page') ?? '1');
      url.searchParams.set('per_page', '3');
      return url;
    });
    const listed = await pagesOf(client, 5);
    expect(listed.flatMap((page) => page.ids)).toEqual(stored(emulator));
    expect(pages.every((page) => page === '1')).toBe(true);
  });
});
