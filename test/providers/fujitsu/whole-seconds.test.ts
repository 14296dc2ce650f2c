/**
 * Times that the service and the host read differently. FUJITSU dates carry whole seconds, and a `since`
 * with milliseconds (any `new Date()`) was kept as the window's floor: the events dated in its second,
 * which the request asked for and got, were dropped as older than it (3 of 4 lost). Keystone's
 * `expires_at`/`issued_at` without a zone were read in the host's time zone (VENDORS.md: zone-less is
 * UTC): east of UTC every listing logged in again, west of it the token was renewed hours late.
 */
import { describe, expect, it } from 'vitest';
import { clientOf, createEmulator, identity, movableClock, TENANT } from './helpers.js';

const T = Date.parse('2030-01-01T12:00:00.000Z');

describe('FUJITSU whole seconds', () => {
  it('a since with milliseconds keeps the events dated in its second', async () => {
    const { clock, at } = movableClock();
    at.now = T + 60_000;
    const emulator = createEmulator({ clock });
    // 12:00:00.700 is dated 12:00:00.
    for (let i = 0; i < 3; i++) emulator.store.events.add(TENANT, { at: T + 700, message: `in the second ${i}` });
    emulator.store.events.add(TENANT, { at: T + 5000, message: 'later' });
    const events = await clientOf(emulator, { clock }).events.list({ since: new Date(T + 500) }).toArray();
    expect(events.map((event) => event.message).sort()).toEqual(['in the second 0', 'in the second 1', 'in the second 2', 'later']);
    expect(emulator.requests[0]?.query.get('startTime')).toBe('2030-01-01T12:00:00Z');
  });

  it('a since written finer than a millisecond, in the last one of its second, keeps the events dated in that second', async () => {
    const { clock, at } = movableClock();
    at.now = T + 60_000;
    const emulator = createEmulator({ clock });
    emulator.store.events.add(TENANT, { at: T + 700, message: 'in the second' });
    const events = await clientOf(emulator, { clock }).events.list({ since: '2030-01-01T12:00:00.9995Z' }).toArray();
    expect(events.map((event) => event.message)).toEqual(['in the second']);
    expect(emulator.requests[0]?.query.get('startTime')).toBe('2030-01-01T12:00:00Z');
  });
});

describe('Keystone times without a zone', () => {
  it.each(['Asia/Kolkata', 'America/New_York', 'UTC'])('are UTC under TZ=%s: a 2-minute token renewed once in 150 s, never refused', async (tz) => {
    const zone = process.env.TZ;
    process.env.TZ = tz;
    try {
      const { clock, at } = movableClock();
      at.now = Date.parse('2026-11-23T10:00:00Z');
      const emulator = createEmulator({ events: 5, tokenTtl: 120_000, clock });
      let logins = 0;
      let refused = 0;
      const fetch: typeof globalThis.fetch = async (input, init) => {
        const response = await emulator.fetch(input, init);
        if (response.status === 401) refused += 1;
        const url = input instanceof Request ? input.url : String(input);
        if (!url.endsWith('/v3/auth/tokens') || response.status !== 201) return response;
        logins += 1;
        const body = (await response.json()) as { token: Record<string, unknown> };
        body.token['expires_at'] = String(body.token['expires_at']).replace(/Z$/, '');
        // Without `issued_at` the lifetime runs from the answer: only `expires_at` is read as a time.
        delete body.token['issued_at'];
        return new Response(JSON.stringify(body), { status: 201, headers: response.headers });
      };
      const client = clientOf(emulator, { identity: identity(), clock, fetch });
      for (let listing = 0; listing < 10; listing++) {
        expect(await client.events.list().toArray()).toHaveLength(5);
        at.now += 15_000;
      }
      expect({ logins, refused }).toEqual({ logins: 2, refused: 0 });
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
