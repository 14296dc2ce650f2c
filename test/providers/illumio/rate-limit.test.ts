/**
 * The PCE allows 500 requests a minute per API key (VENDORS.md). With the client's limit at the PCE's,
 * a collector that asks for more meets no 429 in steady state: the client waits instead. A clock at
 * 1/100 makes the minute last 600 ms, on both sides.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/core/clock.js';
import type { RateLimitInfo } from '../../../src/core/options.js';
import { illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import { illumio, type IllumioClient } from '../../../src/providers/illumio/index.js';
import { sleepsOnlyClock } from '../../support/stepped-clock.js';
import { connect, PCE, TRANSPORTS, type Connected, type IllumioTestEmulator } from './connect.js';

const WINDOW_MS = 600;

/** Sends `total` gets at once and checks the server never saw more than `limit` in one window. */
async function burst(emulator: IllumioTestEmulator, pce: IllumioClient, total: number, limit: number): Promise<void> {
  const uuid = (emulator.store.events[0]?.href ?? '').split('/').pop() as string;
  await Promise.all(Array.from({ length: total }, () => pce.events.get(uuid)));
  expect(emulator.requests).toHaveLength(total);
  expect(emulator.store.rateLimited).toBe(0);
  const times = emulator.requests.map((r) => r.time);
  for (let i = limit; i < times.length; i++) {
    expect((times[i] as number) - (times[i - limit] as number)).toBeGreaterThanOrEqual(WINDOW_MS - 5);
  }
}

describe('illumio default rate limit', () => {
  it('sends 560 requests without a single 429 against the PCE limit of 500 a minute', async () => {
    const clock = scaledClock(WINDOW_MS / 60_000);
    // A key of its own: limiters are shared per key in a process, and this one must start fresh.
    const credential = { apiKey: 'api_default_limit', apiSecret: 'default-limit-secret' };
    const emulator = illumioEmulator.create({ events: 5, clock, credentials: [credential] });
    const waits: RateLimitInfo[] = [];
    const pce = illumio({
      baseUrl: PCE,
      orgId: 1,
      ...credential,
      fetch: emulator.fetch,
      clock,
      hooks: { onRateLimit: (info) => waits.push(info) },
    });
    await burst(emulator, pce, 560, 500);
    // The client held requests back rather than letting the server refuse them.
    expect(waits.some((info) => info.cause === 'queued' && info.waitMs > 100)).toBe(true);
  });
});

describe.each(TRANSPORTS)('illumio rate limit via %s', (transport) => {
  let connected: Connected | undefined;
  afterEach(async () => {
    await connected?.close();
    connected = undefined;
  });

  it('pages through a listing at a limit shared by client and PCE with zero 429s', async () => {
    const limit = { requests: 15, interval: 60_000 };
    connected = await connect(transport, { events: 200, clock: scaledClock(WINDOW_MS / 60_000), rateLimit: limit });
    const { emulator, client } = connected;
    // Steady state: one listing, page after page, as a collector runs.
    const events = await client({ rateLimit: limit }).events.list({ pageSize: 4 }).toArray();
    expect(events).toHaveLength(200);
    expect(emulator.store.rateLimited).toBe(0);
    const times = emulator.requests.map((r) => r.time);
    expect(times.length).toBeGreaterThan(limit.requests * 2);
    for (let i = limit.requests; i < times.length; i++) {
      expect((times[i] as number) - (times[i - limit.requests] as number)).toBeGreaterThanOrEqual(WINDOW_MS);
    }
  });

  it('a 429 from the PCE pauses the key and the requests go through after Retry-After', async () => {
    // Moved only by the waits: six requests at once are six in one window however slowly they are sent.
    const clock = sleepsOnlyClock();
    connected = await connect(transport, { events: 5, clock, rateLimit: { requests: 3, interval: 60_000 } });
    const { emulator, client } = connected;
    const pce = client({ rateLimit: false });
    const results = await Promise.all(Array.from({ length: 6 }, () => pce.events.list({ pageSize: 5 }).toArray()));
    expect(results.every((events) => events.length === 5)).toBe(true);
    expect(emulator.store.rateLimited).toBeGreaterThan(0);
  });
});
