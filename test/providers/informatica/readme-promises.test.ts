/**
 * What README "Informatica Cloud Integration Hub" promises and no other test held: the window a listing
 * pins at its first request (the default range, `TODAY` and `YESTERDAY` as UTC days, `until` defaulting
 * to that request's time and bounding one still ahead), which failures of the search POST are retried
 * and which are not, the error a status that persists ends in, and the cost of a quiet poll after a burst.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { isAuthenticationError, isHttpError, isNetworkError, isNotFoundError, isPermissionError, isTimeoutError } from '../../../src/core/errors.js';
import { DEFAULT_INFORMATICA_USER, informaticaEmulator } from '../../../src/providers/informatica/emulator.js';
import { informatica, type InformaticaListQuery, type InformaticaOptions } from '../../../src/providers/informatica/index.js';
import { normalizeInformaticaEvent } from '../../../src/providers/informatica/normalize.js';
import { burstPollCosts, clocks, counting } from '../../support/tail.js';
import { fastClock, POD } from './connect.js';

/** Half past midnight UTC: `TODAY` is half an hour old, `YESTERDAY` the whole day before. */
const NOW = Date.UTC(2026, 10, 20, 0, 30, 15, 250);
const fixedClock: Clock = { now: () => NOW, scale: 1, sleep: async () => undefined };

function client(fetch: typeof globalThis.fetch, options: Partial<InformaticaOptions> = {}) {
  return informatica({ baseUrl: POD, username: DEFAULT_INFORMATICA_USER.user, password: DEFAULT_INFORMATICA_USER.password, fetch, rateLimit: false, ...options });
}

/** The `timeframe` of the first search of a listing of `query`, on a clock standing at `NOW`. */
async function timeframeOf(query: InformaticaListQuery): Promise<Record<string, string>> {
  const bodies: Array<{ timeframe: Record<string, string> }> = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    bodies.push((await new Request(input, init).json()) as { timeframe: Record<string, string> });
    return new Response('[]', { headers: { 'content-type': 'application/json' } });
  };
  await client(fetch, { clock: fixedClock }).events.list(query).toArray();
  return bodies[0]!.timeframe;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('informatica: the window pinned at the first request', () => {
  it.each<[string, InformaticaListQuery, number, number]>([
    ['no range (LAST_24_HOURS)', {}, NOW - 86_400_000, NOW],
    ['LAST_TWO_HOURS', { range: 'LAST_TWO_HOURS' }, NOW - 7_200_000, NOW],
    ['LAST_7_DAYS', { range: 'LAST_7_DAYS' }, NOW - 7 * 86_400_000, NOW],
    ['LAST_30_DAYS', { range: 'LAST_30_DAYS' }, NOW - 30 * 86_400_000, NOW],
    ['TODAY, a UTC day', { range: 'TODAY' }, Date.UTC(2026, 10, 20), NOW],
    ['YESTERDAY, a UTC day', { range: 'YESTERDAY' }, Date.UTC(2026, 10, 19), Date.UTC(2026, 10, 20) - 1],
    ['since without until: up to the first request', { since: '2026-11-19T12:00:00Z' }, Date.UTC(2026, 10, 19, 12), NOW],
    ['an until still ahead: up to the first request', { since: '2026-11-19T12:00:00Z', until: '2026-11-21T00:00:00Z' }, Date.UTC(2026, 10, 19, 12), NOW],
    ['an until passed', { since: '2026-11-19T12:00:00Z', until: '2026-11-19T18:00:00Z' }, Date.UTC(2026, 10, 19, 12), Date.UTC(2026, 10, 19, 18)],
  ])('%s', async (_, query, from, to) => {
    const timeframe = await timeframeOf(query);
    expect(timeframe).toEqual({ range: 'CUSTOM', fromDate: iso(from), toDate: iso(to) });
    // The vendor's yyyy-MM-ddTHH:mm:ss.SSSZ.
    expect(timeframe['fromDate']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe('informatica severity', () => {
  it.each([
    ['Error', 'error'],
    ['Delayed', 'warning'],
    ['Discarded', 'warning'],
    ['Complete', 'info'],
    ['Processing', 'info'],
    ['Pending', 'info'],
    ['Reprocessed', 'info'],
    ['Archived', undefined],
  ])('%s gives %s, and the status stays as sent', (eventStatus, severity) => {
    const event = normalizeInformaticaEvent({ eventId: 1, createTime: '2023-04-20T02:45:58Z', eventStatus }, 'flatten');
    expect(event.severity).toBe(severity);
    expect(event.status).toBe(eventStatus);
  });
});

describe('informatica: the search POST is retried like a GET', () => {
  function setup() {
    const clock = fastClock();
    const emulator = informaticaEmulator.create({ seed: 7, events: 12, clock, rateLimit: false });
    const pod = client(emulator.fetch, { clock, retry: { retries: 2, minDelay: 1, maxDelay: 2 } });
    const searches = () => emulator.requests.filter((r) => r.method === 'POST').length;
    return { emulator, pod, searches };
  }

  it.each([408, 429, 500, 502, 503, 504])('after a %i', async (status) => {
    const { emulator, pod, searches } = setup();
    emulator.faults.add({ kind: 'status', status, headers: { 'Retry-After': '1' }, schedule: { once: true } });
    expect(await pod.events.list({ children: 'nested' }).toArray()).toHaveLength(12);
    expect(searches()).toBe(2);
  });

  it('after a connection reset', async () => {
    const { emulator, pod, searches } = setup();
    emulator.faults.add({ kind: 'reset', schedule: { once: true } });
    expect(await pod.events.list({ children: 'nested' }).toArray()).toHaveLength(12);
    expect(searches()).toBe(2);
  });

  it('after an attempt that outlasts timeout, and a TimeoutError when every attempt does', async () => {
    const emulator = informaticaEmulator.create({ seed: 7, events: 12, clock: fastClock(), rateLimit: false });
    let hang = 1;
    let sent = 0;
    const fetch: typeof globalThis.fetch = (input, init) => {
      sent += 1;
      if (hang-- <= 0) return emulator.fetch(input, init);
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
      });
    };
    const pod = client(fetch, { clock: fastClock(), timeout: 20, retry: { retries: 1, minDelay: 1, maxDelay: 2 } });
    expect(await pod.events.list({ children: 'nested' }).toArray()).toHaveLength(12);
    expect(sent).toBe(2);
    hang = Infinity;
    sent = 0;
    const error = await pod.events.list().toArray().catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
    expect(sent).toBe(2);
  });

  it.each<[number, (error: unknown) => boolean]>([
    [401, isAuthenticationError],
    [403, isPermissionError],
    [404, isNotFoundError],
  ])('but not after a %i', async (status, is) => {
    const { emulator, pod, searches } = setup();
    emulator.faults.add({ kind: 'status', status });
    const error = await pod.events.list().toArray().catch((e: unknown) => e);
    expect(is(error)).toBe(true);
    expect(searches()).toBe(1);
  });

  it('a status that persists ends in an HttpError; a reset that persists, in a NetworkError', async () => {
    const { emulator, pod, searches } = setup();
    emulator.faults.add({ kind: 'status', status: 500 });
    const status = await pod.events.list().toArray().catch((e: unknown) => e);
    expect(isHttpError(status)).toBe(true);
    expect(status).toMatchObject({ status: 500 });
    expect(searches()).toBe(3);
    emulator.faults.clear();
    emulator.faults.add({ kind: 'reset' });
    expect(isNetworkError(await pod.events.list().toArray().catch((e: unknown) => e))).toBe(true);
  });
});

describe('informatica tail after a burst of 1000 events within a minute, at 100 a page', () => {
  it('reads the minute again in 14 requests until two minutes after, then a quiet poll costs 1', async () => {
    const T0 = Date.parse('2030-01-01T12:00:00.000Z');
    const { time, vendor, client: clientClock } = clocks(T0);
    const emulator = informaticaEmulator.create({ seed: 1, events: 0, clock: vendor, rateLimit: false, responseForms: 'list' });
    const { sent, fetch } = counting(emulator.fetch);
    const pod = client(fetch, { clock: clientClock });
    for (let i = 0; i < 1_000; i++) emulator.store.events.add({ createTime: T0 + i * 50 }, T0 + i * 50);
    const { drained, costs, delivered } = await burstPollCosts(T0, time, sent, () => pod.events.list({ since: new Date(T0 - 3_600_000).toISOString(), pageSize: 100 }));
    expect(drained).toBe(1_000);
    // The newest event was first delivered at +50 s: the poll at +170 s is two minutes after.
    expect(costs).toEqual([14, 14, 14, 14, 1, 1]);
    expect(delivered).toBe(1_000);
  });
});
