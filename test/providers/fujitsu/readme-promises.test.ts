/**
 * What README "FUJITSU K5 DBaaS" promises and no other test held: an identity URL given with its `/v3`,
 * a token renewed one minute before its lifetime has passed and not sooner, one login for the requests
 * refused with one expired token, a login whose answer was lost to a timeout not sent again within its
 * listing but on the next, reads sent again after a 408 or a 502, `limit` 100 unless `pageSize` says
 * otherwise, 4 requests in flight, and the cost of a quiet poll after a burst: 13 requests until the
 * tail settles, then 1.
 */
import { describe, expect, it } from 'vitest';
import { isTimeoutError } from '../../../src/core/errors.js';
import { DEFAULT_FUJITSU_TENANT, fujitsuEmulator } from '../../../src/providers/fujitsu/emulator.js';
import { fujitsu } from '../../../src/providers/fujitsu/index.js';
import { burstPollCosts, clocks, counting } from '../../support/tail.js';
import { heldInFlight } from '../../support/in-flight.js';
import { BASE, clientOf, createEmulator, identity, IDENTITY, movableClock, TENANT, TOKEN } from './helpers.js';

const logins = (emulator: ReturnType<typeof createEmulator>) => emulator.requests.filter((request) => request.path === '/v3/auth/tokens');

describe('fujitsu identity', () => {
  it.each([`${IDENTITY}/v3`, `${IDENTITY}/v3/`])('logs in at %s/auth/tokens once', async (url) => {
    const emulator = createEmulator({ events: 2 });
    expect(await clientOf(emulator, { identity: identity({ url }) }).events.list().toArray()).toHaveLength(2);
    expect(logins(emulator).map((request) => request.path)).toEqual(['/v3/auth/tokens']);
  });

  it('renews an hour-long token one minute before its lifetime has passed, not sooner', async () => {
    const { clock, at } = movableClock();
    const emulator = createEmulator({ events: 2, tokenTtl: 3_600_000, clock });
    const client = clientOf(emulator, { identity: identity(), clock });
    await client.events.list().toArray();
    at.now += 3_600_000 - 61_000;
    await client.events.list().toArray();
    expect(emulator.store.keystone.loginAttempts).toBe(1);
    at.now += 2_000;
    await client.events.list().toArray();
    expect(emulator.store.keystone.loginAttempts).toBe(2);
  });

  it('logs in once more for every request refused with the same expired token', async () => {
    const emulator = createEmulator({ events: 3 });
    const client = clientOf(emulator, { identity: identity() });
    await client.events.list().toArray();
    emulator.store.keystone.expireAll();
    const lists = await Promise.all(Array.from({ length: 5 }, () => client.events.list().toArray()));
    expect(lists.map((events) => events.length)).toEqual([3, 3, 3, 3, 3]);
    expect(emulator.store.keystone.loginAttempts).toBe(2);
  });

  it('does not send a login whose answer was lost to a timeout again within the listing, and tries it on the next', async () => {
    const emulator = createEmulator({ events: 2 });
    let hung = 0;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method === 'POST' && hung++ === 0) {
        await emulator.fetch(new Request(request.url, { method: 'POST', headers: request.headers, body: await request.clone().text() }));
        return new Promise((_resolve, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
      }
      return emulator.fetch(request);
    };
    const client = clientOf(emulator, { identity: identity(), fetch, timeout: 30, retry: { retries: 3, minDelay: 1, maxDelay: 1 } });
    const error = await client.events.list().toArray().catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
    expect(logins(emulator)).toHaveLength(1);
    expect(await client.events.list().toArray()).toHaveLength(2);
    expect(logins(emulator)).toHaveLength(2);
  });
});

describe('fujitsu reads', () => {
  it.each([408, 502])('are sent again after a %i', async (status) => {
    const emulator = createEmulator({ events: 3 });
    emulator.faults.add({ kind: 'status', status, schedule: { once: true } });
    expect(await clientOf(emulator, { retry: { retries: 2, minDelay: 1, maxDelay: 1 } }).events.list().toArray()).toHaveLength(3);
    expect(emulator.requests).toHaveLength(2);
  });

  it('ask for 100 events a page unless pageSize says otherwise', async () => {
    const emulator = createEmulator({ events: 3 });
    await clientOf(emulator).events.list().toArray();
    expect(emulator.requests[0]!.query.get('limit')).toBe('100');
  });

  it('are 4 in flight for the clients of one base URL and token', async () => {
    const emulator = createEmulator({ events: 3 });
    const make = (fetch: typeof globalThis.fetch) => fujitsu({ baseUrl: BASE, tenantId: TENANT, token: TOKEN, fetch });
    const { inFlight, most } = await heldInFlight(emulator.fetch, (fetch) => [make(fetch), make(fetch)].flatMap((client) => Array.from({ length: 5 }, () => client.events.list().toArray())));
    expect(inFlight).toBe(4);
    expect(most).toBe(4);
  });
});

describe('fujitsu tail after a burst of 1000 events within a minute, at 100 a page', () => {
  it('reads the minute again in 13 requests until two minutes after, then a quiet poll costs 1', async () => {
    const T0 = Date.parse('2030-01-01T12:00:00.000Z');
    const { time, vendor, client: clientClock } = clocks(T0);
    const emulator = fujitsuEmulator.create({ events: 0, clock: vendor });
    const { sent, fetch } = counting(emulator.fetch);
    const client = fujitsu({ baseUrl: BASE, tenantId: DEFAULT_FUJITSU_TENANT, token: TOKEN, fetch, clock: clientClock, rateLimit: false });
    for (let i = 0; i < 1_000; i++) emulator.store.events.add(DEFAULT_FUJITSU_TENANT, { at: T0 + i * 50 });
    const { drained, costs, delivered } = await burstPollCosts(T0, time, sent, () => client.events.list({ since: new Date(T0 - 3_600_000), pageSize: 100 }));
    expect(drained).toBe(1_000);
    // The newest event was first delivered at +50 s: the poll at +170 s is two minutes after.
    expect(costs).toEqual([13, 13, 13, 13, 1, 1]);
    expect(delivered).toBe(1_000);
  });
});
