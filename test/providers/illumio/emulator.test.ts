import { describe, expect, it } from 'vitest';
import { scaledClock, type Clock } from '../../../src/core/clock.js';
import { isConfigurationError } from '../../../src/core/errors.js';
import {
  DEFAULT_ILLUMIO_CREDENTIAL,
  READ_ONLY_ILLUMIO_CREDENTIAL,
  illumioEmulator,
  type IllumioEmulatorOptions,
} from '../../../src/providers/illumio/emulator.js';
import type { EmulatorOptions } from '../../../src/testing/types.js';
import { inTimeZone } from '../../testing/time-zone.js';

const BASE = 'http://127.0.0.1:8443';
const basic = (key = DEFAULT_ILLUMIO_CREDENTIAL.apiKey, secret = DEFAULT_ILLUMIO_CREDENTIAL.apiSecret) =>
  `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

function setup(options: IllumioEmulatorOptions & EmulatorOptions = {}) {
  const emulator = illumioEmulator.create({ events: 250, ...options });
  const get = (path: string, headers: Record<string, string> = {}) =>
    emulator.handle(new Request(new URL(path, BASE), { headers: { authorization: basic(), ...headers } }));
  return { emulator, get };
}

describe('illumio emulator', () => {
  it('answers newest first, cuts at max_results (default 100) and reports the total', async () => {
    const { get } = setup({ events: 150 });
    const response = await get('/api/v2/orgs/1/events');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-total-count')).toBe('150');
    const body = (await response.json()) as Array<{ timestamp: string }>;
    expect(body).toHaveLength(100);
    const times = body.map((event) => Date.parse(event.timestamp));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('caps max_results at 10000 silently and refuses a non-integer', async () => {
    const { get } = setup({ events: 10_050, maxGapMs: 10 });
    const response = await get('/api/v2/orgs/1/events?max_results=20000');
    expect(((await response.json()) as unknown[]).length).toBe(10_000);
    expect(response.headers.get('x-total-count')).toBe('10050');
    expect((await get('/api/v2/orgs/1/events?max_results=ten')).status).toBe(400);
  });

  it('filters on inclusive timestamp bounds and vendor filters', async () => {
    const { emulator, get } = setup();
    const pivot = emulator.store.events[10]!.timestamp;
    const response = await get(`/api/v2/orgs/1/events?max_results=500&timestamp[lte]=${pivot}&timestamp[gte]=${pivot}`);
    const body = (await response.json()) as Array<{ timestamp: string }>;
    expect(body.length).toBeGreaterThan(0);
    expect(body.every((event) => event.timestamp === pivot)).toBe(true);
    const errs = (await (await get('/api/v2/orgs/1/events?severity=err&max_results=500')).json()) as Array<{
      severity: string;
    }>;
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.every((event) => event.severity === 'err')).toBe(true);
    expect((await get('/api/v2/orgs/1/events?timestamp[gte]=yesterday')).status).toBe(400);
    expect((await get('/api/v2/orgs/1/events?severity=loud')).status).toBe(400);
  });

  it('reads a zone-less time as UTC whatever the machine zone (VENDORS.md): newest, stored events, record', () =>
    inTimeZone('America/New_York', async () => {
      const { emulator, get } = setup({ events: 3, newest: '2026-12-01T00:00:00' });
      const { store } = emulator;
      expect(store.events[0]!.timestamp).toBe('2026-12-01T00:00:00.000Z');
      store.add([{ ...store.events[0]!, href: '/orgs/1/events/older', timestamp: '2026-11-30T23:00:00' }]);
      // An hour older than every generated event: last, not first as 04:00Z would be.
      expect(store.events.at(-1)!.href).toBe('/orgs/1/events/older');
      const window = await get('/api/v2/orgs/1/events?timestamp[gte]=2026-11-30T22:30:00Z&timestamp[lte]=2026-11-30T23:30:00Z');
      expect(((await window.json()) as Array<{ href: string }>).map((event) => event.href)).toEqual(['/orgs/1/events/older']);
      store.add([{ ...store.events[0]!, href: '/orgs/1/events/newer', timestamp: '2026-12-01T01:00:00' }]);
      const [recorded] = store.record(1);
      const after = Date.parse(recorded!.timestamp) - Date.parse('2026-12-01T01:00:00Z');
      expect(after).toBeGreaterThan(0);
      expect(after).toBeLessThanOrEqual(1_000);
    }));

  it('answers 401 for a wrong secret, 403 for another org or a key without the role, 404 for an unknown event', async () => {
    const { emulator, get } = setup();
    const wrong = await get('/api/v2/orgs/1/events', { authorization: basic(DEFAULT_ILLUMIO_CREDENTIAL.apiKey, 'wrong') });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual([{ token: 'authentication_failed', message: 'Invalid credentials' }]);
    expect((await get('/api/v2/orgs/1/events', { authorization: '' })).status).toBe(401);
    expect((await get('/api/v2/orgs/2/events')).status).toBe(403);
    const readOnly = basic(READ_ONLY_ILLUMIO_CREDENTIAL.apiKey, READ_ONLY_ILLUMIO_CREDENTIAL.apiSecret);
    const forbidden = await get('/api/v2/orgs/1/events', { authorization: readOnly });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as Array<{ token: string }>)[0]?.token).toBe('forbidden_error');
    expect((await get('/api/v2/orgs/1/events/does-not-exist')).status).toBe(404);
    const href = emulator.store.events[0]!.href;
    const found = await get(`/api/v2${href}`);
    expect(((await found.json()) as { href: string }).href).toBe(href);
  });

  it('rate-limits at 500 requests a minute per key with a Retry-After', async () => {
    let now = 0;
    const clock: Clock = { ...scaledClock(1), now: () => now };
    const { emulator, get } = setup({ clock, events: 1 });
    for (let i = 0; i < 500; i++) expect((await get('/api/v2/orgs/1/events')).status).toBe(200);
    const limited = await get('/api/v2/orgs/1/events');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    now = 60_000;
    expect((await get('/api/v2/orgs/1/events')).status).toBe(200);
    expect(emulator.store.rateLimited).toBe(1);
  });

  for (const location of ['href', 'path', 'absolute'] as const) {
    it(`runs an async export with a ${location} Location`, async () => {
      const { get } = setup({ events: 300, async: { location, pollsBeforeDone: 2, doneStatus: 'completed' } });
      const accepted = await get('/api/v2/orgs/1/events?max_results=10', { prefer: 'respond-async' });
      expect(accepted.status).toBe(202);
      expect(accepted.headers.get('retry-after')).toBe('1');
      const where = accepted.headers.get('location')!;
      const jobPath = location === 'href' ? `/api/v2${where}` : where;
      if (location === 'absolute') expect(where.startsWith(BASE)).toBe(true);
      const statuses: string[] = [];
      let job: { status: string; result: { href: string } | null };
      do {
        job = (await (await get(jobPath)).json()) as typeof job;
        statuses.push(job.status);
      } while (job.status !== 'completed');
      expect(statuses).toEqual(['pending', 'running', 'completed']);
      const file = (await (await get(`/api/v2${job.result!.href}`)).json()) as unknown[];
      expect(file).toHaveLength(300);
    });
  }

  it('gives an absolute Location on the host its real server was addressed by, as the PCE does', async () => {
    const { emulator } = setup({ events: 5 });
    const server = await emulator.listen();
    try {
      const url = server.url.replace('127.0.0.1', 'localhost');
      const accepted = await fetch(`${url}/api/v2/orgs/1/events`, { headers: { authorization: basic(), prefer: 'respond-async' } });
      expect(accepted.status).toBe(202);
      expect(accepted.headers.get('location')).toMatch(new RegExp(`^${url}/api/v2/orgs/1/jobs/`));
    } finally {
      await server.close();
    }
  });

  it('fails jobs when told, without Retry-After when told', async () => {
    const { get } = setup({ async: { fail: true, retryAfter: null, pollsBeforeDone: 0, location: 'path' } });
    const accepted = await get('/api/v2/orgs/1/events', { prefer: 'respond-async' });
    expect(accepted.headers.get('retry-after')).toBeNull();
    const job = (await (await get(accepted.headers.get('location')!)).json()) as { status: string };
    expect(job.status).toBe('failed');
    expect((await get('/api/v2/orgs/1/jobs/unknown')).status).toBe(404);
  });
});

describe('illumio emulator options', () => {
  it.each([
    ['orgId', { orgId: 0 }],
    ['credentials', { credentials: [{ apiKey: 'api_x', apiSecret: '' }] }],
    ['rateLimit', { rateLimit: { requests: 0, interval: 1 } }],
    ['newest', { newest: 'not a time' }],
    ['newest', { newest: 'Tue, 01 Dec 2026 00:00:00 GMT' }],
    ['maxGapMs', { maxGapMs: 0 }],
    ['async.location', { async: { location: 'relative' } }],
    ['async.doneStatus', { async: { doneStatus: 'finished' } }],
    ['async.pollsBeforeDone', { async: { pollsBeforeDone: -1 } }],
    ['async.retryAfter', { async: { retryAfter: 1.5 } }],
    ['async.retryAfterForm', { async: { retryAfterForm: 'http-date' } }],
    ['async.fail', { async: { fail: 'yes' } }],
    ['async.outcome', { async: { outcome: 'cancelled' } }],
    ['async.outcome', { async: { outcome: new Map() } }],
    ['async.outcome.status', { async: { outcome: { status: 'running' } } }],
    ['async.outcome.status', { async: { outcome: { status: ' ' } } }],
    ['async.outcome.stauts', { async: { outcome: { stauts: 'cancelled' } } }],
    ['async.outcome[1].polls', { async: { outcome: [{}, { polls: -1 }] } }],
    ['async.outcome[0].errorMessage', { async: { outcome: [{ errorMessage: 7 }] } }],
    ['async.outcome.gone', { async: { outcome: { gone: 'datafile' } } }],
    ['async.outcome.gone', { async: { outcome: { gone: 'job', status: 'failed' } } }],
    ['async.outcome.gone', { async: { outcome: { gone: 'result', status: 'expired' } } }],
  ])('refuses a bad %s', (option, options) => {
    let caught: unknown;
    try {
      illumioEmulator.create(options as IllumioEmulatorOptions);
    } catch (error) {
      caught = error;
    }
    expect(isConfigurationError(caught)).toBe(true);
    expect((caught as { option: string }).option).toBe(option);
  });

  it('records only a whole, non-negative number of events', () => {
    const { emulator } = setup({ events: 2 });
    for (const count of [1.5, -1, Number.NaN]) expect(() => emulator.store.record(count)).toThrow(expect.objectContaining({ name: 'ConfigurationError', option: 'count' }));
    expect(emulator.store.events).toHaveLength(2);
    expect(emulator.store.record(0)).toEqual([]);
  });

  it('records events at a time given as epoch ms, an RFC 3339 string or a Date', () => {
    const { emulator } = setup({ events: 0 });
    const at = '2026-11-23T10:00:00.000Z';
    for (const given of [Date.parse(at), '2026-11-23T10:00:00Z', new Date(at)]) {
      expect(emulator.store.record(2, given).map((event) => event.timestamp)).toEqual([at, at]);
    }
    for (const bad of ['yesterday', new Date(Number.NaN)]) expect(() => emulator.store.record(1, bad)).toThrow(expect.objectContaining({ name: 'ConfigurationError', option: 'at' }));
    expect(emulator.store.events).toHaveLength(6);
  });

  it('generates the same events for the same seed, and others for another', () => {
    const a = illumioEmulator.create({ seed: 5, events: 20 }).store.events;
    const b = illumioEmulator.create({ seed: 5, events: 20 }).store.events;
    const c = illumioEmulator.create({ seed: 6, events: 20 }).store.events;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a.map((event) => event.href)).size).toBe(20);
  });
});
