import { inspect } from 'node:util';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  isAuthenticationError,
  isHttpError,
  isNotFoundError,
  isPermissionError,
  isRateLimitError,
  isResponseValidationError,
  type HttpError,
} from '../../../src/core/errors.js';
import type { ResponseInfo } from '../../../src/core/options.js';
import { fujitsu, type FujitsuOptions } from '../../../src/providers/fujitsu/index.js';
import { OTHER_FUJITSU_TENANT } from '../../../src/providers/fujitsu/emulator.js';
import { BASE, clock, clientOf, createEmulator, identity, loginsWithoutIssuedAt, movableClock, TENANT, TOKEN, USER, type FujitsuEmulator } from './helpers.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/**
 * Routes the vendor's hosts to `emulator` through msw; the client then uses the global fetch. `msw()`
 * serves the region's identity host beside its database host, as a user who copies the README does.
 */
async function viaMsw(emulator: FujitsuEmulator): Promise<void> {
  server.use(...(await emulator.msw()));
}

const mswClient = (emulator: FujitsuEmulator, overrides: Parameters<typeof clientOf>[1] = {}) =>
  // A test's overrides may name either credential: the union of the options is checked at run time here.
  fujitsu({ baseUrl: BASE, tenantId: TENANT, clock, ...(overrides.identity ? {} : { token: TOKEN }), ...overrides } as FujitsuOptions);

describe('fujitsu client through msw', () => {
  it('lists the last hour by default, newest first, normalized', async () => {
    const emulator = createEmulator({ events: 60 });
    await viaMsw(emulator);
    const events = await mswClient(emulator, { identity: identity() }).events.list({ pageSize: 20 }).toArray();
    expect(events).toHaveLength(60);
    expect(new Set(events.map((event) => event.id)).size).toBe(60);
    const times = events.map((event) => event.time);
    expect([...times].sort().reverse()).toEqual(times);
    const first = events[0]!;
    expect(first).toMatchObject({
      provider: 'fujitsu',
      type: expect.stringMatching(/^fujitsu\.dbaas\.[a-z-]+$/),
      source: expect.stringMatching(new RegExp(`^fujitsu:/${TENANT}/db-(instance|snapshot)/`)),
      subject: first.raw.sourceIdentifier,
      message: first.raw.message,
    });
    const requests = emulator.requests.filter((request) => request.method === 'GET');
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const request of requests) {
      expect(request.headers.get('x-auth-token')).toMatch(/^gAAAAA/);
      expect(request.query.get('limit')).toBe('20');
      expect(request.query.has('duration')).toBe(false);
      const start = Date.parse(request.query.get('startTime') ?? '');
      const end = Date.parse(request.query.get('endTime') ?? '');
      // The end is "now" at each request, in whole seconds: an hour, plus the seconds the listing took.
      expect(end - start).toBeGreaterThanOrEqual(3_600_000);
      expect(end - start).toBeLessThan(3_600_000 + 60_000);
    }
    // One start for the whole listing: the window is fixed when the listing begins.
    expect(new Set(requests.map((request) => request.query.get('startTime'))).size).toBe(1);
    expect(requests[0]?.query.has('marker')).toBe(false);
    expect(requests[1]?.query.get('marker')).toBe(events[19]?.raw.date);
  });

  it('maps the query onto the vendor parameters', async () => {
    const emulator = createEmulator();
    emulator.store.events.add(TENANT, { at: '2026-11-01T10:00:00Z', categories: ['backup'], sourceType: 'db-instance', sourceIdentifier: 'db 1/a' });
    emulator.store.events.add(TENANT, { at: '2026-11-01T10:00:01Z', categories: ['failover'], sourceType: 'db-instance', sourceIdentifier: 'db 1/a' });
    await viaMsw(emulator);
    const events = await mswClient(emulator)
      .events.list({
        since: '2026-11-01T09:00:00.900Z',
        until: new Date('2026-11-01T11:00:00Z'),
        categories: ['backup', 'restoration'],
        sourceType: 'db-instance',
        sourceId: 'db 1/a',
        pageSize: 50,
      })
      .toArray();
    expect(events.map((event) => event.type)).toEqual(['fujitsu.dbaas.backup']);
    expect(events[0]?.source).toBe(`fujitsu:/${TENANT}/db-instance/db%201%2Fa`);
    const [request] = emulator.requests;
    expect(request?.path).toBe(`/v1.0/${TENANT}/events`);
    expect(request?.query.getAll('eventCategories')).toEqual(['backup', 'restoration']);
    expect(Object.fromEntries([...(request?.query ?? [])].filter(([key]) => key !== 'eventCategories'))).toEqual({
      startTime: '2026-11-01T09:00:00Z',
      endTime: '2026-11-01T11:00:00Z',
      sourceType: 'db-instance',
      sourceId: 'db 1/a',
      limit: '50',
    });
  });

  it('accepts a base URL copied from the service catalog, ending in /v1.0/{tenantId}', async () => {
    const emulator = createEmulator({ events: 3 });
    await viaMsw(emulator);
    const events = await fujitsu({ baseUrl: `${BASE}/v1.0/${TENANT}/`, tenantId: TENANT, token: TOKEN, clock }).events.list().toArray();
    expect(events).toHaveLength(3);
    expect(emulator.requests[0]?.path).toBe(`/v1.0/${TENANT}/events`);
  });

  it('gives the same ids whatever shape the service writes dates and categories in', async () => {
    // One "now" for the three emulators: seeded a second apart, their events would be a second apart.
    const seededAt = Date.now() - 60_000;
    const fixed = { scale: clock.scale, sleep: clock.sleep.bind(clock), now: () => seededAt };
    const ids = async (options: Parameters<typeof createEmulator>[0]) => {
      const emulator = createEmulator({ events: 40, seed: 9, clock: fixed, ...options });
      return (await clientOf(emulator).events.list().toArray()).map((event) => [event.id, event.time, event.data['categories']]);
    };
    const zoneless = await ids({ dates: 'zoneless', categories: 'array' });
    expect(zoneless).toHaveLength(40);
    expect(await ids({ dates: 'utc', categories: 'string' })).toEqual(zoneless);
    expect(await ids({ dates: 'millis', categories: 'mixed', marker: 'exclusive' })).toEqual(zoneless);
  });
});

describe('fujitsu Keystone authentication', () => {
  it('logs in once for concurrent listings and sends the token as X-Auth-Token', async () => {
    const emulator = createEmulator({ events: 45 });
    await viaMsw(emulator);
    const client = mswClient(emulator, { identity: identity() });
    const results = await Promise.all([1, 2, 3].map(() => client.events.list({ pageSize: 20 }).toArray()));
    expect(results.map((events) => events.length)).toEqual([45, 45, 45]);
    expect(emulator.store.keystone.loginAttempts).toBe(1);
    const [login] = emulator.requests;
    expect(login?.path).toBe('/v3/auth/tokens');
    expect(JSON.parse(login?.body ?? '{}')).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: USER.userName, password: USER.password, domain: { name: USER.domainName } } } },
        scope: { project: { id: TENANT } },
      },
    });
  });

  it('logs in again once on a 401 and resends the request once', async () => {
    const emulator = createEmulator({ events: 50 });
    const client = clientOf(emulator, { identity: identity() });
    const pages = client.events.list({ pageSize: 20 }).byPage()[Symbol.asyncIterator]();
    expect((await pages.next()).value?.items).toHaveLength(20);
    emulator.store.keystone.expireAll();
    const rest: number[] = [];
    for (let page = await pages.next(); page.done !== true; page = await pages.next()) rest.push(page.value.items.length);
    expect(rest.reduce((a, b) => a + b, 0)).toBe(30);
    expect(emulator.store.keystone.loginAttempts).toBe(2);
    const tokens = emulator.requests.filter((r) => r.method === 'GET').map((r) => r.headers.get('x-auth-token'));
    expect(new Set(tokens).size).toBe(2);
  });

  it('logs in again before the token expires, without a 401', async () => {
    const { clock, at } = movableClock();
    const emulator = createEmulator({ events: 5, tokenTtl: 30_000, clock });
    const client = clientOf(emulator, { identity: identity(), clock });
    for (let i = 0; i < 10; i++) await client.events.list().toArray();
    // A token that lives less than four one-minute margins is kept for three quarters of its life.
    expect(emulator.store.keystone.loginAttempts).toBe(1);
    at.now += 20_000;
    await client.events.list().toArray();
    expect(emulator.store.keystone.loginAttempts).toBe(1);
    at.now += 3_000;
    await client.events.list().toArray();
    expect(emulator.store.keystone.loginAttempts).toBe(2);
    const unauthorized = emulator.requests.filter((r) => r.method === 'GET' && r.headers.get('x-auth-token') === null);
    expect(unauthorized).toHaveLength(0);
  });

  it("reads the token's lifetime on its own clock: a Keystone clock an hour behind does not make every request log in", async () => {
    const { clock, at } = movableClock();
    const keystone = movableClock();
    keystone.at.now = at.now - 3_600_000;
    const emulator = createEmulator({ events: 5, clock: keystone.clock });
    const client = clientOf(emulator, { identity: identity(), clock });
    for (let i = 0; i < 5; i++) await client.events.list().toArray();
    expect(emulator.store.keystone.loginAttempts).toBe(1);
  });

  it.each([
    ['an hour ahead of', 3_600_000],
    ['an hour behind', -3_600_000],
  ])("without issued_at, reads the token's lifetime from the answer's Date: a client clock %s Keystone's logs in once, and again before the token expires", async (_, skew) => {
    // Renewed on the client's clock before Keystone's expires_at, not refused first.
    expect(await loginsWithoutIssuedAt(skew)).toEqual({ first: 1, renewed: 2, listings: 6 });
  });

  it('never sends a refused login again, and never shows the password', async () => {
    const emulator = createEmulator({ events: 5 });
    const responses: ResponseInfo[] = [];
    const client = clientOf(emulator, { identity: identity({ password: 'wrong-password-1234' }), hooks: { onResponse: (info) => responses.push(info) } });
    const failures: unknown[] = [];
    for (let i = 0; i < 3; i++) failures.push(await client.events.list().toArray().catch((error: unknown) => error));
    expect(emulator.store.keystone.loginAttempts).toBe(1);
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.store.keystone.isLocked(USER.domainName, USER.userName)).toBe(false);
    for (const failure of failures) {
      expect(isAuthenticationError(failure)).toBe(true);
      const error = failure as HttpError;
      expect(error.status).toBe(401);
      expect(error.operation).toBe('auth.login');
      expect(error.message).toMatch(/will not try again/);
      expect(error.vendorMessage).toMatch(/requires authentication/);
      for (const text of [error.message, JSON.stringify(error), inspect(error)]) expect(text).not.toContain('wrong-password-1234');
    }
    expect(responses.map((info) => info.status)).toEqual([401]);
    expect(JSON.stringify(responses)).not.toContain('wrong-password-1234');
  });

  // VENDORS.md: five failed logins in 15 minutes lock the account. A login whose answer was lost may
  // have counted: the listing's retries must not send it again. A 503 or 429 was refused unread.
  it.each([
    [{ kind: 'status', status: 502 } as const, 1],
    [{ kind: 'status', status: 504 } as const, 1],
    [{ kind: 'reset' } as const, 1],
    [{ kind: 'status', status: 503 } as const, 3],
  ])('sends a login that failed with %j %i time(s) over the listing\'s retries', async (fault, logins) => {
    const emulator = createEmulator({ events: 5 });
    emulator.faults.add({ ...fault, match: { method: 'POST', path: '/v3/auth/tokens' } });
    const error = await clientOf(emulator, { identity: identity(), retry: { retries: 2, minDelay: 1, maxDelay: 1 } })
      .events.list()
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(emulator.requests.filter((request) => request.path === '/v3/auth/tokens')).toHaveLength(logins);
  });

  it('fails without a new login when a fresh token is refused', async () => {
    const emulator = createEmulator({ events: 5, users: [{ ...USER, projectId: OTHER_FUJITSU_TENANT }] });
    const error = await clientOf(emulator, { identity: identity({ projectId: OTHER_FUJITSU_TENANT }) })
      .events.list()
      .toArray()
      .catch((e: unknown) => e);
    expect(isPermissionError(error)).toBe(true);
    expect(emulator.store.keystone.loginAttempts).toBe(1);
  });
});

describe('fujitsu error statuses', () => {
  const failing = async (emulator: FujitsuEmulator, overrides: Parameters<typeof clientOf>[1] = {}) =>
    clientOf(emulator, { retry: { retries: 2, minDelay: 1, maxDelay: 1 }, ...overrides })
      .events.list()
      .toArray()
      .catch((error: unknown) => error);

  it('401 for a wrong token, with the vendor message and no retry', async () => {
    const emulator = createEmulator();
    const error = await failing(emulator, { token: 'gAAAAA-not-a-real-token' });
    expect(isAuthenticationError(error)).toBe(true);
    expect((error as HttpError).vendorMessage).toMatch(/^unauthorized: /);
    expect((error as HttpError).requestId).toMatch(/^req-/);
    expect(JSON.stringify(error)).not.toContain('gAAAAA-not-a-real-token');
    expect(emulator.requests).toHaveLength(1);
    // A static token is sent as it was given: the message says what to do, since nothing renews it.
    expect((error as Error).message).toMatch(/unauthorized: .*; a token given as `token` is never renewed: give a new one, or an `identity` to log in with/);
  });

  it('names the request by its X-Openstack-Request-Id, also behind a proxy that adds an X-Request-Id of its own', async () => {
    const emulator = createEmulator();
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const answer = await emulator.fetch(input, init);
      const headers = new Headers(answer.headers);
      headers.set('x-request-id', 'proxy-7f3a');
      return new Response(answer.body, { status: answer.status, headers });
    };
    const error = await failing(emulator, { token: 'gAAAAA-not-a-real-token', fetch });
    expect(isAuthenticationError(error)).toBe(true);
    expect((error as HttpError).requestId).toMatch(/^req-/);
  });

  it('403 for a tenant outside the token scope', async () => {
    const error = await failing(createEmulator(), { tenantId: OTHER_FUJITSU_TENANT });
    expect(isPermissionError(error)).toBe(true);
    expect((error as HttpError).vendorMessage).toMatch(/^forbidden: /);
  });

  it('404 for an unknown tenant', async () => {
    const error = await failing(createEmulator(), { tenantId: 'ffffffffffffffffffffffffffffffff' });
    expect(isNotFoundError(error)).toBe(true);
    expect((error as HttpError).vendorMessage).toMatch(/^itemNotFound: Tenant .* could not be found/);
  });

  it.each([400, 405, 413, 422, 501])('%i is not retried and keeps the fault message', async (status) => {
    const emulator = createEmulator({ events: 3 });
    emulator.faults.add({ kind: 'status', status });
    const error = await failing(emulator);
    expect(isHttpError(error)).toBe(true);
    expect((error as HttpError).status).toBe(status);
    expect((error as HttpError).vendorMessage).toMatch(/^[a-zA-Z]+: /);
    expect(emulator.requests).toHaveLength(1);
  });

  it.each([500, 503, 504])('%i is retried, then succeeds', async (status) => {
    const emulator = createEmulator({ events: 3 });
    emulator.faults.add({ kind: 'status', status, schedule: { once: true } });
    expect(await clientOf(emulator, { retry: { minDelay: 1, maxDelay: 1 } }).events.list().toArray()).toHaveLength(3);
    expect(emulator.requests).toHaveLength(2);
  });

  it('503 on every attempt fails after the retries', async () => {
    const emulator = createEmulator();
    emulator.faults.add({ kind: 'status', status: 503 });
    const error = await failing(emulator);
    expect((error as HttpError).status).toBe(503);
    expect((error as HttpError).vendorMessage).toBe('serviceUnavailable: Service Unavailable');
    expect(emulator.requests).toHaveLength(3);
  });

  it('429 waits for Retry-After, then a persistent one is a RateLimitError', async () => {
    const emulator = createEmulator({ events: 2 });
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 2, schedule: { once: true } });
    expect(await clientOf(emulator, { retry: { minDelay: 1 } }).events.list().toArray()).toHaveLength(2);
    emulator.faults.add({ kind: 'rate-limit', retryAfter: 1 });
    const error = await failing(emulator);
    expect(isRateLimitError(error)).toBe(true);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBe(1000);
  });

  it('an event without a usable date is a ResponseValidationError that keeps the raw page', async () => {
    const emulator = createEmulator();
    emulator.store.events.add(TENANT, { at: Date.now() - 1000, extra: { date: 'not a date' } });
    const error = await failing(emulator);
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as { issues: string[] }).issues[0]).toMatch(/^events\[0\]\.date/);
    expect((error as { raw: { events: unknown[] } }).raw.events).toHaveLength(1);
  });
});

describe('fujitsu many events in one second', () => {
  it('pages through seconds holding fewer events than the page size', async () => {
    for (const marker of ['inclusive', 'exclusive'] as const) {
      const emulator = createEmulator({ marker });
      const at = Date.now() - 60_000;
      emulator.store.events.addBurst(TENANT, at, 19);
      emulator.store.events.addBurst(TENANT, at - 1000, 19);
      emulator.store.events.addBurst(TENANT, at - 2000, 19);
      const events = await clientOf(emulator).events.list({ pageSize: 20 }).toArray();
      expect(events).toHaveLength(57);
      expect(new Set(events.map((event) => event.id)).size).toBe(57);
    }
  });

  it('fails clearly when one second holds a whole page, and a larger page size gets through', async () => {
    for (const marker of ['inclusive', 'exclusive'] as const) {
      const emulator = createEmulator({ marker });
      const at = Date.now() - 60_000;
      emulator.store.events.addBurst(TENANT, at + 1000, 3);
      emulator.store.events.addBurst(TENANT, at, 40);
      const client = clientOf(emulator);
      const error = await client.events.list({ pageSize: 20 }).toArray().catch((e: unknown) => e);
      expect(isResponseValidationError(error)).toBe(true);
      expect((error as Error).message).toMatch(/events share the second .* larger pageSize/);
      expect(emulator.requests.length).toBeLessThanOrEqual(4);
      expect(await client.events.list({ pageSize: 100 }).toArray()).toHaveLength(43);
    }
  });
});
