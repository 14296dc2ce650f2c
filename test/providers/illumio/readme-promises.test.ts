/**
 * What README "Illumio Core PCE" promises and no other test held: the defaults of `pageSize`,
 * `asyncThreshold`, `jobPollInterval` and `jobTimeout`, every normalized severity sent by its syslog
 * name, the errors a failure that persists ends in, the limiter shared by the clients of one key (and
 * paused for all of them by a 429), and the cost of a quiet poll after a burst.
 */
import { describe, expect, it } from 'vitest';
import { scaledClock, type Clock } from '../../../src/core/clock.js';
import { isCursorError, isHttpError, isTimeoutError } from '../../../src/core/errors.js';
import type { RateLimitInfo } from '../../../src/core/options.js';
import { DEFAULT_ILLUMIO_CREDENTIAL, illumioEmulator } from '../../../src/providers/illumio/emulator.js';
import { illumio, type IllumioListQuery, type IllumioOptions } from '../../../src/providers/illumio/index.js';
import { createEmulator } from '../../../src/testing/index.js';
import { burstPollCosts, clocks, counting } from '../../support/tail.js';
import { sleepsOnlyClock } from '../../support/stepped-clock.js';
import { fastClock, PCE, type IllumioTestEmulator } from './connect.js';

function client(emulator: IllumioTestEmulator, clock: Clock, options: Partial<IllumioOptions> = {}) {
  return illumio({ baseUrl: PCE, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch: emulator.fetch, clock, rateLimit: false, ...options });
}

const jobPolls = (emulator: IllumioTestEmulator) => emulator.requests.filter((r) => r.path.includes('/jobs/')).length;

describe('illumio defaults', () => {
  it('asks for 1000 events a request when no pageSize is given', async () => {
    const clock = fastClock();
    const emulator = illumioEmulator.create({ seed: 2, events: 1_500, clock, rateLimit: false });
    const events = await client(emulator, clock).events.list().toArray();
    expect(events).toHaveLength(1_500);
    expect(emulator.requests.map((r) => r.query.get('max_results'))).toEqual(['1000', '1000']);
  });

  it('auto: exports a window of more than 10000 matches, and pages through one of 10000', async () => {
    const clock = fastClock();
    const emulator = illumioEmulator.create({ seed: 2, events: 10_000, clock, rateLimit: false, async: { pollsBeforeDone: 0 } });
    const pce = client(emulator, clock);
    const query: IllumioListQuery = { mode: 'auto', pageSize: 5_000 };
    expect(await pce.events.list(query).toArray()).toHaveLength(10_000);
    expect(emulator.requests.some((r) => r.headers.get('prefer') !== null)).toBe(false);
    emulator.reset();
    emulator.store.record(1);
    expect(await pce.events.list(query).toArray()).toHaveLength(10_001);
    expect(emulator.requests.filter((r) => r.headers.get('prefer') === 'respond-async')).toHaveLength(1);
  });

  it('polls an export job every 1000 ms when the PCE sends no Retry-After', async () => {
    const clock = sleepsOnlyClock();
    const emulator = illumioEmulator.create({ seed: 2, events: 5, clock, rateLimit: false, async: { retryAfter: null, pollsBeforeDone: 3 } });
    expect(await client(emulator, clock).events.list({ mode: 'async' }).toArray()).toHaveLength(5);
    expect(jobPolls(emulator)).toBe(4);
    expect(clock.slept).toEqual([1_000, 1_000, 1_000, 1_000]);
  });

  it('waits at most 900000 ms (15 minutes) for an export job, then fails with a TimeoutError', async () => {
    const clock = sleepsOnlyClock();
    const start = clock.now();
    const emulator = illumioEmulator.create({ seed: 2, events: 5, clock, rateLimit: false, async: { retryAfter: 60, pollsBeforeDone: 1_000 } });
    const failure = await client(emulator, clock).events.list({ mode: 'async' }).toArray().catch((error: unknown) => error);
    expect(isTimeoutError(failure)).toBe(true);
    expect(failure).toMatchObject({ provider: 'illumio', operation: 'events.list', timeoutMs: 900_000 });
    // Fifteen waits of a minute fill the 15 minutes; a sixteenth would end past them and is not started.
    expect(jobPolls(emulator)).toBe(15);
    expect(clock.now() - start).toBe(900_000);
  });
});

describe("illumio export under the client's signal", () => {
  it('an abort during the wait between polls ends the listing with its reason, and no poll is sent', async () => {
    const controller = new AbortController();
    const waiting: number[] = [];
    // Time stands still: only the abort ends a wait.
    const clock: Clock = {
      now: () => Date.parse('2026-11-23T12:00:00Z'),
      scale: 1,
      sleep: (ms, signal) =>
        new Promise((_resolve, reject) => {
          waiting.push(ms);
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
          controller.abort(new Error('stopped by its owner'));
        }),
    };
    const emulator = illumioEmulator.create({ seed: 2, events: 5, clock, rateLimit: false, async: { retryAfter: 30, pollsBeforeDone: 3 } });
    const failure = await client(emulator, clock, { signal: controller.signal }).events.list({ mode: 'async' }).toArray().catch((error: unknown) => error);
    expect(failure).toBe(controller.signal.reason);
    expect(waiting).toEqual([30_000]);
    expect(jobPolls(emulator)).toBe(0);
  });
});

describe('illumio severity', () => {
  it.each([
    ['emergency', 'emerg'],
    ['emerg', 'emerg'],
    ['alert', 'alert'],
    ['critical', 'crit'],
    ['crit', 'crit'],
    ['error', 'err'],
    ['err', 'err'],
    ['warning', 'warning'],
    ['notice', 'notice'],
    ['info', 'info'],
    ['debug', 'debug'],
  ] as const)('sends severity %s as the syslog name %s', async (severity, syslog) => {
    const clock = fastClock();
    const emulator = illumioEmulator.create({ seed: 2, events: 3, clock, rateLimit: false });
    await client(emulator, clock).events.list({ severity }).toArray();
    expect(emulator.requests.map((r) => r.query.get('severity'))).toEqual([syslog]);
  });
});

describe('illumio cursors', () => {
  it('belong to their organization and window: used with another, a CursorError before any request', async () => {
    const clock = fastClock();
    const emulator = illumioEmulator.create({ seed: 2, events: 3, clock, rateLimit: false });
    const query: IllumioListQuery = { since: '2026-11-01T00:00:00Z' };
    let cursor = '';
    for await (const page of client(emulator, clock).events.list(query).byPage()) cursor = page.cursor;
    const sent = emulator.requests.length;
    const refusals = [
      client(emulator, clock, { orgId: 2 }).events.list(query),
      client(emulator, clock).events.list({ since: '2026-11-02T00:00:00Z' }),
      client(emulator, clock).events.list({ ...query, until: '2026-12-01T00:00:00Z' }),
    ];
    for (const listing of refusals) {
      const error = await listing.byPage({ cursor })[Symbol.asyncIterator]().next().catch((e: unknown) => e);
      expect(isCursorError(error)).toBe(true);
    }
    expect(emulator.requests).toHaveLength(sent);
  });
});

describe('illumio failures that persist', () => {
  it('a 5xx on every attempt is retried, then an HttpError', async () => {
    const clock = fastClock();
    const emulator = illumioEmulator.create({ seed: 2, events: 3, clock, rateLimit: false });
    emulator.faults.add({ kind: 'status', status: 502 });
    const error = await client(emulator, clock, { retry: { retries: 2 } }).events.list().toArray().catch((e: unknown) => e);
    expect(isHttpError(error)).toBe(true);
    expect(error).toMatchObject({ status: 502 });
    expect(emulator.requests).toHaveLength(3);
  });

  it('a 501, which no retry can change, is an HttpError after one request', async () => {
    const clock = fastClock();
    const emulator = illumioEmulator.create({ seed: 2, events: 3, clock, rateLimit: false });
    emulator.faults.add({ kind: 'status', status: 501 });
    const error = await client(emulator, clock, { retry: { retries: 2 } }).events.list().toArray().catch((e: unknown) => e);
    expect(isHttpError(error)).toBe(true);
    expect(error).toMatchObject({ status: 501 });
    expect(emulator.requests).toHaveLength(1);
  });

  it('an attempt that outlasts timeout on every attempt is retried, then a TimeoutError', async () => {
    let sent = 0;
    const hanging: typeof globalThis.fetch = (_input, init) => {
      sent += 1;
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
      });
    };
    const pce = illumio({ baseUrl: PCE, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch: hanging, clock: fastClock(), rateLimit: false, timeout: 20, retry: { retries: 1 } });
    const error = await pce.events.list().toArray().catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
    expect(sent).toBe(2);
  });
});

describe('illumio limiter of one API key', () => {
  const WINDOW_MS = 600;
  const limit = { requests: 3, interval: 60_000 };

  function twoKeys(name: string) {
    const clock = scaledClock(WINDOW_MS / 60_000);
    const keys = [
      { apiKey: `api_${name}_one`, apiSecret: `${name}-secret-one-1234` },
      { apiKey: `api_${name}_two`, apiSecret: `${name}-secret-two-1234` },
    ];
    const emulator = illumioEmulator.create({ seed: 2, events: 5, clock, rateLimit: false, credentials: keys });
    const uuid = (emulator.store.events[0]?.href ?? '').split('/').pop() as string;
    const waits: RateLimitInfo[] = [];
    const make = (key: (typeof keys)[number], rateLimit: IllumioOptions['rateLimit'] = limit) =>
      illumio({ baseUrl: PCE, orgId: 1, ...key, fetch: emulator.fetch, clock, rateLimit, hooks: { onRateLimit: (info) => waits.push(info) } });
    return { emulator, keys, uuid, waits, make };
  }

  it('is shared by every client of the same PCE and key, and not by a client of another key', async () => {
    const other = twoKeys('limit_split');
    const [a, b] = [other.make(other.keys[0]!), other.make(other.keys[1]!)];
    await Promise.all([a, b].flatMap((pce) => Array.from({ length: 3 }, () => pce.events.get(other.uuid))));
    expect(other.waits).toEqual([]);

    const same = twoKeys('limit_shared');
    const [c, d] = [same.make(same.keys[0]!), same.make(same.keys[0]!)];
    await Promise.all([c, d].flatMap((pce) => Array.from({ length: 3 }, () => pce.events.get(same.uuid))));
    expect(same.waits.filter((info) => info.cause === 'queued').length).toBeGreaterThan(0);
    const times = same.emulator.requests.map((r) => r.time);
    expect(times).toHaveLength(6);
    for (let i = limit.requests; i < times.length; i++) expect(times[i]! - times[i - limit.requests]!).toBeGreaterThanOrEqual(WINDOW_MS - 5);
  });

  it("a 429 pauses every client of the key for the PCE's Retry-After", async () => {
    const { emulator, keys, uuid, waits, make } = twoKeys('limit_pause');
    const [a, b] = [make(keys[0]!, { requests: 500, interval: 60_000 }), make(keys[0]!, { requests: 500, interval: 60_000 })];
    await a.events.get(uuid);
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 20, schedule: { once: true } });
    const first = a.events.get(uuid);
    const second = (async () => {
      while (!waits.some((wait) => wait.cause === 'retry-after')) await new Promise((resolve) => setTimeout(resolve, 1));
      return b.events.get(uuid);
    })();
    await Promise.all([first, second]);
    const [, refused, ...rest] = emulator.requests;
    expect(rest).toHaveLength(2);
    // b's request, sent after a's 429 was seen, was held back as well.
    expect(waits.length).toBeGreaterThanOrEqual(2);
    // 20 PCE seconds are 200 ms on this clock.
    for (const request of rest) expect(request.time - refused!.time).toBeGreaterThanOrEqual(190);
  });
});

describe('illumio tail after a burst of 1000 events within a minute, at 100 a page', () => {
  it('reads the minute again in 11 requests until two minutes after, then a quiet poll costs 1', async () => {
    const T0 = Date.parse('2030-01-01T12:00:00.000Z');
    const { time, vendor, client: clientClock } = clocks(T0);
    const emulator = illumioEmulator.create({ seed: 1, events: 0, clock: vendor, rateLimit: false });
    const { sent, fetch } = counting(emulator.fetch);
    const pce = illumio({ baseUrl: PCE, orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch, clock: clientClock, rateLimit: false });
    for (let i = 0; i < 1_000; i++) emulator.store.record(1, T0 + i * 50);
    const { drained, costs, delivered } = await burstPollCosts(T0, time, sent, () => pce.events.list({ pageSize: 100 }));
    expect(drained).toBe(1_000);
    // The newest event was first delivered at +50 s: the poll at +170 s is two minutes after.
    expect(costs).toEqual([11, 11, 11, 11, 1, 1]);
    expect(delivered).toBe(1_000);
  });
});

describe('the README emulator snippet', () => {
  it("serves the seed's events to a client with the credentials it shows", async () => {
    const emulator = createEmulator('illumio', { seed: 7, events: 500 });
    const server = await emulator.listen();
    try {
      const pce = illumio({ baseUrl: server.url, orgId: 1, apiKey: 'api_1c0ffee1c0ffee', apiSecret: 'illumio-emulator-secret-4f2a' });
      const events = await pce.events.list().toArray();
      expect(events).toHaveLength(500);
      expect(new Set(events.map((event) => event.id)).size).toBe(500);
    } finally {
      await server.close();
    }
  });
});
