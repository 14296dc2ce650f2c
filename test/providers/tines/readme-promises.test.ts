/**
 * What README "Tines" promises and no other test held: `per_page` 100 unless given and up to 500, an id
 * with leading zeros and the tenant's `/events` source through the client, a re-emit sent again after a
 * 408 and after nothing that may have emitted it, 4 requests in flight for the clients of one tenant
 * and key, the pages without a new event that end one action's newest-first pass (25, and those the
 * tail's re-read ids fill), and the cost of a quiet poll after a burst: 11 requests until the tail
 * settles, then 1.
 */
import { describe, expect, it } from 'vitest';
import { isHttpError, isResponseValidationError, isTimeoutError } from '../../../src/core/errors.js';
import { DEFAULT_TINES_CREDENTIAL, tinesEmulator } from '../../../src/providers/tines/emulator.js';
import { tines, type TinesOptions } from '../../../src/providers/tines/index.js';
import { burstPollCosts, clocks, counting } from '../../support/tail.js';
import { heldInFlight } from '../../support/in-flight.js';
import { fastClock, TENANT } from './connect.js';

function setUp(events: number) {
  const clock = fastClock();
  const emulator = tinesEmulator.create({ seed: 3, events, clock });
  const client = (options: Partial<TinesOptions> = {}) =>
    tines({ baseUrl: TENANT, token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch, clock, retry: { retries: 2, minDelay: 1, maxDelay: 1 }, ...options });
  return { emulator, client };
}

const HOST = new URL(TENANT).host;

describe('tines events.list', () => {
  it('asks for 100 events a page unless pageSize says otherwise, up to 500', async () => {
    const { emulator, client } = setUp(3);
    await client().events.list().toArray();
    expect(emulator.requests[0]!.query.get('per_page')).toBe('100');
    emulator.reset();
    await client().events.list({ pageSize: 500 }).toArray();
    expect(emulator.requests[0]!.query.get('per_page')).toBe('500');
  });

  it('gives an id without its leading zeros, and the source of an event that names no action', async () => {
    const { client } = setUp(0);
    const event = { id: '0042', created_at: '2026-11-23T10:00:00Z', payload: {} };
    const fetch: typeof globalThis.fetch = async (input) => {
      const url = new URL(new Request(input).url);
      if (url.pathname === '/api/v1/events/42') return Response.json(event);
      // The first page holds the event; the pages after it, none.
      const first = !url.searchParams.has('since_id') && (url.searchParams.get('page') ?? '1') === '1';
      return Response.json({ events: first ? [event] : [], meta: { next_page: null } });
    };
    const [listed] = await client({ fetch }).events.list().toArray();
    expect([listed?.id, listed?.source]).toEqual(['42', `tines://${HOST}/events`]);
    const got = await client({ fetch }).events.get('0042');
    expect([got.id, got.source]).toEqual(['42', `tines://${HOST}/events`]);
  });
});

/** Never answers: the attempt ends by the client's `timeout`. */
const hang = (request: Request) =>
  new Promise<Response>((_resolve, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));

describe('tines events.reemit', () => {
  it('is sent again after a 408, and emits once', async () => {
    const { emulator, client } = setUp(3);
    const target = emulator.store.events[0]!;
    const before = emulator.store.events.length;
    emulator.faults.add({ kind: 'status', status: 408, match: { method: 'POST' }, schedule: { once: true } });
    await client().events.reemit(target.id);
    expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
    expect(emulator.store.events).toHaveLength(before + 1);
  });

  it.each([502, 504])('is not sent again after a %i, which may come after the event was emitted', async (status) => {
    const { emulator, client } = setUp(3);
    emulator.faults.add({ kind: 'status', status, match: { method: 'POST' }, schedule: { once: true } });
    const error = await client().events.reemit(emulator.store.events[0]!.id).catch((e: unknown) => e);
    expect(isHttpError(error) && error.status).toBe(status);
    expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('is not sent again after a timeout', async () => {
    const { emulator, client } = setUp(3);
    let posts = 0;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method !== 'POST') return emulator.fetch(request);
      posts++;
      return hang(request);
    };
    const error = await client({ fetch, timeout: 30 }).events.reemit(emulator.store.events[0]!.id).catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
    expect(posts).toBe(1);
  });
});

describe('tines concurrency', () => {
  it('is 4 requests in flight for the clients of one tenant and key', async () => {
    const { emulator } = setUp(1);
    const id = emulator.store.events[0]!.id;
    const make = (fetch: typeof globalThis.fetch) => tines({ baseUrl: TENANT, token: DEFAULT_TINES_CREDENTIAL.key, fetch, clock: fastClock() });
    const { inFlight, most } = await heldInFlight(emulator.fetch, (fetch) => [make(fetch), make(fetch)].flatMap((client) => Array.from({ length: 5 }, () => client.events.get(id))));
    expect(inFlight).toBe(4);
    expect(most).toBe(4);
  });
});

describe("tines one action's newest-first pass that arrivals keep pushing down", () => {
  // The pages the tail's overlap (up to 1000 ids, dropped as delivered) fills are allowed on top of 25.
  it.each([
    [100, 35],
    [20, 75],
  ])('at %i a page, stops after %i pages without a new event with a ResponseValidationError', async (pageSize, allowed) => {
    const { client } = setUp(0);
    // One and a half pages arrive before each request, newest first: each page of the pass holds only
    // events delivered on the page before it or arrived since the pass began, which it leaves to the next.
    let requests = 0;
    const fetch: typeof globalThis.fetch = async (input) => {
      const page = Number(new URL(new Request(input).url).searchParams.get('page') ?? '1');
      const top = 100_000 + 1.5 * pageSize * requests++ - pageSize * (page - 1);
      const events = Array.from({ length: pageSize }, (_, i) => ({ id: top - i, action_id: 21, created_at: '2026-11-23T10:00:00Z', payload: {} }));
      return Response.json({ events, meta: { current_page: page, next_page: page + 1, next_page_number: page + 1, per_page: pageSize, pages: page + 1, count: 1_000_000 } });
    };
    const delivered: string[] = [];
    const error = await (async () => {
      for await (const event of client({ fetch }).events.list({ actionId: 21, pageSize })) delivered.push(event.id);
    })().catch((e: unknown) => e);
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as Error).message).toContain(`${allowed + 1} pages in a row brought no new item`);
    expect(delivered).toHaveLength(pageSize);
  });
});

describe('tines tail after a burst of 1000 events within a minute, at 100 a page', () => {
  it('reads the minute again in 11 requests until two minutes after, then a quiet poll costs 1', async () => {
    const T0 = Date.parse('2030-01-01T12:00:00.000Z');
    const { time, vendor, client: clientClock } = clocks(T0);
    const emulator = tinesEmulator.create({ seed: 5, events: 0, clock: vendor });
    const { sent, fetch } = counting(emulator.fetch);
    const client = tines({ baseUrl: TENANT, token: DEFAULT_TINES_CREDENTIAL.key, fetch, clock: clientClock, rateLimit: false });
    for (let i = 0; i < 1_000; i++) emulator.store.emit({ actionId: 21, createdAt: T0 + i * 50 });
    const { drained, costs, delivered } = await burstPollCosts(T0, time, sent, () => client.events.list({ pageSize: 100 }));
    expect(drained).toBe(1_000);
    // The newest event was first delivered at +50 s: the poll at +170 s is two minutes after.
    expect(costs).toEqual([11, 11, 11, 11, 1, 1]);
    expect(delivered).toBe(1_000);
  });
});
